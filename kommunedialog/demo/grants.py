"""Demonstration Prosjektskjønn for Statsforvalteren i Rogaland (load_demo): the 2025 call with a NOK 10
million frame, applications in every state, and two projects with published reports. Every title and
text says it is a demonstration; the projects, amounts and assessments are invented.

Everything goes through the services, as a real office would. The one shortcut: the call is created
with a deadline in the future (so applications can be submitted), then moved back to its 2025 date
before the deadline task closes it, so the demo reads as last year's round."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from kommunedialog.core import pdf
from kommunedialog.core.domains import Domain
from kommunedialog.grants import services
from kommunedialog.grants.models import Application, Call, Theme
from kommunedialog.grants.services import CallSpec, CriterionSpec
from kommunedialog.registry.models import Municipality, Office

CALL_TITLE = "Prosjektskjønn 2025 – fornying og innovasjon (demonstrasjon)"
DEMO = "Demonstrasjon"
DEADLINE_2025 = dt.date(2025, 10, 1)


@dataclass(frozen=True)
class DemoApplication:
    lead: str
    partners: tuple[str, ...]
    title: str
    theme: Theme
    sectors: tuple[Domain, ...]
    costs: tuple[tuple[str, int], ...]
    own_share: int
    amount_applied: int
    end: str  # the state the demo brings it to


APPLICATIONS = [
    DemoApplication(
        "1133", ("1134", "1135"), f"{DEMO}: felles digital innbyggjarteneste i Ryfylke", Theme.DIGITALISATION,
        (Domain.HEALTH_CARE, Domain.SOCIAL_SERVICES),
        (("Prosjektleiing", 900_000), ("Utvikling og innkjøp", 1_200_000), ("Opplæring", 300_000)),
        600_000, 1_800_000, "approved",
    ),
    DemoApplication(
        "1134", (), f"{DEMO}: velferdsteknologi i heimetenesta", Theme.SERVICE_INNOVATION,
        (Domain.HEALTH_CARE,), (("Utstyr", 800_000), ("Opplæring og utprøving", 450_000)),
        250_000, 1_000_000, "approved_reduced",
    ),
    DemoApplication(
        "1133", (), f"{DEMO}: klimatilpassing av kommunale bygg", Theme.CLIMATE_ENVIRONMENT,
        (Domain.ENVIRONMENT_CLIMATE,), (("Kartlegging", 500_000),), 100_000, 400_000, "rejected",
    ),
    DemoApplication(
        "1134", ("1133",), f"{DEMO}: felles beredskapsøvingar", Theme.CIVIL_PROTECTION,
        (Domain.CIVIL_PROTECTION,), (("Øvingar", 600_000),), 150_000, 450_000, "recommended",
    ),
    DemoApplication(
        "1133", (), f"{DEMO}: rekruttering av sjukepleiarar", Theme.COMPETENCE,
        (Domain.HEALTH_CARE,), (("Rekrutteringstiltak", 700_000),), 200_000, 500_000, "info_requested",
    ),
    DemoApplication(
        "1134", (), f"{DEMO}: folkehelse i skulen", Theme.PUBLIC_HEALTH,
        (Domain.EDUCATION,), (("Tiltak", 400_000),), 100_000, 300_000, "under_assessment",
    ),
    DemoApplication(
        "1133", (), f"{DEMO}: digital byggesak", Theme.DIGITALISATION,
        (Domain.PLANNING,), (("System", 600_000),), 150_000, 450_000, "returned",
    ),
    DemoApplication(
        "1134", (), f"{DEMO}: lokalsamfunnsutvikling i bygdene", Theme.COMMUNITY_DEVELOPMENT,
        (Domain.PLANNING,), (("Prosessleiing", 300_000),), 75_000, 225_000, "submitted",
    ),
    DemoApplication(
        "1133", (), f"{DEMO}: interkommunal barnevernsvakt", Theme.COOPERATION,
        (Domain.CHILD_WELFARE,), (("Etablering", 500_000),), 125_000, 375_000, "withdrawn",
    ),
    DemoApplication(
        "1134", (), f"{DEMO}: betre bustadsosialt arbeid", Theme.SERVICE_INNOVATION,
        (Domain.SOCIAL_HOUSING,), (("Kartlegging", 200_000),), 50_000, 150_000, "draft",
    ),
]  # fmt: skip


def _municipality(number: str) -> Municipality:
    return Municipality.objects.current().get(number=number)


def _spec(deadline: dt.date) -> CallSpec:
    return CallSpec(
        year=2025,
        title_nb=CALL_TITLE,
        title_nn="Prosjektskjønn 2025 – fornying og innovasjon (demonstrasjon)",
        description_nb=(
            "Demonstrasjonstekst: Statsforvalteren lyser ut skjønnsmidler til fornyings- og innovasjonsprosjekter "
            "i kommunene i Rogaland. Utlysningen er laget for å vise løsningen."
        ),
        description_nn=(
            "Demonstrasjonstekst: Statsforvaltaren lyser ut skjønnsmidlar til fornyings- og innovasjonsprosjekt "
            "i kommunane i Rogaland. Utlysinga er laga for å vise løysinga."
        ),
        frame=10_000_000,
        deadline=deadline,
        min_own_share_percent=20,
        min_amount=100_000,
        themes=tuple(Theme.values),
        criteria=(
            CriterionSpec("Nytte for innbyggerne", "Nytte for innbyggjarane", 40),
            CriterionSpec("Overføringsverdi til andre kommuner", "Overføringsverdi til andre kommunar", 30),
            CriterionSpec("Gjennomføringsevne", "Gjennomføringsevne", 30),
        ),
    )


def _fill(application: Application, spec: DemoApplication, applicant: Any) -> Application:
    application = services.application_update(
        application=application,
        actor=applicant,
        expected_version=application.version,
        changes={
            "contact_name": "Demonstrasjon Kontaktperson",
            "contact_email": "kontakt@example.invalid",
            "title": spec.title,
            "summary": f"Demonstrasjonstekst: {spec.title.split(': ', 1)[1]}. Prosjektet er oppdiktet og viser løsningen.",
            "theme": spec.theme.value,
            "challenges": "Demonstrasjonstekst: utfordringane prosjektet skal løyse.",
            "goals": "Demonstrasjonstekst: måla for prosjektet.",
            "sectors": [s.value for s in spec.sectors],
            "instruments": "Demonstrasjonstekst: nye arbeidsmåtar og samarbeid.",
            "period_start": dt.date(2026, 1, 1),
            "period_end": dt.date(2026, 12, 31),
        },
    )
    if spec.partners:
        application = services.application_set_partners(
            application=application,
            actor=applicant,
            expected_version=application.version,
            partners=[_municipality(n) for n in spec.partners],
        )
    total = sum(amount for _, amount in spec.costs)
    application = services.application_update_budget(
        application=application,
        actor=applicant,
        expected_version=application.version,
        lines=list(spec.costs),
        own_share=spec.own_share,
        other_funding=total - spec.own_share - spec.amount_applied,
        amount_applied=spec.amount_applied,
    )
    return services.application_confirm(
        application=application,
        actor=applicant,
        expected_version=application.version,
        chief_executive_name="Demonstrasjon Kommunedirektør",
    )


def _review(application: Application, staff: Any, *, amount: int | None = None) -> None:
    services.review_declare(application=application, actor=staff, conflict=False)
    services.review_score(
        application=application,
        actor=staff,
        scores={c.pk: (4, "Demonstrasjonstekst: vurdering.") for c in application.call.criteria.all()},
        recommendation="approve_reduced" if amount else "approve",
        recommended_amount=amount,
        text="Demonstrasjonstekst: tilrådinga er oppdikta.",
    )


def _report(report: Any, applicant: Any, staff: Any, spent: int) -> None:
    report = services.report_update(
        report=report,
        actor=applicant,
        expected_version=report.version,
        what_was_done="Demonstrasjonstekst: kva prosjektet har gjort så langt.",
        results="Demonstrasjonstekst: resultata av prosjektet.",
        money_spent=spent,
        lessons_learned="Demonstrasjonstekst: kva kommunane har lært.",
    )
    report = services.report_submit(report=report, actor=applicant)
    report = services.report_approve(report=report, actor=staff)
    services.report_publish(report=report, actor=staff)


def _demo_pdf() -> SimpleUploadedFile:
    html = "<html lang='nn'><title>Demonstrasjon</title><p>Demonstrasjonsdokument: prosjektplan.</p></html>"
    return SimpleUploadedFile("prosjektplan-demonstrasjon.pdf", pdf.html_to_pdf(html, ""))


def load_demo_grants(*, coordinator: Any, staff: Any, applicants: dict[str, Any]) -> Call:
    """Idempotent: a second run finds the call and changes nothing. ``applicants`` maps a municipality
    number to one of its users."""
    existing = Call.objects.filter(title_nb=CALL_TITLE).first()
    if existing is not None:
        return existing
    office = Office.objects.get(code="rogaland")
    with transaction.atomic():
        call = services.call_create(
            office=office, actor=coordinator, spec=_spec(timezone.localdate() + dt.timedelta(days=30))
        )
        call = services.call_publish(call=call, actor=coordinator)
        made: list[tuple[DemoApplication, Application]] = []
        for spec in APPLICATIONS:
            applicant = applicants[spec.lead]
            application = services.application_start(call=call, actor=applicant, municipality=_municipality(spec.lead))
            application = _fill(application, spec, applicant)
            if not made:
                services.attachment_add(
                    application=application, actor=applicant, upload=_demo_pdf(), title=f"{DEMO}: prosjektplan"
                )
            if spec.end != "draft":
                application = services.application_submit(application=application, actor=applicant)
            made.append((spec, application))
        # Back to the call's 2025 deadline; the deadline task then closes it as it would have.
        Call.objects.filter(pk=call.pk).update(deadline=DEADLINE_2025)
        services.calls_close_due()
        for spec, application in made:
            _advance(spec, application, coordinator=coordinator, staff=staff, applicant=applicants[spec.lead])
    return Call.objects.get(pk=call.pk)


def _advance(spec: DemoApplication, application: Application, *, coordinator: Any, staff: Any, applicant: Any) -> None:
    end = spec.end
    if end in {"draft", "submitted"}:
        return
    if end == "withdrawn":
        services.application_withdraw(application=application, actor=applicant)
        return
    if end == "returned":
        services.application_return_for_correction(
            application=application, actor=staff, reason="Demonstrasjonstekst: budsjettet manglar detaljar."
        )
        return
    services.application_start_assessment(application=application, actor=staff)
    if end == "under_assessment":
        return
    if end == "info_requested":
        services.application_request_information(
            application=application, actor=staff, question="Demonstrasjonstekst: kven skal delta i prosjektet?"
        )
        return
    reduced = 800_000 if end == "approved_reduced" else None
    _review(application, staff, amount=reduced)
    services.application_recommend(application=application, actor=staff)
    if end == "recommended":
        return
    if end == "rejected":
        services.application_reject(
            application=application, actor=coordinator, reasons="Demonstrasjonstekst: andre søknader vart prioriterte."
        )
        return
    final_due = dt.date(2026, 10, 1) if reduced is None else dt.date(2027, 2, 1)
    services.application_approve(
        application=application,
        actor=coordinator,
        amount=reduced or application.amount_applied,
        reasons="Demonstrasjonstekst: prosjektet har god nytte og overføringsverdi.",
        conditions="Demonstrasjonstekst: prosjektet skal rapportere på bruk av midlane.",
        interim_report_due=dt.date(2026, 6, 1),
        final_report_due=final_due,
    )
    services.application_set_publication(application=application, actor=staff, publish=True)
    project = Application.objects.get(pk=application.pk).project
    interim = project.reports.get(kind="interim")
    _report(interim, applicant, staff, spent=project.amount_awarded // 2)
    if reduced is None:
        _report(project.reports.get(kind="final"), applicant, staff, spent=project.amount_awarded)
        services.project_close(project=project, actor=staff)
        for attachment in application.attachments.all():
            services.attachment_set_publication(attachment=attachment, actor=staff, publish=True)
