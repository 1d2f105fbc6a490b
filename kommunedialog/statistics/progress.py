"""A text progress bar for the ingest commands: redrawn in place on a terminal, one line per quarter
otherwise, so logs of scheduled runs stay short."""

from __future__ import annotations

from collections.abc import Callable

WIDTH = 30


class ProgressBar:
    def __init__(self, write: Callable[[str], object], *, interactive: bool = False) -> None:
        self.write = write
        self.interactive = interactive
        self._last: tuple[str, int] | None = None

    def __call__(self, step: str, done: int, total: int) -> None:
        total = max(total, 1)
        share = min(done, total) / total
        quarter = int(share * 4)
        if not self.interactive:
            if self._last == (step, quarter):
                return
            self._last = (step, quarter)
        filled = int(share * WIDTH)
        line = f"{step} [{'#' * filled}{'.' * (WIDTH - filled)}] {done}/{total}"
        if self.interactive:
            self.write("\r" + line + ("\n" if done >= total else ""))
        else:
            self.write(line + "\n")
