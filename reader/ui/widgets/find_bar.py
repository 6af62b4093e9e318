"""Find in the article as you type: every hit marked in the reading pane, one current."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.message import Message
from textual.widgets import Input

from reader.ui.widgets.reading_pane import ReadingPane

if TYPE_CHECKING:
    from reader.core.document import Document
    from reader.core.find import FindResult


class FindBar(Input):
    """Exact hits come first, then close (typo-tolerant) ones; the current hit is the first
    exact one after where the reader was. Enter keeps the hits (n/N move through them);
    `cancel` clears them and goes back to where the reader was."""

    class HitsChanged(Message):
        """The hits or the current hit changed (the status line shows "3/17")."""

    def __init__(self, pane: ReadingPane) -> None:
        super().__init__(placeholder="find (esc: back, enter: keep)", id="find")
        self.pane = pane
        self._return = (0, 0)  # caret and scroll row when the bar was opened
        self._exact = 0  # how many of the pane's hits are exact (the rest are close)

    def start(self) -> None:
        self._return = (self.pane.caret, int(self.pane.scroll_offset.y))
        self.display = True
        self.value = ""
        self.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.find(self.pane.doc, event.value)

    @property
    def exact(self) -> int:
        """How many of the pane's hits (the first ones) are exact matches."""
        return self._exact

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.display = False
        self.pane.focus()
        self._say_no_match("")
        if self.value.strip() and not self.pane.find_hits:
            self.notify(f"No match for “{self.value}”.", markup=False, timeout=4)
        elif self.pane.find_hits:
            self.pane.nav.jumps.leave(self._return[0])  # ctrl+o comes back from the hit

    def _say_no_match(self, query: str) -> None:
        """Say at the start of the status line that the query has no match."""
        from reader.ui.widgets.status_bar import StatusBar

        self.set_class(bool(query.strip()), "-invalid")
        for bar in self.screen.query(StatusBar):
            bar.set_note("no match" if query.strip() else "")

    @work(thread=True, exclusive=True, group="find", exit_on_error=False, description="Finding")
    def find(self, doc: Document, query: str) -> None:
        """Off the UI thread, so typing never waits on a big article; stale runs are dropped."""
        from textual.worker import get_current_worker

        from reader.core.find import find_all

        result = find_all(doc.text, query)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._found, doc, query, result)

    def _found(self, doc: Document, query: str, result: FindResult) -> None:
        if doc is not self.pane.doc or self.value != query:
            return  # the article or the query changed meanwhile
        self._exact = result.exact
        self.pane.set_find(result.hits, -1)
        self._say_no_match("" if result.hits else query)
        if result.hits:
            after = next(
                (i for i, h in enumerate(result.hits[: self._exact]) if h.start >= self._return[0]),
                0,
            )
            self.goto(after)
        else:
            self.post_message(self.HitsChanged())

    def goto(self, i: int) -> None:
        self.pane.goto_hit(i)
        self.post_message(self.HitsChanged())

    def cancel(self) -> None:
        """Hide the bar, clear the hits and go back to where the reader was."""
        self.display = False
        self._say_no_match("")
        caret, y = self._return
        self.pane.caret = caret
        self.pane.scroll_to(y=y, animate=False, immediate=True)
        self.pane.set_find([], -1)
        self.pane.focus()
        self.post_message(self.HitsChanged())
