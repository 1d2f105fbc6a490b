from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from kommunedialog.accounts import services
from kommunedialog.accounts.models import Role, User
from kommunedialog.core.actors import SYSTEM
from kommunedialog.grants.models import Call, Criterion
from kommunedialog.registry.models import Municipality, Office

PASSWORD = "correct-horse-battery-staple"


class UserFactory(DjangoModelFactory[User]):
    """A user, optionally with one role: ``UserFactory(role="staff", office="rogaland")`` or
    ``UserFactory(role="municipality_user", municipality="1133")``."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def role(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if not extracted:
            return
        office = self._office if hasattr(self, "_office") else None
        municipality = self._municipality if hasattr(self, "_municipality") else None
        services.role_grant(actor=SYSTEM, user=self, role=Role(extracted), office=office, municipality=municipality)

    @classmethod
    def _create(cls, model_class: type[User], *args: Any, **kwargs: Any) -> User:
        office_code = kwargs.pop("office", None)
        number = kwargs.pop("municipality", None)
        user = super()._create(model_class, *args, **kwargs)
        user._office = Office.objects.get(code=office_code) if office_code else None  # type: ignore[attr-defined]
        user._municipality = (  # type: ignore[attr-defined]
            Municipality.objects.current().get(number=number) if number else None
        )
        return user


# Prosjektskjønn: a call, and applications brought to any state through the services themselves.


def _grants() -> Any:
    from kommunedialog.grants import services

    return services


class CallFactory(DjangoModelFactory[Call]):
    """A call, published and open by default: ``CallFactory(office="vestland", state="draft")``. Two
    criteria weighted 60/40 unless ``criteria=[(name, weight), …]`` is given."""

    class Meta:
        model = Call
        skip_postgeneration_save = True

    year = 2026
    title_nb = factory.Sequence(lambda n: f"Utlysning {n}")
    title_nn = factory.Sequence(lambda n: f"Utlysing {n}")
    description_nb = "Skjønnsmidler til fornying og innovasjon."
    description_nn = "Skjønnsmidlar til fornying og innovasjon."
    frame = 10_000_000
    deadline = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=30))
    min_own_share_percent = 20
    min_amount = 100_000
    themes = factory.LazyFunction(lambda: ["digitalisation", "cooperation", "service_innovation"])
    state = "published"

    @factory.post_generation
    def criteria(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        for i, (name, weight) in enumerate(extracted or [("Nytte", 60), ("Gjennomføring", 40)], start=1):
            Criterion.objects.create(call=self, name_nb=name, name_nn=name, weight=weight, position=i)

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> Any:
        kwargs["office"] = Office.objects.get(code=kwargs.pop("office", "rogaland"))
        return super()._create(model_class, *args, **kwargs)


def complete_application(
    call: Any,
    *,
    applicant: User | None = None,
    municipality: str = "1133",
    partners: tuple[str, ...] = (),
    title: str = "Felles digital innbyggjarteneste",
    costs: tuple[tuple[str, int], ...] = (("Prosjektleiing", 300_000), ("Utvikling", 200_000)),
    own_share: int = 100_000,
    amount_applied: int = 400_000,
) -> Any:
    """A draft that satisfies every submission rule, filled in by a user of ``municipality``."""
    services = _grants()
    lead = Municipality.objects.current().get(number=municipality)
    applicant = applicant or UserFactory(role="municipality_user", municipality=municipality)
    application = services.application_start(call=call, actor=applicant, municipality=lead)
    application = services.application_update(
        application=application,
        actor=applicant,
        expected_version=application.version,
        changes={
            "title": title,
            "summary": f"Samandrag: {title}.",
            "theme": call.themes[0],
            "challenges": "Utfordringar.",
            "goals": "Mål.",
            "sectors": ["health_care"],
            "instruments": "Verkemiddel.",
            "contact_name": "Kontakt Person",
            "contact_email": "kontakt@example.invalid",
            "period_start": dt.date(2026, 1, 1),
            "period_end": dt.date(2026, 12, 31),
        },
    )
    if partners:
        application = services.application_set_partners(
            application=application,
            actor=applicant,
            expected_version=application.version,
            partners=[Municipality.objects.current().get(number=n) for n in partners],
        )
    total = sum(amount for _, amount in costs)
    application = services.application_update_budget(
        application=application,
        actor=applicant,
        expected_version=application.version,
        lines=list(costs),
        own_share=own_share,
        other_funding=total - own_share - amount_applied,
        amount_applied=amount_applied,
    )
    return services.application_confirm(
        application=application,
        actor=applicant,
        expected_version=application.version,
        chief_executive_name="K. Direktør",
    )


def write_report(report: Any, applicant: User, *, money_spent: int | None = None, explanation: str = "") -> Any:
    """Fill in a report's required content, as the applicant would before submitting it; the money
    spent is the grant unless given (then a deviation may need ``explanation``)."""
    if money_spent is None:
        money_spent = report.project.amount_awarded
    return _grants().report_update(
        report=report,
        actor=applicant,
        expected_version=report.version,
        what_was_done="Vi har prøvd ut løysinga.",
        results="Kortare ventetid.",
        money_spent=money_spent,
        lessons_learned="Start tidleg.",
        spending_explanation=explanation,
    )


def close_call(call: Any) -> Any:
    """Move the deadline back a day and let the deadline task close the call, as it would at midnight."""
    type(call).objects.filter(pk=call.pk).update(deadline=timezone.localdate() - dt.timedelta(days=1))
    _grants().calls_close_due()
    call.refresh_from_db()
    return call


# The path through the workflow to each application state (the call must be closed before a decision).
PATHS = {
    "draft": [],
    "submitted": ["submit"],
    "returned": ["submit", "return_for_correction"],
    "withdrawn": ["submit", "withdraw"],
    "under_assessment": ["submit", "start_assessment"],
    "info_requested": ["submit", "start_assessment", "request_information"],
    "recommended": ["submit", "start_assessment", "review", "recommend"],
    "approved": ["submit", "start_assessment", "review", "recommend", "approve"],
    "rejected": ["submit", "start_assessment", "review", "recommend", "reject"],
}


def advance(application: Any, state: str, *, applicant: User, staff: User, coordinator: User | None = None) -> Any:
    """Take a complete application on to ``state`` through the services (reviewed by ``staff``), from
    wherever it is on the way there."""
    services = _grants()
    done = PATHS[application.state]
    assert PATHS[state][: len(done)] == done, f"{state} is not reached from {application.state}"
    for step in PATHS[state][len(done) :]:
        if step in {"submit", "withdraw"}:
            application = getattr(services, f"application_{step}")(application=application, actor=applicant)
        elif step == "return_for_correction":
            application = services.application_return_for_correction(
                application=application, actor=staff, reason="Rett budsjettet."
            )
        elif step == "request_information":
            application = services.application_request_information(
                application=application, actor=staff, question="Kven deltek?"
            )
        elif step == "review":
            services.review_declare(application=application, actor=staff, conflict=False)
            services.review_score(
                application=application,
                actor=staff,
                scores={c.pk: (4, "") for c in application.call.criteria.all()},
                recommendation="approve",
                recommended_amount=None,
                text="Tilrådd.",
            )
        elif step in {"approve", "reject"}:
            if application.call.state == "published":
                close_call(application.call)
            assert coordinator is not None
            if step == "approve":
                services.application_approve(
                    application=application,
                    actor=coordinator,
                    amount=application.amount_applied,
                    reasons="Godt prosjekt.",
                    interim_report_due=dt.date(2026, 6, 1),
                    final_report_due=dt.date(2027, 2, 1),
                )
            else:
                services.application_reject(application=application, actor=coordinator, reasons="Ikkje prioritert.")
            application = type(application).objects.get(pk=application.pk)
        else:
            application = getattr(services, f"application_{step}")(application=application, actor=staff)
    return application
