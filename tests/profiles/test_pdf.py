from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.test import Client
from pypdf import PdfReader

from kommunedialog.profiles import pdf
from tests.scenario import make_scenario

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario(settings, tmp_path: Path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return make_scenario()


def pdf_text(body: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)


def test_the_pdf_has_the_same_content_in_the_municipalitys_language(scenario):
    response = Client().get("/kommuner/1133/kommunebilde.pdf")
    assert (response.status_code, response.headers["Content-Type"]) == (200, "application/pdf")
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF-")
    text = pdf_text(body)
    # Hjelmeland writes nynorsk.
    assert "Kommunebilete for Hjelmeland" in text
    assert "Scenario: published overall picture." in text
    assert "rangere kommunar mot kvarandre" in text
    assert text.count("God kompetanse, kapasitet og kvalitet") == 10
    root = PdfReader(io.BytesIO(body)).trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])  # a tagged PDF, with a structure tree for assistive technology
    assert "/StructTreeRoot" in root
    assert b"pdfuaid:part" in root["/Metadata"].get_object().get_data()  # declared PDF/UA-1
    assert root["/Lang"] == "nn"


def test_the_pdf_is_cached_by_the_snapshot_hash(scenario):
    snap = scenario["published_snapshot"]
    Client().get("/kommuner/1133/kommunebilde.pdf")
    path = pdf.cache_path(snap, "nn")
    assert path.name == f"{snap.content_hash}-nn.pdf"
    first = path.stat().st_mtime_ns
    Client().get("/kommuner/1133/kommunebilde.pdf")
    assert path.stat().st_mtime_ns == first


def test_rendering_fetches_nothing_from_disk_or_network():
    for url in ("file:///etc/passwd", "https://example.org/logo.png", "http://127.0.0.1/x.css"):
        with pytest.raises(pdf.RefusedFetch):
            pdf.refuse_fetch(url)


def test_no_pdf_without_a_published_kommunebilde(scenario):
    assert Client().get("/kommuner/1134/kommunebilde.pdf").status_code == 404


@pytest.mark.parametrize(
    ("language", "title", "published", "good"),
    [
        ("nb", "Kommunebilde for Hjelmeland", "Publisert 4. desember 2026.", "✔ God kompetanse, kapasitet og kvalitet"),
        (
            "nn",
            "Kommunebilete for Hjelmeland",
            "Publisert 4. desember 2026.",
            "✔ God kompetanse, kapasitet og kvalitet",
        ),
        ("en", "Kommunebilde for Hjelmeland", "Published 4 December 2026.", "✔ Good competence, capacity and quality"),
    ],
)
def test_the_pdf_speaks_the_readers_language(scenario, language, title, published, good):
    import datetime as dt

    from django.template.loader import render_to_string
    from django.utils import timezone, translation

    snap = scenario["published_snapshot"]
    snap.published_at = dt.datetime(2026, 12, 4, 12, tzinfo=timezone.get_current_timezone())
    with translation.override(language):
        html = render_to_string(
            "profiles/pdf.html", {"snap": snap, "content": snap.content, "symbol": pdf.SYMBOL, "language": language}
        )
    text = " ".join(html.split())
    assert f"<h1>{title}</h1>" in text
    assert published in text
    assert good in text
    assert "2026-12-04" not in text
