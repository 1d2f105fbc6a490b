"""The production rehearsal (`make rehearse`, run by `make test`): the layout of docs/deployment.md on this
machine, driven only through nginx, then each process stopped in turn to show the drive fails without it.

1. Installs nginx (Debian's package) when it is missing, without letting the package start it.
2. A fresh PostgreSQL database and Redis database 6; migrate, collectstatic, the register, a coordinator
   and a kommunebilde through its meeting (deploy/rehearsal_data.py).
3. Starts, in production mode: gunicorn (deploy/gunicorn.conf.py, 2 workers, on a socket), a task worker,
   the scheduler, and nginx running deploy/nginx/kommunedialog.conf with its paths and ports swapped for
   this run's and a certificate made for it (TLS on 127.0.0.1).
4. Drives it through nginx: http redirects to https; the front page and a municipality page; a hashed
   static file served by nginx itself with its cache headers, gzip, and no trip to the app; the health
   endpoint (every check OK from the machine, refused from elsewhere); a login; five wrong passwords
   from one client address lock that address out and not the same user at another, nor does a forged
   X-Forwarded-For help; the coordinator publishes the kommunebilde from its page and the PDF, "being
   prepared" at first, is rendered by the worker; the publication's request id is in the worker's log.
5. Stops each of web, worker, scheduler and nginx in turn and checks that the drive then fails, naming what
   caught it, and that all is well again once the process is back.

Stops everything it started (also on failure or Ctrl+C) and exits non-zero on any failure; the logs stay
in the printed folder when it fails. Needs PostgreSQL (DATABASE_URL's server, or 127.0.0.1:5432) and Redis
(REDIS_URL's server, or 127.0.0.1:6379), as `make test` does."""

from __future__ import annotations

import contextlib
import datetime as dt
import ipaddress
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rehearsal_steps import PASSED, Failed, check_each_stop, drive, say, wait_until_healthy

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DATABASE = "kommunedialog_rehearsal"
REDIS_DB = 6
PROCESSES = ("web", "worker", "scheduler", "nginx")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# --- nginx -------------------------------------------------------------------------------------------


def nginx_binary() -> str:
    found = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)
    if found:
        return found
    if os.geteuid() != 0:
        sys.exit("nginx is not installed, and installing it needs root: apt-get install nginx")
    say("nginx is missing: installing Debian's package (without starting its service)")
    # The package would start nginx on port 80 at once; policy-rc.d says no, if no one said so already.
    policy = Path("/usr/sbin/policy-rc.d")
    ours = not policy.exists()
    if ours:
        policy.write_text("#!/bin/sh\nexit 101\n")
        policy.chmod(0o755)
    try:
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env, stdout=subprocess.DEVNULL)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "nginx"],
            check=True,
            env=env,
            stdout=subprocess.DEVNULL,
        )
    finally:
        if ours:
            policy.unlink()
    return shutil.which("nginx") or "/usr/sbin/nginx"


def nginx_site(run: Run) -> str:
    """deploy/nginx/kommunedialog.conf with this run's paths and ports; nothing else changes."""
    site = (ROOT / "deploy/nginx/kommunedialog.conf").read_text()
    swaps = {
        "listen 80;": f"listen 127.0.0.1:{run.http_port};",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{run.https_port} ssl http2;",
        "unix:/run/kommunedialog/gunicorn.sock": f"unix:{run.dir}/gunicorn.sock",
        "/etc/ssl/kommunedialog/fullchain.pem": str(run.dir / "cert.pem"),
        "/etc/ssl/kommunedialog/privkey.pem": str(run.dir / "key.pem"),
        "/var/log/nginx/kommunedialog.access.log": str(run.dir / "nginx-access.log"),
        "/srv/kommunedialog/static/": f"{run.static}/",
        "/etc/nginx/kommunedialog_proxy.conf": str(ROOT / "deploy/nginx/kommunedialog_proxy.conf"),
    }
    for production, here in swaps.items():
        if production not in site:
            raise Failed(f"deploy/nginx/kommunedialog.conf no longer has {production!r}; update the rehearsal")
        site = site.replace(production, here)
    # IPv6 may be off on a CI machine; the rehearsal listens on 127.0.0.1 only.
    return "\n".join(line for line in site.splitlines() if "listen [::]" not in line) + "\n"


