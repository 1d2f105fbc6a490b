"""A small client for SSB's KLASS classification API (municipalities are classification 131)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
from django.conf import settings

MUNICIPALITIES = 131


class KlassError(Exception):
    pass


class KlassClient:
    def __init__(self, *, base_url: str | None = None, transport: httpx.BaseTransport | None = None) -> None:
        self._http = httpx.Client(
            base_url=base_url or settings.KLASS_API_URL,
            timeout=settings.HTTP_TIMEOUT_SECONDS,
            transport=transport,
            headers={"Accept": "application/json", "User-Agent": "Kommunedialog (+https://kommunedialog.no)"},
        )

    def close(self) -> None:
        self._http.close()

    def _get(self, path: str, params: dict[str, str]) -> dict[str, Any]:
        try:
            response = self._http.get(path, params=params)
        except httpx.HTTPError as exc:
            raise KlassError(f"KLASS did not answer {path}: {exc}") from exc
        if response.status_code != 200:
            raise KlassError(f"KLASS answered {response.status_code} for {response.request.url}: {response.text[:300]}")
        try:
            body = response.json()
        except ValueError as exc:
            raise KlassError(f"KLASS sent something that is not JSON for {response.request.url}") from exc
        if not isinstance(body, dict):
            raise KlassError(f"KLASS sent an unexpected body for {response.request.url}")
        return body

    def codes_at(self, classification: int, on: dt.date) -> list[dict[str, Any]]:
        body = self._get(f"/classifications/{classification}/codesAt", {"date": on.isoformat(), "language": "nb"})
        codes = body.get("codes")
        if not isinstance(codes, list):
            raise KlassError("KLASS codesAt response has no 'codes' list")
        return codes

    def changes(self, classification: int, *, since: dt.date, until: dt.date) -> list[dict[str, Any]]:
        body = self._get(
            f"/classifications/{classification}/changes",
            {"from": since.isoformat(), "to": until.isoformat(), "language": "nb"},
        )
        changes = body.get("codeChanges")
        if not isinstance(changes, list):
            raise KlassError("KLASS changes response has no 'codeChanges' list")
        return changes
