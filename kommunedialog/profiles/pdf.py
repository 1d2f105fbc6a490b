"""The PDF of a published kommunebilde: rendered by WeasyPrint from the frozen snapshot alone, tagged
as PDF/UA, fetching nothing from disk or network, and cached by the snapshot's content hash."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from kommunedialog.core.pdf import RefusedFetch, cached_file, html_to_pdf, refuse_fetch
from kommunedialog.profiles.models import PublishedProfile

PRINT_CSS = """
@page { size: A4; margin: 20mm 18mm; @bottom-right { content: counter(page) " / " counter(pages); font-size: 9pt; } }
body { font-family: "DejaVu Sans", "Liberation Sans", sans-serif; font-size: 10.5pt; line-height: 1.45; color: #1e2b3c; }
h1 { font-size: 20pt; margin: 0 0 4mm; } h2 { font-size: 14pt; margin: 7mm 0 2mm; } h3 { font-size: 12pt; margin: 5mm 0 1mm; }
.guard { border: 1px solid #8fa3b8; padding: 3mm 4mm; background: #eef3f8; }
.rating { font-weight: bold; } .rating-good { color: #06603a; } .rating-improvement { color: #7a4a00; }
.rating-vulnerable { color: #a3151b; } .rating-not_assessed { color: #4b5563; }
.domain { border-left: 2pt solid #c5d0dc; padding-left: 4mm; margin-top: 4mm; }
h4 { font-size: 10.5pt; margin: 3mm 0 1mm; } .statistics__indicator { break-inside: avoid; margin-top: 2mm; }
figure { margin: 1mm 0; } figure svg { width: 140mm; height: auto; } figcaption, .statistics__source { font-size: 8.5pt; color: #4b5563; }
table { border-collapse: collapse; font-size: 9pt; } caption { text-align: left; font-size: 9pt; }
th, td { border-bottom: 0.5pt solid #c5d0dc; padding: 0.6mm 2mm; text-align: left; }
"""
__all__ = ["RefusedFetch", "cache_path", "cached_pdf", "language_for", "refuse_fetch", "render"]
SYMBOL = {"good": "✔", "improvement": "▲", "vulnerable": "✖", "not_assessed": "–"}


def language_for(snapshot: PublishedProfile) -> str:
    """Written in the municipality's målform (språklova); neutral municipalities get bokmål."""
    return snapshot.municipality.written_language


def cache_path(snapshot: PublishedProfile, language: str) -> Path:
    return Path(settings.MEDIA_ROOT) / "kommunebilde-pdf" / f"{snapshot.content_hash}-{language}.pdf"


def render(snapshot: PublishedProfile, language: str) -> bytes:
    with translation.override(language):
        html = render_to_string(
            "profiles/pdf.html",
            {"snap": snapshot, "content": snapshot.content, "symbol": SYMBOL, "language": language},
        )
    return html_to_pdf(html, PRINT_CSS)


def cached_pdf(snapshot: PublishedProfile, language: str) -> Path:
    """The cached file, rendered first if missing. Same hash, same content: never rendered twice."""
    return cached_file(cache_path(snapshot, language), lambda: render(snapshot, language))
