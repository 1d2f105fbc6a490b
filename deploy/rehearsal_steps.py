"""The drive of the production rehearsal (deploy/rehearse.py): a small browser that talks to nginx over TLS
from a chosen loopback address, and the steps a person and an operator would take, each raising Failed
with what production must give and did not."""

from __future__ import annotations

import http.client
import json
import re
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import TYPE_CHECKING
from urllib.parse import urlencode

if TYPE_CHECKING:
    from rehearse import Run

PDF_SECONDS = 120
STARTUP_SECONDS = 90
# Loopback addresses standing for three people's machines (all of 127.0.0.0/8 is this machine).
GUESSER, PERSON, OTHER_PLACE = "127.0.0.2", "127.0.0.3", "127.0.0.4"


class Failed(Exception):
    """A step of the drive did not give what production must give."""


PASSED: list[str] = []


def say(text: str) -> None:
    print(f"[rehearse {time.strftime('%H:%M:%S')}] {text}", flush=True)


def passed(text: str) -> None:
    PASSED.append(text)
    say(f"ok  {text}")


# --- a browser of sorts ------------------------------------------------------------------------------


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


@dataclass
class Browser:
    """One person's client: its own cookies, connecting from ``source`` to nginx over TLS."""

    run: Run
    source: str = "127.0.0.1"
    cookies: dict[str, str] = field(default_factory=dict)

    def request(
        self,
        method: str,
        path: str,
        *,
        form: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        tls: bool = True,
    ) -> Response:
        host = f"127.0.0.1:{self.run.https_port if tls else self.run.http_port}"
        if tls:
            context = ssl.create_default_context(cafile=str(self.run.dir / "cert.pem"))
            connection: http.client.HTTPConnection = http.client.HTTPSConnection(
                "127.0.0.1", self.run.https_port, context=context, timeout=30, source_address=(self.source, 0)
            )
        else:
            connection = http.client.HTTPConnection(
                "127.0.0.1", self.run.http_port, timeout=30, source_address=(self.source, 0)
            )
        sent = {"Host": host, **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            sent |= {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": f"https://{host}",
                "Referer": f"https://{host}{path}",
            }
        try:
            connection.request(method, path, body=body, headers=sent)
            answer = connection.getresponse()
            response = Response(answer.status, answer.headers, answer.read())
        except OSError as error:
            raise Failed(f"{method} {path}: {error}") from error
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response

    def get(self, path: str, **kwargs: object) -> Response:
        return self.request("GET", path, **kwargs)  # type: ignore[arg-type]

    def csrf(self, html: str) -> str:
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        if not match:
            raise Failed("no CSRF token in the form")
        return match.group(1)

    def log_in(self, password: str) -> Response:
        page = self.get("/konto/logg-inn/")
        return self.request(
            "POST",
            "/konto/logg-inn/",
            form={"csrfmiddlewaretoken": self.csrf(page.text), "username": self.run.username, "password": password},
        )


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise Failed(message)


# --- the drive ---------------------------------------------------------------------------------------


def step_redirect_to_https(run: Run) -> None:
    response = Browser(run).get("/", tls=False)
    expect(response.status == 301, f"http answered {response.status}, not a redirect")
    expect(response.headers["Location"].startswith("https://"), f"http redirects to {response.headers['Location']}")


def step_front_page(run: Run) -> None:
    response = Browser(run).get("/")
    expect(response.status == 200, f"the front page answered {response.status}")
    expect("<html" in response.text, "the front page is not a page")
    expect("max-age=31536000" in response.headers.get("Strict-Transport-Security", ""), "no HSTS on the front page")
    expect(
        re.fullmatch(r"[0-9a-f]{32}", response.headers.get("X-Request-ID", "")) is not None,
        "the app did not answer with nginx's request id",
    )


def step_municipality_page(run: Run) -> None:
    response = Browser(run).get("/kommuner/1133/")
    expect(response.status == 200, f"the municipality page answered {response.status}")
    expect("Hjelmeland" in response.text, "the municipality page does not name Hjelmeland")


def step_static_file(run: Run) -> None:
    front = Browser(run).get("/").text
    match = re.search(r'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', front)
    expect(match is not None, "the front page links no hashed stylesheet")
    assert match is not None
    path = match.group(1)
    response = Browser(run).get(path, headers={"Accept-Encoding": "gzip"})
    expect(response.status == 200, f"{path} answered {response.status}")
    expect(
        response.headers.get("Cache-Control") == "public, max-age=31536000, immutable",
        f"{path} has Cache-Control {response.headers.get('Cache-Control')!r}",
    )
    expect(response.headers.get("Content-Encoding") == "gzip", f"{path} was not served from its .gz")
    expect(response.headers.get("X-Request-ID") is None, f"{path} was answered by the app, not by nginx")


def step_health(run: Run) -> None:
    response = Browser(run).get("/health/")
    body = json.loads(response.body or b"{}") if response.headers.get_content_type() == "application/json" else {}
    checks = {name: check.get("status") for name, check in body.get("checks", {}).items()}
    failing = {name: body["checks"][name].get("error") for name, status in checks.items() if status != "ok"}
    expect(response.status == 200, f"health answered {response.status}: {failing or response.text[:200]}")
    expected = {"database", "cache", "storage", "task_queue", "scheduler"}
    expect(set(checks) == expected and not failing, f"health checks {checks}, expected {sorted(expected)} all ok")
    outside = Browser(run, source=GUESSER).get("/health/")
    expect(outside.status == 403, f"health from outside the machine answered {outside.status}, not 403")


def step_login(run: Run) -> None:
    response = Browser(run, source=PERSON).log_in(run.password)
    expect(
        (response.status, response.headers.get("Location")) == (302, "/konto/meg/"),
        f"the login answered {response.status} {response.headers.get('Location')}",
    )


def step_lockout(run: Run) -> None:
    guesser = Browser(run, source=GUESSER)
    statuses = [guesser.log_in("wrong-password").status for _ in range(5)]
    expect(statuses == [200, 200, 200, 200, 429], f"five wrong passwords answered {statuses}")
    expect(guesser.log_in(run.password).status == 429, "the locked-out address got in with the right password")
    forged = guesser.request(
        "POST",
        "/konto/logg-inn/",
        form={
            "csrfmiddlewaretoken": guesser.csrf(guesser.get("/konto/logg-inn/").text),
            "username": run.username,
            "password": run.password,
        },
        headers={"X-Forwarded-For": OTHER_PLACE},
    )
    expect(forged.status == 429, f"a forged X-Forwarded-For got the guesser an answer {forged.status}")
    elsewhere = Browser(run, source=OTHER_PLACE).log_in(run.password)
    expect(elsewhere.status == 302, f"the same user at another address answered {elsewhere.status}: locked out")


def step_publish_and_pdf(run: Run, data: dict[str, object]) -> None:
    coordinator = Browser(run, source=PERSON)
    expect(coordinator.log_in(run.password).status == 302, "the coordinator could not log in")
    page = coordinator.get(f"/kommunebilde/profil/{data['profile_id']}/")
    expect(page.status == 200, f"the coordinator's kommunebilde page answered {page.status}")
    form = re.search(r'<form[^>]*action="([^"]*/handling/publish/)"(.*?)</form>', page.text, re.S)
    expect(form is not None, "the kommunebilde page has no publish button")
    assert form is not None
    published = coordinator.request(
        "POST", form.group(1), form={"csrfmiddlewaretoken": coordinator.csrf(form.group(2))}
    )
    expect(published.status == 302, f"publishing answered {published.status}")
    request_id = published.headers.get("X-Request-ID", "")
    reader = Browser(run, source=OTHER_PLACE)
    path = f"/kommuner/{data['municipality']}/kommunebilde.pdf"
    deadline = time.monotonic() + PDF_SECONDS
    statuses = []
    while True:
        response = reader.get(path)
        statuses.append(response.status)
        if response.status == 200:
            break
        expect(response.status == 202, f"the PDF answered {response.status}")
        expect(response.headers.get("Retry-After") == "10", "'being prepared' without Retry-After")
        expect(time.monotonic() < deadline, f"the worker did not render the PDF in {PDF_SECONDS} s")
        time.sleep(0.5)
    expect(response.headers.get_content_type() == "application/pdf", "the PDF is not a PDF")
    expect(response.body.startswith(b"%PDF"), "the PDF does not start with %PDF")
    say(f"  PDF {len(response.body)} bytes after {len(statuses) - 1} 'being prepared' answer(s)")
    lines = [json.loads(line) for line in run.log("worker").splitlines() if line.startswith("{")]
    ours = [line for line in lines if line.get("request_id") == request_id and line.get("task_id")]
    expect(bool(ours), f"no worker log line carries the publication's request id {request_id}")
    expect(
        any("render_snapshot_pdf state=SUCCESSFUL" in line["message"] for line in ours),
        "the worker's line for the PDF render does not carry the publication's request id",
    )


def wait_until_healthy(run: Run) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        run.check_alive()
        try:
            step_health(run)
            step_front_page(run)
            return
        except Failed as failure:
            if time.monotonic() > deadline:
                raise Failed(f"not healthy {STARTUP_SECONDS} s after start: {failure}") from failure
        time.sleep(0.5)


# The drive that can be repeated (the publication happens once), for the checks with a process stopped.
REPEATABLE: list[tuple[str, Callable[[Run], None]]] = [
    ("front page", step_front_page),
    ("municipality page", step_municipality_page),
    ("static file", step_static_file),
    ("health", step_health),
    ("login", step_login),
]


def drive(run: Run, data: dict[str, object]) -> None:
    steps: list[tuple[str, Callable[[Run], None]]] = [
        ("http to https", step_redirect_to_https),
        *REPEATABLE,
        ("lockout by address", step_lockout),
        ("publication and PDF", lambda r: step_publish_and_pdf(r, data)),
    ]
    for name, step in steps:
        started = time.monotonic()
        step(run)
        passed(f"{name} ({time.monotonic() - started:.1f} s)")
    for name in ("web", "worker", "scheduler", "nginx"):
        lines = [line for line in run.log(name).splitlines() if line.strip()]
        if name != "nginx":
            not_json = [line for line in lines if not line.startswith("{")]
            expect(not not_json, f"{name} logged lines that are not JSON: {not_json[:3]}")
    passed("every line the app processes logged is JSON")


def first_failure(run: Run) -> str | None:
    for name, step in REPEATABLE:
        try:
            step(run)
        except Failed as failure:
            return f"{name}: {failure}"
    return None


def check_each_stop(run: Run) -> None:
    """Stop each process in turn: the drive must fail; started again, it must pass."""
    for name in ("web", "worker", "scheduler", "nginx"):
        run.stop(name)
        caught = first_failure(run)
        expect(caught is not None, f"with {name} stopped the drive still passed")
        passed(f"{name} stopped: the drive fails at {caught}")
        run.start(name)
        wait_until_healthy(run)
