"""The ? help screen: every key, from the BINDINGS of every part of the app."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

KEY_NAMES = {
    "question_mark": "?",
    "slash": "/",
    "space": "space",
    "left_parenthesis": "(",
    "right_parenthesis": ")",
    "left_curly_bracket": "{",
    "right_curly_bracket": "}",
    "escape": "esc",
    "enter": "enter",
    "delete": "del",
}


def key_label(keys: str) -> str:
    return ", ".join(KEY_NAMES.get(k, k) for k in keys.split(","))


class HelpScreen(ModalScreen[None]):
    """Lists the keys of each pane, with their descriptions."""

    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close help")]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 90; max-width: 95%; height: 90%; border: round $primary;
        background: $surface; padding: 0 1;
    }
    """

    def __init__(self, sections: list[tuple[str, list[Binding]]]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with VerticalScroll() as vs:
            vs.border_title = "Keys (esc to close)"
            for title, bindings in self.sections:
                lines: list[str | tuple[str, str]] = [(title, "bold $accent"), "\n"]
                for b in bindings:
                    lines += [(f"  {key_label(b.key):<18}", "bold"), f"{b.description:<40}"]
                    # The id is what [keys] in config.toml remaps.
                    lines += [(b.id or "", "dim"), "\n"]
                yield Static(Content.assemble(*lines))
