"""Uploaded files: checked by content (magic numbers), not by name; capped in size; stored outside
the web root; handed out only by views that have checked permission first (``file_response``).
"""

from __future__ import annotations

import hashlib
import logging
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import FileResponse, Http404
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from kommunedialog.core import audit
from kommunedialog.core.actors import Person
from kommunedialog.core.audit import AuditAction
from kommunedialog.core.models import StoredFile
from kommunedialog.core.refusal import Reason, Refused

logger = logging.getLogger(__name__)


def _zip_with(member_prefix: str) -> Callable[[bytes, Any], bool]:
    def check(head: bytes, handle: Any) -> bool:
        if not head.startswith(b"PK\x03\x04"):
            return False
        try:
            with zipfile.ZipFile(handle) as archive:
                return any(name.startswith(member_prefix) for name in archive.namelist())
        except zipfile.BadZipFile:
            return False

    return check


def _is_text(head: bytes, handle: Any) -> bool:
    sample = head + handle.read(64 * 1024)
    if b"\x00" in sample:
        return False
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError:
        try:
            sample.decode("iso-8859-1")
        except UnicodeDecodeError:
            return False
    return True


@dataclass(frozen=True)
class FileKind:
    key: str
    label: str
    extensions: frozenset[str]
    content_type: str
    matches: Callable[[bytes, Any], bool]


KINDS = {
    kind.key: kind
    for kind in [
        FileKind("pdf", "PDF", frozenset({".pdf"}), "application/pdf", lambda h, f: h.startswith(b"%PDF-")),
        FileKind("png", "PNG", frozenset({".png"}), "image/png", lambda h, f: h.startswith(b"\x89PNG\r\n\x1a\n")),
        FileKind(
            "jpeg", "JPEG", frozenset({".jpg", ".jpeg"}), "image/jpeg", lambda h, f: h.startswith(b"\xff\xd8\xff")
        ),
        FileKind(
            "docx",
            "Word",
            frozenset({".docx"}),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            _zip_with("word/"),
        ),
        FileKind(
            "xlsx",
            "Excel",
            frozenset({".xlsx"}),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            _zip_with("xl/"),
        ),
        FileKind(
            "odt",
            "OpenDocument",
            frozenset({".odt"}),
            "application/vnd.oasis.opendocument.text",
            _zip_with("content.xml"),
        ),
        FileKind("csv", "CSV", frozenset({".csv", ".txt"}), "text/csv", _is_text),
    ]
}
DOCUMENTS = ("pdf", "docx", "odt", "png", "jpeg")


class UploadRejected(Refused):
    """An upload that is not taken: empty, too large, or not what its name says, judged by content."""

    def __init__(self, reason: Reason, *, code: str, field: str | None = None) -> None:
        super().__init__(reason, field=field)
        self.code = code


def detect_kind(upload: UploadedFile[Any], *, allowed: Iterable[str], max_bytes: int | None = None) -> FileKind:
    """The kind of ``upload`` among ``allowed``, judged by its bytes, or UploadRejected saying why."""
    limit = max_bytes if max_bytes is not None else settings.MAX_UPLOAD_BYTES
    kinds = [KINDS[k] for k in allowed]
    names = ", ".join(k.label for k in kinds)
    if upload.size is None or upload.size == 0:
        raise UploadRejected(_("The file is empty."), code="empty")
    if upload.size > limit:
        raise UploadRejected(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": round(upload.size / 1_000_000, 1), "limit": round(limit / 1_000_000, 1)},
            code="too_large",
        )
    name = (upload.name or "").lower()
    extension = name[name.rfind(".") :] if "." in name else ""
    upload.seek(0)
    head = upload.read(16)
    for kind in kinds:
        upload.seek(0)
        if extension in kind.extensions and kind.matches(head, upload.file if hasattr(upload, "file") else upload):
            upload.seek(0)
            return kind
    upload.seek(0)
    raise UploadRejected(
        _("“%(name)s” is not a file of an accepted type (%(kinds)s), judged by its content.")
        % {"name": upload.name, "kinds": names},
        code="wrong_type",
    )


ORIGINAL_NAME_LENGTH = 200  # StoredFile.original_name
STORED_NAME_LENGTH = 100  # StoredFile.file (Django's default for a FileField)


def shortened(name: str, limit: int) -> str:
    """``name`` cut to ``limit`` characters, keeping its extension: a 300-character name of a PDF stays a
    .pdf, so the office can open what it downloads."""
    if len(name) <= limit:
        return name
    stem, dot, extension = name.rpartition(".")
    if not dot or len(extension) > 10:
        return name[:limit]
    return f"{stem[: limit - len(extension) - 1]}.{extension}"


def stored_file_create(
    *,
    actor: Person,
    upload: UploadedFile[Any],
    allowed: Iterable[str],
    max_bytes: int | None = None,
    field: str | None = None,
) -> StoredFile:
    """Check and store an upload; the caller links it to its document.

    The file is written before the row; if the row cannot be written the file is removed again. (If
    an enclosing transaction rolls back later, the file stays as an orphan without a row, which is
    harmless: nothing can serve a file that has no row.)
    """
    try:
        kind = detect_kind(upload, allowed=allowed, max_bytes=max_bytes)
    except UploadRejected as rejected:
        rejected.field = field  # the form field the upload came from, so the reason is shown beside it
        raise
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    original = shortened(get_valid_filename((upload.name or "file").rsplit("/", 1)[-1]), ORIGINAL_NAME_LENGTH)
    stored = StoredFile(
        original_name=original, kind=kind.key, size=upload.size or 0, sha256=digest.hexdigest(), uploaded_by=actor
    )
    # The stored name sits under upload_to (YYYY/MM/) in a column of STORED_NAME_LENGTH; the storage may
    # add a suffix to make it unique, so leave room for that too.
    stored.file.save(shortened(original, STORED_NAME_LENGTH - len("2026/12/") - 8), upload, save=False)
    try:
        with transaction.atomic():
            stored.save()
            audit.record(
                actor=actor,
                obj=stored,
                action=AuditAction.FILE_UPLOAD,
                after={"name": original, "kind": kind.key, "size": stored.size},
            )
    except Exception:
        if stored.file.name:
            stored.file.storage.delete(stored.file.name)
        raise
    return stored


def file_response(stored: StoredFile) -> FileResponse:
    """Send a stored file. Call only after the view's permission-checked getter has let the user in."""
    kind = KINDS[stored.kind]
    try:
        handle = stored.file.open("rb")
    except FileNotFoundError as missing:
        # The row outlived its file (a restore without the uploads): say so plainly instead of failing.
        logger.error("Stored file %s (%s) is missing from storage", stored.pk, stored.file.name)
        raise Http404("The file is missing") from missing
    response = FileResponse(handle, as_attachment=True, filename=stored.original_name, content_type=kind.content_type)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
