"""The leak crawl: seed a marker into every non-public field the apps declare (PRIVATE_SEEDS in their
policy.py), then read every page, API answer and export an anonymous visitor can reach, following
links from every URL the policies open to the public, and assert the marker appears nowhere."""

from __future__ import annotations

import io
import re
import uuid
import zipfile
from collections import deque
from urllib.parse import urldefrag

import pytest
from django.test import Client
from pypdf import PdfReader

from kommunedialog.core.policy import Visitor
from tests.policy_walk import build_urls, iter_routes, load_policy, policy_for, policy_modules
from tests.scenario import make_scenario

pytestmark = pytest.mark.django_db
MAX_PAGES = 400
LINK_PREFIXES_SKIPPED = ("/static/", "/admin/", "/konto/oidc/")


def text_of(response) -> str:
    content_type = response.headers.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if content_type.startswith("application/pdf"):
        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(body)).pages)
    if body.startswith(b"PK\x03\x04"):  # xlsx, docx, odt: search every part
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return "".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())
    return body.decode(response.charset or "utf-8", "replace")


def test_no_private_marker_reaches_any_public_answer(capsys):
    scenario = make_scenario()
    marker = f"LEAK{uuid.uuid4().hex}"
    seeded = [seed(scenario, marker) for module in policy_modules() for seed in getattr(module, "PRIVATE_SEEDS", [])]
    assert seeded, "no app declares private fields"

    policy = load_policy()
    queue: deque[str] = deque()
    for route in iter_routes():
        access = policy_for(policy, route)
        if access is not None and route.name and Visitor.ANONYMOUS in access.get:
            queue.extend(build_urls(route, access, scenario))
    client = Client()
    seen: set[str] = set()
    leaks: list[str] = []
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200:
            continue
        text = text_of(response)
        if marker in text:
            leaks.append(url)
        if "html" in response.headers.get("Content-Type", ""):
            for href in re.findall(r'href="(/[^"]*)"', text):
                link = urldefrag(href.replace("&amp;", "&"))[0]
                if not link.startswith(LINK_PREFIXES_SKIPPED):
                    queue.append(link)
    with capsys.disabled():
        print(f"\nleak crawl: seeds={len(seeded)} answers={len(seen)} leaks={len(leaks)}")
    assert len(seen) >= 10
    assert leaks == []
