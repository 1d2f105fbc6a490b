from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from kommunedialog.core.models import AuditEvent, StoredFile
from kommunedialog.core.uploads import DOCUMENTS, UploadRejected, detect_kind, file_response, stored_file_create
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def english():
    # Messages are asserted in English here; the bokmål and nynorsk texts are checked by the catalogue test.
    with translation.override("en"):
        yield


PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def xlsx_bytes() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(["kommunenummer", "år"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("rapport.pdf", PDF, "pdf"),
        ("kart.PNG", PNG, "png"),
        ("søknad.docx", docx_bytes(), "docx"),
        ("tall.xlsx", xlsx_bytes(), "xlsx"),
        ("tall.csv", "kommune;år\nHjelmeland;2024\n".encode("iso-8859-1"), "csv"),
    ],
)
def test_accepted_files_are_recognised_by_content(name, content, kind):
    assert detect_kind(SimpleUploadedFile(name, content), allowed=["pdf", "png", "docx", "xlsx", "csv"]).key == kind


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("rapport.pdf", b"MZ\x90\x00" + b"\x00" * 60, "is not a file of an accepted type"),  # a program renamed .pdf
        ("rapport.pdf", docx_bytes(), "is not a file of an accepted type"),  # a Word file renamed .pdf
        ("rapport.docx", PDF, "is not a file of an accepted type"),
        ("rapport.docx", b"PK\x03\x04 broken zip", "is not a file of an accepted type"),
        ("rapport", PDF, "is not a file of an accepted type"),
        ("tom.pdf", b"", "The file is empty."),
    ],
)
def test_rejected_files_say_why(name, content, message):
    with pytest.raises(UploadRejected, match=message):
        detect_kind(SimpleUploadedFile(name, content), allowed=DOCUMENTS)


def test_oversized_files_are_refused_with_both_sizes():
    big = SimpleUploadedFile("stor.pdf", PDF + b"0" * 2_500_000)
    with pytest.raises(UploadRejected, match=r"The file is 2.5 MB; the limit is 2.0 MB."):
        detect_kind(big, allowed=["pdf"], max_bytes=2_000_000)


@pytest.mark.django_db
def test_stored_files_live_outside_the_web_root_and_are_audited(settings, tmp_path: Path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    user = UserFactory()
    stored = stored_file_create(actor=user, upload=SimpleUploadedFile("Rapport 2024.pdf", PDF), allowed=["pdf"])
    path = Path(stored.file.path)
    assert path.read_bytes() == PDF
    assert path.is_relative_to(settings.MEDIA_ROOT)
    assert not path.is_relative_to(Path(settings.STATIC_ROOT))
    assert (stored.original_name, stored.kind, stored.size) == ("Rapport_2024.pdf", "pdf", len(PDF))
    assert AuditEvent.objects.get(action="file_upload").after == {
        "name": "Rapport_2024.pdf",
        "kind": "pdf",
        "size": len(PDF),
    }
    response = file_response(stored)
    assert response.headers["Content-Disposition"] == 'attachment; filename="Rapport_2024.pdf"'
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF


@pytest.mark.django_db
def test_a_refused_upload_stores_nothing(settings, tmp_path: Path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    with pytest.raises(UploadRejected):
        stored_file_create(actor=UserFactory(), upload=SimpleUploadedFile("x.pdf", b"not a pdf"), allowed=["pdf"])
    assert StoredFile.objects.count() == 0
    assert not (tmp_path / "uploads").exists() or list((tmp_path / "uploads").rglob("*.*")) == []
    assert not AuditEvent.objects.filter(action="file_upload").exists()


def test_no_url_serves_the_upload_folder():
    from django.urls import Resolver404, resolve

    assert not settings.MEDIA_URL or settings.MEDIA_URL == "/"
    relative = "2026/11/Rapport_2024.pdf"
    with pytest.raises(Resolver404):
        resolve("/" + relative)
    with pytest.raises(Resolver404):
        resolve("/media/" + relative)


def test_a_300_character_name_is_shortened_keeping_its_extension(db):
    from kommunedialog.core.uploads import shortened, stored_file_create
    from tests.factories import UserFactory

    long_name = "Merknader til kommunebildet " + "x" * 268 + ".pdf"
    assert len(long_name) == 300
    stored = stored_file_create(
        actor=UserFactory(role="municipality_user", municipality="1133"),
        upload=SimpleUploadedFile(long_name, b"%PDF-1.7\n%long\n%%EOF\n"),
        allowed=["pdf"],
    )
    assert (len(stored.original_name), stored.original_name[-4:]) == (200, ".pdf")
    assert stored.original_name.startswith("Merknader_til_kommunebildet_xxx")
    assert (len(stored.file.name) <= 100, stored.file.name[-4:]) == (True, ".pdf")
    assert shortened("rapport.pdf", 200) == "rapport.pdf"
    assert shortened("a" * 20 + ".docx", 10) == "aaaaa.docx"
