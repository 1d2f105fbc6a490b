"""Comparison groups (peer sets): an office or a municipality names a set of municipalities it finds
comparable and sees the catalogue's figures for them side by side — alphabetically, never ranked.

An office's staff and coordinators see and change their office's groups; a municipality's users their
municipality's. Anyone else gets 404 (``peer_set_for``). Each change is one service, audited.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from kommunedialog.accounts import access
from kommunedialog.accounts.access import Viewer
from kommunedialog.core import audit
from kommunedialog.core.actors import Person
from kommunedialog.core.audit import AuditAction
from kommunedialog.core.domains import Domain
from kommunedialog.core.refusal import Refused
from kommunedialog.registry.models import Municipality, Office
from kommunedialog.statistics import catalogue
from kommunedialog.statistics.catalogue import Evidence, Indicator
from kommunedialog.statistics.models import PeerSet
from kommunedialog.statistics.queries import Figure, _figures

MIN_MEMBERS = 2
MAX_MEMBERS = 30

type Owner = Office | Municipality


# ── Who may see what ────────────────────────────────────────────────────────────────────────────────
def visible_to(user: Viewer) -> QuerySet[PeerSet]:
    """The groups of the user's offices (staff, coordinator) and municipalities (municipality user)."""
    offices = access.offices_for(user)
    municipalities = access.municipality_ids_for(user)
    if not offices and not municipalities:
        return PeerSet.objects.none()
    return (
        PeerSet.objects.filter(Q(office__in=offices) | Q(owner_municipality__in=municipalities))
        .select_related("office", "owner_municipality")
        .prefetch_related("members")
    )


def peer_set_for(user: Viewer, pk: int) -> PeerSet:
    found = visible_to(user).filter(pk=pk).first()
    if found is None:
        raise Http404("No such comparison group")
    return found


def owners_for(user: Viewer) -> list[Owner]:
    """What the user may make a group for: their offices, then their municipalities."""
    offices = list(Office.objects.filter(pk__in=access.offices_for(user)).order_by("name"))
    municipalities = list(
        Municipality.objects.current().filter(pk__in=access.municipality_ids_for(user)).order_by("name_norwegian")
    )
    return [*offices, *municipalities]


def owner_key(owner: Owner) -> str:
    return f"office:{owner.pk}" if isinstance(owner, Office) else f"municipality:{owner.pk}"


# ── Changes ─────────────────────────────────────────────────────────────────────────────────────────
def _check(name: str, members: list[Municipality]) -> None:
    if not name.strip():
        raise Refused(_("Give the group a name."), field="name")
    if len(members) < MIN_MEMBERS:
        raise Refused(_("Choose at least two municipalities."), field="members")
    if len(members) > MAX_MEMBERS:
        raise Refused(_("Choose at most %(count)s municipalities.") % {"count": MAX_MEMBERS}, field="members")


def _snapshot(peer_set: PeerSet) -> dict[str, object]:
    return {
        "name": peer_set.name,
        "note": peer_set.note,
        "members": sorted(peer_set.members.values_list("number", flat=True)),
    }


def peer_set_create(*, actor: Person, owner: Owner, name: str, members: list[Municipality], note: str = "") -> PeerSet:
    if owner_key(owner) not in {owner_key(o) for o in owners_for(actor)}:
        raise Refused(_("You can only make groups for your own office or municipality."), field="owner")
    _check(name, members)
    with transaction.atomic():
        peer_set = PeerSet.objects.create(
            name=name.strip(),
            note=note.strip(),
            office=owner if isinstance(owner, Office) else None,
            owner_municipality=owner if isinstance(owner, Municipality) else None,
        )
        peer_set.members.set(members)
        audit.record(actor=actor, obj=peer_set, action=AuditAction.PEER_SET_CREATE, after=_snapshot(peer_set))
    return peer_set


def peer_set_update(
    *, actor: Person, peer_set: PeerSet, name: str, members: list[Municipality], note: str = ""
) -> PeerSet:
    _check(name, members)
    with transaction.atomic():
        locked = peer_set_for(actor, peer_set.pk)
        locked = PeerSet.objects.select_for_update().get(pk=locked.pk)
        before = _snapshot(locked)
        locked.name, locked.note = name.strip(), note.strip()
        locked.save(update_fields=["name", "note", "updated_at"])
        locked.members.set(members)
        old, new = audit.changed_fields(before, _snapshot(locked))
        audit.record(actor=actor, obj=locked, action=AuditAction.PEER_SET_UPDATE, before=old, after=new)
    return locked


def peer_set_delete(*, actor: Person, peer_set: PeerSet) -> None:
    with transaction.atomic():
        locked = PeerSet.objects.select_for_update().get(pk=peer_set_for(actor, peer_set.pk).pk)
        audit.record(actor=actor, obj=locked, action=AuditAction.PEER_SET_DELETE, before=_snapshot(locked))
        locked.delete()


# ── Side by side ────────────────────────────────────────────────────────────────────────────────────
@dataclass(frozen=True)
class Row:
    indicator: Indicator
    year: int
    values: list[float | None]  # in the members' (alphabetical) order


@dataclass
class DomainRows:
    domain: Domain
    rows: list[Row]


def side_by_side(peer_set: PeerSet) -> tuple[list[Municipality], list[DomainRows]]:
    """The members alphabetically, and per domain each indicator's figures in the latest year any member
    has one (a member without a figure that year shows none; nothing is filled in or ranked)."""
    members = sorted(
        peer_set.members.filter(valid_to__isnull=True).select_related("kostra_group"),
        key=lambda m: (m.name_norwegian, m.number),
    )
    indicators = [i for i in catalogue.indicators() if i.evidence is not Evidence.OTHER]
    per_member: list[dict[str, dict[int, Figure]]] = []
    for m in members:
        figures = _figures(m, indicators)[0]
        per_member.append({k: {f.year: f for f in found if f.value is not None} for k, found in figures.items()})
    domains = []
    for domain in Domain:
        rows = []
        for indicator in (i for i in indicators if i.domain == domain):
            years = {y for figures in per_member for y in figures.get(indicator.key, {})}
            if not years:
                continue
            year = max(years)
            values = [
                f.value if (f := figures.get(indicator.key, {}).get(year)) is not None else None
                for figures in per_member
            ]
            rows.append(Row(indicator, year, values))
        if rows:
            domains.append(DomainRows(domain, rows))
    return members, domains
