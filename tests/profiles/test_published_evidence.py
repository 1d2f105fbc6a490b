"""Evidence in a published kommunebilde: statistics with charts and provenance, public oversight facts
only, and a snapshot that never changes when the data under it does."""

from __future__ import annotations

import datetime as dt
import re

import orjson
import pytest

from kommunedialog.accounts.models import Role
from kommunedialog.oversight.models import Supervision
from kommunedialog.profiles import services
from kommunedialog.profiles.models import Assessment, Profile, PublishedProfile, Rating
from kommunedialog.profiles.states import State
from kommunedialog.registry.models import Municipality, Office
from kommunedialog.statistics import jsonstat
from kommunedialog.statistics import services as statistics_services
from tests.factories import UserFactory
from tests.statistics.conftest import V2_12134, read

pytestmark = pytest.mark.django_db


def import_free_income(values: dict[str, int], fetched: dt.datetime) -> None:
    """Table 12134 as SSB answers it, for Rogaland municipalities instead of the recorded three."""
    doc = orjson.loads(read(V2_12134))
    doc["size"] = [len(values), 1, 1]
    doc["dimension"]["KOKkommuneregion0000"]["category"] = {"index": {code: i for i, code in enumerate(values)}}
    doc["value"] = list(values.values())
    statistics_services.statistics_import(datasets=[jsonstat.parse(doc)], origin="test", fetched_at=fetched)


def supervision(municipality: Municipality, topic: str, carried_out_on: dt.date | None) -> Supervision:
    return Supervision.objects.create(
        municipality=municipality,
        domain="economy",
        topic=topic,
        authority="statsforvalteren",
        reference=f"2026/{topic}",
        supervision_type="system_audit",
        planned_on=dt.date(2027, 3, 1) if carried_out_on is None else None,
        carried_out_on=carried_out_on,
        nonconformity_count=2,
        remark_count=1,
    )


@pytest.fixture
def published():  # type: ignore[no-untyped-def]
    hjelmeland = Municipality.objects.current().get(number="1133")
    import_free_income({"1133": 70_000, "1134": 72_000, "1144": 68_000}, dt.datetime(2026, 4, 25, tzinfo=dt.UTC))
    supervision(hjelmeland, "INTERNALTOPIC", dt.date(2026, 2, 1))
    supervision(hjelmeland, "PLANNEDTOPIC", None)
    office = Office.objects.get(code="rogaland")
    coordinator = UserFactory(role=Role.COORDINATOR, office="rogaland")
    cycle = services.cycle_open(
        office=office, actor=coordinator, name="Kommunebilde 2026", year=2026, domains=[("economy", "Økonomi", "")]
    )
    profile = cycle.profiles.get(municipality=hjelmeland)
    Assessment.objects.filter(profile=profile).update(rating=Rating.IMPROVEMENT, justification="Stram økonomi.")
    Profile.objects.filter(pk=profile.pk).update(state=State.MEETING_HELD, meeting_held_on=dt.date(2026, 10, 1))
    services.profile_publish(profile=profile, actor=coordinator)
    return PublishedProfile.objects.get(profile=profile)


def snapshot_section(client) -> str:  # type: ignore[no-untyped-def]
    html = client.get("/kommuner/1133/", headers={"Accept-Language": "en"}).content.decode()
    return html[html.index('<section aria-labelledby="kommunebilde-heading"') : html.index('id="office-map-heading"')]


def test_snapshot_holds_the_statistic_with_its_provenance_and_comparisons(published):
    [domain] = published.content["domains"]
    [statistic] = [e for e in domain["evidence"] if e["kind"] == "statistic"]
    assert (statistic["indicator"], statistic["year"], statistic["value"]) == ("free_income_per_capita", 2024, 70000)
    assert statistic["source"]["table"] == "12134"
    assert statistic["source"]["content_code"] == "KOSAG110000"
    assert statistic["source"]["fetched_at"].startswith("2026-04-25")
    assert statistic["comparisons"]["kostra_group"]["with_value"] >= 1


def test_snapshot_holds_public_supervision_facts_but_no_internal_text_or_planned_supervision(published):
    [domain] = published.content["domains"]
    [carried_out] = [e for e in domain["evidence"] if e["kind"] == "supervision"]
    assert carried_out == {
        "kind": "supervision",
        "authority": "statsforvalteren",
        "type": "system_audit",
        "carried_out_on": "2026-02-01",
        "report_on": None,
        "nonconformities": 2,
        "remarks": 1,
        "status": "open",
        "closed_on": None,
        "source_url": "",
    }
    text = orjson.dumps(published.content).decode()
    assert "INTERNALTOPIC" not in text
    assert "PLANNEDTOPIC" not in text


def test_public_page_shows_the_evidence_with_a_chart_against_the_peers(client, published):
    section = re.sub(r"\s+", " ", snapshot_section(client))
    assert "<strong>Free income per inhabitant</strong>: 70,000 NOK in 2024" in section
    assert 'role="img"' in section
    assert '<title id="chart-title-' in section
    assert "Source: Statistics Norway (SSB), table 12134 (KOSAG110000), fetched 25 April 2026" in section
    assert (
        "Supervision: The County Governor, System audit, carried out 1 February 2026: 2 nonconformities, 1 remark – open"
        in section
    )
    assert "INTERNALTOPIC" not in section


def test_snapshot_stays_byte_identical_after_the_statistics_are_reimported_with_new_values(client, published):
    before = (published.content_hash, orjson.dumps(published.content), dict(published.rendered))
    page_before = snapshot_section(client)

    import_free_income({"1133": 99_999, "1134": 1, "1144": 2}, dt.datetime(2026, 11, 1, tzinfo=dt.UTC))
    assert "99,999" in client.get("/kommuner/1133/", headers={"Accept-Language": "en"}).content.decode()

    published.refresh_from_db()
    assert (published.content_hash, orjson.dumps(published.content), dict(published.rendered)) == before
    assert snapshot_section(client) == page_before
    assert "99,999" not in page_before


def test_the_pdf_carries_the_evidence_and_its_chart(published):
    import io

    from pypdf import PdfReader

    from kommunedialog.profiles import pdf

    document = pdf.render(published, "nb")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(document)).pages)
    text = " ".join(text.split())
    assert "Frie inntekter per innbygger: 70 000 kr i 2024" in text
    assert "Kilde: Statistisk sentralbyrå (SSB), tabell 12134 (KOSAG110000), hentet 25. april 2026" in text
    assert "Tilsyn: Statsforvalteren, Systemrevisjon, gjennomført 1. februar 2026: 2 avvik, 1 merknad" in text
    assert "INTERNALTOPIC" not in text
