"""A yes/no question."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label

from reader.ui.keys import keys_for
from reader.ui.shown import shown


class ConfirmScreen(ModalScreen[bool]):
    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="reader.confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="reader.confirm.no"),
    ]
    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    ConfirmScreen > Vertical {
        width: auto; height: auto; border: round $warning; background: $surface; padding: 1 2;
    }
    """

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(shown(self.question))  # it may name a file or a layer
            yes = keys_for(self.app, self.BINDINGS, "reader.confirm.yes")
            no = keys_for(self.app, self.BINDINGS, "reader.confirm.no")
            yield Label(f"{yes}: yes   {no}: no", classes="dim", markup=False)

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
