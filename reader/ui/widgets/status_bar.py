"""One line under the reading pane: where you are and what is going on."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static


class StatusBar(Static):
    DEFAULT_CSS = """
    StatusBar { height: 1; background: $panel; color: $text-muted; padding: 0 1; }
    """

    def show(self, left: str, right: str = "") -> None:
        width = max(10, self.size.width - 2)
        space = max(1, width - len(left) - len(right))
        self.update(Content(f"{left}{' ' * space}{right}"))
