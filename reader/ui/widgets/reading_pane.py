"""The reading pane: a Line API view over a document of any size.

Only visible rows are rendered; rows come from the core Layout (wrapped per
width, lazily) and are drawn by a RowRenderer (pane_render.py), which caches each
row's strip under what can change it. Everything drawn on top of the text (caret,
selection, highlights, find hits) is a Range of document offsets.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.segment import Segment
from textual import events, on
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Input
from textual.worker import get_current_worker

from reader.core.document import Document, Range
from reader.core.inert import inert_name
from reader.core.layout import Concealer, Layout, offset_at_x, x_of
from reader.core.library import title_from
from reader.core.motion import move, selected
from reader.ui.navigation import Navigator
from reader.ui.palette import highlight_css
from reader.ui.widgets.mark_strip import STRIP_CELLS, MarkStrip
from reader.ui.widgets.pane_render import NEUTRAL_HIGHLIGHT, Mark, RowRenderer

__all__ = ["Mark", "ReadingPane"]

if TYPE_CHECKING:
    from reader.core.markdown import MarkdownStyler

# Documents up to this many characters are wrapped in one go; bigger ones lazily.
SYNC_LAYOUT_CHARS = 2_000_000
# Moves that land on the start of the next unit: a selection they grow ends before it.
STARTS_NEXT = ("word", "sentence", "paragraph")
# Rendered Markdown costs far more to wrap (its markers are found line by line: 250 KB of
# an e-book took 45 ms before its first screen), so only a few screens of it are.
SYNC_MARKDOWN_CHARS = 32_000


def quote_with_source(doc: Document, r: Range) -> str:
    """`> quote` (each line), then `— Title (file, line N)`, for pasting into notes."""
    quote = doc.text[r.start : r.end].strip("\n")
    lines = "\n".join(f"> {line}".rstrip() for line in quote.split("\n"))
    line = doc.line_col(r.start)[0]
    if doc.path is None:
        return f"{lines}\n— line {line}"
    title = title_from(doc.text[:4096], doc.path)
    return f"{lines}\n— {title} ({inert_name(doc.path.name)}, line {line})"


def _chars(n: int) -> str:
    return f"{n} character" if n == 1 else f"{n} characters"


def _markdown_styler(doc: Document) -> MarkdownStyler:
    from reader.core.markdown import MarkdownStyler  # only Markdown articles need it

    return MarkdownStyler(doc)


class ReadingPane(ScrollView, can_focus=True):
    """Shows one document; a caret and a selection live in its offsets."""

    ALLOW_SELECT = False  # the pane owns its mouse selection, in document offsets

    COMPONENT_CLASSES = {
        "reading-pane--caret",
        "reading-pane--selection",
        "reading-pane--find",
        "reading-pane--find-current",
        "reading-pane--md-heading",
        "reading-pane--md-h1",
        "reading-pane--md-h2",
        "reading-pane--md-h3",
        "reading-pane--md-strong",
        "reading-pane--md-em",
        "reading-pane--md-code",
        "reading-pane--md-link",
        "reading-pane--md-url",
        "reading-pane--md-marker",
        "reading-pane--md-quote",
        "reading-pane--hl-yellow",
        "reading-pane--hl-green",
        "reading-pane--hl-blue",
        "reading-pane--hl-pink",
        "reading-pane--hl-orange",
        "reading-pane--hl-purple",
        NEUTRAL_HIGHLIGHT,
        "reading-pane--layer",
        "reading-pane--note-marker",
        "reading-pane--noted",
        "reading-pane--empty",
    }

    DEFAULT_CSS = """
    ReadingPane {
        padding: 0 1;
        & > .reading-pane--caret { text-style: reverse; }
        & > .reading-pane--selection { background: $primary 45%; }
        & > .reading-pane--find { background: $warning 35%; }
        & > .reading-pane--find-current { background: $warning; color: $background; }
        & > .reading-pane--md-heading { text-style: bold; color: $accent; }
        & > .reading-pane--md-h1 { text-style: bold underline; color: $accent; }
        & > .reading-pane--md-h2 { text-style: bold; color: $accent; }
        & > .reading-pane--md-h3 { text-style: bold; color: $secondary; }
        & > .reading-pane--md-strong { text-style: bold; }
        & > .reading-pane--md-em { text-style: italic; }
        & > .reading-pane--md-code { color: $success; }
        & > .reading-pane--md-link { text-style: underline; color: $primary; }
        & > .reading-pane--md-url { color: $text-muted; }
        & > .reading-pane--md-marker { color: $text-disabled; }
        & > .reading-pane--md-quote { text-style: italic; color: $text-muted; }
        HIGHLIGHTS
        /* Opaque, with its own text colour: an alpha background on a component style was
           drawn at full strength, the text's colour on itself. */
        & > .reading-pane--hl-other {
            color: $foreground; background: $panel-lighten-1; text-style: underline;
        }
        & > .reading-pane--layer { text-style: underline; color: $text-accent; }
        & > .reading-pane--note-marker { color: $warning; text-style: bold; }
        & > .reading-pane--noted { text-style: underline; }
        & > .reading-pane--empty { color: $text-muted; text-style: italic; }
    }
    """.replace("HIGHLIGHTS", highlight_css("reading-pane--hl"))

    BINDINGS = [
        Binding("j,down", "scroll_rows(1)", "Scroll or caret down", show=False, id="reader.down"),
        Binding("k,up", "scroll_rows(-1)", "Scroll or caret up", show=False, id="reader.up"),
        Binding(
            "space,pagedown", "scroll_pages(1)", "Page down", show=False, id="reader.page_down"
        ),
        Binding("pageup", "scroll_pages(-1)", "Page up", show=False, id="reader.page_up"),
        Binding("b", "back", "Page up (word back while selecting)", show=False, id="reader.back"),
        Binding("ctrl+d", "scroll_half(1)", "Half page down", show=False, id="reader.half_down"),
        Binding("ctrl+u", "scroll_half(-1)", "Half page up", show=False, id="reader.half_up"),
        Binding("g,home", "go_top_jump", "Top", show=False, id="reader.top"),
        Binding(
            "G,end",
            "go_line",
            "Bottom (a count first: that line, 120G)",
            show=False,
            id="reader.bottom",
        ),
        Binding("h,left", "caret('char', -1)", "Caret left", show=False, id="reader.char_left"),
        Binding("l,right", "caret('char', 1)", "Caret right", show=False, id="reader.char_right"),
        Binding("w", "caret('word', 1)", "Next word", show=False, id="reader.word_next"),
        Binding("B", "caret('word', -1)", "Previous word", show=False, id="reader.word_prev"),
        Binding("e", "caret('word_end', 1)", "Word end", show=False, id="reader.word_end"),
        Binding(
            "right_parenthesis",
            "caret('sentence', 1)",
            "Next sentence",
            show=False,
            id="reader.sentence_next",
        ),
        Binding(
            "left_parenthesis",
            "caret('sentence', -1)",
            "Previous sentence",
            show=False,
            id="reader.sentence_prev",
        ),
        Binding(
            "right_curly_bracket",
            "caret('paragraph', 1)",
            "Next paragraph",
            show=False,
            id="reader.paragraph_next",
        ),
        Binding(
            "left_curly_bracket",
            "caret('paragraph', -1)",
            "Previous paragraph",
            show=False,
            id="reader.paragraph_prev",
        ),
        Binding("v", "visual", "Select", id="reader.visual"),
        Binding("W", "select_unit('word')", "Select word", show=False, id="reader.select_word"),
        Binding(
            "S",
            "select_unit('sentence')",
            "Select sentence",
            show=False,
            id="reader.select_sentence",
        ),
        Binding(
            "P",
            "select_unit('paragraph')",
            "Select paragraph",
            show=False,
            id="reader.select_paragraph",
        ),
        Binding(
            "escape", "clear_selection", "Clear selection or hits", show=False, id="reader.escape"
        ),
        Binding("ctrl+c", "copy", "Copy the selection", show=False, id="reader.copy"),
        Binding(
            "Y",
            "copy_quote",
            "Copy the selection (or the mark at the caret) as a quote with its source",
            show=False,
            id="reader.copy_quote",
        ),
        Binding(
            "ctrl+t",
            "toggle_source",
            "Show Markdown as source / rendered",
            show=False,
            id="reader.toggle_source",
        ),
        # Getting about (reader/ui/navigation.py): counts, marks, jumps, annotations, outline.
        *[
            Binding(
                str(d),
                f"count({d})",
                "Count for G or % (1-6 on a selection or mark: highlight)",
                show=False,
                id="reader.count",
            )
            for d in range(10)
        ],
        Binding(
            "percent_sign", "go_percent", "Go N% through (50%)", show=False, id="reader.percent"
        ),
        Binding("m", "mark('m')", "Set a mark (m, then a letter)", show=False, id="reader.mark"),
        Binding(
            "apostrophe",
            'mark("\'")',
            "Go to a mark (', then its letter)",
            show=False,
            id="reader.goto_mark",
        ),
        Binding(
            "ctrl+o", "jump_back", "Back to before the jump", show=False, id="reader.jump_back"
        ),
        Binding(
            "right_square_bracket",
            "next_annotation(1)",
            "Next annotation",
            show=False,
            id="reader.next_annotation",
        ),
        Binding(
            "left_square_bracket",
            "next_annotation(-1)",
            "Previous annotation",
            show=False,
            id="reader.prev_annotation",
        ),
        Binding("t", "outline", "Outline", show=False, id="reader.outline"),
    ]

    caret: reactive[int] = reactive(0, always_update=True)
    """Offset of the caret in the document text."""
    visual_from: reactive[int | None] = reactive(None)
    """Where the selection started (visual mode), or None when nothing is selected."""

    @dataclass
    class CaretMoved(Message):
        pane: ReadingPane
        caret: int
        selection: Range | None

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, ReadingPane.CaretMoved)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.doc: Document = Document("")
        self.empty_message = "Choose an article in the library (Enter)."
        self._layouts: dict[int, Layout] = {}
        self.styler: MarkdownStyler | None = None
        self.show_source = False  # Markdown as typed, markers and all (ctrl+t)
        self.renderer = RowRenderer(self)
        self.strip = MarkStrip(self)  # the marks of the whole article, beside the scrollbar
        self.measure: int | None = None  # the most columns a row of text takes (ReadingColumn)
        self._strip_rows: list[Mark | None] | None = None  # the strip's, while a frame draws
        self.marks: list[Mark] = []
        self.note_offsets: set[int] = set()
        self.find_hits: list[Range] = []
        self.find_current: int = -1
        self._want_top: int | None = None  # reading position to restore once laid out
        self._top_shown: int | None = None  # the last one restored: inside the top row
        self._drag_from: int | None = None  # where a mouse drag started
        # The caret put on the start of a word by w (or B, ), }): a selection leaves it out.
        self._excluded_at: int | None = None
        # (caret, column) after j/k moved the caret: the column it keeps over shorter rows.
        self._row_x: tuple[int, int] | None = None

    # --- content -----------------------------------------------------------
    def show(self, doc: Document, top_offset: int = 0, caret: int | None = None) -> None:
        """Show a document, scrolled so top_offset is on the first row."""
        self.doc = doc
        self._layouts.clear()
        self.styler = _markdown_styler(doc) if doc.is_markdown else None
        self.renderer.clear()
        self.marks = []
        self.note_offsets = set()
        self.set_find([], -1)
        self.visual_from = None
        self.set_reactive(
            ReadingPane.caret, self.validate_caret(caret if caret is not None else top_offset)
        )
        self.refresh()
        self._want_top, self._top_shown = top_offset, None
        if self.scrollable_content_region.width > 1:
            self._restore_top()
        self.post_message(self.CaretMoved(self, self.caret, self.selection))

    def _keep_top(self) -> None:
        """Keep the offset shown on the top row, in the rows it was drawn in, to show it
        on top again once the text is wrapped at a new width (the row number at the top
        is another place then: from line 146 to 117 when 120 columns became 100)."""
        shown = next(iter(self._layouts.values()), None)
        if self._want_top is None and shown is not None:
            r = shown.row(int(self.scroll_offset.y))
            kept = self._top_shown
            # Still in the top row: that offset, not the row's start (a round trip through
            # a narrower width comes back to the same top row).
            inside = r is not None and kept is not None and r[0] <= kept < max(r[1], r[0] + 1)
            self._want_top = kept if inside else (r[0] if r else 0)

    def _restore_top(self) -> None:
        top = self._want_top if self._want_top is not None else self.top_offset
        self._update_size()
        layout = self.layout_rows
        row = layout.row_of(top or 0)
        self.scroll_to(0, row, animate=False, immediate=True)
        y = self.scroll_offset.y
        # In the last screen of the text, that row cannot be the top: it shows lower down.
        last_screen = layout.done and self.size.height > 0 and y == self.max_scroll_y < row
        if y != row and not last_screen:
            return  # not laid out yet: keep wanting that place
        self._want_top, self._top_shown = None, top

    def set_marks(self, marks: list[Mark], note_offsets: set[int]) -> None:
        self.marks = sorted(marks, key=lambda m: (m.start, m.end))
        self.note_offsets = note_offsets
        self.renderer.marks_changed(note_offsets)
        self.refresh()

    def set_find(self, hits: list[Range], current: int) -> None:
        reindex = hits is not self.find_hits
        self.find_hits = hits
        self.find_current = current
        self.renderer.find_changed(hits, reindex)
        self.refresh()

    def hit_here(self) -> tuple[int, int] | None:
        """(index, total) of the find hit the caret is on: the status line counts hits while
        the reader is at the one that /, n or N went to, and not once they read on (the hits
        stay marked and n/N go on from the caret) or esc ends the find."""
        hits, i = self.find_hits, self.find_current
        if 0 <= i < len(hits) and hits[i].start <= self.caret < max(hits[i].end, hits[i].start + 1):
            return i, len(hits)
        return None

    def goto_hit(self, i: int) -> None:
        """Make find hit i (modulo their number) the current one, with the caret on it."""
        current = i % len(self.find_hits)
        self.set_find(self.find_hits, current)
        self.caret = self.find_hits[current].start

    @property
    def selection(self) -> Range | None:
        if self.visual_from is None:
            return None
        c = self.concealer
        return selected(
            self.doc.text,
            self.visual_from,
            self.caret,
            caret_excluded=self._excluded_at == self.caret,
            hidden=None if c is None else c.hidden,
        )

    def select(self, r: Range) -> None:
        """Select a range (caret on its last character)."""
        self._excluded_at = None
        self.visual_from = r.start
        self.caret = max(r.start, r.end - 1)

    @property
    def strip_x(self) -> int:
        """Where the strip of marks starts: the pane's last columns, beside the scrollbar."""
        return self.scrollable_content_region.width - STRIP_CELLS

    @property
    def text_width(self) -> int:
        """The columns for text: the measure, or less where the pane is narrower."""
        room = self.strip_x
        return max(1, room if self.measure is None else min(room, self.measure))

    @property
    def layout_rows(self) -> Layout:
        width = self.text_width
        layout = self._layouts.get(width)
        if layout is None:
            self._keep_top()  # the rows are about to change: their row numbers say nothing
            layout = Layout(self.doc.text, self.doc.line_starts, width, self.concealer)
            self._layouts = {width: layout}
            sync = SYNC_LAYOUT_CHARS if self.concealer is None else SYNC_MARKDOWN_CHARS
            if len(self.doc.text) <= sync:
                layout.complete()
            else:
                # (two screens' rows now, for the first frame: any further row is
                # wrapped when asked for, and the rest in a worker)
                layout.ensure_rows(2 * max(1, self.size.height))
                if width > 1:  # laid out: wrap the rest once the first screen is drawn
                    self.set_timer(0.3, lambda: self._start_finishing(layout))
            # The width changed (a resize, or the scrollbar came or went): so did the rows.
            self.call_later(self._update_size)
        return layout

    def _start_finishing(self, layout: Layout) -> None:
        if self._layouts.get(layout.width) is layout and not layout.done:
            self.run_worker(
                lambda: self._finish_layout(layout),
                thread=True,
                exclusive=True,
                group="layout",
                description="Wrapping text",
                exit_on_error=False,
            )

    def _finish_layout(self, layout: Layout) -> None:
        worker = get_current_worker()
        layout.complete(cancelled=lambda: worker.is_cancelled)
        if not worker.is_cancelled:  # a place wanted in the last screen can be shown now
            self.app.call_from_thread(
                self._update_size if self._want_top is None else self._restore_top
            )

    @property
    def top_offset(self) -> int:
        """Offset of the first visible row: the reading position that survives a resize."""
        r = self.layout_rows.row(int(self.scroll_offset.y))
        return r[0] if r else 0

    # --- rendered Markdown (conceal) ---------------------------------------
    @property
    def concealer(self) -> Concealer | None:
        """What hides Markdown's markers, or None when the text is drawn as it is."""
        return None if self.show_source else self.styler

    def validate_caret(self, offset: int) -> int:
        """Keep the caret off a hidden marker: on past it the way it was moving (the
        caret is never invisible; markers stay hidden on its line too)."""
        c = self.concealer
        if c is None or not c.hidden(offset):
            return offset
        size = len(self.doc.text)
        for step in (1, -1) if offset >= self.caret else (-1, 1):
            at = offset
            while 0 <= at < size and c.hidden(at):
                at += step
            if 0 <= at < size:
                return at
        return offset

    def action_toggle_source(self) -> None:
        """Show Markdown as source or rendered (as vim's conceal); offsets are the same."""
        if self.styler is None:
            self.notify("Only Markdown is rendered: this text is shown as it is.", markup=False)
            return
        top = self.top_offset
        self.show_source = not self.show_source
        self._layouts.clear()
        self.renderer.clear()
        self._want_top = top
        self._restore_top()
        self.caret = self.caret  # off a marker that is hidden again
        self.notify("Markdown source." if self.show_source else "Markdown rendered.", markup=False)

    def _update_size(self) -> None:
        self.virtual_size = Size(self.text_width, self.layout_rows.row_count)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self.renderer.clear()
        self.strip.clear_styles()

    def on_resize(self, event: events.Resize) -> None:
        self._keep_top()
        if self._want_top is None:
            self._want_top = 0  # nothing drawn yet
        self.call_after_refresh(self._restore_top)

    # --- drawing -------------------------------------------------------------
    def render_lines(self, crop: Region) -> list[Strip]:
        self._strip_rows = self.strip.cells()  # once a frame, not once a row
        self.renderer.frame_style = self.rich_style  # likewise (it walks every ancestor's CSS)
        try:
            return super().render_lines(crop)
        finally:
            self._strip_rows = None
            self.renderer.frame_style = None

    def render_line(self, y: int) -> Strip:
        width = self.text_width
        row = self.renderer.line(int(self.scroll_offset.y) + y, width)
        cell = self.strip.cell(y, self._strip_rows)
        gap = self.strip_x - width  # a wide pane's room right of the measure
        if gap <= 0:
            return Strip([*row, cell], width + STRIP_CELLS)
        blank = Segment(" " * gap, self.renderer.base)
        return Strip([*row, blank, cell], width + gap + STRIP_CELLS)

    # --- caret and scrolling -----------------------------------------------
    def watch_caret(self, old: int, new: int) -> None:
        self.refresh()  # rows are cached by where the caret is in them: only its rows redraw
        self.scroll_to_caret()
        self.post_message(self.CaretMoved(self, new, self.selection))

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if round(old_value) != round(new_value):  # by the wheel too: the place to keep
            self.post_message(self.CaretMoved(self, self.caret, self.selection))

    def watch_visual_from(self) -> None:
        self.refresh()
        self.post_message(self.CaretMoved(self, self.caret, self.selection))

    def watch_has_focus(self, value: bool) -> None:
        self.refresh()  # the caret is drawn only with focus

    def scroll_to_caret(self) -> None:
        if not self.doc.text or not self.size.height:
            return
        row = self.layout_rows.row_of(self.caret)
        top = int(self.scroll_offset.y)
        height = self.scrollable_content_region.height
        if row < top:
            self.scroll_to(y=row, animate=False, immediate=True)
        elif row >= top + height:
            self.scroll_to(y=row - height + 1, animate=False, immediate=True)

    def _clamp_caret_to_view(self) -> None:
        """After a scroll, bring the caret onto the screen at the same relative place."""
        layout = self.layout_rows
        top = int(self.scroll_offset.y)
        height = max(1, self.scrollable_content_region.height)
        row = layout.row_of(self.caret)
        if top <= row < top + height:
            return
        target = top if row < top else top + height - 1
        r = layout.row(min(target, max(0, layout.row_count - 1)))
        if r is not None:
            self.set_reactive(ReadingPane.caret, self.validate_caret(r[0]))
            self.refresh()
            self.post_message(self.CaretMoved(self, self.caret, self.selection))

    def _scroll_by(self, rows: int) -> None:
        layout = self.layout_rows
        y = int(self.scroll_offset.y) + rows
        layout.ensure_rows(y + self.scrollable_content_region.height + 1)
        self._update_size()
        self.scroll_to(y=max(0, y), animate=False, immediate=True)
        self._clamp_caret_to_view()
        self.post_message(self.CaretMoved(self, self.caret, self.selection))

    def action_scroll_rows(self, n: int) -> None:
        """j/k: scroll a row; where the text cannot scroll that way (it all fits, or its
        top or bottom shows), move the caret a row instead, so every line can be reached."""
        y = self.scroll_offset.y
        self._scroll_by(n)
        if self.scroll_offset.y == y:
            self._caret_by_rows(n)

    def _caret_by_rows(self, n: int) -> None:
        """The caret n rows down (or up), in the same column where the row is long enough."""
        if not self.doc.text:
            return
        layout, text, width = self.layout_rows, self.doc.text, self.text_width
        here = layout.row(layout.row_of(self.caret))
        there = layout.row(layout.row_of(self.caret) + n) if here is not None else None
        if here is None or there is None or there == here:
            return
        c = self.concealer
        if self._row_x is not None and self._row_x[0] == self.caret:
            x = self._row_x[1]
        else:
            subs = None if c is None else c.subs(self.doc.line_of(here[0]))
            x = x_of(text, here[0], here[1], self.caret, width, subs)
        start, end = there
        subs = None if c is None else c.subs(self.doc.line_of(start))
        # On the row's last character, not past it (an empty row: its line's end).
        to = min(offset_at_x(text, start, end, x, width, subs), max(start, end - 1), len(text) - 1)
        self._excluded_at = None
        self.caret = to
        self._row_x = (self.caret, x)

    def action_scroll_pages(self, n: int) -> None:
        self._scroll_by(n * max(1, self.scrollable_content_region.height - 1))

    def action_scroll_half(self, n: int) -> None:
        self._scroll_by(n * max(1, self.scrollable_content_region.height // 2))

    def action_go_top(self) -> None:
        self.scroll_to(y=0, animate=False, immediate=True)
        self.caret = 0

    def action_go_bottom(self) -> None:
        layout = self.layout_rows
        layout.complete()
        self._update_size()
        self.scroll_to(
            y=max(0, layout.row_count - self.scrollable_content_region.height),
            animate=False,
            immediate=True,
        )
        last = layout.row(layout.row_count - 1)
        self.caret = last[0] if last else 0

    def action_caret(self, unit: str, n: int) -> None:
        to = move(self.doc, self.caret, unit, n)
        self._excluded_at = to if unit in STARTS_NEXT else None
        self.caret = to

    def action_visual(self) -> None:
        self._excluded_at = None
        self.visual_from = None if self.visual_from is not None else self.caret

    def action_select_unit(self, unit: str) -> None:
        from reader.core.motion import unit_at

        r = unit_at(self.doc, self.caret, unit)
        if r is not None:
            self.select(self._shown_part(r))

    def _shown_part(self, r: Range) -> Range:
        """r without the Markdown markers rendering hides at its ends (`# ` of a heading,
        `**` around it): a quote is what the reader saw."""
        styler, text = self.styler, self.doc.text
        if styler is None or self.show_source:
            return r
        start, end = r.start, r.end
        while start < end and (styler.hidden(start) or text[start].isspace()):
            start += 1
        while end > start and (styler.hidden(end - 1) or text[end - 1].isspace()):
            end -= 1
        return Range(start, end) if end > start else r

    def action_clear_selection(self) -> None:
        """Drop the selection; with none, the find hits that Enter kept (as vim's :noh)."""
        if self.visual_from is not None:
            self.visual_from = None
        elif self.find_hits:
            self.set_find([], -1)
            self.post_message(self.CaretMoved(self, self.caret, self.selection))

    def action_back(self) -> None:
        """b: page up, as in less; while selecting, back a word, as in vim."""
        if self.visual_from is not None:
            self.action_caret("word", -1)
        else:
            self.action_scroll_pages(-1)

    # --- copy ------------------------------------------------------------------
    def mark_at_caret(self) -> Range | None:
        """The shortest mark (highlight, note, layer) over the caret."""
        over = [m for m in self.marks if m.start <= self.caret < m.end]
        if not over:
            return None
        m = min(over, key=lambda m: m.end - m.start)
        return Range(m.start, m.end)

    def action_copy(self) -> None:
        """Copy the selected text to the clipboard (OSC 52, as Textual does)."""
        sel = self.selection
        if sel is None:
            self.notify("Select text first (v), then copy it.", markup=False)
            return
        self.app.copy_to_clipboard(self.doc.text[sel.start : sel.end])
        self.notify(f"Copied {_chars(sel.length)}.", markup=False)

    def action_copy_quote(self) -> None:
        """Copy the selection, or the mark at the caret, as a quote naming its source."""
        r = self.selection or self.mark_at_caret()
        if r is None:
            self.notify("Select text (v) or put the caret on a mark to quote it.", markup=False)
            return
        self.app.copy_to_clipboard(quote_with_source(self.doc, r))
        self.notify(f"Copied a quote of {_chars(r.length)} with its source.", markup=False)

    # --- mouse -----------------------------------------------------------------
    def offset_at(self, x: int, y: int) -> int | None:
        if not self.doc.text:
            return None
        row = self.layout_rows.row(int(self.scroll_offset.y) + y - self.gutter.top)
        if row is None:
            return None
        c = self.concealer
        subs = None if c is None else c.subs(self.doc.line_of(row[0]))
        return offset_at_x(
            self.doc.text, row[0], row[1], x - self.gutter.left, self.text_width, subs
        )

    def on_mouse_down(self, event: events.MouseDown) -> None:
        if 0 <= event.x - self.gutter.left - self.strip_x < STRIP_CELLS:  # the strip
            self._strip_clicked(event.y - self.gutter.top)
            return
        off = self.offset_at(event.x, event.y)
        if off is None:
            return
        self.focus()
        self._excluded_at = self.visual_from = None
        self.caret = off
        self._drag_from = off
        self.capture_mouse()

    def _strip_clicked(self, y: int) -> None:
        """Go to the mark shown at row y of the strip (or that far through the article);
        ctrl+o comes back."""
        offset = self.strip.place(y) if self.doc.text else None
        if offset is not None:
            self.focus()
            self.visual_from = None
            self.nav.jump(offset)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        start = self._drag_from
        if start is None or not event.button:
            return
        off = self.offset_at(event.x, event.y)
        if off is not None and off != start:
            self._excluded_at = None
            self.visual_from = start
            self.caret = off

    def on_mouse_up(self, event: events.MouseUp) -> None:
        self._drag_from = None
        self.release_mouse()

    # --- getting about: the keys of reader/ui/navigation.py ------------------------------
    @property
    def nav(self) -> Navigator:
        """Counts, marks, the jump list and the outline of the article shown."""
        nav: Navigator | None = self.__dict__.get("_nav")
        if nav is None:
            nav = self.__dict__["_nav"] = Navigator(self)
        return nav

    def on_key(self, event: events.Key) -> None:
        bar = self.typing_into
        if bar is not None and (bar.has_focus or not bar.display):
            bar = self.typing_into = None
        if bar is not None and forward_key(bar, event):
            return
        for b in self.screen._bindings.key_to_bindings.get(event.key, []):
            if b.action in BAR_ACTIONS and not self._remapped(b.id):  # (see typing_into)
                event.stop()
                event.prevent_default()
                getattr(self.screen, f"action_{b.action}")()
                return
        self.nav.key(event)  # a mark's letter, or a key that drops a pending count

    def _remapped(self, binding_id: str | None) -> bool:
        """Whether [keys] moved the binding to another key (this key is not it then)."""
        keys = getattr(getattr(self.app, "config", None), "keys", None) or {}
        return binding_id in keys

    typing_into: Input | None = None
    """A bar just opened from here (find, filter), not yet focused: keys that came in the
    same read as the one that opened it (a paste, a slow link) are typed into it. Its
    binding's action would run after them, and they would be commands here (`/cabbage`
    made a note at `c`)."""

    @on(CaretMoved)
    def _name_section(self) -> None:
        from reader.ui.widgets.status_bar import StatusBar

        for bar in self.screen.query(StatusBar):
            bar.set_section(self.nav.section())

    def action_count(self, digit: int) -> None:
        self.nav.digit(digit)

    def action_go_line(self) -> None:
        self.nav.go_line()

    def action_go_top_jump(self) -> None:
        self.nav.go_top()

    def action_go_percent(self) -> None:
        self.nav.go_percent()

    def action_mark(self, kind: str) -> None:
        self.nav.wait_for_mark(kind)

    def action_jump_back(self) -> None:
        self.nav.back()

    def action_next_annotation(self, step: int) -> None:
        self.nav.next_annotation(step)

    def action_outline(self) -> None:
        self.nav.open_outline()


BAR_ACTIONS = ("find", "filter")  # the screen's actions that open a bar to type into


def forward_key(bar: Input, event: events.Key) -> bool:
    """Type a key meant for bar, which is not focused yet, into it; whether it did."""
    if event.is_printable and event.character:
        bar.insert_text_at_cursor(event.character)
    elif event.key == "backspace":
        bar.action_delete_left()
    elif event.key == "enter":
        bar.post_message(Input.Submitted(bar, bar.value))
    else:
        return False
    event.stop()
    event.prevent_default()
    return True
