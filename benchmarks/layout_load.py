"""Load through the production layout: the rehearsal's processes (deploy/rehearse.py: nginx with TLS, gunicorn
with deploy/gunicorn.conf.py's own worker count, a task worker, the scheduler, PostgreSQL, Redis), a
kommunebilde published through the coordinator's page, then wrk through nginx on each public page in turn.
The figures for the sizing in docs/deployment.md.

Usage: .venv/bin/python benchmarks/layout_load.py [--duration 20] [--connections 32]
Needs what `make rehearse` needs, and wrk (Debian package "wrk"). Prints one line a page,
``page=<name> rps=<n> p50_ms=<x> p99_ms=<x> errors=<n> ratio=<rps over the static file's>``; the static
file, served by nginx alone, is the baseline measured in the same run.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "deploy"))

from rehearsal_steps import Browser, step_publish_and_pdf, wait_until_healthy
from rehearse import PROCESSES, Run, base_urls, drop_database, nginx_binary, prepare


def to_ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def load(url: str, *, duration: int, connections: int) -> dict[str, float]:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
        timeout=duration + 60,
    ).stdout
    non_2xx = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        "p50_ms": to_ms(re.search(r"\s50%\s+(\S+)", out).group(1)),  # type: ignore[union-attr]
        "p99_ms": to_ms(re.search(r"\s99%\s+(\S+)", out).group(1)),  # type: ignore[union-attr]
        "errors": non_2xx + sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out)),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (Debian: apt-get install wrk)")
    database_url, redis_url = base_urls()
    directory = Path(tempfile.mkdtemp(prefix="kd-layout-load-"))
    directory.chmod(0o755)
    run = Run(directory, database_url, redis_url, web_workers=None)
    run.nginx = nginx_binary()
    try:
        data = prepare(run)
        for name in PROCESSES:
            run.start(name)
        wait_until_healthy(run)
        step_publish_and_pdf(run, data)
        front = Browser(run).get("/").text
        static = re.search(r'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', front).group(1)  # type: ignore[union-attr]
        pages = {
            "static_file": static,
            "front_page": "/",
            "municipality_page": "/kommuner/1133/",
            "kommunebilde_pdf": "/kommuner/1133/kommunebilde.pdf",
        }
        base = f"https://127.0.0.1:{run.https_port}"
        print(
            f"wrk: {args.duration} s a page, {args.connections} connections, 2 threads, through nginx (TLS); "
            f"gunicorn workers: {os.cpu_count() * 2 + 1} on {os.cpu_count()} cores",  # type: ignore[operator]
            flush=True,
        )
        baseline = 0.0
        for name, path in pages.items():
            figures = load(base + path, duration=args.duration, connections=args.connections)
            baseline = baseline or figures["rps"]
            print(
                f"page={name} rps={figures['rps']:.1f} p50_ms={figures['p50_ms']:.2f} p99_ms={figures['p99_ms']:.2f} "
                f"errors={figures['errors']:.0f} ratio={figures['rps'] / baseline:.3f}",
                flush=True,
            )
            time.sleep(1)
    finally:
        run.stop_all()
        drop_database(run)
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()
