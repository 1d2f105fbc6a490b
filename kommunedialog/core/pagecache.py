"""Public pages served from a rendered version (ADR 0008).

A page body is cached under a key that carries everything it shows: the page and its arguments, the
language, the *content version* and the *code version*. The content version is a random token in one
database row that every audited change to public content replaces in the writer's own transaction
(``audit.record`` calls ``bump``), so the first reader after the commit misses the cache and renders
afresh; nothing is ever invalidated by hand, and old versions age out of the cache. A random token,
not a counter, so that a rolled-back transaction or a restored backup can never meet a page cached
for other content under the same number. The code version is a digest of the source, templates and
compiled translations, so a deploy never serves a page rendered by the previous release.

Only the body is cached: the layout around it (the signed-in person's menu, the CSP nonce, messages)
is rendered for each request.

Two tiers: each process keeps the bodies it served last in its own memory, in front of the shared
cache (Redis in production). Because the key carries both versions, a body kept in a process can never
be stale, so the local tier needs no invalidation either; it saves every reader after the first the
shared cache's round trip and the unpickling of a body of some hundred kilobytes.
"""

from __future__ import annotations

import functools
import hashlib
import re
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent  # the kommunedialog package
_ROW = 1


def bump() -> None:
    """A new content version, in the caller's transaction (one row, so writers of public content take
    turns for the rest of their transaction: they are rare and short next to reads)."""
    from kommunedialog.core.models import ContentVersion

    token = uuid.uuid4().hex
    if not ContentVersion.objects.filter(pk=_ROW).update(token=token):
        ContentVersion.objects.update_or_create(pk=_ROW, defaults={"token": token})


def content_version() -> str:
    from kommunedialog.core.models import ContentVersion

    # Asked on every public page view, so in plain SQL: the ORM would spend longer building this one
    # lookup than the database spends answering it.
    table = connection.ops.quote_name(ContentVersion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token FROM {table} WHERE id = %s", [_ROW])  # noqa: S608 - our own table name
        row = cursor.fetchone()
    return row[0] if row and row[0] else "initial"


@functools.cache
def code_version() -> str:
    """A digest of what renders the pages: Python modules, templates and compiled translations."""
    digest = hashlib.blake2b(digest_size=8)
    locale = Path(settings.BASE_DIR) / "locale"
    files = [*ROOT.rglob("*.py"), *ROOT.rglob("templates/**/*"), *locale.rglob("*.mo")]
    for path in sorted(p for p in files if p.is_file()):
        digest.update(path.as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


# Indentation from the templates: a line break followed by blanks. Collapsed to the line break, which a
# browser shows exactly as it showed the run (one space, or nothing between blocks), except inside the
# elements that keep their whitespace, which are left as they are.
_INDENT = re.compile(r"\n\s+")
_KEEPS_WHITESPACE = re.compile(r"(<(pre|textarea)\b.*?</\2>)", re.S | re.I)


def compact(html: str) -> str:
    """A stored page body without the templates' indentation: about a quarter of a statistics-heavy
    page's bytes, which every reader would otherwise fetch, unpickle and send."""
    parts = _KEEPS_WHITESPACE.split(html)
    # split() with two groups gives [text, element, tag name, text, element, tag name, …].
    return "".join(_INDENT.sub("\n", part) if i % 3 == 0 else part for i, part in enumerate(parts) if i % 3 != 2)


def enabled() -> bool:
    return int(settings.PUBLIC_PAGE_CACHE_SECONDS) > 0


def key(page: str, *args: str) -> str:
    return ":".join(("page", page, *args, translation.get_language() or "", content_version(), code_version()))


# The process's own tier: most recently served first out of the way last (LRU), bounded by
# PUBLIC_PAGE_LOCAL_ENTRIES. A lock, because runserver and threaded servers serve from several threads.
_local: OrderedDict[str, Any] = OrderedDict()
_local_lock = threading.Lock()


def _local_get(name: str) -> Any:
    with _local_lock:
        found = _local.get(name)
        if found is not None:
            _local.move_to_end(name)
        return found


def _local_put(name: str, value: Any) -> None:
    limit = int(settings.PUBLIC_PAGE_LOCAL_ENTRIES)
    if limit <= 0:
        return
    with _local_lock:
        _local[name] = value
        _local.move_to_end(name)
        while len(_local) > limit:
            _local.popitem(last=False)


def forget_local() -> None:
    """Empty this process's tier (tests, whose rolled-back databases reuse content versions)."""
    with _local_lock:
        _local.clear()


def rendered[T: Any](page: str, *args: str, render: Callable[[], T]) -> T:
    """What ``render`` gives for ``page`` and ``args`` in the active language: from this process's tier
    or the shared cache when it was rendered at the current content and code version, else rendered now
    and stored in both. ``render`` may return None (nothing to show), which is not stored."""
    if not enabled():
        return render()
    name = key(page, *args)
    kept: T | None = _local_get(name)
    if kept is not None:
        return kept
    shared: T | None = cache.get(name)
    if shared is None:
        fresh = render()
        if fresh is None:
            return fresh
        cache.set(name, fresh, timeout=settings.PUBLIC_PAGE_CACHE_SECONDS)
        shared = fresh
    _local_put(name, shared)
    return shared
