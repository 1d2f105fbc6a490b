"""Reading and writing the spreadsheets staff keep their lists in (CSV and XLSX), and the guard that
keeps personal data out of them.

Rows keep the line number the person sees in their spreadsheet program (the header is line 1), so an
error can say exactly where to look.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

import openpyxl
from django.http import HttpResponse
from django.utils.translation import gettext as _

from kommunedialog.core.refusal import Refused

MAX_ROWS = 5000
CSV_DELIMITER = ";"  # what Excel writes and expects with a Norwegian locale


@dataclass(frozen=True)
class RowError:
    line: int  # 1 is the header; 0 means the file as a whole
    reason: str
    column: str = ""

    def __str__(self) -> str:
        where = _("Line %(line)s") % {"line": self.line} if self.line else _("File")
        column = f" ({self.column})" if self.column else ""
        return f"{where}{column}: {self.reason}"


class ImportRejected(Refused):
    """The file was not imported; ``errors`` lists every reason, each with its line."""

    def __init__(self, errors: Iterable[RowError]) -> None:
        # By line; within a line, in the order of the columns as they were read.
        self.errors = sorted(errors, key=lambda e: e.line)
        super().__init__("; ".join(str(e) for e in self.errors[:5]), field="file")


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)


def normalise_header(text: Any) -> str:
    return re.sub(r"[^\wæøå§]+", "_", str(text or "").strip().lower()).strip("_")


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportRejected([RowError(0, _("The file is neither UTF-8 nor Windows-1252 text."))])


def read_csv(data: bytes) -> Table:
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    # The header says which separator the file uses: Norwegian Excel writes ";", others ",".
    delimiter = max((";", ",", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    table: Table | None = None
    previous_end = 0
    for record in reader:
        line = previous_end + 1
        previous_end = reader.line_num
        if table is None:
            table = Table(headers=[str(h) for h in record])
        elif not all(_is_blank(v) for v in record):
            table.rows.append((line, list(record)))
        if table is not None and len(table.rows) > MAX_ROWS:
            raise ImportRejected([RowError(0, _("The file has more than %(max)s rows.") % {"max": MAX_ROWS})])
    if table is None:
        raise ImportRejected([RowError(0, _("The file is empty."))])
    return table


def read_xlsx(handle: IO[bytes]) -> Table:
    try:
        workbook = openpyxl.load_workbook(handle, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ImportRejected([RowError(0, _("The spreadsheet could not be read."))]) from exc
    try:
        sheet = workbook.worksheets[0]
        table: Table | None = None
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if table is None:
                if all(_is_blank(v) for v in values):
                    continue
                # The first non-empty row is the header; line numbers stay the spreadsheet's own.
                table = Table(headers=["" if v is None else str(v) for v in values])
                continue
            if all(_is_blank(v) for v in values):
                continue
            table.rows.append((number, list(values)))
            if len(table.rows) > MAX_ROWS:
                raise ImportRejected([RowError(0, _("The file has more than %(max)s rows.") % {"max": MAX_ROWS})])
    finally:
        workbook.close()
    if table is None:
        raise ImportRejected([RowError(0, _("The file is empty."))])
    return table


def read_table(handle: IO[bytes], *, kind: str) -> Table:
    """Read an upload already checked by content (core.uploads.detect_kind): ``kind`` is csv or xlsx."""
    handle.seek(0)
    if kind == "xlsx":
        return read_xlsx(handle)
    return read_csv(handle.read())


# Column headers that say the column holds a person: names, national identity numbers and contact
# details. Compared with the header's words (so "kommunenavn" is fine, "navn" and "fornavn" are not).
PERSONAL_HEADER_WORDS = frozenset(
    {
        "navn",
        "name",
        "fornavn",
        "etternavn",
        "mellomnavn",
        "firstname",
        "lastname",
        "fullname",
        "surname",
        "fødselsnummer",
        "fodselsnummer",
        "fødselsnr",
        "personnummer",
        "personnr",
        "fnr",
        "pnr",
        "dnr",
        "dnummer",
        "ssn",
        "fødselsdato",
        "birthdate",
        "klager",
        "klagar",
        "complainant",
        "søker",
        "person",
        "epost",
        "email",
        "telefon",
        "phone",
        "adresse",
        "address",
    }
)

# Eleven digits, optionally with a space after the date part, not inside a longer number.
NATIONAL_ID_PATTERN = re.compile(r"(?<!\d)\d{6}[ ]?\d{5}(?!\d)")


def looks_like_personal_header(header: str) -> bool:
    words = {w for w in re.split(r"[^\wæøå]+|_", header.lower()) if w}
    joined = normalise_header(header).replace("_", "")
    return bool(words & PERSONAL_HEADER_WORDS) or joined in PERSONAL_HEADER_WORDS


def looks_like_national_id(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float) and float(value).is_integer():
        # A spreadsheet stores a number that starts with 0 without it: ten digits may be one too.
        return 10 <= len(str(int(value))) <= 11
    return isinstance(value, str) and NATIONAL_ID_PATTERN.search(value) is not None


# Writing ------------------------------------------------------------------------------------------


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        # A spreadsheet would run it as a formula; a leading apostrophe keeps it text.
        return "'" + value
    return value


def csv_bytes(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if v is None else (v.isoformat() if isinstance(v, dt.date) else _cell(v)) for v in row])
    # With a byte-order mark Excel reads the file as UTF-8 (æ, ø, å) instead of guessing.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, headers, rows in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        sheet.append(list(headers))
        for cell in sheet[1]:
            cell.font = openpyxl.styles.Font(bold=True)
        for row in rows:
            sheet.append([_cell(v) for v in row])
        for column in sheet.columns:
            width = max(len(str(c.value or "")) for c in column)
            sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 10), 60)
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


DOWNLOAD_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def download_response(content: bytes, fmt: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=DOWNLOAD_TYPES[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
