"""Demonstration oversight evidence for Rogaland, and the real ROBEK register. Safe to run again.

Everything invented here is marked as a demonstration in its text and case reference ("DEMO-…"), so
nobody mistakes it for a real supervision. ROBEK is the real published register, not invented.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from kommunedialog.core.actors import SYSTEM
from kommunedialog.core.domains import Domain
from kommunedialog.oversight import services
from kommunedialog.oversight.models import Authority, LegalForm, PlanType, SupervisionStatus, SupervisionType
from kommunedialog.oversight.robek import default_register_file, read_register, robek_import
from kommunedialog.oversight.specs import ComplaintSpec, CooperationSpec, PlanSpec, SupervisionSpec
from kommunedialog.oversight.tabular import ImportRejected
from kommunedialog.registry.models import Municipality

DEMO = "Demonstrasjon"


def _m(number: str) -> Municipality:
    return Municipality.objects.current().get(number=number)


def _supervisions() -> list[SupervisionSpec]:
    return [
        SupervisionSpec(
            municipality=_m("1133"),
            domain=Domain.HEALTH_CARE,
            authority=Authority.OFFICE,
            reference="DEMO-2025/101",
            topic=f"{DEMO}: legemiddelhåndtering i hjemmetjenesten",
            supervision_type=SupervisionType.SYSTEM_AUDIT,
            planned_on=dt.date(2025, 9, 1),
            carried_out_on=dt.date(2025, 10, 14),
            report_on=dt.date(2025, 11, 20),
            nonconformity_count=1,
            remark_count=1,
            nonconformities=(f"{DEMO}: kommunen sikrer ikke at legemidler gis etter forordning",),
            remarks=(f"{DEMO}: opplæringsplanen er ikke oppdatert",),
        ),
        SupervisionSpec(
            municipality=_m("1133"),
            domain=Domain.CHILD_WELFARE,
            authority=Authority.OFFICE,
            reference="DEMO-2024/88",
            topic=f"{DEMO}: oppfølging av barn i fosterhjem",
            supervision_type=SupervisionType.SELF_ASSESSMENT,
            planned_on=dt.date(2024, 3, 1),
            carried_out_on=dt.date(2024, 4, 10),
            report_on=dt.date(2024, 5, 2),
            remark_count=1,
            status=SupervisionStatus.CLOSED,
            closed_on=dt.date(2024, 9, 30),
        ),
        SupervisionSpec(
            municipality=_m("1134"),
            domain=Domain.CIVIL_PROTECTION,
            authority=Authority.OFFICE,
            reference="DEMO-2026/12",
            topic=f"{DEMO}: kommunal beredskapsplikt",
            supervision_type=SupervisionType.DOCUMENT,
            planned_on=dt.date(2026, 9, 15),
        ),
        SupervisionSpec(
            municipality=_m("1135"),
            domain=Domain.EDUCATION,
            authority=Authority.OFFICE,
            reference="DEMO-2025/230",
            topic=f"{DEMO}: elevenes skolemiljø",
            supervision_type=SupervisionType.NATIONWIDE,
            carried_out_on=dt.date(2025, 5, 6),
            report_on=dt.date(2025, 6, 12),
            nonconformity_count=2,
        ),
    ]


def _plans() -> list[PlanSpec]:
    return [
        PlanSpec(municipality=_m("1133"), plan_type=PlanType.PLANNING_STRATEGY, adopted_on=dt.date(2020, 6, 18),
                 title=f"{DEMO}: kommunal planstrategi 2020–2023"),
        PlanSpec(municipality=_m("1133"), plan_type=PlanType.FINANCIAL_PLAN, adopted_on=dt.date(2025, 12, 16),
                 title=f"{DEMO}: økonomiplan 2026–2029"),
        PlanSpec(municipality=_m("1133"), plan_type=PlanType.EMERGENCY_PLAN, adopted_on=dt.date(2023, 2, 9),
                 title=f"{DEMO}: overordnet beredskapsplan"),
        PlanSpec(municipality=_m("1134"), plan_type=PlanType.PLANNING_STRATEGY, adopted_on=dt.date(2024, 9, 12),
                 title=f"{DEMO}: kommunal planstrategi 2024–2027"),
        PlanSpec(municipality=_m("1134"), plan_type=PlanType.RISK_VULNERABILITY, adopted_on=dt.date(2021, 3, 4),
                 title=f"{DEMO}: helhetlig ROS", revision_due=dt.date(2025, 12, 31)),
    ]  # fmt: skip


def _complaints() -> list[ComplaintSpec]:
    return [
        ComplaintSpec(
            _m("1133"), Domain.SOCIAL_SERVICES, 2025, received=6, decided=5, upheld=4, reversed=1, sent_back=0
        ),
        ComplaintSpec(_m("1134"), Domain.HEALTH_CARE, 2025, received=9, decided=9, upheld=6, reversed=1, sent_back=2),
        ComplaintSpec(_m("1135"), Domain.PLANNING, 2025, received=21, decided=18, upheld=15, reversed=2, sent_back=1),
    ]


def _cooperations() -> list[CooperationSpec]:
    return [
        CooperationSpec(
            name=f"{DEMO}: Ryfylke legevakt",
            service_area="legevakt",
            domain=Domain.HEALTH_CARE,
            legal_form=LegalForm.HOST_MUNICIPALITY,
            host=_m("1134"),
            members=(_m("1133"), _m("1134"), _m("1135")),
        )
    ]


def load_demo_oversight(*, stdout: Any = None) -> None:
    """Called by load_demo after the register and the demo users exist."""
    write = stdout.write if stdout is not None else (lambda text: None)
    with transaction.atomic():
        for spec in _supervisions():
            services.supervision_register(actor=SYSTEM, spec=spec)
        for plan in _plans():
            services.plan_register(actor=SYSTEM, spec=plan)
        for complaint in _complaints():
            services.complaint_statistic_record(actor=SYSTEM, spec=complaint)
        for cooperation in _cooperations():
            services.cooperation_register(actor=SYSTEM, spec=cooperation)
    try:
        path = default_register_file()
        result = robek_import(actor=SYSTEM, register=read_register(path))
    except FileNotFoundError as exc:
        write(f"ROBEK not imported: {exc}")
    except ImportRejected as exc:
        write(f"ROBEK not imported: {exc}")
    else:
        write(f"ROBEK from {path.name}: {result.summary()}")
    write("Oversight demonstration records for Rogaland are in place (marked “Demonstrasjon”).")
