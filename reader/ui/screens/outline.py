"""The `t` outline: the article's headings; enter jumps to one, esc closes.

Opened on a book's first look, it lists the headings of that part, and all of them once
the whole text arrives (the navigator hands them over)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reader.core.outline import Heading
from reader.ui.shown import shown_summary

TITLE_CELLS = 70


class OutlineScreen(ModalScreen[int | None]):
    """Lists headings indented by level; dismisses with the chosen heading's offset."""

    BINDINGS = [
        Binding("escape,t,q", "close", "Close the outline", id="reader.outline.close"),
        Binding("j", "move(1)", "Down", show=False, id="reader.outline.down"),
        Binding("k", "move(-1)", "Up", show=False, id="reader.outline.up"),
    ]
    DEFAULT_CSS = """
    OutlineScreen { align: center middle; }
    OutlineScreen > Vertical {
        width: 80; max-width: 95%; height: auto; max-height: 90%; border: round $primary;
        background: $surface; padding: 0 1;
    }
    OutlineScreen OptionList, OutlineScreen OptionList:focus {
        height: auto; max-height: 100%; border: none; padding: 0;
    }
    """

    def __init__(
        self, headings: list[Heading], current: Heading | None, so_far: bool = False
    ) -> None:
        super().__init__()
        self.headings = headings
        self.current = current
        self.so_far = so_far  # the text is not all there yet: more headings may come

    def compose(self) -> ComposeResult:
        with Vertical():
            yield OptionList()

    def on_mount(self) -> None:
        self._fill(self.current)
        self.query_one(OptionList).focus()

    def show_headings(
        self, headings: list[Heading], current: Heading | None, so_far: bool = False
    ) -> None:
        """The whole text arrived: list its headings, the one highlighted kept if it is
        there (a first look's offsets are the whole text's)."""
        options = self.query_one(OptionList)
        i = options.highlighted
        was = self.headings[i] if i is not None and i < len(self.headings) else None
        self.headings, self.so_far = headings, so_far
        self._fill(was if was in headings else current)

    def _fill(self, highlight: Heading | None) -> None:
        n = len(self.headings)
        title = f"Outline: {n} heading{'s' if n != 1 else ''}"
        if self.so_far:  # (the part shown, not what the extraction has reached meanwhile)
            title += " in the first part (all once read)"
        self.query_one(Vertical).border_title = f"{title} (enter: go, esc: close)"
        top = min((h.level for h in self.headings), default=1)
        options = self.query_one(OptionList)
        options.set_options(
            # Titles come from the article: shown as text, never as markup.
            Option(
                Content.assemble(
                    "  " * (h.level - top),
                    shown_summary(h.title, TITLE_CELLS, "bold" if h.level == top else ""),
                ),
                id=str(i),
            )
            for i, h in enumerate(self.headings)
        )
        # Before the first heading: the first one, so enter goes somewhere.
        if highlight is not None and highlight in self.headings:
            options.highlighted = self.headings.index(highlight)
        else:
            options.highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.headings[event.option_index].offset)

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        options.action_cursor_down() if step > 0 else options.action_cursor_up()

    def action_close(self) -> None:
        self.dismiss(None)
