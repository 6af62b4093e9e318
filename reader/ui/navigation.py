"""Getting about an article as in less and vim: a count before `G` or `%`, marks (`m`, `'`),
the jump list (`ctrl+o`), the next or previous annotation (`]`, `[`), the outline (`t`)
and `n`/`N` from the caret. The reading pane binds the keys; this holds the logic.

Digits: 1-6 also highlight in a colour. A digit starts a count only when nothing is
selected and the caret is not on one of your highlights (there the digits colour it);
a count under way takes every digit, and any key but a digit, `G` or `%` drops it.
"""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

from textual.actions import SkipAction

from reader.core.jumps import JumpList
from reader.core.motion import line_start, percent_offset
from reader.core.outline import Heading, outline, section_at

if TYPE_CHECKING:
    from textual import events

    from reader.core.document import Document
    from reader.ui.screens.main import MainScreen
    from reader.ui.screens.outline import OutlineScreen
    from reader.ui.widgets.reading_pane import ReadingPane

# A count longer than this is a slip of the finger (no article has a billion lines).
MAX_COUNT_DIGITS = 9
# The status line names the section only while finding the headings stays quick.
SECTION_MAX_CHARS = 4_000_000
# The reading pane's actions that wait for a mark's letter, and which kind each is.
MARK_ACTIONS = {"mark('m')": "m", 'mark("\'")': "'"}
# Actions of the reading pane that a pending count is for (any other key drops it).
COUNT_ACTIONS = ("count", "go_line", "go_percent")
OWN_MARK = "reading-pane--hl-"  # the style of your highlights (layers draw otherwise)
NOTED = "reading-pane--noted"


def headings_of(doc: Document) -> list[Heading]:
    """The outline: an e-book's own table of contents, else headings found in the text."""
    if doc.outline:
        return [Heading(1, title, offset) for title, offset in doc.outline]
    return outline(doc)


