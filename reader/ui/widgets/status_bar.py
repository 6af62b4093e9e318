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
        self._note = ""  # a key under way ("12…", "m…") or "no match", before the left part
        self._section = Content()  # the heading of the caret's section, after the right part

    def show(self, left: str | Content, right: str | Content = "") -> None:
        self._left = left if isinstance(left, Content) else shown_name(left)
        self._right = right if isinstance(right, Content) else shown_name(right)
        self.refresh()

    def set_note(self, note: str) -> None:
        self._note = note
        self.refresh()

    def set_section(self, title: str) -> None:
        section = shown_name(f"§ {title}") if title else Content()
        if section.plain != self._section.plain:
            self._section = section
            self.refresh()

    def render(self) -> Content:
        width = self.content_size.width
        left = self._left
        if self._note:
            left = Content.assemble((self._note, "bold $warning"), " ", left)
        left = left.truncate(width, ellipsis=True)
        room = width - left.cell_length - 1
        right = self._right
        if self._section:
            right = Content.assemble(right, " · ", self._section) if right else self._section
        right = right.truncate(room, ellipsis=True) if room > 0 else Content()
        gap = width - left.cell_length - right.cell_length
        return Content.assemble(left, " " * max(0, gap), right)
