"""A client for SSB's PxWebApi v2 (and the older v1, "api/v0") on httpx.

It keeps to SSB's rules so a run over the whole catalogue does not get the project blocked:

* at most ``max_calls`` calls in any ``window`` seconds (SSB allows 30 per 60 s; we stay under it);
* 429 and 5xx answers, and dropped connections, are retried with exponential backoff
  (``Retry-After`` is honoured);
* every requested code is checked against the table's metadata first, because one unknown code
  makes SSB refuse the whole query with a bare "Non-existent value";
* a selection above the cell limit is split into several calls; a long selection goes by POST,
  because SSB answers GET URLs over ~2 100 characters with an HTML 404 page.

SSB's problem answers (``{"type", "title", "status"}``) become ``SsbError`` subclasses whose message
names the table, the variable and the value where we can tell.

The clock and sleep are injectable so tests run the pacing and backoff logic without waiting.
"""

from __future__ import annotations

import fnmatch
import math
import re
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx
import orjson
from django.conf import settings

from kommunedialog.registry.klass_client import KlassClient
from kommunedialog.statistics import jsonstat
from kommunedialog.statistics.jsonstat import Dataset, Dimension

MAX_CELLS = 800_000
MAX_GET_URL = 2000
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_EXPRESSION_RE = re.compile(r"^(top|bottom|range|from|to)\((.*)\)$")

Selection = Mapping[str, Sequence[str]]


class SsbError(Exception):
    """SSB could not answer what we asked; the message says which table, variable and value."""

    def __init__(
        self, message: str, *, table: str | None = None, variable: str | None = None, value: str | None = None
    ) -> None:
        super().__init__(message)
        self.table, self.variable, self.value = table, variable, value


class SsbInvalidSelection(SsbError):
    """A requested variable or code is not in the table (found before asking SSB)."""


class SsbTableNotFound(SsbError):
    pass


