"""One oversight record as the services receive it, whatever it came from (a form, a row of an imported
file): what it holds and what is wrong with it, before anything is written."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from kommunedialog.oversight.models import SupervisionStatus
from kommunedialog.registry.models import Municipality


@dataclass(frozen=True)
class SupervisionSpec:
    municipality: Municipality
    domain: str
    authority: str
    reference: str
    topic: str
    supervision_type: str
    planned_on: dt.date | None = None
    carried_out_on: dt.date | None = None
    report_on: dt.date | None = None
    nonconformity_count: int = 0
    remark_count: int = 0
    nonconformities: tuple[str, ...] = ()
    remarks: tuple[str, ...] = ()
    status: str = SupervisionStatus.OPEN
    closed_on: dt.date | None = None
    report_url: str = ""

    @property
    def key(self) -> tuple[int, str, str]:
        return (self.municipality.pk, self.authority, self.reference)

    def problems(self) -> list[str]:
        found = []
        if self.status == SupervisionStatus.CLOSED and self.closed_on is None:
            found.append(_("A closed supervision needs its closing date."))
        if self.status == SupervisionStatus.OPEN and self.closed_on is not None:
            found.append(_("An open supervision has no closing date; set the status to closed."))
        if not (self.planned_on or self.carried_out_on):
            found.append(_("Give the planned date, the date carried out, or both."))
        if self.carried_out_on and self.report_on and self.report_on < self.carried_out_on:
            found.append(_("The report date is before the supervision was carried out."))
        if self.nonconformities and len(self.nonconformities) != self.nonconformity_count:
            found.append(
                _("Nonconformity texts (%(texts)s) do not match the number of nonconformities (%(count)s).")
                % {"texts": len(self.nonconformities), "count": self.nonconformity_count}
            )
        if self.remarks and len(self.remarks) != self.remark_count:
            found.append(
                _("Remark texts (%(texts)s) do not match the number of remarks (%(count)s).")
                % {"texts": len(self.remarks), "count": self.remark_count}
            )
        return found


@dataclass(frozen=True)
class ComplaintSpec:
    municipality: Municipality
    domain: str
    year: int
    received: int
    decided: int
    upheld: int
    reversed: int
    sent_back: int

    @property
    def key(self) -> tuple[int, str, int]:
        return (self.municipality.pk, self.domain, self.year)

    def problems(self) -> list[str]:
        if self.upheld + self.reversed + self.sent_back > self.decided:
            return [_("Upheld, reversed and sent back add up to more than the cases decided.")]
        return []


@dataclass(frozen=True)
class PlanSpec:
    municipality: Municipality
    plan_type: str
    adopted_on: dt.date
    title: str = ""
    revision_due: dt.date | None = None
    url: str = ""

    @property
    def key(self) -> tuple[int, str, dt.date]:
        return (self.municipality.pk, self.plan_type, self.adopted_on)

    def problems(self) -> list[str]:
        if self.revision_due is not None and self.revision_due <= self.adopted_on:
            return [_("The revision date is not after the adoption date.")]
        return []


@dataclass(frozen=True)
class CooperationSpec:
    name: str
    service_area: str
    legal_form: str
    members: tuple[Municipality, ...]
    domain: str = ""
    host: Municipality | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.name.casefold(), self.service_area.casefold())

    def problems(self) -> list[str]:
        found = []
        if len(self.members) < 2:
            found.append(_("A cooperation has at least two member municipalities."))
        if self.host is not None and self.host not in self.members:
            found.append(_("The host municipality must be one of the members."))
        return found


# The shared upsert ---------------------------------------------------------------------------------
