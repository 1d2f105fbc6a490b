"""The office's supervision plan as a PDF document: WeasyPrint through core.pdf (PDF/UA, fetching
nothing), rendered by a task in the worker and cached under a hash of the document's HTML, so the
same plan is never rendered twice and a changed plan is a new file."""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from kommunedialog.core.pdf import cached_file, html_to_pdf
from kommunedialog.profiles import supervision_plan
from kommunedialog.profiles.pdf import PRINT_CSS
from kommunedialog.registry.models import Office


def html(office: Office, year: int, language: str) -> str:
    plan = supervision_plan.build(office, year=year)
    with translation.override(language):
        return render_to_string("profiles/supervision_plan_pdf.html", {"plan": plan, "language": language})


def cache_path(document: str) -> Path:
    digest = hashlib.sha256(document.encode("utf-8")).hexdigest()
    return Path(settings.MEDIA_ROOT) / "tilsynsplan-pdf" / f"{digest}.pdf"


def cached_pdf(office: Office, year: int, language: str) -> Path:
    document = html(office, year, language)
    return cached_file(cache_path(document), lambda: html_to_pdf(document, PRINT_CSS))
