"""Wrap a document into screen rows, keeping character offsets.

A row is a (start, end) range into Document.text. Wrapping is done per width
and lazily, so the first screen of a huge file costs the same as a short one.

Cell widths are rich's (`rich.cells`, the table Textual draws with), per
character and cached: wide (CJK, emoji) characters take two cells, combining
and other zero-width marks none, and the zero-width joiner and emoji variation
selector count as `rich.cells.cell_len` counts them, so a row measures here
exactly what it measures when drawn. Tabs expand to the next multiple of
TAB_SIZE (at most to the row's end). Rows break only where a character starts
(never before a zero-width mark), so a mark stays with its letter.

A rendered Markdown document is wrapped through a Concealer: per line, what is
drawn instead of some characters ("" for a hidden marker: zero cells) and which
lines fold away (no rows). Offsets are still the source's; only cells change.
"""

from __future__ import annotations

import bisect
import threading
from array import array
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Protocol

from rich.cells import cell_len, get_character_cell_size

TAB_SIZE = 8
ZWJ = "\u200d"  # zero-width joiner: rich does not measure the character after it
VS16 = "\ufe0f"  # emoji presentation: widens some one-cell characters to two
# Lines wrapped per locked step when completing a layout in the background.
CHUNK_LINES = 4000

# Characters known to take exactly one cell in any context: a line made only of
# them needs no per-character measuring. Grows as lines are measured.
_NARROW: set[str] = {chr(c) for c in range(0x20, 0x7F)}
_WIDTHS: dict[str, int] = {}


Subs = Mapping[int, str]  # offset -> what is drawn there instead ("" draws nothing)


class Concealer(Protocol):
    """What rendering hides or replaces, line by line (see reader.core.markdown)."""

    def subs(self, line: int) -> Subs | None: ...

    def folded(self, line: int) -> bool: ...

    def hidden(self, offset: int) -> bool: ...


def char_width(ch: str) -> int:
    """Cells one character takes on its own (0, 1 or 2; a tab counts 0 here)."""
    w = _WIDTHS.get(ch)
    if w is None:
        w = _WIDTHS[ch] = get_character_cell_size(ch)
    return w


@lru_cache(maxsize=1024)
def _widens(ch: str) -> bool:
    """An emoji variation selector after ch makes it two cells wide (e.g. ❤️)."""
    return cell_len(ch + VS16) > cell_len(ch)


def is_narrow(s: str) -> bool:
    """True when every character of s takes exactly one cell (no tabs)."""
    if _NARROW.issuperset(s):
        return True
    new = set(s).difference(_NARROW)
    if any(c in (ZWJ, VS16) or char_width(c) != 1 for c in new):
        return False
    _NARROW.update(new)
    return True


def char_widths(s: str) -> list[int]:
    """Cells of each character of s, in context: the widths sum to rich's cell_len(s)
    (for s without tabs). A tab counts 0: its width depends on its column."""
    if ZWJ not in s and VS16 not in s:  # no context: each character alone
        get = _WIDTHS.get
        return [char_width(c) if (w := get(c)) is None else w for c in s]
    out: list[int] = []
    last: str | None = None  # the last character that took cells, for VS16
    skip = False
    for ch in s:
        if skip:  # rich does not measure the character joined by a ZWJ
            out.append(0)
            skip = False
        elif ch == ZWJ:
            out.append(0)
            skip = True
        elif ch == VS16:
            out.append(1 if last is not None and _widens(last) else 0)
            last = None
        elif ch == "\t":  # drawn as spaces: a VS16 after it follows a space, not ch
            out.append(0)
            last = None
        else:
            w = char_width(ch)
            if w:
                last = ch
            out.append(w)
    return out


def tab_cells(col: int, width: int | None) -> int:
    """Cells a tab takes at column col: to the next tab stop, or to the row's end."""
    w = TAB_SIZE - col % TAB_SIZE
    if width is not None and col < width:
        w = min(w, width - col)
    return w


def wrap_line(
    text: str, start: int, end: int, width: int, subs: Subs | None = None
) -> list[tuple[int, int]]:
    """Greedy word wrap of text[start:end] (one line, no newline) into rows."""
    width = max(1, width)
    if subs:
        widths = _sub_widths(text, start, end, subs)
        if sum(widths) <= width and "\t" not in text[start:end]:
            return [(start, end)]  # most rendered lines: no cell-by-cell walk
        return _wrap_cells(text, start, end, width, subs, widths)
    if is_narrow(text[start:end]):
        if end - start <= width:
            return [(start, end)]
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


def _sub_widths(text: str, start: int, end: int, subs: Subs | None) -> list[int]:
    """char_widths of the row, with each substituted character as wide as what replaces it."""
    widths = char_widths(text[start:end])
    if subs:
        for o, shown in subs.items():
            if start <= o < end:
                widths[o - start] = cell_len(shown)
    return widths


