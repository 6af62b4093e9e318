"""The ? help screen: every key of every part of the app, as the user's [keys] bind them."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from reader.ui.keys import key_label

if TYPE_CHECKING:
    from reader.ui.keys import KeyRow


class HelpScreen(ModalScreen[None]):
    """Lists the keys of each pane, with their descriptions and binding ids."""

    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close help", id="reader.help.close"),
        Binding("j,down", "scroll_help('down')", "Scroll down", id="reader.help.down"),
        Binding("k,up", "scroll_help('up')", "Scroll up", id="reader.help.up"),
        Binding(
            "space,pagedown", "scroll_help('page_down')", "Page down", id="reader.help.page_down"
        ),
        Binding("b,pageup", "scroll_help('page_up')", "Page up", id="reader.help.page_up"),
        Binding("g,home", "scroll_help('home')", "Top", id="reader.help.top"),
        Binding("G,end", "scroll_help('end')", "Bottom", id="reader.help.bottom"),
    ]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 90; max-width: 95%; height: 90%; border: round $primary;
        background: $surface; padding: 0 1;
    }
    """

    def __init__(self, sections: list[tuple[str, list[KeyRow]]]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with VerticalScroll() as vs:
            vs.border_title = "Keys (esc to close)"
            for _ in self.sections:
                yield Static(classes="help-section")

    def on_resize(self) -> None:
        """Lay the rows out for the width there is (80 columns: the id goes under)."""
        vs = self.query_one(VerticalScroll)
        # (less the scrollbar, there or not yet: the rows make it come)
        width = vs.size.width - vs.styles.gutter.width - vs.styles.scrollbar_size_vertical
        for static, (title, rows) in zip(
            self.query(".help-section").results(Static), self.sections, strict=True
        ):
            static.update(_section(title, rows, width))

    def action_scroll_help(self, where: str) -> None:
        scroll = self.query_one(VerticalScroll)
        {
            "down": scroll.scroll_down,
            "up": scroll.scroll_up,
            "page_down": scroll.scroll_page_down,
            "page_up": scroll.scroll_page_up,
            "home": scroll.scroll_home,
            "end": scroll.scroll_end,
        }[where](animate=False)


KEY_COLUMN = 20  # "  " and the keys


def _section(title: str, rows: list[KeyRow], width: int) -> Content:
    """A section's rows: keys, description and binding id (what [keys] in config.toml
    remaps), each in its column. What the line would not hold goes under, in that column:
    the id, the rest of a long description, the description after keys as long as 0-9's."""
    lines: list[str | tuple[str, str]] = [(title, "bold $accent"), "\n"]
    longest = max((len(r.description) for r in rows), default=0)
    ids = max((len(r.id) for r in rows), default=0)
    described = min(max(longest, 20) + 1, max(10, width - KEY_COLUMN - ids - 1))
    indent = " " * KEY_COLUMN
    for row in rows:
        keys = f"  {key_label(row.keys)}"
        if len(keys) < KEY_COLUMN:
            lines += [(f"{keys:<{KEY_COLUMN}}", "bold")]
        else:
            lines += [(keys, "bold"), "\n", indent]
        if len(row.description) < described and KEY_COLUMN + described + len(row.id) <= width:
            lines += [f"{row.description:<{described}}", (row.id, "dim"), "\n"]
            continue
        wrapped = textwrap.wrap(row.description, max(10, width - KEY_COLUMN)) or [""]
        lines += [f"\n{indent}".join(wrapped), "\n"]
        if row.id:
            lines += [indent, (row.id, "dim"), "\n"]
    return Content.assemble(*lines)
