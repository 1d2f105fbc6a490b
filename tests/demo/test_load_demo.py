from __future__ import annotations

import pytest
from django.core.management import call_command

from kommunedialog.accounts.models import RoleAssignment, User
from kommunedialog.core.models import AuditEvent
from kommunedialog.profiles.models import FollowUpAction, Profile, PublishedProfile
from kommunedialog.profiles.states import State

pytestmark = pytest.mark.django_db


def test_load_demo_makes_users_and_kommunebilder_and_is_safe_to_run_twice(capsys):
    call_command("load_demo")
    out = capsys.readouterr().out
    assert "rogaland-koordinator" in out
    assert "password: kommunedialog-demo" in out
    assert set(RoleAssignment.objects.values_list("role", flat=True)) == {
        "admin",
        "ministry",
        "coordinator",
        "staff",
        "municipality_user",
    }
    published = PublishedProfile.objects.values_list("municipality__number", flat=True)
    assert sorted(published) == ["1127", "1130", "1133", "1134"]
    assert (
        Profile.objects.get(municipality__number="1135", cycle__name__contains="demonstrasjon").state
        == State.CONSULTATION
    )
    assert all("Demonstrasjonstekst" in s.content["overall_picture"] for s in PublishedProfile.objects.all())
    # Every municipality whose kommunebilde is on consultation has a demo user to answer it.
    on_consultation = set(
        Profile.objects.filter(state=State.CONSULTATION).values_list("municipality__number", flat=True)
    )
    with_user = set(
        RoleAssignment.objects.filter(role="municipality_user").values_list("municipality__number", flat=True)
    )
    assert on_consultation == {"1135"}
    assert on_consultation <= with_user
    # The published demo kommunebilder carry the actions agreed in their meetings.
    assert FollowUpAction.objects.filter(profile__municipality__number="1133").count() == 2
    # Learning from each other and feedback: two comparison groups, four answers, a lesson to read.
    from kommunedialog.grants import lessons
    from kommunedialog.publicsite.models import PageFeedback
    from kommunedialog.statistics.models import PeerSet

    assert sorted(PeerSet.objects.values_list("name", flat=True)) == ["Kommunar som liknar oss", "Ryfylke"]
    assert PageFeedback.objects.count() == 4
    assert len(lessons.search()) >= 1
    counts = (User.objects.count(), Profile.objects.count(), AuditEvent.objects.count())
    call_command("load_demo")
    assert (User.objects.count(), Profile.objects.count(), AuditEvent.objects.count()) == counts
