"""Comparison groups: an office or a municipality names comparable municipalities and sees the indicators
side by side, alphabetically; each group is seen and changed by its owner only; every change audited,
every refusal changes nothing."""

from __future__ import annotations

import pytest
from django.http import Http404

from kommunedialog.core.models import AuditEvent
from kommunedialog.core.refusal import Refused
from kommunedialog.profiles import peersets
from kommunedialog.registry.models import Municipality, Office
from kommunedialog.statistics.models import PeerSet
from tests.factories import UserFactory
from tests.statistics.test_importers import OMSORG, store

pytestmark = pytest.mark.django_db


def municipalities(*numbers: str) -> list[Municipality]:
    return list(Municipality.objects.current().filter(number__in=numbers))


@pytest.fixture
def rogaland() -> Office:
    return Office.objects.get(code="rogaland")


def test_an_office_makes_a_group_and_sees_the_figures_side_by_side_alphabetically(client, rogaland):
    store(OMSORG)
    staff = UserFactory(role="staff", office="rogaland")
    group = peersets.peer_set_create(
        actor=staff, owner=rogaland, name="Ryfylke", members=municipalities("1134", "1130", "1133")
    )
    event = AuditEvent.objects.get(action="peer_set_create")
    assert event.after == {"name": "Ryfylke", "note": "", "members": ["1130", "1133", "1134"]}
    members, domains = peersets.side_by_side(group)
    assert [m.name_norwegian for m in members] == ["Hjelmeland", "Strand", "Suldal"]
    population = next(r for d in domains for r in d.rows if r.indicator.key == "population")
    assert (population.year, population.values) == (2025, [2681.0, 13813.0, 3939.0])
    client.force_login(staff)
    page = client.get(f"/intern/sammenligningsgrupper/{group.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    text = page.content.decode()
    assert text.index(">Hjelmeland</th>") < text.index(">Strand</th>") < text.index(">Suldal</th>")


def test_the_form_creates_changes_and_deletes_a_group_without_javascript(client, rogaland):
    staff = UserFactory(role="staff", office="rogaland")
    client.force_login(staff)
    response = client.post(
        "/intern/sammenligningsgrupper/ny/",
        {"owner": f"office:{rogaland.pk}", "name": "Nord-Rogaland", "members": ["1133", "1134"], "note": ""},
    )
    group = PeerSet.objects.get()
    assert response["Location"] == f"/intern/sammenligningsgrupper/{group.pk}/"
    assert (group.office, sorted(group.members.values_list("number", flat=True))) == (rogaland, ["1133", "1134"])
    client.post(
        f"/intern/sammenligningsgrupper/{group.pk}/endre/",
        {"name": "Nord-Rogaland", "members": ["1133", "1134", "1130"], "note": "Same size"},
    )
    group.refresh_from_db()
    assert (group.note, group.members.count()) == ("Same size", 3)
    assert AuditEvent.objects.get(action="peer_set_update").after == {
        "members": ["1130", "1133", "1134"],
        "note": "Same size",
    }
    client.post(f"/intern/sammenligningsgrupper/{group.pk}/slett/")
    assert PeerSet.objects.count() == 0
    assert AuditEvent.objects.filter(action="peer_set_delete").count() == 1


def test_one_municipality_is_not_a_group_and_nothing_is_stored(client, rogaland):
    client.force_login(UserFactory(role="staff", office="rogaland"))
    response = client.post(
        "/intern/sammenligningsgrupper/ny/",
        {"owner": f"office:{rogaland.pk}", "name": "Alone", "members": ["1133"]},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "Choose at least two municipalities." in response.content.decode()
    assert (PeerSet.objects.count(), AuditEvent.objects.filter(action="peer_set_create").count()) == (0, 0)


def test_a_group_is_seen_and_changed_by_its_owner_only(client, rogaland):
    members = municipalities("1133", "1134")
    office_group = peersets.peer_set_create(
        actor=UserFactory(role="staff", office="rogaland"), owner=rogaland, name="Office's", members=members
    )
    hjelmeland = Municipality.objects.current().get(number="1133")
    own_user = UserFactory(role="municipality_user", municipality="1133")
    municipality_group = peersets.peer_set_create(actor=own_user, owner=hjelmeland, name="Ours", members=members)
    assert list(peersets.visible_to(own_user)) == [municipality_group]
    other_staff = UserFactory(role="staff", office="vestland")
    suldal_user = UserFactory(role="municipality_user", municipality="1134")
    for outsider, group in [(other_staff, office_group), (suldal_user, municipality_group), (own_user, office_group)]:
        with pytest.raises(Http404):
            peersets.peer_set_for(outsider, group.pk)
        client.force_login(outsider)
        assert client.get(f"/intern/sammenligningsgrupper/{group.pk}/").status_code == 404
        assert client.post(f"/intern/sammenligningsgrupper/{group.pk}/slett/").status_code == 404
    assert PeerSet.objects.count() == 2
    # A municipality user cannot make a group in an office's name.
    with pytest.raises(Refused):
        peersets.peer_set_create(actor=own_user, owner=rogaland, name="Not ours", members=members)
    assert PeerSet.objects.count() == 2
    assert AuditEvent.objects.filter(action="peer_set_delete").count() == 0
