"""The accessibility gate: for each role, crawl every page reachable by links from the front page and
the user's own page, and run axe (WCAG 2.1 AA and 2.2 AA rules) on each. Zero violations.

Pages are grouped by URL pattern and at most two of each are checked, so the 357 municipality pages
count as one kind of page, while every new kind of page is crawled the day it is linked.
"""

from __future__ import annotations

import json
from collections import Counter, deque
from urllib.parse import urldefrag, urlparse

import pytest
from django.conf import settings
from django.test import Client
from django.urls import Resolver404, resolve
from playwright.sync_api import Page

from tests.e2e.test_public_pages import axe_violations
from tests.factories import UserFactory
from tests.scenario import make_scenario

PER_PATTERN = 2
SKIP_PREFIXES = ("/api/", "/static/", "/i18n/", "/konto/logg-ut/", "/konto/oidc/")

ROLES = {
    "anonymous": None,
    "municipality": {"role": "municipality_user", "municipality": "1133"},
    "staff": {"role": "staff", "office": "rogaland"},
    "coordinator": {"role": "coordinator", "office": "rogaland"},
    "ministry": {"role": "ministry"},
    "admin": {"role": "admin"},
}


def pattern_of(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name or match.route


def log_in(page: Page, base_url: str, spec: dict | None) -> None:
    if spec is None:
        return
    client = Client()
    client.force_login(UserFactory(**spec))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base_url}])


@pytest.mark.parametrize("role", list(ROLES))
def test_every_reachable_page_has_no_wcag_violations(site, page: Page, role: str, capsys):
    make_scenario()
    log_in(page, site.url, ROLES[role])
    queue = deque(["/", "/konto/meg/" if ROLES[role] else "/konto/logg-inn/"])
    seen: set[str] = set()
    per_pattern: Counter[str] = Counter()
    checked: list[str] = []
    failures: dict[str, list[dict[str, object]]] = {}
    while queue:
        path = queue.popleft()
        if path in seen or path.startswith(SKIP_PREFIXES):
            continue
        seen.add(path)
        pattern = pattern_of(urlparse(path).path)
        if pattern is None or per_pattern[pattern] >= PER_PATTERN:
            continue
        per_pattern[pattern] += 1
        response = page.goto(site.url + path)
        assert response is not None
        if response.status >= 400:
            continue  # refusals are the permission matrix's business
        checked.append(path)
        violations = axe_violations(page)
        if violations:
            failures[path] = violations
        for href in page.eval_on_selector_all("a[href]:not([download])", "els => els.map(e => e.getAttribute('href'))"):
            link = urldefrag(href)[0]
            if link.startswith("/") and not link.startswith("//"):
                queue.append(link)
    with capsys.disabled():
        print(f"\naccessibility crawl as {role}: {len(checked)} pages, {len(per_pattern)} kinds: {sorted(per_pattern)}")
    assert len(checked) >= 4, checked
    assert failures == {}, json.dumps(failures, indent=2)
