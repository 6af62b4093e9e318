"""The ? help screen: every key of every part of the app, as the user's [keys] bind them."""

from __future__ import annotations

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
            for title, rows in self.sections:
                lines: list[str | tuple[str, str]] = [(title, "bold $accent"), "\n"]
                for row in rows:
                    lines += [(f"  {key_label(row.keys):<18}", "bold"), f"{row.description:<40}"]
                    # The id is what [keys] in config.toml remaps.
                    lines += [(row.id, "dim"), "\n"]
                yield Static(Content.assemble(*lines))

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
