"""A reader on a municipality page downloads its figures, and a chart's figures for every municipality,
through the links on the page, and opens the files in the tools they use (pandas, pyjstat)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import Page, expect
from pyjstat import pyjstat

from tests.e2e.test_public_pages import axe_violations

# SSB table 12134, free income per inhabitant, Oslo, Bergen and Trondheim in 2024 (real answer).
V2_12134 = Path(settings.SHARED_DATA_DIR) / "ssb" / "v2-12134-jsonstat2-0301-4601-5001-2024.json"


def test_a_reader_downloads_the_figures_from_the_municipality_page(site, page: Page):
    call_command("import_statistics", str(V2_12134), stdout=io.StringIO())
    page.goto(site.url + "/kommuner/0301/")
    own = page.locator("p.statistics__data")
    expect(own.get_by_role("link")).to_have_count(3)
    with page.expect_download() as download:
        own.get_by_role("link", name="CSV").click()
    assert download.value.suggested_filename == "kommunedialog-0301.csv"
    frame = pd.read_csv(download.value.path(), dtype={"region": str, "table": str})
    oslo = frame[(frame["region"] == "0301") & (frame["indicator"] == "free_income_per_capita")]
    assert oslo[["year", "value", "table", "content_code"]].values.tolist() == [[2024, 81240.0, "12134", "KOSAG110000"]]

    chart = page.locator("figure.statistics__chart").first
    with page.expect_download() as download:
        chart.get_by_role("link", name="JSON-stat").click()
    assert download.value.suggested_filename == "kommunedialog-free_income_per_capita.json"
    dataset = pyjstat.Dataset.read(Path(download.value.path()).read_text(encoding="utf-8"))
    frame = dataset.write("dataframe", naming="id")
    municipalities = frame[frame["region"].isin(["0301", "4601", "5001"])]
    assert municipalities[["region", "Tid", "value"]].values.tolist() == [
        ["0301", "2024", 81240.0],
        ["4601", "2024", 66605.0],
        ["5001", "2024", 62853.0],
    ]
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, indent=2)
