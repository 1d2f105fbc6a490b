"""Fixtures for the statistics tests: the real SSB answers in ../shared/data, read in place."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from hypothesis.configuration import set_hypothesis_home_dir

# Hypothesis keeps caches in ./.hypothesis by default; they do not belong in the checkout.
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "kommunedialog-hypothesis")


def data_path(relative: str) -> Path:
    return Path(settings.SHARED_DATA_DIR) / relative


def read(relative: str) -> bytes:
    return data_path(relative).read_bytes()


V2_12134 = "ssb/v2-12134-jsonstat2-0301-4601-5001-2024.json"
V2_12063 = "indicators/ssb-v2-12063-jsonstat2-alle-kommuner-2025.json"
V1_07459 = "ssb/v1-07459-jsonstat2-KommSummer-2022.json"
V1_12191 = "ssb/v1-12191-jsonstat2-kommunehelse-9kommuner-2018-2020.json"
V1_12367 = "ssb/v1-12367-jsonstat2-regnskap-EAK-3001-EKG-2015-2020.json"
V2_11118 = "ssb/v2-doc-examples/v2-table-11118-data-jsonstat2-response.json"
V2_11118_META = "ssb/v2-doc-examples/v2-table-11118-metadata-jsonstat2-response.json"
SPIKE = "ssb/v2-spike-results-12134-2026-04-25.json"
CSV_07459 = "population/ssb-07459-statbank-export-Personer2023-latin1.csv"


@pytest.fixture
def oslo(db):  # type: ignore[no-untyped-def]
    from kommunedialog.registry.models import Municipality

    return Municipality.objects.current().select_related("county", "kostra_group").get(number="0301")
