"""Build progress for a terminal: one line, drawn again in place, that says how many files
are done, how fast, and how long is left. Nothing at all when the stream is not a
terminal (piped or redirected output stays clean)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO

REDRAW_EVERY = 0.2  # seconds between redraws: a terminal need not show each file


def describe(done: int, total: int, elapsed: float) -> str:
    """'indexing 120/2,000 files, 40 files/s, about 47 s left' (rate and time once known)."""
    line = f"indexing {done:,}/{total:,} files"
    if done <= 0 or elapsed <= 0.5:
        return line
    rate = done / elapsed
    line += f", {rate:,.0f} files/s" if rate >= 10 else f", {rate:.1f} files/s"
    if done < total:
        line += f", about {_duration((total - done) / rate)} left"
    return line


def _duration(seconds: float) -> str:
    s = round(seconds)
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min {s % 60:02} s"
    return f"{s // 3600} h {s % 3600 // 60:02} min"


class TerminalProgress:
    """A progress callback for SearchIndex.update that draws on a terminal stream.

    Call it with (done, total) as often as you like; call finish() once the update is
    over, to end the line.
    """

    def __init__(self, stream: TextIO, clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream
        self.clock = clock
        self.began = clock()
        self.drawn_at = float("-inf")
        self.width = 0  # of the line drawn last, to blank what a shorter one leaves

    def __call__(self, done: int, total: int) -> None:
        now = self.clock()
        if done < total and now - self.drawn_at < REDRAW_EVERY:
            return
        self.drawn_at = now
        line = describe(done, total, now - self.began)
        pad = " " * max(0, self.width - len(line))
        self.width = len(line)
        self.stream.write(f"\r{line}{pad}")
        self.stream.flush()

    def finish(self) -> None:
        """End the progress line (if one was drawn)."""
        if self.width:
            self.stream.write("\n")
            self.stream.flush()


def terminal_progress(stream: TextIO) -> TerminalProgress | None:
    """A TerminalProgress on stream when it is a terminal; None when it is not."""
    try:
        interactive = stream.isatty()
    except (AttributeError, ValueError):  # a closed or odd stream
        interactive = False
    return TerminalProgress(stream) if interactive else None
