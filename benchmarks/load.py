"""Load benchmark: the empty layout, then the public municipality page (Hjelmeland, with the demo's real
figures and published kommunebilde), each under wrk for half the
duration, served by gunicorn (2 workers) in production mode on PostgreSQL and Redis, all on loopback.

Usage: .venv/bin/python benchmarks/load.py [--duration 60] [--connections 16]
Needs PostgreSQL (DATABASE_URL, or the local server on 127.0.0.1:5432), Redis (REDIS_URL, or
127.0.0.1:6379) and wrk (Debian package "wrk"). Prints each run's requests/s and latency percentiles;
the last lines are ``rps_ratio=<page over layout>`` (goal ≥ 0.5) and
``errors=<n> p50_ms=<x> p99_ms=<x>`` for the page (goal: 0 errors and p99 ≤ 10 × p50).
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
LAYOUT = "/__empty__/"  # the site's layout with nothing in it (benchmarks/pages_urls.py)
PAGE = "/kommuner/1133/"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def database_url() -> str:
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kommunedialog")
    if not base.startswith("postgres"):
        sys.exit("benchmarks/load.py measures on PostgreSQL: set DATABASE_URL to a postgres:// URL")
    return base.rsplit("/", 1)[0] + "/kommunedialog_bench"


def run(cmd: list[str], env: dict[str, str]) -> None:
    subprocess.run(cmd, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def to_ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (Debian: apt-get install wrk)")

    static_root = tempfile.mkdtemp(prefix="kd-static-")
    env = {
        **os.environ,
        "DJANGO_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "EMAIL_URL": "smtp://127.0.0.1:25",
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/5"),
        "SECURE_SSL_REDIRECT": "false",  # TLS ends at the proxy in production; wrk talks plain HTTP
        "DATABASE_URL": database_url(),
        "STATIC_ROOT": static_root,
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings_layout",
    }
    subprocess.run(["dropdb", "--if-exists", *_pg_args(env), "kommunedialog_bench"], check=False)
    subprocess.run(["createdb", *_pg_args(env), "kommunedialog_bench"], check=True)
    print(
        "Preparing: migrate, the demo content (register, real statistics, published kommunebilder), collectstatic …",
        flush=True,
    )
    run([str(BIN / "python"), "manage.py", "migrate", "--noinput"], env)
    # The demo refuses production settings (it creates accounts with published passwords): load it as
    # development into the same database, then serve that database in production mode.
    demo_env = {k: v for k, v in env.items() if k not in ("DJANGO_ENV", "DJANGO_SETTINGS_MODULE")}
    run([str(BIN / "python"), "manage.py", "load_demo"], {**demo_env, "DEBUG": "false"})
    run([str(BIN / "python"), "manage.py", "collectstatic", "--noinput"], env)

    port = free_port()
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "config.wsgi:application",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/", timeout=2)  # noqa: S310
                break
            except OSError:
                time.sleep(0.1)
        for path in (LAYOUT, PAGE):  # warm both workers' caches and connections
            for _ in range(10):
                urllib.request.urlopen(base + path, timeout=5)  # noqa: S310
        half = max(1, args.duration // 2)
        results = {}
        for name, path in (("layout", LAYOUT), ("page", PAGE)):
            print(f"wrk: {half} s, {args.connections} connections, 2 threads, {path}", flush=True)
            results[name] = subprocess.run(
                ["wrk", "-t2", f"-c{args.connections}", f"-d{half}s", "--latency", base + path],
                capture_output=True,
                text=True,
                check=True,
                timeout=half + 60,
            ).stdout
    finally:
        server.terminate()
        server.wait(timeout=30)
        subprocess.run(["dropdb", "--if-exists", *_pg_args(env), "kommunedialog_bench"], check=False)
        shutil.rmtree(static_root, ignore_errors=True)

    figures = {}
    for name, out in results.items():
        print(out)
        figures[name] = summary(out)
        rps, p50, p99, errors = figures[name]
        print(f"{name}: requests_per_s={rps:.1f} p50_ms={p50:.2f} p99_ms={p99:.2f} errors={errors}")
    rps, p50, p99, errors = figures["page"]
    print(f"rps_ratio={rps / figures['layout'][0]:.3f} (the municipality page over the empty layout)")
    print(f"errors={errors + figures['layout'][3]} p50_ms={p50:.2f} p99_ms={p99:.2f} p99_over_p50={p99 / p50:.2f}")


def summary(out: str) -> tuple[float, float, float, int]:
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = to_ms(re.search(r"\s50%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    p99 = to_ms(re.search(r"\s99%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    non_2xx = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0
    socket_errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    return rps, p50, p99, non_2xx + socket_errors


def _pg_args(env: dict[str, str]) -> list[str]:
    from urllib.parse import urlparse

    url = urlparse(env["DATABASE_URL"])
    if url.password:
        os.environ["PGPASSWORD"] = url.password
    return ["-h", url.hostname or "127.0.0.1", "-p", str(url.port or 5432), "-U", url.username or "postgres"]


if __name__ == "__main__":
    main()
