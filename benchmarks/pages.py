"""Public municipality page benchmark: the page with a published kommunebilde as served (its body from the
page cache, ADR 0008) and rendered afresh, against an empty Django view served by the same process
through the same middleware, in one run.

Usage: .venv/bin/python benchmarks/pages.py   (SQLite in a temporary folder unless DATABASE_URL is set)
The real SSB files of the demo (../shared/data) are imported first when present, so the page measured
carries its statistics section with figures and charts, as the public sees it.
Prints queries_4 / queries_14 (SQL queries for a kommunebilde with 4 and with 14 domains; goal ≤ 12
and equal; counted for the first reader after a change, who renders the page), pdf_ratio (the PDF
response, rendered once per snapshot and language by the worker and then served from disk, over the
page rendered afresh; goal ≤ 8; the one-off rendering time is printed too), served_ratio (empty page
time over the page as served; goal ≥ 0.5) and ratio (empty page time over the page rendered afresh;
goal ≥ 0.15). The empty page is the site's layout with no content, through the same middleware.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TMP = tempfile.mkdtemp(prefix="kd-pages-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{TMP}/bench.sqlite3")
os.environ["MEDIA_ROOT"] = f"{TMP}/media"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from kommunedialog.accounts import services as account_services  # noqa: E402
from kommunedialog.accounts.models import Role  # noqa: E402
from kommunedialog.core import pagecache  # noqa: E402
from kommunedialog.core.actors import SYSTEM  # noqa: E402
from kommunedialog.demo.statistics import load_demo_statistics  # noqa: E402
from kommunedialog.profiles import pdf, services  # noqa: E402
from kommunedialog.profiles.models import Assessment, Profile, PublishedProfile, Rating  # noqa: E402
from kommunedialog.profiles.states import State  # noqa: E402
from kommunedialog.registry.models import Office  # noqa: E402


def publish(number: str, chapters: int, coordinator, name: str) -> PublishedProfile:
    domains = [(("economy" if i == 0 else ""), f"Kapittel {i + 1}", "") for i in range(chapters)]
    cycle = services.cycle_open(
        office=Office.objects.get(code="rogaland"), actor=coordinator, name=name, year=2026, domains=domains
    )
    profile = cycle.profiles.get(municipality__number=number)
    Assessment.objects.filter(profile=profile).update(rating=Rating.IMPROVEMENT, justification="Benchmark text. " * 40)
    Profile.objects.filter(pk=profile.pk).update(
        state=State.MEETING_HELD, overall_picture="Benchmark. " * 80, meeting_held_on=dt.date(2026, 10, 1)
    )
    services.profile_publish(profile=profile, actor=coordinator)
    return PublishedProfile.objects.get(profile=profile)


def timed(client: Client, url: str, n: int) -> float:
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(samples)


def _timed_stream(client: Client, url: str) -> float:
    start = time.perf_counter()
    b"".join(client.get(url).streaming_content)
    return time.perf_counter() - start


def main() -> None:
    logging.getLogger("kommunedialog.request").setLevel(logging.WARNING)  # one line a request drowns the figures
    call_command("migrate", verbosity=0)
    call_command("import_registry", stdout=open(os.devnull, "w"))  # noqa: SIM115
    statistics_files = load_demo_statistics(shared_data=settings.SHARED_DATA_DIR, stdout=io.StringIO())
    user = account_services.user_create_local(
        actor=SYSTEM, username="bench", password="benchmark-only-pw", full_name="Bench Mark"
    )
    account_services.role_grant(
        actor=SYSTEM, user=user, role=Role.COORDINATOR, office=Office.objects.get(code="rogaland")
    )
    four = publish("1133", 4, user, "Benchmark 4")
    fourteen = publish("1134", 14, user, "Benchmark 14")

    cold = override_settings(PUBLIC_PAGE_CACHE_SECONDS=0)
    with override_settings(ROOT_URLCONF="benchmarks.pages_urls", DEBUG=False):
        client = Client()
        counts = {}
        for label, number in (("4", "1133"), ("14", "1134")):
            client.get(f"/kommuner/{number}/")  # warm template and translation caches
            # The first reader after a change: the body is rendered and stored (neither the shared cache
            # nor this process's tier in front of it holds it).
            cache.clear()
            pagecache.forget_local()
            with CaptureQueriesContext(connection) as queries:
                client.get(f"/kommuner/{number}/")
            counts[label] = len(queries)
        with CaptureQueriesContext(connection) as queries:
            client.get("/kommuner/1134/")
        served_queries = len(queries)
        rounds = 200
        timed(client, "/__empty__/", 20)
        empty = timed(client, "/__empty__/", rounds)
        served = timed(client, "/kommuner/1134/", rounds)
        with cold:
            page = timed(client, "/kommuner/1134/", rounds)

        # The PDF as served: rendered once per snapshot and language by the worker, then from disk.
        start = time.perf_counter()
        pdf.cached_pdf(fourteen, pdf.language_for(fourteen))
        pdf_first = time.perf_counter() - start
        pdf_url = "/kommuner/1134/kommunebilde.pdf"
        pdf_served = statistics.median([_timed_stream(client, pdf_url) for _ in range(rounds)])

    render_times, html_times = [], []
    with cold:
        for _ in range(5):
            start = time.perf_counter()
            pdf.render(fourteen, "nb")
            render_times.append(time.perf_counter() - start)
            html_times.append(timed(Client(), "/kommuner/1134/", 1))
    print(
        f"served_ms={served * 1000:.2f} cold_ms={page * 1000:.2f} empty_page_ms={empty * 1000:.2f}"
        f" (medians of {rounds}; empty page = the layout only; {statistics_files} SSB files imported;"
        f" {served_queries} queries as served)"
    )
    print(
        f"pdf_render_ms={statistics.median(render_times) * 1000:.1f} (WeasyPrint, 14 domains, once per snapshot"
        f" and language; first {pdf_first * 1000:.1f} ms) pdf_served_ms={pdf_served * 1000:.2f}"
    )
    print(
        f"pdf_render_ratio={statistics.median(render_times) / statistics.median(html_times):.2f} (rendering, done once per snapshot)"
    )
    print(f"queries_4={counts['4']}")
    print(f"queries_14={counts['14']}")
    print(f"pdf_ratio={pdf_served / page:.2f} (the stored PDF's response over the page rendered afresh)")
    print(f"pdf_served_ratio={pdf_served / served:.2f} (the stored PDF's response over the page as served)")
    print(f"served_ratio={empty / served:.3f} (the empty layout over the page as served)")
    print(f"ratio={empty / page:.3f} (the empty layout over the page rendered afresh)")
    del four


if __name__ == "__main__":
    main()
