"""Next year's supervisions: the office picks municipality and domain with a reason, and may take one
out again. Each change is one audited service; the plan is the office's own, never public."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kommunedialog.core import audit
from kommunedialog.core.actors import Actor, is_person
from kommunedialog.core.audit import AuditAction
from kommunedialog.core.domains import Domain
from kommunedialog.core.refusal import Refused
from kommunedialog.oversight.models import PlannedSupervision
from kommunedialog.registry.models import Municipality, Office


def planned_supervision_add(
    *, office: Office, municipality: Municipality, domain: Domain | str, year: int, reason: str, actor: Actor
) -> PlannedSupervision:
    """Put a supervision of ``municipality`` in ``domain`` on ``office``'s plan for ``year``."""
    reason = reason.strip()
    if not reason:
        raise Refused(_("Give the reason for this supervision"), field="reason")
    if municipality.county is None or municipality.county.office_id != office.pk:
        raise Refused(_("The municipality is not in the office's area"), field="municipality")
    domain = Domain(domain)
    with transaction.atomic():
        Office.objects.select_for_update().get(pk=office.pk)  # one writer per office plan at a time
        if PlannedSupervision.objects.filter(
            office=office, municipality=municipality, domain=domain, year=year
        ).exists():
            raise Refused(_("This supervision is already in the plan"), field="municipality")
        try:
            with transaction.atomic():
                planned = PlannedSupervision.objects.create(
                    office=office,
                    municipality=municipality,
                    domain=domain,
                    year=year,
                    reason=reason,
                    added_by=actor if is_person(actor) else None,
                )
        except IntegrityError as exc:
            raise Refused(_("This supervision is already in the plan"), field="municipality") from exc
        audit.record(
            actor=actor,
            obj=planned,
            action=AuditAction.PLANNED_SUPERVISION_ADD,
            after={"municipality": municipality.number, "domain": domain.value, "year": year, "reason": reason},
        )
    return planned


def planned_supervision_remove(*, planned: PlannedSupervision, actor: Actor) -> None:
    """Take a supervision off the plan again."""
    with transaction.atomic():
        planned = PlannedSupervision.objects.select_for_update().select_related("municipality").get(pk=planned.pk)
        before = {
            "municipality": planned.municipality.number,
            "domain": planned.domain,
            "year": planned.year,
            "reason": planned.reason,
        }
        audit.record(actor=actor, obj=planned, action=AuditAction.PLANNED_SUPERVISION_REMOVE, before=before)
        planned.delete()
