"""One line under the reading pane: where you are and what is going on."""

from __future__ import annotations

from textual.content import Content
from textual.widget import Widget

from reader.ui.shown import shown_name


class StatusBar(Widget):
    """Left: the facts that matter most (hits, selection, position), never cut while they fit.
    Right: what is under the caret, cut with an ellipsis to the room left. Widths are counted
    in terminal cells (a CJK character takes two), at the bar's width when it is drawn."""

    DEFAULT_CSS = """
    StatusBar { height: 1; background: $panel; color: $text-muted; padding: 0 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._left = Content()
        self._right = Content()

    def show(self, left: str | Content, right: str | Content = "") -> None:
        self._left = left if isinstance(left, Content) else shown_name(left)
        self._right = right if isinstance(right, Content) else shown_name(right)
        self.refresh()

    def render(self) -> Content:
        width = self.content_size.width
        left = self._left.truncate(width, ellipsis=True)
        room = width - left.cell_length - 1
        right = self._right.truncate(room, ellipsis=True) if room > 0 else Content()
        gap = width - left.cell_length - right.cell_length
        return Content.assemble(left, " " * max(0, gap), right)
