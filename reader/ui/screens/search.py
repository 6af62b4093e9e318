"""Search across the library: passages, or annotations (quotes, notes, tags).

Typing never waits: each change starts a thread worker that replaces (cancels)
the previous one, and results arrive when ready.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeAlias

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState, get_current_worker

from reader.core.annotation import Annotation
from reader.core.search import Hit, NoteHit, SearchIndex
from reader.ui.shown import shown, shown_name, shown_summary

NoteSets: TypeAlias = Iterable[tuple[Path, str, Iterable[Annotation]]]
"""(article, layer author or "", its annotations) for each annotation file searched."""


@dataclass(frozen=True)
class Found:
    """Where to go: an article and a range, or an annotation id to resolve there."""

    path: Path
    start: int = 0
    end: int = 0
    annotation_id: str = ""
    layer: str = ""


class SearchScreen(ModalScreen[Found | None]):
    BINDINGS = [
        Binding("escape", "dismiss_none", "Close", id="reader.search.close"),
        Binding("down", "move(1)", "Next result", show=False, id="reader.search.next"),
        Binding("up", "move(-1)", "Previous result", show=False, id="reader.search.prev"),
    ]
    DEFAULT_CSS = """
    SearchScreen { align: center middle; }
    SearchScreen > Vertical {
        width: 90%; height: 90%; border: round $primary; background: $surface;
    }
    SearchScreen OptionList { height: 1fr; border: none; }
    SearchScreen #preview {
        height: 9; border-top: solid $panel-lighten-2; padding: 0 1; color: $text-muted;
    }
    SearchScreen #info { height: auto; max-height: 3; color: $text-muted; padding: 0 1; }
    """

    def __init__(
        self,
        mode: str,
        files: list[Path],
        rel: Callable[[Path], str],
        note_sets: Callable[[], NoteSets] | None = None,
        progress: tuple[int, int] | None = None,
    ) -> None:
        super().__init__()
        self.progress = progress  # (done, total) while the library is being indexed
        self.mode = mode  # "passages" or "notes"
        self.files = files
        self.rel = rel  # path -> str shown to the user
        self.note_sets = note_sets  # callable returning (path, layer, annotations) sets
        self.results: list[Hit] | list[NoteHit] = []
        self._index: SearchIndex | None = None
        self._index_lock = threading.Lock()

    def compose(self) -> ComposeResult:
        with Vertical() as v:
            v.border_title = (
                "Search the library (typos are fine)"
                if self.mode == "passages"
                else "Search annotations: quotes, notes, #tags"
            )
            yield Input(placeholder="type a phrase…", id="query")
            yield Static("", id="info")
            yield OptionList(id="results")
            yield Static("", id="preview")

    def on_unmount(self) -> None:
        with self._index_lock:
            if self._index is not None:
                self._index.close()
                self._index = None

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        if self.mode == "notes":
            self.run_search("")
        self._show_info()

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        self.run_search(event.value)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False, description="Searching")
    def run_search(self, query: str) -> None:
        worker = get_current_worker()
        results: list[Any]
        if self.mode == "passages":
            if not query.strip():
                results = []
            else:
                # One index for the screen's life: opening it and reading which files it
                # holds cost more than a query (a worker at a time uses it).
                with self._index_lock:
                    if worker.is_cancelled:
                        return
                    if self._index is None:
                        self._index = SearchIndex()
                    results = self._index.search(query, self.files, limit=50)
        else:
            from reader.core.search import search_notes

            results = search_notes(query, self.note_sets() if self.note_sets else [])
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show_results, query, results)

    def _show_results(self, query: str, results: list[Any]) -> None:
        if self.query_one(Input).value != query:
            return  # a newer search is on its way
        self.results = results
        ol = self.query_one(OptionList)
        ol.clear_options()
        for r in results:
            ol.add_option(Option(self._prompt(r)))
        self._show_info()
        if results:
            ol.highlighted = 0
        self._preview()

    def _prompt(self, r: Hit | NoteHit) -> Content:
        if isinstance(r, Hit):
            text, marks = r.snippet_marks(200)
            snippet = shown_name(text)  # one character for one: the marks still fit
            for a, b in marks:  # the matched words, as in the preview
                snippet = snippet.stylize("bold $warning", a, b)
            where = shown_name(f"{self.rel(r.path)}:{r.line}:{r.col} ", "dim")
            return Content.assemble(where, snippet)
        parts: list[Content | str] = [shown_name(f"{self.rel(r.path)} ", "dim")]
        if r.layer:
            parts += [shown_name(f"{r.layer}: ", "italic")]
        parts += ["“", shown_summary(r.quote, 80), "”"]
        if r.note:
            parts += [Content.styled("  ✎ ", "bold"), shown_summary(r.note, 80, "bold")]
        if r.tags:
            parts += ["  ", shown_summary(" ".join("#" + t for t in r.tags), 200, "$accent")]
        return Content.assemble(*parts)

    @on(OptionList.OptionHighlighted)
    def _preview(self) -> None:
        ol = self.query_one(OptionList)
        preview = self.query_one("#preview", Static)
        if ol.highlighted is None or not self.results:
            preview.update("")
            return
        r = self.results[ol.highlighted]
        if isinstance(r, Hit):
            content = shown(r.text[:1500])
            for a, b in r.marks:
                if a < 1500:
                    content = content.stylize("bold $warning", a, min(b, 1500))
            preview.update(content)
        else:
            preview.update(shown(f"“{r.quote}”\n\n{r.note}"))

    @on(Worker.StateChanged)
    def _search_failed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            reason = shown_name(str(event.worker.error))
            self.query_one("#info", Static).update(Content.assemble("Cannot search: ", reason))

    def _show_info(self) -> None:
        query = self.query_one(Input).value
        info = f"{len(self.results)} result(s)" if query.strip() or self.mode == "notes" else ""
        if self.progress is not None and self.mode == "passages":
            done, total = self.progress
            info = (info + " so far · " if info else "") + f"indexing {done}/{total} files"
        self.query_one("#info", Static).update(Content(info))

    def indexing(self, progress: tuple[int, int] | None) -> None:
        """How far the library's indexing is; None once it is done: search again then."""
        self.progress = progress
        if progress is None and self.mode == "passages":
            self.run_search(self.query_one(Input).value)
        self._show_info()

    def action_move(self, step: int) -> None:
        ol = self.query_one(OptionList)
        if ol.option_count:
            ol.highlighted = ((ol.highlighted or 0) + step) % ol.option_count

    @on(Input.Submitted)
    def _submitted(self) -> None:
        ol = self.query_one(OptionList)
        if ol.highlighted is not None and self.results:
            self._choose(ol.highlighted)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._choose(event.option_index)

    def _choose(self, i: int) -> None:
        r = self.results[i]
        if isinstance(r, Hit):
            self.dismiss(Found(r.path, r.start, r.end))
        else:
            self.dismiss(Found(r.path, annotation_id=r.annotation_id, layer=r.layer))

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
