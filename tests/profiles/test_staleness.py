"""The staleness alert: a demo kommunebilde published on real figures, then a re-import with newer figures
that revise a cited value and move it across the signal's threshold."""

from __future__ import annotations

import re
import shutil

import pytest
from django.utils import translation

from kommunedialog.demo.profiles import load_demo_profiles
from kommunedialog.profiles import staleness
from kommunedialog.profiles.models import PublishedProfile
from kommunedialog.profiles.signal_rules import figures_by_domain, signal_for
from kommunedialog.statistics import importers, services
from tests.factories import UserFactory
from tests.statistics.conftest import data_path
from tests.statistics.test_importers import KOMMUNEPANEL, OMSORG

pytestmark = pytest.mark.django_db


def store(path, root):  # type: ignore[no-untyped-def]
    [batch] = importers.read(path, root=root)
    return services.statistics_import(batches=[batch], origin=path.name)


@pytest.fixture
def published(db):  # type: ignore[no-untyped-def]
    """The Rogaland demo kommunebilder, published on the omsorg panel and the kommunepanel."""
    root = data_path("")
    store(data_path(OMSORG), root)
    store(data_path(KOMMUNEPANEL), root)
    coordinator = UserFactory(role="coordinator", office="rogaland")
    staff = UserFactory(role="staff", office="rogaland")
    cycle = load_demo_profiles(coordinator=coordinator, staff=staff)
    return cycle, coordinator


def test_the_gp_signal_fires_on_real_figures(published):
    strand = PublishedProfile.objects.get(municipality__number="1130").municipality
    with translation.override("en"):
        signal = signal_for("health_care", None, figures_by_domain(strand, "health_care")["health_care"])
    assert signal.reasons == [
        "Spare capacity on GP lists below 100 per cent in 2022, 2023 (98; 97).",
        "Spare capacity on GP lists 2023: 97 per cent, below the KOSTRA group's lower quartile (99).",
    ]


def test_newer_figures_across_the_threshold_show_on_the_profile_and_the_cycle_page(published, client, tmp_path):
    cycle, coordinator = published
    snapshot = PublishedProfile.objects.get(municipality__number="1130")
    content, digest = snapshot.content, snapshot.content_hash
    health = next(d for d in content["domains"] if d["domain"] == "health_care")
    gp = next(i for i in health["evidence"] if i.get("indicator") == "gp_spare_capacity")
    assert (gp["year"], gp["value"]) == (2023, 97)
    assert staleness.alerts(snapshot) == []

    # Helsedirektoratet revises Strand's 2023 spare capacity from 97 to 103: lists no longer full.
    copy = tmp_path / KOMMUNEPANEL
    copy.parent.mkdir(parents=True)
    shutil.copy(data_path(KOMMUNEPANEL), copy)
    import openpyxl

    workbook = openpyxl.load_workbook(copy)
    sheet = workbook.active
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[3].value == "1130" and r[0].value == 2023)
    row[header.index("lege_reservekapasitet")].value = 103
    workbook.save(copy)
    result = store(copy, tmp_path)
    assert (result.changed, result.revised) == (1, 1)

    [alert] = staleness.alerts(PublishedProfile.objects.get(pk=snapshot.pk))
    assert (alert.indicator, alert.published_value, alert.value, alert.year) == ("gp_spare_capacity", 97, 103, 2023)
    assert (alert.revised, alert.crossed, alert.direction, alert.judgement) == (True, True, "up", "improving")

    client.force_login(coordinator)
    profile_page = re.sub(
        r"\s+",
        " ",
        client.get(f"/kommunebilde/profil/{snapshot.profile_id}/", headers={"Accept-Language": "en"}).content.decode(),
    )
    assert "New figures since publication" in profile_page
    assert (
        "Helse og omsorg: Spare capacity on GP lists.</strong> Published: 97 per cent (2023). Now: 103 per cent (2023). "
        "Up (improving). The published year's figure has been revised. The figure is now on the other side of the "
        "threshold the signal reads."
    ) in profile_page
    cycle_page = re.sub(
        r"\s+", " ", client.get(f"/kommunebilde/runde/{cycle.pk}/", headers={"Accept-Language": "en"}).content.decode()
    )
    assert f'href="/kommunebilde/profil/{snapshot.profile_id}/">Strand</a>: Spare capacity on GP lists' in cycle_page
    # The published kommunebilde itself is untouched.
    again = PublishedProfile.objects.get(pk=snapshot.pk)
    assert (again.content, again.content_hash) == (content, digest)
    # Another municipality's picture whose figures did not move shows nothing.
    other = PublishedProfile.objects.get(municipality__number="1133")
    assert staleness.alerts(other) == []
