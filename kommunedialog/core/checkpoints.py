"""Named points inside tasks where a test can stop a worker, to kill it there and see that a restarted worker
finishes the task exactly once (tests/core/test_worker.py).

With ``TASKS_PAUSE_AT=<checkpoint>:<directory>`` (never in production: the settings refuse it) a worker
that reaches the checkpoint writes ``<directory>/<checkpoint>.<pid>`` and waits there until it is killed.
Unset, ``reach`` returns at once."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from django.conf import settings

# The checkpoints there are, each named after what has just been done.
PDF_WRITTEN = "pdf-written"  # the PDF is written to its temporary file, not yet moved into place
PDF_IN_PLACE = "pdf-in-place"  # the PDF is in place, nothing after it done
MAIL_SENT = "outbox-mail-sent"  # one outbox mail sent and marked sent
CHECKPOINTS = frozenset({PDF_WRITTEN, PDF_IN_PLACE, MAIL_SENT})


def reach(name: str) -> None:
    wanted, _, directory = str(settings.TASKS_PAUSE_AT).partition(":")
    if wanted != name:
        return
    Path(directory, f"{name}.{os.getpid()}").touch()
    threading.Event().wait()  # for ever: the test kills the worker here