def _wrap_cells(
    text: str,
    start: int,
    end: int,
    width: int,
    subs: Subs | None = None,
    widths: list[int] | None = None,
) -> list[tuple[int, int]]:
    if widths is None:
        widths = _sub_widths(text, start, end, subs)
    rows = []
    row_start = start
    col = 0
    brk = -1  # where the row may end: before a space or tab, before or after a wide char
    cluster = start  # where the character being measured starts (its marks follow it)
    prev_wide = False
    i = start
    while i < end:
        ch = text[i]
        w = tab_cells(col, width) if ch == "\t" and not (subs and i in subs) else widths[i - start]
        if w and ch != VS16:  # a character starts here; zero-width marks never do
            cluster = i
            if i > row_start and (ch in " \t" or w == 2 or prev_wide):
                brk = i
            prev_wide = w == 2
        if col + w > width:
            cut = brk if brk > row_start else cluster
            if cut > row_start:
                rows.append((row_start, cut))
                row_start = cut
                while row_start < end and text[row_start] == " ":
                    row_start += 1
                i = cluster = row_start
                col = 0
                brk = -1
                prev_wide = False
                continue
            # One character wider than the whole row (a wide char in a 1-cell pane): keep it.
        col += w
        i += 1
    if row_start < end or not rows:
        rows.append((row_start, end))
    return rows


class Layout:
    """Rows of a text at one width, wrapped lazily and thread-safely."""

    def __init__(
        self,
        text: str,
        line_starts: Sequence[int],
        width: int,
        conceal: Concealer | None = None,
    ) -> None:
        self.text = text
        self.width = max(1, width)
        self.conceal = conceal
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
        conceal = self.conceal
        for i in range(self._next_line, stop):
            s = ls[i]
            e = ls[i + 1] - 1 if i + 1 < n else len(text)
            subs = None
            if conceal is not None:
                if conceal.folded(i):
                    continue
                subs = conceal.subs(i)
            for a, b in wrap_line(text, s, e, self.width, subs):
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


def row_cells(
    text: str, start: int, end: int, width: int | None = None, subs: Subs | None = None
) -> tuple[list[str], list[int]] | None:
    """What each character of the row draws, and the cell x of each, for a row that
    is not one cell per character (None for one that is).

    pieces[k] is character start+k as drawn (a tab as spaces); cells has one entry
    per character plus one for the end, so cells[offset - start] is where the caret
    at offset is drawn. width is the layout's, where a tab stops at the latest.
    With subs (a rendered Markdown row), substituted characters draw what replaces them.
    """
    s = text[start:end]
    if subs is not None and not any(start <= o < end for o in subs):
        subs = None
    if subs is None and is_narrow(s):
        return None
    pieces: list[str] = []
    cells: list[int] = []
    col = 0
    joining = False  # the character before was a ZWJ that joins this one
    for k, (ch, w) in enumerate(zip(s, _sub_widths(text, start, end, subs), strict=True)):
        cells.append(col)
        joined, joining = joining, ch == ZWJ and not joining
        shown = subs.get(start + k) if subs is not None else None
        if shown is not None:
            pieces.append(shown)
        elif ch == "\t":
            if joined:  # rich would not measure the tab's first space: drop the ZWJ
                pieces[-1] = ""
            w = tab_cells(col, width)
            pieces.append(" " * w)
        else:
            pieces.append(ch)
        col += w
    cells.append(col)
    return pieces, cells


def display_row(
    text: str, start: int, end: int, width: int | None = None, subs: Subs | None = None
) -> tuple[str, list[int] | None]:
    """The row as drawn (tabs expanded) and, if it differs, each char's cell x
    (see row_cells)."""
    drawn = row_cells(text, start, end, width, subs)
    if drawn is None:
        return text[start:end], None
    return "".join(drawn[0]), drawn[1]


def x_of(
    text: str, start: int, end: int, offset: int, width: int | None = None, subs: Subs | None = None
) -> int:
    """Cell column of offset within the row [start, end)."""
    _, cells = display_row(text, start, end, width, subs)
    k = min(max(offset, start), end) - start
    return k if cells is None else cells[k]


def offset_at_x(
    text: str, start: int, end: int, x: int, width: int | None = None, subs: Subs | None = None
) -> int:
    """Offset of the character drawn at cell x of the row (clamped to the row).

    Either cell of a wide character is that character; zero-width marks take no
    cell, so the character they sit on is the one found (and a hidden marker before a
    character gives way to it: the one found is always drawn).
    """
    _, cells = display_row(text, start, end, width, subs)
    if cells is None:
        return start + min(max(0, x), end - start)
    if x >= cells[-1]:
        return end
    return start + max(0, bisect.bisect_right(cells, x) - 1)
