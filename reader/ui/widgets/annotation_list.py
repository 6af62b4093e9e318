"""The annotations pane: the current article's marks in document order, orphans apart."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reader.ui.palette import swatch
from reader.ui.shown import shown, shown_name, shown_summary

if TYPE_CHECKING:
    from reader.core.session import ArticleSession, Entry  # an Entry: one row

QUOTE_CELLS = 60
AUTHOR_CELLS = 24


class AnnotationList(OptionList):
    """Lists entries; Enter asks to jump to one."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="reader.annotations.down"),
        Binding("k", "cursor_up", "Up", show=False, id="reader.annotations.up"),
    ]

    @dataclass
    class EntryChosen(Message):
        entry: Entry

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.border_title = "Annotations"
        self.entries: list[Entry] = []
        # Your name, once known: a mark in your set that someone else wrote (imported, copied
        # from a layer, merged) then ends `by NAME`. Until then no row says `by` at all.
        self.you: str | None = None

    def know_you(self, name: str) -> None:
        """Your name is known (the config's, or git's, asked after the first frame): redraw
        the rows, so the marks others wrote say whose they are."""
        if name == self.you:
            return
        self.you = name
        for i, e in enumerate(self.entries):
            self.replace_option_prompt(f"e{i}", self._prompt(e))

    def set_entries(
        self, entries: list[Entry], keep: str | None = None, session: ArticleSession | None = None
    ) -> None:
        from reader.core.anchoring import ORPHAN  # (loaded with the first article's marks)

        self._title(len(entries), session)
        placed = [e for e in entries if e.resolution.status != ORPHAN]
        orphans = [e for e in entries if e.resolution.status == ORPHAN]
        self.entries = placed + orphans
        self.clear_options()
        broken = session.store.error if session is not None else None
        if broken is not None:  # the file's marks are there, just not readable: say so
            self.add_option(
                Option(
                    Content.styled(
                        "Annotations cannot be read, and are kept as they are until the "
                        "file is fixed: ",
                        "bold $warning",
                    )
                    + shown(str(broken)),
                    disabled=True,
                )
            )
        if not self.entries:
            if broken is None:
                self.add_option(
                    Option(
                        Content.styled(
                            "No annotations yet. Select text (v) and press "
                            "a to highlight, c to add a note.",
                            "dim",
                        ),
                        disabled=True,
                    )
                )
            return
        for i, e in enumerate(self.entries):
            if orphans and e is orphans[0]:
                self.add_option(
                    Option(
                        Content.styled(
                            f"── Orphans ({len(orphans)}): text no longer found ──", "bold $warning"
                        ),
                        disabled=True,
                    )
                )
            self.add_option(Option(self._prompt(e), id=f"e{i}"))
        if keep is not None:
            self.highlight_annotation(keep)
        if self.highlighted is None:
            self.highlight_annotation(self.entries[0].annotation.id)

    def _title(self, shown: int, session: ArticleSession | None) -> None:
        """The pane's title; with a filter on, how many marks it keeps and the filter."""
        what = session.filter.strip() if session is not None else ""
        if session is None or not what:
            self.border_title = "Annotations"
            return
        total = len(session.annotations) + sum(
            len(rl.layer.annotations) for rl in session.layers if rl.author not in session.hidden
        )
        # Content: the filter is typed text, never markup.
        self.border_title = Content(f"{shown} of {total} marks · filter: {what}")

    def _prompt(self, e: Entry) -> Content:
        a, r = e.annotation, e.resolution
        status = (
            ""
            if r.status == "anchored"
            else (f" [{r.status} {r.score:.0f}]" if r.status == "fuzzy" else f" [{r.status}]")
        )
        parts: list[str | tuple[str, str] | Content] = [("█ ", swatch(a.color))]
        if a.label:
            parts += [shown_summary(a.label, QUOTE_CELLS, "bold"), (": ", "bold")]
        if e.layer:
            parts += [shown_name(e.layer, "italic $accent"), (": ", "italic $accent")]
        quote_style = "italic" if e.layer else ""
        parts += [
            ("“", quote_style),
            shown_summary(a.target.quote, QUOTE_CELLS, quote_style),
            ("”", quote_style),
            (status, "$warning"),
        ]
        # Someone else's, in your set (a layer's row already names its author).
        if not e.layer and self.you is not None and a.author and a.author != self.you:
            parts += [("  by ", "dim"), shown_summary(a.author, AUTHOR_CELLS, "dim")]
        if a.note:
            first = next((line for line in a.note.splitlines() if line.strip()), "")
            parts += ["\n  ✎ ", shown_summary(first, 48)]
        if a.tags:
            parts += ["\n  ", shown_summary(" ".join("#" + t for t in a.tags), 200, "$accent")]
        if a.conflict:
            parts += ["\n  ", ("conflict: ", "$error"), shown_summary(a.conflict, 40, "$error")]
        return Content.assemble(*parts)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        entry = self.entry_at(event.option_index)
        if entry is not None:
            self.post_message(self.EntryChosen(entry))

    def entry_at(self, option_index: int | None) -> Entry | None:
        if option_index is None:
            return None
        opt = self.get_option_at_index(option_index)
        if opt.id is None or not opt.id.startswith("e"):
            return None
        return self.entries[int(opt.id[1:])]

    @property
    def current(self) -> Entry | None:
        return self.entry_at(self.highlighted)

    def highlight_annotation(self, ident: str) -> None:
        for i, e in enumerate(self.entries):
            if e.annotation.id == ident:
                self.highlighted = self.get_option_index(f"e{i}")
                return
