from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kommunedialog.registry.codes import CodeShare, UnknownCode, current_codes, predecessors

pytestmark = pytest.mark.django_db


def test_renumbered_code_answers_its_successor():
    assert current_codes("3029") == [CodeShare("3222", "Lørenskog", Decimal("1"))]


def test_chains_are_followed_through_2020_and_2024():
    assert [s.number for s in current_codes("0230")] == ["3222"]  # Lørenskog before 2020


def test_split_answers_every_part_with_its_weight():
    assert current_codes("1507") == [
        CodeShare("1508", "Ålesund", Decimal("0.5")),
        CodeShare("1580", "Haram", Decimal("0.5")),
    ]
    assert [(s.number, s.weight) for s in current_codes("5012")] == [
        ("5055", Decimal("0.35")),
        ("5056", Decimal("0.35")),
        ("5059", Decimal("0.3")),
    ]


def test_a_current_code_answers_itself():
    assert current_codes("0301") == [CodeShare("0301", "Oslo - Oslove", Decimal("1"))]


def test_the_answer_on_an_earlier_date_uses_the_structure_then():
    assert [s.number for s in current_codes("3029", on=dt.date(2023, 6, 1))] == ["3029"]


def test_unknown_code_is_an_error():
    with pytest.raises(UnknownCode, match="'4242' is neither in the register nor in its code history"):
        current_codes("4242")


def test_predecessors_of_a_split_part_follow_the_chain_back():
    found = [(p.number, p.became, p.occurred_on, p.weight) for p in predecessors("1580")]
    assert found[0] == ("1507", "1580", dt.date(2024, 1, 1), Decimal("0.5"))
    assert ("1534", "1507", dt.date(2020, 1, 1), Decimal("0.5")) in found
    assert len(found) == 6


def test_predecessors_of_lorenskog():
    found = [(p.number, p.became, p.occurred_on) for p in predecessors("3222")]
    assert found == [("3029", "3222", dt.date(2024, 1, 1)), ("0230", "3029", dt.date(2020, 1, 1))]


def test_a_code_without_history_has_no_predecessors():
    assert predecessors("1133") == []
