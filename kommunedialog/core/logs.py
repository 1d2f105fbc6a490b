"""Structured logs: one JSON object a line, each carrying the id of the request it belongs to and, in the
task worker, the task's id and the id of the request that queued the task.

- ``RequestLogMiddleware`` gives each request an id (nginx's ``X-Request-ID`` when it looks like one,
  a new one otherwise), answers with it in ``X-Request-ID``, and writes one line per request: method,
  path, status and milliseconds.
- ``kommunedialog.core.task_backend`` records the request id beside every task a request queues, and
  the worker (``kommunedialog.core.worker``) binds it while it runs the task, so a request's line and its
  task's lines share one ``request_id``.
- No personal data: no client address, no user, no query string (a search may hold a name), and the
  login lockout names no username or address (``anonymous_client``).

Imported by the settings (LOGGING), so nothing here may load a model."""

from __future__ import annotations

import contextvars
import datetime as dt
import logging
import re
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import orjson
from django.http import HttpRequest, HttpResponse

REQUEST_ID: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
TASK_ID: contextvars.ContextVar[str] = contextvars.ContextVar("task_id", default="")

# What a proxy's request id may look like (nginx: 32 hex digits); anything else is replaced, so a client
# cannot write into the log through the header.
REQUEST_ID_PATTERN = re.compile(r"[A-Za-z0-9-]{8,64}")
# The attributes every LogRecord has; whatever else a record holds was passed as ``extra``.
_STANDARD = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {
    "message",
    "asctime",
    "context",
    "request_id",
    "task_id",
}

request_logger = logging.getLogger("kommunedialog.request")


@contextmanager
def bound(*, request_id: str = "", task_id: str = "") -> Iterator[None]:
    """Log lines written inside carry these ids."""
    tokens = [(REQUEST_ID, REQUEST_ID.set(request_id)), (TASK_ID, TASK_ID.set(task_id))]
    try:
        yield
    finally:
        for var, token in reversed(tokens):
            var.reset(token)


class ContextFilter(logging.Filter):
    """Puts the current request and task ids on every record (and ``context``, for the text format)."""

    def filter(self, record: logging.LogRecord) -> bool:
        request_id, task_id = REQUEST_ID.get(), TASK_ID.get()
        parts = [f"request={request_id}" * bool(request_id), f"task={task_id}" * bool(task_id)]
        record.__dict__.update(
            request_id=request_id, task_id=task_id, context="".join(f" [{part}]" for part in parts if part)
        )
        return True


class JsonFormatter(logging.Formatter):
    """``{"time", "level", "logger", "message", "request_id"?, "task_id"?, extras…, "exception"?}``."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in ("request_id", "task_id"):
            if value := getattr(record, key, ""):
                entry[key] = value
        entry.update(
            (key, value) for key, value in record.__dict__.items() if key not in _STANDARD and key not in entry
        )
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return orjson.dumps(entry, default=str).decode()


class RequestLogMiddleware:
    """First in the chain: every line written while the request is served carries its id."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        offered = request.headers.get("X-Request-ID", "")
        request_id = offered if REQUEST_ID_PATTERN.fullmatch(offered) else uuid.uuid4().hex
        started = time.perf_counter()
        with bound(request_id=request_id):
            response = self.get_response(request)
            request_logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
        response["X-Request-ID"] = request_id
        return response


def anonymous_client(username: str, ip_address: str, user_agent: str, path_info: Any, request: HttpRequest) -> str:
    """How django-axes names a client in its log lines (AXES_CLIENT_STR_CALLABLE): by the page only. Who it
    was is in the lockout table, kept for the lockout's length, not in logs kept for months."""
    path = path_info[0] if isinstance(path_info, list | tuple) else path_info
    return f"a client of {path}"
