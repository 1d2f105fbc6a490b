"""The application budget and the call's funding rules, as plain arithmetic in whole kroner.

The financing (own share + other funding + amount applied for) must cover the cost lines exactly, the
own share must meet the call's minimum percentage, and the amount applied for must lie between the
call's minimum and its frame.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from kommunedialog.core.numbers import format_amount


def format_nok(amount: int | None) -> str:
    """Whole kroner grouped in thousands the way the reader writes them ("12 345", "12,345")."""
    return format_amount(amount)


@dataclass(frozen=True)
class FundingRules:
    frame: int
    min_own_share_percent: int
    min_amount: int


@dataclass(frozen=True)
class Budget:
    cost_lines: tuple[int, ...]
    own_share: int
    other_funding: int
    amount_applied: int

    @classmethod
    def of(cls, costs: Iterable[int], *, own_share: int, other_funding: int, amount_applied: int) -> Budget:
        return cls(tuple(costs), own_share, other_funding, amount_applied)

    @property
    def total_cost(self) -> int:
        return sum(self.cost_lines)

    @property
    def financing(self) -> int:
        return self.own_share + self.other_funding + self.amount_applied

    @property
    def own_share_percent(self) -> float:
        return 100 * self.own_share / self.total_cost if self.total_cost else 0.0

    def minimum_own_share(self, percent: int) -> int:
        # Whole kroner, rounded up: "at least 20 %" of 1 000 001 is 200 001.
        return -(-self.total_cost * percent // 100)

    def problems(self, rules: FundingRules) -> list[str]:
        """Every rule the budget breaks, in words the applicant can act on; empty when it holds."""
        found: list[str] = []
        if not self.cost_lines or self.total_cost <= 0:
            found.append(_("Add at least one cost line with an amount"))
            return found
        if self.financing != self.total_cost:
            found.append(
                _(
                    "The financing (own share + other funding + amount applied for = NOK %(financing)s) "
                    "must equal the total cost (NOK %(total)s)"
                )
                % {"financing": format_nok(self.financing), "total": format_nok(self.total_cost)}
            )
        minimum_own = self.minimum_own_share(rules.min_own_share_percent)
        if self.own_share < minimum_own:
            found.append(
                _("The own share must be at least %(percent)s %% of the total cost (NOK %(minimum)s)")
                % {"percent": rules.min_own_share_percent, "minimum": format_nok(minimum_own)}
            )
        if self.amount_applied <= 0:
            found.append(_("Say how much you apply for"))
        elif self.amount_applied < rules.min_amount:
            found.append(
                _("The amount applied for must be at least NOK %(minimum)s") % {"minimum": format_nok(rules.min_amount)}
            )
        if self.amount_applied > rules.frame:
            found.append(
                _("The amount applied for is larger than the call's whole frame (NOK %(frame)s)")
                % {"frame": format_nok(rules.frame)}
            )
        return found
