"""Batch progress on stderr: a rich bar on a terminal, plain periodic lines otherwise."""

from __future__ import annotations

import sys
import time

PLAIN_PROGRESS_EVERY = 5.0  # seconds between plain progress lines (stderr not a TTY)


class Progress:
    """Documents/s, pages/s, ETA and failures so far on stderr: a rich bar on a terminal,
    plain periodic lines otherwise."""

    def __init__(self, total: int, enabled: bool, stream=None):
        self.total = total
        self.stream = stream or sys.stderr
        self.done = 0
        self.failed = 0
        self.pages = 0
        self.t0 = time.monotonic()
        self.last_line = self.t0
        self.rich = None
        self.plain = enabled and not (hasattr(self.stream, "isatty") and self.stream.isatty())
        if enabled and not self.plain and total:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )
            from rich.progress import Progress as RichProgress

            self.rich = RichProgress(
                TextColumn("[bold]reflow"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[docs_s]:.1f} docs/s"),
                TextColumn("{task.fields[pages_s]:.1f} pages/s"),
                TimeElapsedColumn(),
                TextColumn("ETA"),
                TimeRemainingColumn(),
                TextColumn("[red]{task.fields[failed]} failed"),
                console=Console(file=self.stream),
                transient=False,
            )
            self.rich.start()
            self.task = self.rich.add_task(
                "convert", total=total, docs_s=0.0, pages_s=0.0, failed=0
            )

    def rates(self) -> tuple[float, float]:
        dt = max(1e-6, time.monotonic() - self.t0)
        return self.done / dt, self.pages / dt

    def eta(self) -> float | None:
        docs_s, _ = self.rates()
        if not self.done or docs_s <= 0:
            return None
        return (self.total - self.done) / docs_s

    def advance(self, pages: int, failed: bool) -> None:
        self.done += 1
        self.pages += pages
        self.failed += int(failed)
        self.update()

    def update(self) -> None:
        if self.rich is not None:
            docs_s, pages_s = self.rates()
            self.rich.update(
                self.task, completed=self.done, docs_s=docs_s, pages_s=pages_s, failed=self.failed
            )
        elif self.plain:
            now = time.monotonic()
            if now - self.last_line >= PLAIN_PROGRESS_EVERY and self.done < self.total:
                self.last_line = now
                self.line()

    def line(self) -> None:
        docs_s, pages_s = self.rates()
        eta = self.eta()
        eta_s = f", ETA {_fmt_secs(eta)}" if eta is not None else ""
        print(
            f"reflow: {self.done}/{self.total} documents, {docs_s:.1f} docs/s, "
            f"{pages_s:.1f} pages/s, {self.failed} failed{eta_s}",
            file=self.stream,
            flush=True,
        )

    def close(self) -> None:
        if self.rich is not None:
            self.update()
            self.rich.stop()
            self.rich = None


def _fmt_secs(s: float) -> str:
    s = int(round(s))
    h, rem = divmod(s, 3600)
    m, sec = divmod(rem, 60)
    return f"{h}:{m:02d}:{sec:02d}" if h else f"{m}:{sec:02d}"