class Navigator:
    """The pane's places: a pending count or mark key, the jump list, the outline."""

    def __init__(self, pane: ReadingPane) -> None:
        self.pane = pane
        self.count = ""  # digits typed before G or %
        self.waiting = ""  # "m" or "'" while waiting for the mark's letter
        self._jumps = JumpList()
        self._doc: Document | None = None
        self._headings: list[Heading] | None = None
        self._outline: OutlineScreen | None = None  # open on the article shown

    # --- what is open --------------------------------------------------------------
    def _fresh(self) -> None:
        """A new article: its own jump list and outline."""
        if self._doc is not self.pane.doc:
            self._doc, self._headings = self.pane.doc, None
            self._jumps = JumpList()
            self.count = self.waiting = ""

    @property
    def jumps(self) -> JumpList:
        """The places left by jumps in the article shown."""
        self._fresh()
        return self._jumps

    @property
    def headings(self) -> list[Heading]:
        self._fresh()
        if self._headings is None:
            self._headings = headings_of(self.pane.doc)
        return self._headings

    def _screen(self) -> MainScreen | None:
        from reader.ui.screens.main import MainScreen  # the screen imports the pane

        screen = self.pane.screen if self.pane.is_attached else None
        return screen if isinstance(screen, MainScreen) else None

    def tell(self, message: str) -> None:
        self.pane.notify(message, markup=False, timeout=4)

    def show_pending(self) -> None:
        """The count or mark key under way, at the start of the status line ("12…")."""
        from reader.ui.widgets.status_bar import StatusBar

        pending = self.count or self.waiting
        for bar in self.pane.screen.query(StatusBar):
            bar.set_note(f"{pending}…" if pending else "")

    def section(self) -> str:
        """The title of the section the caret is in ("" before the first heading)."""
        doc = self.pane.doc
        if self._doc is not doc and len(doc.text) > SECTION_MAX_CHARS and not doc.outline:
            return ""
        heading = section_at(self.headings, self.pane.caret)
        return heading.title if heading is not None else ""

    # --- going places --------------------------------------------------------------
    def place(self, offset: int, top: bool = False) -> None:
        """Caret to offset; its row at the top (top) or a third down when off screen."""
        pane = self.pane
        offset = max(0, min(offset, max(0, len(pane.doc.text) - 1)))
        pane.caret = offset
        layout = pane.layout_rows
        row = layout.row_of(offset)
        height = max(1, pane.scrollable_content_region.height)
        shown = int(pane.scroll_offset.y) <= row < int(pane.scroll_offset.y) + height
        if top or not shown:
            y = row if top else max(0, row - height // 3)
            layout.ensure_rows(y + height + 1)
            pane.virtual_size = pane.virtual_size.with_height(layout.row_count)
            pane.scroll_to(y=y, animate=False, immediate=True)

    def jump(self, offset: int, top: bool = False) -> None:
        """Go to offset, leaving the place here in the jump list (ctrl+o comes back)."""
        self._fresh()
        self.jumps.leave(self.pane.caret)
        self.place(offset, top)

    def back(self) -> None:
        """ctrl+o: the place before the last jump."""
        self._fresh()
        offset = self.jumps.back(self.pane.caret)
        if offset is None:
            self.tell("No earlier place: ctrl+o goes back after a jump (G, /, ', ], t…).")
        else:
            self.place(offset)

    # --- counts: 120G, 50% ---------------------------------------------------------
    def on_own_mark(self) -> bool:
        caret = self.pane.caret
        return any(
            m.start <= caret < m.end and m.component.startswith(OWN_MARK) for m in self.pane.marks
        )

    def digit(self, d: int) -> None:
        """A digit: part of a count, or (SkipAction) the screen's colour key."""
        self._fresh()
        if not self.count and (d == 0 or self.pane.selection is not None or self.on_own_mark()):
            raise SkipAction()
        if len(self.count) < MAX_COUNT_DIGITS:
            self.count += str(d)
        self.show_pending()

    def take_count(self) -> int | None:
        count, self.count = self.count, ""
        self.show_pending()
        return int(count) if count else None

    def go_line(self) -> None:
        """G: the last line, or with a count the line of that number."""
        n = self.take_count()
        if n is None:
            self.jumps.leave(self.pane.caret)
            self.pane.action_go_bottom()
        else:
            self.jump(line_start(self.pane.doc, n))

    def go_top(self) -> None:
        self._fresh()
        self.jumps.leave(self.pane.caret)
        self.pane.action_go_top()

    def go_percent(self) -> None:
        """N%: the line N percent of the way through, as in less."""
        n = self.take_count()
        if n is None:
            self.tell("Type a number first: 50% goes halfway through.")
        else:
            self.jump(percent_offset(self.pane.doc, n), top=True)

    def key(self, event: events.Key) -> None:
        """Before the bindings: m or ' (taken here, not by its binding's action, which
        runs later: a letter that came in the same read, pasted or over a slow link, would
        reach its own binding first: `mq` quit), the letter after it, or a key that drops
        a count."""
        if not self.waiting:
            for b in self.pane._bindings.key_to_bindings.get(event.key, []):
                kind = MARK_ACTIONS.get(b.action)
                if kind is not None:
                    event.stop()
                    event.prevent_default()
                    self.wait_for_mark(kind)
                    return
        if self.waiting:
            event.stop()
            event.prevent_default()
            kind, self.waiting = self.waiting, ""
            self.show_pending()
            letter = event.character or ""
            if len(letter) == 1 and letter.isascii() and letter.isalpha():
                self.set_mark(letter) if kind == "m" else self.go_mark(letter)
            elif event.key != "escape":
                self.tell(f"A mark is a letter: {kind} then a-z or A-Z.")
            return
        if not self.count:
            return
        bound = self.pane._bindings.key_to_bindings.get(event.key, [])
        if any(b.action.startswith(COUNT_ACTIONS) for b in bound):
            return
        self.count = ""
        self.show_pending()
        if event.key == "escape":  # esc drops the count and does nothing else
            event.stop()
            event.prevent_default()

    # --- marks: m + letter, ' + letter -------------------------------------------------
    def wait_for_mark(self, kind: str) -> None:
        self._fresh()
        self.count, self.waiting = "", kind
        self.show_pending()

    def set_mark(self, letter: str) -> None:
        screen = self._screen()
        if screen is None or screen.article is None or screen.session is None:
            self.tell("Open an article first: marks are kept per article.")
            return
        positions = screen.opener.positions
        positions.set_mark(screen.article.path, letter, self.pane.caret)
        positions.save()
        line = self.pane.doc.line_col(self.pane.caret)[0]
        self.tell(f"Mark {letter} set at line {line}: ' then {letter} comes back here.")

    def go_mark(self, letter: str) -> None:
        screen = self._screen()
        if screen is None or screen.article is None or screen.session is None:
            return
        offset = screen.opener.positions.marks(screen.article.path).get(letter)
        if offset is None:
            self.tell(f"No mark {letter} in this article: m then {letter} sets it.")
        else:
            self.jump(offset)

    # --- annotations: ] and [ ----------------------------------------------------------
    def next_annotation(self, step: int) -> None:
        """The start of the next (step 1) or previous (-1) annotation, yours or a layer's."""
        starts = sorted({m.start for m in self.pane.marks if m.component != NOTED})
        caret = self.pane.caret
        if not starts:
            self.tell("No annotations in this article.")
            return
        if step > 0:
            i = bisect.bisect_right(starts, caret)
            if i == len(starts):
                self.tell("No annotation after the caret ([ goes back).")
                return
        else:
            i = bisect.bisect_left(starts, caret) - 1
            if i < 0:
                self.tell("No annotation before the caret (] goes on).")
                return
        self.jump(starts[i])

    # --- the outline: t --------------------------------------------------------------
    def open_outline(self) -> None:
        from reader.ui.screens.outline import OutlineScreen

        headings, so_far = self.headings, self._so_far()
        if not headings:
            if so_far:
                self.tell("No headings in the text read so far: t again once it is all there.")
            else:
                self.tell("No headings found in this article.")
            return

        def chosen(offset: int | None) -> None:
            self._outline = None
            if offset is not None:
                self.jump(offset, top=True)

        current = section_at(headings, self.pane.caret)
        self._outline = OutlineScreen(headings, current, so_far)
        self.pane.app.push_screen(self._outline, chosen)

    def text_arrived(self) -> None:
        """The article's whole text shows now: an outline opened on its first look lists
        all its headings."""
        screen = self._outline
        if screen is None or not screen.is_attached:
            return
        headings = self.headings
        if headings:
            screen.show_headings(headings, section_at(headings, self.pane.caret), self._so_far())

    def _so_far(self) -> bool:
        """Whether only the first part of the text shows (a big file's, a book's first look)."""
        screen = self._screen()
        return screen is not None and bool(screen.opener.waiting())

    # --- find: n and N from the caret --------------------------------------------------
    def find_next(self, step: int, exact: int) -> None:
        """The next (1) or previous (-1) hit from the caret, wrapping as vim does.
        exact: how many of the hits (the first ones) are exact; n/N keep to those."""
        pane = self.pane
        hits = pane.find_hits
        if not hits:
            self.tell("No search: press / to find.")
            return
        pool = sorted(range(exact or len(hits)), key=lambda i: hits[i].start)
        caret = pane.caret
        if step > 0:
            after = [i for i in pool if hits[i].start > caret]
            target = after[0] if after else pool[0]
            wrapped = "search hit BOTTOM, continuing at TOP" if not after else ""
        else:
            before = [i for i in pool if hits[i].start < caret]
            target = before[-1] if before else pool[-1]
            wrapped = "search hit TOP, continuing at BOTTOM" if not before else ""
        self._fresh()
        self.jumps.leave(caret)
        pane.goto_hit(target)
        self.place(hits[target].start)
        if wrapped:
            self.tell(wrapped)
