"""Rows of the reading pane as strips: text, marks, find hits, selection and caret.

A row's strip is cached under what can change it: the row, the width, the
versions of the marks and the find hits, the caret's place if it is in that row,
and the part of the selection that falls in it, and whether Markdown is rendered
(markers hidden) or shown as source. Moving the caret or the selection
re-renders only the rows they touch; scrolling back re-uses rows.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.segment import Segment
from rich.style import Style
from textual.cache import LRUCache
from textual.strip import Strip

from reader.core.document import Range
from reader.core.layout import VS16, Subs, row_cells

if TYPE_CHECKING:
    from reader.ui.widgets.reading_pane import ReadingPane

# Drawn in place of a highlight colour the palette does not have (a colleague's
# "red", a hand-edited sidecar): the text shows it is marked, neutrally.
NEUTRAL_HIGHLIGHT = "reading-pane--hl-other"

RowKey = tuple[int, int, int, int, int | None, tuple[int, int] | None, bool]
# Fenced code is coloured by its Pygments tokens: layers named with this prefix.
TOKEN = "pygments:"


@dataclass(frozen=True)
class Mark:
    """Something drawn over a range of text: a highlight, a find hit..."""

    start: int
    end: int
    component: str  # a COMPONENT_CLASSES name


class RowRenderer:
    """Renders and caches the reading pane's rows; the pane owns the state it reads."""

    def __init__(self, pane: ReadingPane, size: int = 1024) -> None:
        self.pane = pane
        self.cache: LRUCache[RowKey, Strip] = LRUCache(size)
        self.marks_version = 0
        self.find_version = 0
        self._note_ends: list[int] = []  # sorted note offsets
        self._hit_order: list[int] = []
        self._hit_starts: list[int] = []
        self._hit_longest = 0
        self._token_styles: dict[str, Style] = {}
        self.frame_style: Style | None = None  # the pane's style, while a frame draws

    @property
    def base(self) -> Style:
        """The pane's own style (colours, background) under every row."""
        return self.pane.rich_style if self.frame_style is None else self.frame_style

    @property
    def hits(self) -> int:
        """Rows drawn from the cache since the pane was made."""
        return self.cache.hits

    @property
    def misses(self) -> int:
        """Rows rendered afresh since the pane was made."""
        return self.cache.misses

    def clear(self) -> None:
        """Forget every row (a new document, a new theme)."""
        self.cache.clear()
        self._token_styles.clear()

    def marks_changed(self, note_offsets: set[int]) -> None:
        self._note_ends = sorted(note_offsets)
        self.marks_version += 1

    def find_changed(self, hits: list[Range], reindex: bool) -> None:
        if reindex:  # index them by start: rows look up only their own
            self._hit_order = sorted(range(len(hits)), key=lambda i: hits[i].start)
            self._hit_starts = [hits[i].start for i in self._hit_order]
            self._hit_longest = max((h.length for h in hits), default=0)
        self.find_version += 1

    # --- rows ------------------------------------------------------------------
    def line(self, row_index: int, width: int) -> Strip:
        """The strip of one row, from the cache when nothing that draws in it changed."""
        pane = self.pane
        if not pane.doc.text:
            return self._render_empty(row_index, width)
        row = pane.layout_rows.row(row_index)
        if row is None:
            return Strip.blank(width, self.base)
        start, end = row
        key: RowKey = (
            row_index,
            width,
            self.marks_version,
            self.find_version,
            self._caret_in(start, end),
            self._selection_in(start, end),
            pane.concealer is not None,
        )
        cached = self.cache.get(key)
        if cached is not None:
            return cached
        strip = self._render_row(row_index, start, end, width)
        self.cache[key] = strip
        return strip

    def _caret_in(self, start: int, end: int) -> int | None:
        """Where in this row the caret is drawn, or None if it is not drawn here."""
        pane = self.pane
        caret = pane.caret
        if not pane.has_focus or caret < start:
            return None
        if caret < end or self._caret_row_end(caret, start, end):
            return caret - start
        return None

    def _selection_in(self, start: int, end: int) -> tuple[int, int] | None:
        sel = self.pane.selection
        if sel is None or sel.start >= end or sel.end <= start:
            return None
        return max(sel.start, start), min(sel.end, end)

    def _render_empty(self, row_index: int, width: int) -> Strip:
        # Not cached: the message changes without the document changing.
        base = self.base
        if row_index == 0:
            empty = self.pane.get_component_rich_style("reading-pane--empty")
            return Strip([Segment(self.pane.empty_message, empty)]).crop_extend(0, width, base)
        return Strip.blank(width, base)

    def _render_row(self, row_index: int, start: int, end: int, width: int) -> Strip:
        pane = self.pane
        base = self.base
        text = pane.doc.text
        subs = self._subs(start)
        drawn = row_cells(text, start, end, width, subs)
        segments: list[Segment] = []
        cells = None if drawn is None else drawn[1]
        for a, b, style in self._styles_for(start, end, cells, subs):
            piece = text[a:b] if drawn is None else "".join(drawn[0][a - start : b - start])
            if piece:
                segments.append(Segment(piece, base + style if style else base))
        if pane.has_focus and self._caret_row_end(pane.caret, start, end):
            caret = pane.get_component_rich_style("reading-pane--caret")
            segments.append(Segment(" ", base + caret))
        elif self._marked_note_end(start, end):
            marker = pane.get_component_rich_style("reading-pane--note-marker")
            segments.append(Segment(" ✎", base + marker))
        strip = Strip(segments)
        return strip.crop_extend(0, width, base).apply_offsets(0, row_index)

    def _subs(self, start: int) -> Subs | None:
        """What rendered Markdown draws instead of some characters of the row's line."""
        concealer = self.pane.concealer
        return None if concealer is None else concealer.subs(self.pane.doc.line_of(start))

    def _style(self, component: str) -> Style:
        if component.startswith(TOKEN):
            return self._token_style(component[len(TOKEN) :])
        if component not in self.pane.COMPONENT_CLASSES:
            component = NEUTRAL_HIGHLIGHT
        return self.pane.get_component_rich_style(component, partial=True)

    def _token_style(self, token: str) -> Style:
        """A Pygments token's colour in a syntax theme that suits the app's theme."""
        style = self._token_styles.get(token)
        if style is None:
            from pygments.token import string_to_tokentype
            from rich.syntax import Syntax

            dark = self.pane.app.current_theme.dark
            theme = Syntax.get_theme("monokai" if dark else "default")
            style = theme.get_style_for_token(string_to_tokentype(token))
            style = Style(color=style.color, bold=style.bold, italic=style.italic)
            self._token_styles[token] = style
        return style

    def _caret_row_end(self, caret: int, start: int, end: int) -> bool:
        """The caret sits past the row's last character (on a newline or break)."""
        if caret < end:
            return False
        layout = self.pane.layout_rows
        return layout.row(layout.row_of(caret)) == (start, end)

    def _marked_note_end(self, start: int, end: int) -> bool:
        """A note ends in this row: the row ends with a ✎."""
        k = bisect.bisect_right(self._note_ends, start)
        return k < len(self._note_ends) and self._note_ends[k] <= end

    def _styles_for(
        self, start: int, end: int, cells: list[int] | None = None, subs: Subs | None = None
    ) -> list[tuple[int, int, Style | None]]:
        """Split [start, end) where any style changes; the style of each piece.

        With the row's cells, pieces are cut only between whole characters (a letter
        with its marks, an emoji sequence), so each piece measures as the row does."""
        pane = self.pane
        layers: list[tuple[int, int, str]] = []
        styler = pane.styler
        if styler is not None:
            line = pane.doc.line_of(start)
            for sp in styler.line_spans(line):
                if sp.start < end and sp.end > start:
                    layers.append((sp.start, sp.end, f"reading-pane--md-{sp.kind}"))
            for sp in styler.code_tokens(line):
                if sp.start < end and sp.end > start:
                    layers.append((sp.start, sp.end, TOKEN + sp.kind))
        for m in pane.marks:
            if m.start >= end:
                break
            if m.end > start:
                layers.append((m.start, m.end, m.component))
        hits = pane.find_hits
        k = bisect.bisect_left(self._hit_starts, start - self._hit_longest)
        while k < len(self._hit_starts) and self._hit_starts[k] < end:
            i = self._hit_order[k]
            h = hits[i]
            if h.end > start:
                current = i == pane.find_current
                layers.append(
                    (
                        h.start,
                        h.end,
                        "reading-pane--find-current" if current else "reading-pane--find",
                    )
                )
            k += 1
        sel = pane.selection
        if sel is not None and sel.start < end and sel.end > start:
            layers.append((sel.start, sel.end, "reading-pane--selection"))
        if pane.has_focus and start <= pane.caret < end:
            layers.append((pane.caret, pane.caret + 1, "reading-pane--caret"))
        if not layers:
            return [(start, end, None)]
        if cells is not None:
            text = pane.doc.text
            layers = [
                (
                    _snap(text, a, start, end, cells, -1, subs),
                    _snap(text, b, start, end, cells, 1, subs),
                    c,
                )
                for a, b, c in layers
            ]
        return _split(start, end, layers, self._style)


def _snap(
    text: str, at: int, start: int, end: int, cells: list[int], step: int, subs: Subs | None
) -> int:
    """Move a cut off a character that belongs to the one before it (a mark, a joined
    emoji, an emoji variation selector), back or on. A hidden Markdown marker takes no
    cell but belongs to no character: a cut there stays."""
    while (
        start < at < end
        and (subs is None or at not in subs)
        and (cells[at - start + 1] == cells[at - start] or text[at] == VS16)
    ):
        at += step
    return at


def _split(
    start: int, end: int, layers: list[tuple[int, int, str]], style_of: Callable[[str], Style]
) -> list[tuple[int, int, Style | None]]:
    """Cut [start, end) at every layer's edge; each piece gets its layers' styles."""
    cuts = {start, end}
    for a, b, _ in layers:
        cuts.add(min(max(a, start), end))
        cuts.add(min(max(b, start), end))
    points = sorted(cuts)
    out: list[tuple[int, int, Style | None]] = []
    for a, b in zip(points, points[1:], strict=False):
        style = Style()
        for la, lb, comp in layers:
            if la <= a and lb >= b:
                style += style_of(comp)
        out.append((a, b, style))
    return out
