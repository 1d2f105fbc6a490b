"""Load benchmark: the public front page and a municipality page under wrk, served by gunicorn
(2 workers) in production mode on PostgreSQL, all on loopback.

Usage: .venv/bin/python benchmarks/load.py [--duration 60] [--connections 16]
Needs PostgreSQL (DATABASE_URL, or the local server on 127.0.0.1:5432) and wrk (Debian package "wrk").
Prints requests/s, latency percentiles and errors; the last line is
``errors=<n> p50_ms=<x> p99_ms=<x>`` (goal: 0 errors and p99 ≤ 10 × p50).
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
PATHS = ["/", "/kommuner/1133/"]
LUA = """
local paths = {%s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
"""


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
    }
    subprocess.run(["dropdb", "--if-exists", *_pg_args(env), "kommunedialog_bench"], check=False)
    subprocess.run(["createdb", *_pg_args(env), "kommunedialog_bench"], check=True)
    print("Preparing: migrate, register import, collectstatic …", flush=True)
    run([str(BIN / "python"), "manage.py", "migrate", "--noinput"], env)
    run([str(BIN / "python"), "manage.py", "import_registry"], env)
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
        for path in PATHS:  # warm both workers' caches and connections
            for _ in range(10):
                urllib.request.urlopen(base + path, timeout=5)  # noqa: S310
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(LUA % ", ".join(f'"{p}"' for p in PATHS))
        print(f"wrk: {args.duration} s, {args.connections} connections, 2 threads, paths {PATHS}", flush=True)
        out = subprocess.run(
            ["wrk", "-t2", f"-c{args.connections}", f"-d{args.duration}s", "--latency", "-s", script.name, base],
            capture_output=True,
            text=True,
            check=True,
            timeout=args.duration + 60,
        ).stdout
    finally:
        server.terminate()
        server.wait(timeout=30)
        subprocess.run(["dropdb", "--if-exists", *_pg_args(env), "kommunedialog_bench"], check=False)
        shutil.rmtree(static_root, ignore_errors=True)

    print(out)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = to_ms(re.search(r"\s50%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    p99 = to_ms(re.search(r"\s99%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    non_2xx = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0
    socket_errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    errors = non_2xx + socket_errors
    print(f"requests_per_s={rps:.1f} p99_over_p50={p99 / p50:.2f}")
    print(f"errors={errors} p50_ms={p50:.2f} p99_ms={p99:.2f}")


def _pg_args(env: dict[str, str]) -> list[str]:
    from urllib.parse import urlparse

    url = urlparse(env["DATABASE_URL"])
    if url.password:
        os.environ["PGPASSWORD"] = url.password
    return ["-h", url.hostname or "127.0.0.1", "-p", str(url.port or 5432), "-U", url.username or "postgres"]


if __name__ == "__main__":
    main()
