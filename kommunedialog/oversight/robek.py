"""ROBEK, the ministry's register of municipalities under state financial control (kommuneloven
§ 28-1), read from its published list (../shared/data/robek/robek-<date>.json, read in place).

Each import is one publication of the register. A municipality it lists has an open entry (created
when it first appears); an open entry for a municipality it no longer lists is closed on the
publication date. Importing the same publication again writes nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kommunedialog.core import audit
from kommunedialog.core.actors import Actor
from kommunedialog.core.audit import AuditAction
from kommunedialog.oversight.models import RobekEntry, RobekGround
from kommunedialog.oversight.services import ImportResult
from kommunedialog.oversight.tabular import ImportRejected, RowError
from kommunedialog.registry.models import Municipality


def default_register_file() -> Path:
    """The newest register file in SHARED_DATA_DIR/robek."""
    files = sorted((Path(settings.SHARED_DATA_DIR) / "robek").glob("robek-*.json"))
    if not files:
        raise FileNotFoundError(f"No ROBEK register file in {Path(settings.SHARED_DATA_DIR) / 'robek'}")
    return files[-1]


@dataclass(frozen=True)
class RobekListing:
    line: int  # position in the file's list, 1-based, for error messages
    number: str
    name: str
    grounds: tuple[str, ...]


@dataclass(frozen=True)
class RobekRegister:
    published_on: dt.date
    source_url: str
    listings: tuple[RobekListing, ...]


def parse_grounds(text: str) -> tuple[str, ...] | None:
    """ "a, b, c og d" → ("a", "b", "c", "d"); None when anything else is in the text."""
    parts = [p for p in re.split(r"\s*(?:,|\bog\b|\band\b)\s*", text.strip().lower()) if p]
    valid = {g.value for g in RobekGround}
    if not parts or any(p not in valid for p in parts):
        return None
    return tuple(sorted(set(parts)))


def read_register(path: Path) -> RobekRegister:
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        published_on = dt.date.fromisoformat(data["publisert"])
        rows = data["kommuner"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ImportRejected(
            [RowError(0, _("The register file could not be read: %(error)s") % {"error": exc})]
        ) from exc
    errors: list[RowError] = []
    listings = []
    for index, row in enumerate(rows, start=1):
        number = str(row.get("kommunenummer") or "").strip()
        grounds = parse_grounds(str(row.get("hjemmel") or ""))
        if not re.fullmatch(r"\d{4}", number):
            errors.append(RowError(index, _("“%(value)s” is not a municipality number.") % {"value": number}))
        if grounds is None:
            errors.append(RowError(index, _("Unknown legal ground “%(value)s”.") % {"value": row.get("hjemmel")}))
        if number and grounds is not None:
            listings.append(RobekListing(index, number, str(row.get("kommune") or ""), grounds))
    if errors:
        raise ImportRejected(errors)
    return RobekRegister(published_on, str(data.get("kildeUrl") or ""), tuple(listings))


def robek_import(*, actor: Actor, register: RobekRegister) -> ImportResult:
    """Bring ROBEK in line with one publication of the register; all or nothing."""
    municipalities = {m.number: m for m in Municipality.objects.valid_on(register.published_on)}
    errors = [
        RowError(
            listing.line,
            _("%(number)s %(name)s was not a municipality on %(date)s.")
            % {"number": listing.number, "name": listing.name, "date": date_format(register.published_on)},
        )
        for listing in register.listings
        if listing.number not in municipalities
    ]
    seen: dict[str, int] = {}
    for listing in register.listings:
        if listing.number in seen:
            errors.append(RowError(listing.line, _("Listed twice (also entry %(n)s).") % {"n": seen[listing.number]}))
        seen.setdefault(listing.number, listing.line)
    if errors:
        raise ImportRejected(errors)
    result = ImportResult()
    with transaction.atomic():
        open_entries = {e.municipality_id: e for e in RobekEntry.objects.select_for_update().filter(removed_on=None)}
        latest = max((e.last_listed_on for e in open_entries.values()), default=None)
        if latest is not None and register.published_on < latest:
            raise ImportRejected(
                [
                    RowError(
                        0,
                        _("This publication (%(date)s) is older than the one already imported (%(latest)s).")
                        % {"date": date_format(register.published_on), "latest": date_format(latest)},
                    )
                ]
            )
        listed_ids = set()
        for listing in register.listings:
            municipality = municipalities[listing.number]
            listed_ids.add(municipality.pk)
            grounds = ",".join(listing.grounds)
            entry = open_entries.get(municipality.pk)
            if entry is None:
                entry = RobekEntry.objects.create(
                    municipality=municipality,
                    grounds=grounds,
                    first_listed_on=register.published_on,
                    last_listed_on=register.published_on,
                    source_url=register.source_url,
                )
                audit.record(
                    actor=actor,
                    obj=entry,
                    action=AuditAction.ROBEK_IMPORT_CREATE,
                    after={"grounds": grounds, "first_listed_on": register.published_on.isoformat()},
                )
                result.counts["created"] += 1
                continue
            before = {"grounds": entry.grounds, "last_listed_on": entry.last_listed_on.isoformat()}
            after = {"grounds": grounds, "last_listed_on": register.published_on.isoformat()}
            if before == after:
                result.counts["unchanged"] += 1
                continue
            entry.grounds, entry.last_listed_on = grounds, register.published_on
            entry.source_url = register.source_url or entry.source_url
            entry.save(update_fields=["grounds", "last_listed_on", "source_url"])
            old, new = audit.changed_fields(before, after)
            audit.record(actor=actor, obj=entry, action=AuditAction.ROBEK_IMPORT_UPDATE, before=old, after=new)
            result.counts["updated"] += 1
        for municipality_id, entry in open_entries.items():
            if municipality_id in listed_ids:
                continue
            entry.removed_on = register.published_on
            entry.save(update_fields=["removed_on"])
            audit.record(
                actor=actor,
                obj=entry,
                action=AuditAction.ROBEK_IMPORT_REMOVE,
                before={"removed_on": None},
                after={"removed_on": register.published_on.isoformat()},
            )
            result.counts["updated"] += 1
    return result
