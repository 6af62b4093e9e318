"""The screen shown after an unexpected error, before reader closes."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from reader.ui.shown import shown


class ErrorScreen(Screen[None]):
    """Says what happened, that annotations are safe and where the traceback is; any of the
    bound keys closes reader. The app cannot go on: the part that failed has stopped."""

    BINDINGS = [
        Binding("q,enter,escape,space", "app.quit_after_error", "Quit", id="reader.error.quit")
    ]
    DEFAULT_CSS = """
    ErrorScreen { align: center middle; }
    ErrorScreen > Vertical {
        width: 90%; max-width: 100; height: auto;
        border: heavy $error; background: $surface; padding: 1 2;
    }
    ErrorScreen #error-summary { color: $error; text-style: bold; }
    ErrorScreen Static { margin-bottom: 1; }
    ErrorScreen Static:last-child { margin-bottom: 0; color: $text-muted; }
    """

    def __init__(self, error: BaseException, log: Path | None) -> None:
        super().__init__()
        self.error = error
        self.log_path = log

    def compose(self) -> ComposeResult:
        # Content, never markup: the error message may quote article text or a file name.
        with Vertical():
            yield Static(Content("reader hit an unexpected error and has to close."))
            yield Static(shown(describe(self.error)), id="error-summary")
            yield Static(
                Content("Your annotations are safe: each change was saved when you made it.")
            )
            where = (
                f"The details are in {self.log_path}. Please attach that file to a bug report."
                if self.log_path
                else "The details could not be written to a log file (the state folder is "
                "not writable); they are printed when reader closes."
            )
            yield Static(shown(where), id="error-log")
            yield Static(Content("Press q, Enter or Esc to quit."), classes="dim")


def describe(error: BaseException) -> str:
    text = f"{type(error).__name__}: {error}"
    return text if len(text) <= 500 else text[:500] + "…"