def nginx_main(run: Run) -> str:
    temp = run.dir / "nginx-temp"
    temp.mkdir(exist_ok=True)
    # As root, nginx's workers would run as nobody, who may not read this run's folder.
    user = "user root;\n" if os.geteuid() == 0 else ""
    mime = "include /etc/nginx/mime.types;" if Path("/etc/nginx/mime.types").exists() else ""
    return f"""{user}daemon off;
worker_processes 2;
pid {run.dir}/nginx.pid;
error_log {run.dir}/nginx-error.log warn;
events {{ worker_connections 512; }}
http {{
    {mime}
    default_type application/octet-stream;
    sendfile on;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {run.dir}/kommunedialog.conf;
}}
"""


def make_certificate(directory: Path) -> None:
    """A self-signed certificate for 127.0.0.1 and localhost, valid for a day."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    (directory / "cert.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    (directory / "key.pem").write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    (directory / "key.pem").chmod(0o600)


# --- the run: database, processes --------------------------------------------------------------------


def base_urls() -> tuple[str, str]:
    database = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kommunedialog")
    if not database.startswith("postgres"):
        sys.exit("The rehearsal runs on PostgreSQL: DATABASE_URL must be a postgres:// URL")
    redis = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    return database.rsplit("/", 1)[0] + f"/{DATABASE}", redis.rsplit("/", 1)[0] + f"/{REDIS_DB}"


@dataclass
class Run:
    dir: Path
    database_url: str
    redis_url: str
    username: str = "rehearsal-coordinator"
    password: str = field(default_factory=lambda: secrets.token_urlsafe(18))
    http_port: int = field(default_factory=free_port)
    https_port: int = field(default_factory=free_port)
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    # gunicorn workers; the load benchmark (benchmarks/layout_load.py) runs the config's own number (None).
    web_workers: int | None = 2
    nginx: str = ""

    @property
    def static(self) -> Path:
        return self.dir / "static"

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "DJANGO_ENV": "production",
            "DEBUG": "false",
            "SECRET_KEY": self.secret,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "EMAIL_URL": f"filemail:///{self.dir}/mail",
            "STATIC_ROOT": str(self.static),
            "MEDIA_ROOT": str(self.dir / "media"),
            "TASKS_BACKEND": "database",
            "TRUSTED_PROXY_COUNT": "1",
            "LOG_FORMAT": "json",
            "PYTHONUNBUFFERED": "1",
        }

    def __post_init__(self) -> None:
        self.secret = secrets.token_urlsafe(50)

    def manage(self, *args: str, env: dict[str, str] | None = None) -> str:
        result = subprocess.run(
            [str(BIN / "python"), "manage.py", *args],
            cwd=ROOT,
            env=env or self.env(),
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode:
            raise Failed(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def command(self, name: str) -> list[str]:
        return {
            "web": [
                str(BIN / "gunicorn"),
                "--config",
                "deploy/gunicorn.conf.py",
                "--bind",
                f"unix:{self.dir}/gunicorn.sock",
                *(["--workers", str(self.web_workers)] if self.web_workers else []),
                "config.wsgi",
            ],
            "worker": [str(BIN / "python"), "manage.py", "task_worker", "--no-reload", "--worker-id", "rehearsal-1"],
            "scheduler": [str(BIN / "python"), "manage.py", "task_scheduler"],
            "nginx": [
                self.nginx,
                "-p",
                str(self.dir),
                "-e",
                str(self.dir / "nginx-error.log"),
                "-c",
                str(self.dir / "nginx.conf"),
            ],
        }[name]

    def start(self, name: str) -> None:
        log = (self.dir / f"{name}.log").open("ab")
        self.processes[name] = subprocess.Popen(
            self.command(name), cwd=ROOT, env=self.env(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def stop(self, name: str) -> None:
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGQUIT if name == "nginx" else signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)

    def stop_all(self) -> None:
        for name in reversed(PROCESSES):
            self.stop(name)

    def check_alive(self) -> None:
        for name, process in self.processes.items():
            if process.poll() is not None:
                raise Failed(f"{name} exited with {process.returncode}:\n{self.log(name)[-3000:]}")

    def log(self, name: str) -> str:
        path = self.dir / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""


def prepare(run: Run) -> dict[str, object]:
    import psycopg
    import redis

    admin_url = run.database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{DATABASE}"')
    redis.Redis.from_url(run.redis_url).flushdb()
    run.manage("migrate", "--noinput")
    run.manage("collectstatic", "--noinput")
    data_env = {
        **run.env(),
        "TASKS_BACKEND": "immediate",
        "LOG_LEVEL": "WARNING",
        "REHEARSAL_USERNAME": run.username,
        "REHEARSAL_PASSWORD": run.password,
    }
    result = subprocess.run(
        [str(BIN / "python"), "deploy/rehearsal_data.py"],
        cwd=ROOT,
        env=data_env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        raise Failed(f"deploy/rehearsal_data.py failed:\n{result.stdout}\n{result.stderr}")
    data: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    make_certificate(run.dir)
    (run.dir / "kommunedialog.conf").write_text(nginx_site(run))
    (run.dir / "nginx.conf").write_text(nginx_main(run))
    test = subprocess.run([*run.command("nginx"), "-t", "-q"], cwd=ROOT, capture_output=True, text=True, check=False)
    if test.returncode:
        raise Failed(f"nginx -t refused the configuration:\n{test.stderr}")
    return data


def drop_database(run: Run) -> None:
    import psycopg

    admin_url = run.database_url.rsplit("/", 1)[0] + "/postgres"
    with contextlib.suppress(psycopg.Error), psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')


@contextlib.contextmanager
def stopped_on_exit(run: Run) -> Iterator[None]:
    def interrupted(signum: int, frame: object) -> None:
        raise KeyboardInterrupt(signal.Signals(signum).name)

    previous = signal.signal(signal.SIGTERM, interrupted)
    try:
        yield
    finally:
        run.stop_all()
        signal.signal(signal.SIGTERM, previous)


def main() -> int:
    started = time.monotonic()
    database_url, redis_url = base_urls()
    directory = Path(tempfile.mkdtemp(prefix="kd-rehearsal-"))
    directory.chmod(0o755)
    run = Run(directory, database_url, redis_url)
    ok = False
    try:
        run.nginx = nginx_binary()
        with stopped_on_exit(run):
            say(f"preparing in {directory}: database {DATABASE}, Redis db {REDIS_DB}")
            data = prepare(run)
            say(f"starting {', '.join(PROCESSES)}; nginx on https://127.0.0.1:{run.https_port}/")
            for name in PROCESSES:
                run.start(name)
            wait_until_healthy(run)
            drive(run, data)
            check_each_stop(run)
            ok = True
    except Failed as failure:
        say(f"FAILED: {failure}")
    except KeyboardInterrupt as stop:
        say(f"stopped ({stop})")
    finally:
        drop_database(run)
    if ok:
        shutil.rmtree(directory, ignore_errors=True)
        say(f"passed in {time.monotonic() - started:.0f} s")
        print(f"rehearsal: {len(PASSED)} passed, 0 failed", flush=True)
        return 0
    say(f"logs kept in {directory}")
    for name in PROCESSES:
        tail = run.log(name).splitlines()[-15:]
        if tail:
            print(f"--- {name} (last lines)\n" + "\n".join(tail), flush=True)
    print(f"rehearsal: {len(PASSED)} passed, 1 failed", flush=True)
    return 1


if __name__ == "__main__":
    sys.exit(main())
