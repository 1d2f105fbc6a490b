from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from kommunedialog.core import audit
from kommunedialog.core.actors import SYSTEM
from kommunedialog.core.audit import AuditAction
from kommunedialog.core.models import AuditEvent, AuditLogIsAppendOnly
from kommunedialog.registry.models import Office

pytestmark = pytest.mark.django_db


def test_events_cannot_be_changed_or_deleted():
    office = Office.objects.get(code="agder")
    event = audit.record(actor=SYSTEM, obj=office, action=AuditAction.LEAK_PROBE, after={"x": 1})
    event.action = "rewritten"
    with pytest.raises(AuditLogIsAppendOnly):
        event.save()
    with pytest.raises(AuditLogIsAppendOnly):
        event.delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).update(action="rewritten")
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).action == AuditAction.LEAK_PROBE


def test_anonymous_users_cannot_be_recorded_as_actors():
    office = Office.objects.get(code="agder")
    with pytest.raises(TypeError, match=r"^Only a signed-in person or the system changes anything$"):
        audit.record(actor=AnonymousUser(), obj=office, action=AuditAction.LEAK_PROBE)
    assert not AuditEvent.objects.filter(action=AuditAction.LEAK_PROBE).exists()


def test_changed_fields_keeps_only_differences():
    assert audit.changed_fields({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": 4}) == ({"b": 2, "c": None}, {"b": 3, "c": 4})
