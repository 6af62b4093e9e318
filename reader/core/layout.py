"""Wrap a document into screen rows, keeping character offsets.

A row is a (start, end) range into Document.text. Wrapping is done per width
and lazily, so the first screen of a huge file costs the same as a short one.
Tabs expand to the next multiple of TAB_SIZE; wide (CJK) characters take two
cells and combining marks none, as the terminal draws them.
"""

from __future__ import annotations

import bisect
import re
import threading
from array import array
from collections.abc import Sequence

from rich.cells import get_character_cell_size

TAB_SIZE = 8
# Anything that is not one cell wide (tabs, wide, zero-width, combining, emoji).
_NOT_NARROW = re.compile(
    "[\t\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0e31-\u0e3a"
    "\u1100-\u115f\u1ab0-\u1aff\u1dc0-\u1dff\u200b-\u200f\u20d0-\u20ff\u231a-\u231b"
    "\u2329-\u232a\u23e9-\u23ff\u25fd-\u25fe\u2600-\u27bf\u2e80-\ua4cf\ua960-\ua97f"
    "\uac00-\ud7ff\uf900-\ufaff\ufe00-\ufe0f\ufe10-\ufe1f\ufe20-\ufe2f\ufe30-\ufe6f"
    "\uff00-\uff60\uffe0-\uffe6\U0001f000-\U0001faff\U00020000-\U0003fffd\U000e0100-\U000e01ef]"
)
# Lines wrapped per locked step when completing a layout in the background.
CHUNK_LINES = 4000


def char_cells(ch: str, col: int) -> int:
    """Cells the character takes when drawn at column col."""
    if ch == "\t":
        return TAB_SIZE - col % TAB_SIZE
    return get_character_cell_size(ch)


def is_narrow(s: str) -> bool:
    """True when every character of s takes exactly one cell."""
    return _NOT_NARROW.search(s) is None


def wrap_line(text: str, start: int, end: int, width: int) -> list[tuple[int, int]]:
    """Greedy word wrap of text[start:end] (one line, no newline) into rows."""
    width = max(1, width)
    if end - start <= width and (text.isascii() or is_narrow(text[start:end])):
        return [(start, end)]
    if is_narrow(text[start:end]):
        return _wrap_narrow(text, start, end, width)
    return _wrap_cells(text, start, end, width)


def _wrap_narrow(text: str, start: int, end: int, width: int) -> list[tuple[int, int]]:
    rows = []
    pos = start
    while end - pos > width:
        cut = text.rfind(" ", pos, pos + width + 1)
        if cut <= pos:
            cut = pos + width
            rows.append((pos, cut))
            pos = cut
            continue
        rows.append((pos, cut))
        pos = cut
        while pos < end and text[pos] == " ":
            pos += 1
    if pos < end or not rows:
        rows.append((pos, end))
    return rows


def _wrap_cells(text: str, start: int, end: int, width: int) -> list[tuple[int, int]]:
    rows = []
    row_start = start
    col = 0
    brk = -1  # offset where the row may end (a space, or before a wide char)
    i = start
    while i < end:
        ch = text[i]
        w = char_cells(ch, col)
        if ch == " ":
            brk = i
        elif w == 2 and i > row_start:
            brk = i if brk < i else brk
        if col + w > width and i > row_start:
            cut = brk if brk > row_start else i
            rows.append((row_start, cut))
            row_start = cut
            while row_start < end and text[row_start] == " ":
                row_start += 1
            i = row_start
            col = 0
            brk = -1
            continue
        col += w
        i += 1
        if w == 2:
            brk = i
    rows.append((row_start, end))
    return rows


class Layout:
    """Rows of a text at one width, wrapped lazily and thread-safely."""

    def __init__(self, text: str, line_starts: Sequence[int], width: int) -> None:
        self.text = text
        self.width = max(1, width)
        self._line_starts = line_starts
        self._next_line = 0
        self.starts: array[int] = array("q")
        self.ends: array[int] = array("q")
        self._lock = threading.Lock()

    @property
    def done(self) -> bool:
        return self._next_line >= len(self._line_starts)

    def _wrap_lines(self, count: int) -> None:
        text = self.text
        ls = self._line_starts
        n = len(ls)
        stop = min(n, self._next_line + count)
        starts, ends = self.starts, self.ends
        for i in range(self._next_line, stop):
            s = ls[i]
            e = ls[i + 1] - 1 if i + 1 < n else len(text)
            for a, b in wrap_line(text, s, e, self.width):
                starts.append(a)
                ends.append(b)
        self._next_line = stop

    def ensure_rows(self, count: int) -> None:
        """Wrap until at least count rows exist (or the text ends)."""
        while len(self.starts) < count and not self.done:
            with self._lock:
                self._wrap_lines(max(64, count - len(self.starts)))

    def ensure_offset(self, offset: int) -> None:
        while not self.done and (not self.ends or self.ends[-1] < offset):
            with self._lock:
                self._wrap_lines(CHUNK_LINES)

    def complete(self, cancelled: object = None) -> None:
        """Wrap everything; from a worker thread this yields between chunks."""
        while not self.done:
            if cancelled is not None and callable(cancelled) and cancelled():
                return
            with self._lock:
                self._wrap_lines(CHUNK_LINES)

    @property
    def row_count(self) -> int:
        """Rows so far, or an estimate of the total while wrapping continues."""
        n = len(self.starts)
        if self.done:
            return max(1, n)
        done_to = self._line_starts[self._next_line]
        rest = len(self.text) - done_to
        return n + len(self._line_starts) - self._next_line + rest // (self.width * 2)

    def row(self, index: int) -> tuple[int, int] | None:
        self.ensure_rows(index + 1)
        if 0 <= index < len(self.starts):
            return self.starts[index], self.ends[index]
        return None

    def row_of(self, offset: int) -> int:
        """Index of the row showing offset (a break space maps to the row before)."""
        self.ensure_offset(offset)
        i = bisect.bisect_right(self.starts, offset) - 1
        return max(0, i)


def display_row(text: str, start: int, end: int) -> tuple[str, list[int] | None]:
    """The row as drawn (tabs expanded) and, if it differs, each char's cell x.

    The cell list has one entry per character plus one for the end, so
    cells[offset - start] is where the caret at offset is drawn.
    """
    s = text[start:end]
    if "\t" not in s and (s.isascii() or is_narrow(s)):
        return s, None
    out = []
    cells = []
    col = 0
    for ch in s:
        cells.append(col)
        w = char_cells(ch, col)
        out.append(" " * w if ch == "\t" else ch)
        col += w
    cells.append(col)
    return "".join(out), cells


def x_of(text: str, start: int, end: int, offset: int) -> int:
    """Cell column of offset within the row [start, end)."""
    _, cells = display_row(text, start, end)
    k = min(max(offset, start), end) - start
    return k if cells is None else cells[k]


def offset_at_x(text: str, start: int, end: int, x: int) -> int:
    """Offset of the character drawn at cell x of the row (clamped to the row)."""
    _, cells = display_row(text, start, end)
    if cells is None:
        return start + min(max(0, x), end - start)
    for k in range(len(cells) - 1):
        if cells[k + 1] > x:
            return start + k
    return end
