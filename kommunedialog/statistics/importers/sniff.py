"""A look at a file's first bytes before any importer reads it, so that a wrong kind of file is refused
with what is actually wrong (empty, UTF-16, binary, not a workbook) instead of a parser's complaint
about its first character."""

from __future__ import annotations

import codecs
from pathlib import Path

from kommunedialog.statistics.cells import ImportRefused

SAMPLE = 8192
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_UTF32_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)
_ZIP = b"PK\x03\x04"
# Tab, line feed, carriage return and form feed occur in text files; other C0 controls do not.
_TEXT_CONTROLS = frozenset(b"\t\n\r\f")


def _looks_utf16(head: bytes) -> bool:
    """UTF-16 without a byte-order mark: ASCII text with every other byte zero."""
    pairs = head[: len(head) - len(head) % 2]
    if len(pairs) < 4:
        return False
    even, odd = pairs[0::2], pairs[1::2]
    return even.count(0) > 0.9 * len(even) or odd.count(0) > 0.9 * len(odd)


def check(path: Path) -> None:
    """Raise ``ImportRefused`` when the file cannot be what its name says; return when it may be."""
    with path.open("rb") as f:
        head = f.read(SAMPLE)
    name = path.name
    if not head:
        raise ImportRefused(f"{name}: the file is empty (0 bytes); download it again")
    if path.suffix.lower() == ".xlsx":
        if not head.startswith(_ZIP):
            raise ImportRefused(f"{name}: not an Excel workbook (.xlsx files are ZIP archives; this one is not)")
        return
    if head.startswith(_UTF32_BOMS):
        raise ImportRefused(f"{name}: the text is UTF-32; save it as UTF-8 and import it again")
    if head.startswith(_UTF16_BOMS) or _looks_utf16(head):
        raise ImportRefused(
            f"{name}: the text is UTF-16 (as Excel's 'Unicode text' writes it); "
            "save it as UTF-8 (in Excel: 'CSV UTF-8') and import it again"
        )
    controls = sum(1 for byte in head if byte < 32 and byte not in _TEXT_CONTROLS)
    if b"\x00" in head or controls > max(2, len(head) // 100):
        raise ImportRefused(
            f"{name}: binary content, not text; expected a {path.suffix.lower() or 'text'} file "
            "as SSB or the publisher delivers it"
        )
