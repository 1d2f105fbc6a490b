"""The decision letter as PDF: WeasyPrint, tagged PDF/UA, in the municipality's målform as fixed at the
decision, fetching nothing from disk or network, and cached by a hash of its HTML."""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from kommunedialog.core.pdf import RefusedFetch, cached_file, html_to_pdf, refuse_fetch
from kommunedialog.grants.models import Decision

__all__ = ["RefusedFetch", "cache_path", "cached_pdf", "refuse_fetch", "render"]

PRINT_CSS = """
@page { size: A4; margin: 22mm 20mm; @bottom-right { content: counter(page) " / " counter(pages); font-size: 9pt; } }
body { font-family: "DejaVu Sans", "Liberation Sans", sans-serif; font-size: 10.5pt; line-height: 1.45; color: #1e2b3c; }
h1 { font-size: 17pt; margin: 8mm 0 4mm; } h2 { font-size: 12.5pt; margin: 6mm 0 2mm; }
.sender, .recipient { margin: 0; } .meta { margin-top: 6mm; } .rights { margin-top: 6mm; }
table { border-collapse: collapse; margin-top: 2mm; } th, td { text-align: left; padding: 1mm 4mm 1mm 0; vertical-align: top; }
.outcome { font-weight: bold; }
"""


def _html(decision: Decision) -> str:
    application = decision.application
    with translation.override(decision.language):
        return render_to_string(
            "grants/letter.html",
            {
                "decision": decision,
                "application": application,
                "call": application.call,
                "project": getattr(application, "project", None),
                "partners": list(application.partners.order_by("name_norwegian")),
                "criteria": list(application.call.criteria.all()),
                "language": decision.language,
            },
        )


def _path(html: str, decision: Decision) -> Path:
    """Named by a hash of the letter's HTML: what is cached is exactly what would be rendered now."""
    digest = hashlib.sha256(html.encode()).hexdigest()[:20]
    return Path(settings.MEDIA_ROOT) / "grant-letters" / f"decision-{decision.pk}-{digest}.pdf"


def cache_path(decision: Decision) -> Path:
    return _path(_html(decision), decision)


def render(decision: Decision) -> bytes:
    return html_to_pdf(_html(decision), PRINT_CSS)


def cached_pdf(decision: Decision) -> Path:
    """The letter's file, rendered first if missing (from the same HTML that named it)."""
    html = _html(decision)
    return cached_file(_path(html, decision), lambda: html_to_pdf(html, PRINT_CSS))
