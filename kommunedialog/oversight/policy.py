"""Who may use the oversight pages: the office's own staff and coordinators, nobody else.

The scenario's own office is Statsforvalteren i Rogaland; staff of another office (Vestland) are
refused its pages (404), though /intern/oversikt/ itself leads each office member to their own.
"""

from __future__ import annotations

from typing import Any

from kommunedialog.core.actors import SYSTEM
from kommunedialog.core.policy import OWN_OFFICE, Access, Scenario


def _office(s: Scenario) -> dict[str, Any]:
    return {"office": s["own_office"].code}


def _a_supervision(s: Scenario) -> dict[str, Any]:
    return {"office": s["own_office"].code, "pk": _supervision(s, "MATRIX-1", "Matrix probe").pk}


def _supervision(s: Scenario, reference: str, text: str) -> Any:
    import datetime as dt

    from kommunedialog.oversight import services, specs
    from kommunedialog.oversight.models import Authority, SupervisionType

    spec = specs.SupervisionSpec(
        municipality=s["own_municipality"],
        domain="health_care",
        authority=Authority.OFFICE,
        reference=reference,
        topic=text,
        supervision_type=SupervisionType.SYSTEM_AUDIT,
        carried_out_on=dt.date(2025, 3, 1),
        nonconformity_count=1,
        nonconformities=(text,),
    )
    return services.supervision_register(actor=SYSTEM, spec=spec)


def _seed_oversight(scenario: Scenario, marker: str) -> str:
    import datetime as dt

    from kommunedialog.oversight import services, specs
    from kommunedialog.oversight.models import LegalForm, PlanType

    _supervision(scenario, marker[-20:], marker)
    municipality = scenario["own_municipality"]
    services.plan_register(
        actor=SYSTEM,
        spec=specs.PlanSpec(
            municipality=municipality,
            plan_type=PlanType.PLANNING_STRATEGY,
            adopted_on=dt.date(2020, 1, 1),
            title=marker,
        ),
    )
    services.cooperation_register(
        actor=SYSTEM,
        spec=specs.CooperationSpec(
            name=marker,
            service_area=marker,
            legal_form=LegalForm.CONTRACT,
            members=(municipality, scenario["other_municipality"]),
        ),
    )
    return "supervision topic, case reference and finding text; plan title; cooperation name"


POLICY = {
    "oversight:evidence_show": Access(
        get=OWN_OFFICE, kwargs=lambda s: {**_office(s), "number": s["own_municipality"].number}
    ),
    "oversight:supervision_close": Access(post=OWN_OFFICE, kwargs=_a_supervision),
    "oversight:import_upload": Access(get=OWN_OFFICE, post=OWN_OFFICE, kwargs=_office),
    "oversight:import_template_download": Access(
        get=OWN_OFFICE,
        kwargs=lambda s: [
            {**_office(s), "kind": "supervisions", "fmt": "csv"},
            {**_office(s), "kind": "plans", "fmt": "xlsx"},
        ],
    ),
}

PRIVATE_SEEDS = [_seed_oversight]
