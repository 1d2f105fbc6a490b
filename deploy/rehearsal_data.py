"""What the production rehearsal (deploy/rehearse.py) needs in its fresh database: the register, a
coordinator with a password made for this run, and Hjelmeland's kommunebilde filled in and through its
meeting, ready to be published from the coordinator's page. Run by the rehearsal with the rehearsal's
database; prints what it made as JSON. Texts say they are rehearsal texts."""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from kommunedialog.accounts import services as account_services  # noqa: E402
from kommunedialog.accounts.models import Role  # noqa: E402
from kommunedialog.core.actors import SYSTEM  # noqa: E402
from kommunedialog.profiles import services  # noqa: E402
from kommunedialog.profiles.models import Rating  # noqa: E402
from kommunedialog.registry.models import Office  # noqa: E402

MUNICIPALITY = "1133"  # Hjelmeland


def main() -> None:
    username, password = os.environ["REHEARSAL_USERNAME"], os.environ["REHEARSAL_PASSWORD"]
    call_command("import_registry", source=settings.SHARED_DATA_DIR, stdout=open(os.devnull, "w"))  # noqa: SIM115
    office = Office.objects.get(code="rogaland")
    coordinator = account_services.user_create_local(
        actor=SYSTEM, username=username, password=password, full_name="Rehearsal Coordinator"
    )
    account_services.role_grant(actor=SYSTEM, user=coordinator, role=Role.COORDINATOR, office=office)
    # Someone other than the author approves: a member of staff writes the kommunebilde.
    staff = account_services.user_create_local(
        actor=SYSTEM, username=f"{username}-staff", password=secrets.token_urlsafe(24), full_name="Rehearsal Staff"
    )
    account_services.role_grant(actor=SYSTEM, user=staff, role=Role.STAFF, office=office)
    cycle = services.cycle_open(office=office, actor=coordinator, name="Kommunebilde (rehearsal)", year=2026)
    profile = cycle.profiles.get(municipality__number=MUNICIPALITY)
    services.profile_update_texts(
        profile=profile,
        actor=staff,
        expected_version=profile.version,
        overall_picture="Rehearsal text: the overall picture.",
        dialogue_topics="Rehearsal text.",
    )
    for assessment in profile.assessments.all():
        rating = Rating.GOOD
        departs = services.signal_for_assessment(assessment).departs(rating)
        services.assessment_update(
            assessment=assessment,
            actor=staff,
            expected_version=assessment.version,
            rating=rating,
            justification="Rehearsal text.",
            departure_reason="Rehearsal text: the reason to depart." if departs else "",
        )
    profile.refresh_from_db()
    profile = services.profile_submit_for_review(profile=profile, actor=staff)
    deadline = timezone.localdate() + dt.timedelta(weeks=3)
    profile = services.profile_send_on_consultation(profile=profile, actor=coordinator, deadline=deadline)
    profile = services.profile_close_consultation(profile=profile, actor=coordinator)
    profile = services.profile_record_meeting(profile=profile, actor=coordinator, held_on=timezone.localdate())
    print(json.dumps({"profile_id": profile.pk, "municipality": MUNICIPALITY, "state": profile.state}))


if __name__ == "__main__":
    main()
