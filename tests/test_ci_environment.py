"""CI promises the real parts: PostgreSQL and a browser. These fail, never skip, when CI=true."""

from __future__ import annotations

import os

import pytest
from django.db import connection

from tests.conftest import IN_CI
from tests.e2e.conftest import CHROMIUM


@pytest.mark.skipif(not IN_CI, reason="outside CI the suite may run on SQLite")
def test_ci_runs_on_postgresql():
    assert connection.vendor == "postgresql"


@pytest.mark.skipif(not IN_CI, reason="outside CI the browser may be missing")
def test_ci_has_chromium():
    assert os.access(CHROMIUM, os.X_OK)