class SsbProblem(SsbError):
    """SSB answered with a problem document (HTTP 4xx with ``type``/``title``/``status``)."""

    def __init__(self, message: str, *, status: int, title: str, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.status, self.title = status, title


class SsbTooManyCells(SsbProblem):
    pass


class SsbUnavailable(SsbError):
    """SSB kept failing (429, 5xx or no connection) after every retry."""


class SsbBadResponse(SsbError):
    """SSB answered something that is neither data nor a problem document."""


class Pacer:
    """Sliding-window rate limit: before a call, wait until fewer than ``max_calls`` happened in ``window`` s."""

    def __init__(
        self,
        *,
        max_calls: int,
        window: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.max_calls, self.window, self.clock, self.sleep = max_calls, window, clock, sleep
        self.calls: deque[float] = deque()

    def wait(self) -> None:
        now = self.clock()
        while self.calls and now - self.calls[0] >= self.window:
            self.calls.popleft()
        if len(self.calls) >= self.max_calls:
            self.sleep(self.window - (now - self.calls[0]))
            now = self.clock()
            while self.calls and now - self.calls[0] >= self.window:
                self.calls.popleft()
        self.calls.append(now)


@dataclass(frozen=True)
class TableMetadata:
    table: str
    label: str
    updated: Any
    dimensions: tuple[Dimension, ...]
    api: str = "v2"  # "v1" for a table only the older PxWebApi serves

    def dimension(self, variable: str) -> Dimension | None:
        return next((d for d in self.dimensions if d.id == variable), None)

    @property
    def mandatory(self) -> tuple[str, ...]:
        """Variables a query must select: Tid and ContentsCode always, and any that cannot be eliminated."""
        return tuple(
            d.id
            for d in self.dimensions
            if d.id in ("Tid", "ContentsCode") or d.role in ("time", "metric") or d.elimination is False
        )


def _resolve(table: str, dimension: Dimension, requested: Sequence[str]) -> list[str]:
    """Turn SSB's value expressions into explicit codes, refusing codes the table does not have."""
    codes = list(dimension.codes)
    known = set(codes)
    if len(requested) == 1 and (match := _EXPRESSION_RE.match(requested[0].strip())):
        kind, args = match.group(1), [a.strip() for a in match.group(2).split(",")]
        try:
            if kind in ("top", "bottom"):
                count, offset = int(args[0]), int(args[1]) if len(args) > 1 else 0
                ordered = codes[::-1] if kind == "top" else codes
                return sorted(ordered[offset : offset + count], key=codes.index)
        except ValueError:
            raise SsbInvalidSelection(
                f"Table {table}, variable {dimension.id}: {requested[0]!r} needs whole numbers",
                table=table,
                variable=dimension.id,
                value=requested[0],
            ) from None
        for bound in args:
            if bound not in known:
                raise SsbInvalidSelection(
                    f"Table {table}, variable {dimension.id}: {bound!r} in {requested[0]!r} is not a value of the table",
                    table=table,
                    variable=dimension.id,
                    value=bound,
                )
        first = codes.index(args[0]) if kind in ("range", "from") else 0
        last = codes.index(args[-1]) if kind in ("range", "to") else len(codes) - 1
        return codes[first : last + 1]
    chosen: list[str] = []
    for code in requested:
        if "*" in code or "?" in code:
            matches = fnmatch.filter(codes, code)
            if not matches:
                raise SsbInvalidSelection(
                    f"Table {table}, variable {dimension.id}: no value matches {code!r}",
                    table=table,
                    variable=dimension.id,
                    value=code,
                )
            chosen.extend(m for m in matches if m not in chosen)
        elif code not in known:
            raise SsbInvalidSelection(
                f"Table {table}, variable {dimension.id} ({dimension.label}): {code!r} is not one of its "
                f"{len(codes)} values; SSB would refuse the whole query",
                table=table,
                variable=dimension.id,
                value=code,
            )
        elif code not in chosen:
            chosen.append(code)
    return chosen


class SsbClient:
    def __init__(
        self,
        *,
        base_url: str | None = None,
        v1_url: str | None = None,
        transport: httpx.BaseTransport | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        max_calls: int = 25,
        window: float = 60.0,
        retries: int = 4,
        backoff: float = 2.0,
        max_cells: int = MAX_CELLS,
        max_get_url: int = MAX_GET_URL,
        language: str = "no",
    ) -> None:
        self.base_url = base_url or settings.SSB_API_URL
        self.v1_url = v1_url or settings.SSB_V1_API_URL
        self._transport = transport
        self._http = httpx.Client(
            timeout=getattr(settings, "HTTP_TIMEOUT_SECONDS", 30.0),
            transport=transport,
            headers={"Accept": "application/json", "User-Agent": "Kommunedialog (+https://kommunedialog.no)"},
        )
        self.pacer = Pacer(max_calls=max_calls, window=window, clock=clock, sleep=sleep)
        self.sleep, self.retries, self.backoff = sleep, retries, backoff
        self.max_cells, self.max_get_url, self.language = max_cells, max_get_url, language
        self._metadata: dict[str, TableMetadata] = {}
        self.calls = 0

    def close(self) -> None:
        self._http.close()

    def klass(self) -> KlassClient:
        """The register's KLASS client on the same transport (classifications 131, 104, 112)."""
        return KlassClient(transport=self._transport)

    # ── HTTP ────────────────────────────────────────────────────────────────────────────────────
    def _send(self, method: str, url: str, *, table: str | None, body: Any = None) -> httpx.Response:
        for attempt in range(self.retries + 1):
            self.pacer.wait()
            self.calls += 1
            try:
                if body is None:
                    response = self._http.request(method, url)
                else:
                    response = self._http.request(
                        method, url, content=orjson.dumps(body), headers={"Content-Type": "application/json"}
                    )
            except httpx.TransportError as exc:
                if attempt == self.retries:
                    raise SsbUnavailable(
                        f"SSB did not answer {method} {url[:200]} after {attempt + 1} attempts: {exc}", table=table
                    ) from exc
                self.sleep(self.backoff * 2**attempt)
                continue
            if response.status_code in RETRY_STATUSES and attempt < self.retries:
                self.sleep(self._retry_after(response) or self.backoff * 2**attempt)
                continue
            return response
        raise AssertionError("unreachable")  # pragma: no cover

    @staticmethod
    def _retry_after(response: httpx.Response) -> float | None:
        try:
            return max(0.0, float(response.headers.get("Retry-After", "")))
        except ValueError:
            return None

    def _problem(self, response: httpx.Response, *, table: str | None, context: str = "") -> SsbError:
        status = response.status_code
        if status in RETRY_STATUSES:
            return SsbUnavailable(
                f"SSB answered {status} for table {table} after {self.retries + 1} attempts", table=table
            )
        try:
            body = orjson.loads(response.content)
        except orjson.JSONDecodeError:
            body = None
        if not isinstance(body, dict):
            kind = response.headers.get("content-type", "unknown content")
            hint = ""
            if status == 404 and response.request.method == "GET" and len(str(response.request.url)) > MAX_GET_URL:
                hint = (
                    f"; SSB answers GET URLs this long ({len(str(response.request.url))} characters) "
                    "with an HTML 404 page — use POST"
                )
            return SsbBadResponse(f"SSB answered {status} ({kind}) for table {table}{hint}", table=table)
        title = str(body.get("title") or body.get("error") or body.get("type") or "error")
        code: int = body["status"] if isinstance(body.get("status"), int) else status
        detail = f": {body['detail']}" if isinstance(body.get("detail"), str) else ""
        message = f"SSB refused the request for table {table}: {title} (HTTP {code}){detail}{context}"
        if title == "Non-existent table" or code == 404:
            return SsbTableNotFound(f"SSB has no table {table} ({title})", table=table)
        if status == 403:
            return SsbTooManyCells(message, status=code, title=title, table=table)
        return SsbProblem(message, status=code, title=title, table=table)

    def _json(self, response: httpx.Response, *, table: str | None, context: str = "") -> Any:
        if response.status_code != 200:
            raise self._problem(response, table=table, context=context)
        try:
            return orjson.loads(response.content)
        except orjson.JSONDecodeError:
            raise SsbBadResponse(f"SSB's answer for table {table} is not JSON", table=table) from None

    # ── PxWebApi v2 ─────────────────────────────────────────────────────────────────────────────
    def config(self) -> dict[str, Any]:
        body = self._json(self._send("GET", f"{self.base_url}/config", table=None), table=None)
        if not isinstance(body, dict):
            raise SsbBadResponse("SSB's /config answer is not an object")
        return body

    def table_info(self, table: str) -> dict[str, Any]:
        url = f"{self.base_url}/tables/{quote(table)}?lang={self.language}"
        body = self._json(self._send("GET", url, table=table), table=table)
        if not isinstance(body, dict):
            raise SsbBadResponse(f"SSB's description of table {table} is not an object", table=table)
        return body

    def metadata(self, table: str) -> TableMetadata:
        """The table's variables and codes from v2, or from v1 when v2 does not have the table."""
        if table not in self._metadata:
            url = f"{self.base_url}/tables/{quote(table)}/metadata?lang={self.language}&outputFormat=json-stat2"
            try:
                body = self._json(self._send("GET", url, table=table), table=table)
            except SsbTableNotFound:
                self._metadata[table] = self._metadata_from_v1(table)
                return self._metadata[table]
            try:
                dataset = jsonstat.parse(body, require_values=False)
            except jsonstat.JsonStatError as exc:
                raise SsbBadResponse(f"SSB's metadata for table {table} is not usable: {exc}", table=table) from None
            self._metadata[table] = TableMetadata(table, dataset.label, dataset.updated, dataset.dimensions)
        return self._metadata[table]

    def _metadata_from_v1(self, table: str) -> TableMetadata:
        body = self.metadata_v1(table, language=self.language)
        dimensions = []
        for variable in body["variables"]:
            try:
                code, codes, labels = variable["code"], tuple(variable["values"]), tuple(variable["valueTexts"])
            except (KeyError, TypeError):
                raise SsbBadResponse(
                    f"SSB's v1 metadata for table {table} has a malformed variable", table=table
                ) from None
            role = "time" if variable.get("time") else "metric" if code == "ContentsCode" else None
            dimensions.append(
                Dimension(
                    code,
                    str(variable.get("text") or code),
                    codes,
                    labels,
                    role,
                    elimination=bool(variable.get("elimination")),
                )
            )
        return TableMetadata(table, str(body.get("title") or table), None, tuple(dimensions), api="v1")

    def resolve(self, table: str, selection: Selection) -> dict[str, list[str]]:
        """Check a selection against the table's metadata and expand its expressions to codes."""
        meta = self.metadata(table)
        resolved: dict[str, list[str]] = {}
        for variable, requested in selection.items():
            dimension = meta.dimension(variable)
            if dimension is None:
                raise SsbInvalidSelection(
                    f"Table {table} has no variable {variable!r}; it has {', '.join(d.id for d in meta.dimensions)}",
                    table=table,
                    variable=variable,
                )
            if not requested:
                raise SsbInvalidSelection(
                    f"Table {table}, variable {variable}: no values selected", table=table, variable=variable
                )
            resolved[variable] = _resolve(table, dimension, list(requested))
        missing = [v for v in meta.mandatory if v not in resolved]
        if missing:
            raise SsbInvalidSelection(
                f"Table {table}: {', '.join(missing)} must be selected (SSB cannot leave "
                f"{'it' if len(missing) == 1 else 'them'} out)",
                table=table,
                variable=missing[0],
            )
        return resolved

    def split(self, table: str, selection: Mapping[str, list[str]]) -> list[dict[str, list[str]]]:
        """Cut a resolved selection into parts under the cell limit, along its longest non-time variable."""
        cells = math.prod(len(v) for v in selection.values())
        if cells <= self.max_cells:
            return [dict(selection)]
        meta = self.metadata(table)
        time_ids = {d.id for d in meta.dimensions if d.role == "time"} | {"Tid"}
        candidates = [v for v in selection if v not in time_ids and len(selection[v]) > 1] or list(selection)
        variable = max(candidates, key=lambda v: len(selection[v]))
        rest = cells // len(selection[variable])
        per_part = max(1, self.max_cells // rest)
        if rest > self.max_cells:
            # Even one value of the longest variable is too much: split further, recursively.
            parts = []
            for code in selection[variable]:
                parts.extend(self.split(table, {**selection, variable: [code]}))
            return parts
        codes = selection[variable]
        return [{**selection, variable: codes[i : i + per_part]} for i in range(0, len(codes), per_part)]

    def _data_url(self, table: str, selection: Mapping[str, Sequence[str]]) -> str:
        params = "".join(
            f"&valueCodes[{quote(variable)}]={quote(','.join(codes), safe=',')}"
            for variable, codes in selection.items()
        )
        return f"{self.base_url}/tables/{quote(table)}/data?lang={self.language}&outputFormat=json-stat2{params}"

    def fetch_part(self, table: str, selection: Mapping[str, Sequence[str]]) -> Dataset:
        """One call for an already resolved and split selection: GET when the URL is short, else POST
        (v1 tables: always POST, as v1 wants)."""
        meta = self._metadata.get(table)
        if meta is not None and meta.api == "v1":
            query = [{"code": v, "selection": {"filter": "item", "values": list(c)}} for v, c in selection.items()]
            return self.data_v1(table, query, language=self.language)
        url = self._data_url(table, selection)
        context = " — selected " + "; ".join(
            f"{v}: {', '.join(list(c)[:5])}{'…' if len(c) > 5 else ''}" for v, c in selection.items()
        )
        if len(url) <= self.max_get_url:
            response = self._send("GET", url, table=table)
        else:
            body = {"selection": [{"variableCode": v, "valueCodes": list(c)} for v, c in selection.items()]}
            post_url = f"{self.base_url}/tables/{quote(table)}/data?lang={self.language}&outputFormat=json-stat2"
            response = self._send("POST", post_url, table=table, body=body)
        if response.status_code != 200:
            raise self._problem(response, table=table, context=context)
        try:
            return jsonstat.parse(response.content)
        except jsonstat.JsonStatError as exc:
            raise SsbBadResponse(
                f"SSB's answer for table {table} is not a usable dataset: {exc}", table=table
            ) from None

    def data(self, table: str, selection: Selection, *, validate: bool = True) -> list[Dataset]:
        """Fetch a selection (codes or SSB expressions such as ``*`` and ``top(5)``), in as many calls
        as the cell limit needs. Without ``validate`` the selection is sent as given, in one call."""
        if not validate:
            return [self.fetch_part(table, selection)]
        resolved = self.resolve(table, selection)
        return [self.fetch_part(table, part) for part in self.split(table, resolved)]

    # ── PxWebApi v1 ("api/v0") ──────────────────────────────────────────────────────────────────
    def metadata_v1(self, table: str, *, language: str = "no") -> dict[str, Any]:
        body = self._json(self._send("GET", f"{self.v1_url}/{language}/table/{quote(table)}", table=table), table=table)
        if not isinstance(body, dict) or not isinstance(body.get("variables"), list):
            raise SsbBadResponse(f"SSB's v1 metadata for table {table} has no 'variables'", table=table)
        return body

    def data_v1(self, table: str, query: Sequence[Mapping[str, Any]], *, language: str = "no") -> Dataset:
        """POST a v1 query (the ``query`` list of Statistikkbanken's 'API-spørring' export)."""
        body = {"query": list(query), "response": {"format": "json-stat2"}}
        response = self._send("POST", f"{self.v1_url}/{language}/table/{quote(table)}", table=table, body=body)
        if response.status_code != 200:
            raise self._problem(response, table=table)
        try:
            return jsonstat.parse(response.content)
        except jsonstat.JsonStatError as exc:
            raise SsbBadResponse(
                f"SSB's v1 answer for table {table} is not a usable dataset: {exc}", table=table
            ) from None
