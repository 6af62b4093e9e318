"""The note editor: a multi-line note and tags for one annotation."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Label, TextArea

from reader.ui.keys import keys_for
from reader.ui.screens.confirm import ConfirmScreen
from reader.ui.shown import editable, shown_summary


@dataclass(frozen=True)
class NoteResult:
    note: str
    tags: tuple[str, ...]


def parse_tags(s: str) -> tuple[str, ...]:
    out: list[str] = []
    for t in s.replace(",", " ").split():
        t = t.lstrip("#")
        if t and t not in out:
            out.append(t)
    return tuple(out)


class TagSuggester(SuggestFromList):
    """Completes the last tag typed from tags already used."""

    async def get_suggestion(self, value: str) -> str | None:
        head, _, last = value.rpartition(" ")
        if not last:
            return None
        found = await super().get_suggestion(last)
        return f"{head} {found}".lstrip() if found else None


class NoteScreen(ModalScreen[NoteResult | None]):
    """ctrl+s saves; esc cancels (asking first if text was typed)."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save note", id="reader.note.save"),
        Binding("escape", "cancel", "Cancel", id="reader.note.cancel"),
    ]
    DEFAULT_CSS = """
    NoteScreen { align: center middle; }
    NoteScreen > Vertical {
        width: 80; max-width: 95%; height: auto; max-height: 90%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    NoteScreen #quote { color: $text-muted; text-style: italic; margin-bottom: 1; }
    NoteScreen TextArea { height: 10; }
    NoteScreen Horizontal { height: auto; align-horizontal: right; }
    """

    def __init__(self, quote: str, note: str, tags: tuple[str, ...], known_tags: list[str]) -> None:
        super().__init__()
        self.quote = quote
        # Someone's note with control characters shows (and saves) them as symbols.
        self.initial = NoteResult(editable(note), tuple(editable(t) for t in tags))
        self.known_tags = known_tags

    def compose(self) -> ComposeResult:
        with Vertical() as v:
            save = keys_for(self.app, self.BINDINGS, "reader.note.save")
            cancel = keys_for(self.app, self.BINDINGS, "reader.note.cancel")
            v.border_title = Content(f"Note ({save} save · {cancel} cancel)")
            yield Label(Content.assemble("“", shown_summary(self.quote, 200), "”"), id="quote")
            yield TextArea(self.initial.note, id="note", soft_wrap=True)
            yield Input(
                " ".join(self.initial.tags),
                placeholder="tags, separated by spaces",
                id="tags",
                select_on_focus=False,  # (tab into them adds a tag, not replaces them all)
                suggester=TagSuggester(self.known_tags, case_sensitive=False),
            )
            with Horizontal():
                yield Button("Save", variant="primary", id="save")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        note = self.query_one(TextArea)
        note.focus()
        note.move_cursor(note.document.end)  # an existing note is added to, at its end

    def _result(self) -> NoteResult:
        return NoteResult(self.query_one(TextArea).text, parse_tags(self.query_one(Input).value))

    def action_save(self) -> None:
        self.dismiss(self._result())

    @on(Input.Submitted)
    def _tags_entered(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    def action_cancel(self) -> None:
        if self._result() == self.initial:
            self.dismiss(None)
            return

        def decided(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(ConfirmScreen("Discard the text you typed?"), decided)
