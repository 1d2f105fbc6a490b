"""The decision letter as PDF: WeasyPrint, tagged PDF/UA, in the municipality's målform as fixed at the
decision, fetching nothing from disk or network, and cached by a hash of its HTML."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from kommunedialog.grants.models import Decision

PRINT_CSS = """
@page { size: A4; margin: 22mm 20mm; @bottom-right { content: counter(page) " / " counter(pages); font-size: 9pt; } }
body { font-family: "DejaVu Sans", "Liberation Sans", sans-serif; font-size: 10.5pt; line-height: 1.45; color: #1e2b3c; }
h1 { font-size: 17pt; margin: 8mm 0 4mm; } h2 { font-size: 12.5pt; margin: 6mm 0 2mm; }
.sender, .recipient { margin: 0; } .meta { margin-top: 6mm; }
table { border-collapse: collapse; margin-top: 2mm; } th, td { text-align: left; padding: 1mm 4mm 1mm 0; vertical-align: top; }
.outcome { font-weight: bold; }
"""


class RefusedFetch(ValueError):
    pass


def refuse_fetch(url: str, *args: Any, **kwargs: Any) -> Any:
    """The letter is self-contained: rendering it never reads a file or calls out."""
    raise RefusedFetch(f"The decision letter fetches nothing; refused {url[:80]!r}")


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
                "language": decision.language,
            },
        )


def cache_path(decision: Decision) -> Path:
    """Named by a hash of the letter's HTML: what is cached is exactly what would be rendered now."""
    digest = hashlib.sha256(_html(decision).encode()).hexdigest()[:20]
    return Path(settings.MEDIA_ROOT) / "grant-letters" / f"decision-{decision.pk}-{digest}.pdf"


def render(decision: Decision) -> bytes:
    import weasyprint  # imported here: loading it (and its system libraries) is needed only to render

    document = weasyprint.HTML(string=_html(decision), url_fetcher=refuse_fetch, base_url=None)
    pdf: bytes = document.write_pdf(stylesheets=[weasyprint.CSS(string=PRINT_CSS)], pdf_variant="pdf/ua-1")
    return pdf


def cached_pdf(decision: Decision) -> Path:
    """The letter's file, rendered first if missing."""
    path = cache_path(decision)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".part")
        partial.write_bytes(render(decision))
        partial.replace(path)  # atomic: a reader never sees half a file
    return path
