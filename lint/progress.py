"""A progress bar on stderr while a corpus is linted: only when stderr is a terminal
(never in a pipe, a CI log or a test), drawn with rich and removed when done."""

from __future__ import annotations

import sys
from typing import Any


class Progress:
    """``start(total)``, ``advance()`` per file, ``stop()``; silent when not a TTY."""

    def __init__(self, enabled: bool | None = None):
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self._bar: Any = None
        self._task: Any = None

    def start(self, total: int) -> None:
        if not self.enabled or total < 2:
            return
        try:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn
            from rich.progress import Progress as Bar
        except ImportError:  # pragma: no cover - rich is a dependency
            return
        self._bar = Bar(TextColumn("filinglint"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                        console=Console(file=sys.stderr), transient=True)
        self._bar.start()
        self._task = self._bar.add_task("lint", total=total)

    def advance(self) -> None:
        if self._bar is not None:
            self._bar.advance(self._task)

    def stop(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
