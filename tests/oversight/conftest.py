from __future__ import annotations

import datetime as dt
import io
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from kommunedialog.core.models import AuditEvent
from kommunedialog.oversight.models import ComplaintStatistic, Cooperation, Finding, Plan, RobekEntry, Supervision
from kommunedialog.registry.models import Municipality, Office

SUPERVISION_HEADER = [
    "municipality",
    "domain",
    "authority",
    "reference",
    "topic",
    "type",
    "planned",
    "carried_out",
    "report_date",
    "nonconformities",
    "remarks",
    "nonconformity_texts",
    "remark_texts",
    "status",
    "closed",
    "report_url",
]


def supervision_row(**overrides: Any) -> list[Any]:
    row = {
        "municipality": "1133",
        "domain": "helse og omsorg",
        "authority": "statsforvalteren",
        "reference": "2025/101",
        "topic": "Legemiddelhåndtering",
        "type": "systemrevisjon",
        "planned": "2025-09-01",
        "carried_out": "14.10.2025",
        "report_date": "2025-11-20",
        "nonconformities": "1",
        "remarks": "2",
        "nonconformity_texts": "Legemidler gis ikke etter forordning",
        "remark_texts": "Opplæringsplan | Avviksrutine",
        "status": "åpen",
        "closed": "",
        "report_url": "https://www.statsforvalteren.no/rapport",
    }
    row.update(overrides)
    return [row[h] for h in SUPERVISION_HEADER]


def csv_text(header: list[str], rows: list[list[Any]], delimiter: str = ";") -> bytes:
    lines = [delimiter.join(header)] + [delimiter.join("" if v is None else str(v) for v in r) for r in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def xlsx_content(header: list[str], rows: list[list[Any]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def counts() -> dict[str, int]:
    return {
        "supervisions": Supervision.objects.count(),
        "findings": Finding.objects.count(),
        "complaints": ComplaintStatistic.objects.count(),
        "plans": Plan.objects.count(),
        "robek": RobekEntry.objects.count(),
        "cooperations": Cooperation.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


@pytest.fixture(autouse=True)
def in_english():  # type: ignore[no-untyped-def]
    """Messages are asserted in English (the msgids), whatever translations the catalogues hold."""
    with translation.override("en"):
        yield


@pytest.fixture
def rogaland(db) -> Office:  # type: ignore[no-untyped-def]
    return Office.objects.get(code="rogaland")


@pytest.fixture
def hjelmeland(db) -> Municipality:  # type: ignore[no-untyped-def]
    return Municipality.objects.current().get(number="1133")


@pytest.fixture
def suldal(db) -> Municipality:  # type: ignore[no-untyped-def]
    return Municipality.objects.current().get(number="1134")


TODAY = dt.date(2026, 5, 1)
