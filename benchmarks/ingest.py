"""Ingest benchmark: parse and normalise SSB's real json-stat2 answers with our reader, with pyjstat,
and with bare ``orjson.loads`` on the same bytes, in the same run.

Usage: .venv/bin/python benchmarks/ingest.py [--seconds 3]
Reads every json-stat2 dataset in ../shared/data/ssb and ../shared/data/indicators/ssb-*.json (the
recorded v1 and v2 answers; files that are not datasets, such as query bodies and probes, are skipped) and processes the whole set again and
again for about ``--seconds`` per contender.

What each contender does per file:
* ours — ``kommunedialog.statistics.jsonstat.parse``: decode, check everything (sizes, indexes, value
  count and types, units, roles, status), and normalise to the cube the importer stores from
  (ordered codes and labels per dimension, values with None for status cells, status per cell);
* pyjstat — ``Dataset.read(text).write("dataframe")``, its documented way to a normalised table;
* orjson — ``orjson.loads`` only, the floor.

Prints the time per pass of each, then ``vs_pyjstat`` (goal ≥ 100) and ``vs_orjson`` (goal ≤ 2);
the last line is ``ratio=<pyjstat time / our time>``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kommunedialog.statistics import jsonstat  # noqa: E402


def data_dir() -> Path:
    return Path(os.environ.get("SHARED_DATA_DIR", ROOT.parent / "shared" / "data"))


def load_files() -> list[tuple[str, bytes]]:
    files = []
    for path in sorted([*(data_dir() / "ssb").rglob("*.json"), *(data_dir() / "indicators").glob("ssb-*.json")]):
        data = path.read_bytes()
        try:
            jsonstat.parse(data)
        except jsonstat.JsonStatError:
            continue
        files.append((path.name, data))
    if not files:
        sys.exit(f"No json-stat2 files in {data_dir() / 'ssb'}")
    return files


def per_pass(work: Callable[[], object], seconds: float) -> tuple[float, int]:
    """Seconds per pass over all files, measured over about ``seconds`` of work (best of 3 slices)."""
    work()  # warm up
    passes, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds / 3 or passes < 3:
        work()
        passes += 1
    slice_passes = max(1, passes)
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        for _ in range(slice_passes):
            work()
        best = min(best, (time.perf_counter() - t0) / slice_passes)
    return best, slice_passes * 4


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    warnings.simplefilter("ignore")  # pyjstat's pandas deprecation chatter
    from pyjstat import pyjstat

    files = load_files()
    texts = [(name, data.decode("utf-8")) for name, data in files]
    cells = sum(jsonstat.parse(data).cells for _, data in files)
    print(f"{len(files)} files, {sum(len(d) for _, d in files)} bytes, {cells} cells per pass:")
    for name, _ in files:
        print(f"  {name}")

    def ours() -> None:
        for _, data in files:
            jsonstat.parse(data)

    def bare() -> None:
        for _, data in files:
            orjson.loads(data)

    def with_pyjstat() -> None:
        for _, text in texts:
            pyjstat.Dataset.read(text).write("dataframe")

    t_ours, n_ours = per_pass(ours, args.seconds)
    t_orjson, n_orjson = per_pass(bare, args.seconds)
    t_pyjstat, n_pyjstat = per_pass(with_pyjstat, args.seconds)
    print(f"ours:    {t_ours * 1e6:10.1f} µs per pass ({n_ours} passes)")
    print(f"orjson:  {t_orjson * 1e6:10.1f} µs per pass ({n_orjson} passes)")
    print(f"pyjstat: {t_pyjstat * 1e6:10.1f} µs per pass ({n_pyjstat} passes)")
    print(f"vs_pyjstat={t_pyjstat / t_ours:.1f} (goal >= 100)")
    print(f"vs_orjson={t_ours / t_orjson:.2f} (goal <= 2)")
    print(f"ratio={t_pyjstat / t_ours:.1f}")


if __name__ == "__main__":
    main()
