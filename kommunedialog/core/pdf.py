"""PDF from HTML, the one way the project makes PDFs: WeasyPrint, tagged as PDF/UA, self-contained
(fetching nothing from disk or network), and written to its cache file atomically."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from kommunedialog.core import checkpoints


class RefusedFetch(ValueError):
    pass


def refuse_fetch(url: str, *args: Any, **kwargs: Any) -> Any:
    """Every document is self-contained: rendering it never reads a file or calls out."""
    raise RefusedFetch(f"A PDF fetches nothing; refused {url[:80]!r}")


def html_to_pdf(html: str, css: str) -> bytes:
    import weasyprint  # imported here: loading it (and its system libraries) is needed only to render

    document = weasyprint.HTML(string=html, url_fetcher=refuse_fetch, base_url=None)
    pdf: bytes = document.write_pdf(stylesheets=[weasyprint.CSS(string=css)], pdf_variant="pdf/ua-1")
    return pdf


def cached_file(path: Path, produce: Callable[[], bytes]) -> Path:
    """``path``, produced first if missing. The name carries a hash of the content, so a file that
    exists is the right one and is never rendered twice."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".part")
        partial.write_bytes(produce())
        checkpoints.reach(checkpoints.PDF_WRITTEN)
        partial.replace(path)  # atomic: a reader never sees half a file
        checkpoints.reach(checkpoints.PDF_IN_PLACE)
    return path
