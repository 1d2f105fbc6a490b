"""Comparison benchmark: every comparison for 357 municipalities × 50 indicators × 10 years, with our
engine (kommunedialog.statistics.comparison) and with a plain pandas groupby, in the same run.

Usage: .venv/bin/python benchmarks/compare.py [--seconds 3]
The register is the real one (../shared/data: 2024 municipalities, their county, KOSTRA group and
population, read through the registry's own source reader; no database needed). The figures are
generated (seeded), with 3 % of cells missing as in KOSTRA tables.

Both contenders compute the same things: per indicator, year and KOSTRA group, county and country
the population-weighted mean (or sum, for every third indicator), the number of members with figures,
the median and the interquartile range; and per municipality the change over three years. The two
results are checked against each other before timing. The last line is ``ratio=<pandas / ours>``
(goal ≥ 20).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

import pandas as pd  # noqa: E402
from django.conf import settings  # noqa: E402

from kommunedialog.registry.sources import read_source_dir  # noqa: E402
from kommunedialog.statistics import comparison  # noqa: E402
from kommunedialog.statistics.catalogue import Aggregation, Polarity  # noqa: E402

INDICATORS, YEARS = 50, list(range(2015, 2025))


def register() -> list[tuple[str, str, str, float]]:
    source = read_source_dir(Path(settings.SHARED_DATA_DIR))
    facts = source.facts or {}
    rows = []
    for number in sorted(source.codes):
        f = facts.get(number)
        if f is None or number == "9999":
            continue
        rows.append((number, f.kostra_group or "", number[:2], float(f.population or 0)))
    return rows


def build_panel(rows: list[tuple[str, str, str, float]]) -> comparison.Panel:
    rng = np.random.default_rng(2024)
    values = rng.normal(100.0, 15.0, (INDICATORS, len(YEARS), len(rows)))
    values[rng.random(values.shape) < 0.03] = np.nan
    polarities = [Polarity.HIGHER_BETTER, Polarity.LOWER_BETTER, Polarity.NEUTRAL]
    specs = [
        comparison.IndicatorSpec(
            f"indicator_{i}",
            polarities[i % 3],
            Aggregation.SUM if i % 3 == 2 else Aggregation.WEIGHTED_MEAN,
            1,
        )
        for i in range(INDICATORS)
    ]
    return comparison.Panel(
        indicators=specs,
        years=YEARS,
        municipalities=[r[0] for r in rows],
        values=values,
        kostra_group=[r[1] or None for r in rows],
        county=[r[2] for r in rows],
        population=np.array([r[3] for r in rows]),
        official={},
    )


def long_frame(panel: comparison.Panel) -> pd.DataFrame:
    i, y, m = np.meshgrid(range(INDICATORS), range(len(YEARS)), range(len(panel.municipalities)), indexing="ij")
    return pd.DataFrame(
        {
            "indicator": i.ravel(),
            "year": np.array(YEARS)[y.ravel()],
            "municipality": np.array(panel.municipalities)[m.ravel()],
            "kostra_group": np.array(panel.kostra_group, dtype=object)[m.ravel()],
            "county": np.array(panel.county)[m.ravel()],
            "country": "EAK",
            "population": panel.population[m.ravel()],
            "value": panel.values.ravel(),
            "is_sum": (i.ravel() % 3) == 2,
        }
    )


def with_pandas(df: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The plain way: one groupby per scope for quantiles, weighted means, sums and counts."""
    df = df.assign(weighted=df["value"] * df["population"], weight=df["population"].where(df["value"].notna()))
    out = {}
    for scope in ("kostra_group", "county", "country"):
        grouped = df.groupby(["indicator", "year", scope])
        stats = grouped["value"].quantile([0.25, 0.5, 0.75]).unstack()
        sums = grouped[["weighted", "weight", "value"]].sum()
        stats["mean"] = sums["weighted"] / sums["weight"]
        stats["sum"] = sums["value"]
        stats["with_value"] = grouped["value"].count()
        stats["members"] = grouped["value"].size()
        out[scope] = stats
    ordered = df.sort_values(["indicator", "municipality", "year"])
    change = ordered["value"] - ordered.groupby(["indicator", "municipality"])["value"].shift(2)
    out["change"] = change.groupby(ordered["indicator"]).size().to_frame()
    return out


def check(result: comparison.Result, frames: dict[str, pd.DataFrame]) -> None:
    group = result.scopes[comparison.Scope.KOSTRA_GROUP]
    s = group.codes.index("EKG07")
    pandas_median = frames["kostra_group"].loc[(4, 2020, "EKG07"), 0.5]
    ours = group.median[4, YEARS.index(2020), s]
    assert abs(pandas_median - ours) < 1e-9, (pandas_median, ours)
    pandas_mean = frames["county"].loc[(1, 2024, "46"), "mean"]
    county = result.scopes[comparison.Scope.COUNTY]
    assert abs(pandas_mean - county.value[1, YEARS.index(2024), county.codes.index("46")]) < 1e-9


def timed(work: Callable[[], object], seconds: float) -> tuple[float, int]:
    work()
    runs, start = 0, time.perf_counter()
    best = float("inf")
    while time.perf_counter() - start < seconds or runs < 3:
        t0 = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - t0)
        runs += 1
    return best, runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    rows = register()
    panel = build_panel(rows)
    df = long_frame(panel)
    print(
        f"{len(rows)} municipalities, {len({r[1] for r in rows})} KOSTRA groups, {len({r[2] for r in rows})} "
        f"counties; {INDICATORS} indicators × {len(YEARS)} years = {panel.values.size} figures"
    )
    check(comparison.compute(panel), with_pandas(df))
    print("results agree (median, weighted mean)")
    t_ours, n_ours = timed(lambda: comparison.compute(panel), args.seconds)
    t_pandas, n_pandas = timed(lambda: with_pandas(df), args.seconds)
    print(f"ours:   {t_ours * 1000:8.2f} ms per full computation (best of {n_ours})")
    print(f"pandas: {t_pandas * 1000:8.2f} ms per full computation (best of {n_pandas})")
    print(f"ratio={t_pandas / t_ours:.1f}")


if __name__ == "__main__":
    main()
