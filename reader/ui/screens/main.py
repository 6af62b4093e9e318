"""The main screen: library, reading pane and annotations side by side."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Input, Static
from textual.worker import Worker, WorkerState

from reader.core.anchoring import ORPHAN, Anchorer, Resolution
from reader.core.annotation import COLORS, Annotation, make_target
from reader.core.config import load_config
from reader.core.document import Document, Range
from reader.core.history import Change, History
from reader.core.inert import inert_name
from reader.core.library import Article, Library
from reader.core.positions import Positions
from reader.core.sharing import Layer, find_layers
from reader.core.store import ArticleStore, SidecarError
from reader.core.text import UnreadableFile, read_preview
from reader.ui.screens.main_layers import SharedLayers
from reader.ui.screens.main_search import LibrarySearch
from reader.ui.widgets.annotation_list import AnnotationList, Entry
from reader.ui.widgets.find_bar import FindBar
from reader.ui.widgets.library_list import LibraryList
from reader.ui.widgets.reading_pane import Mark, ReadingPane
from reader.ui.widgets.status_bar import StatusBar

# Files bigger than four times this show a preview of their first lines at once.
PREVIEW_BYTES = 256 * 1024
# Files up to this size are read on the spot; bigger ones in a worker thread.
SMALL_FILE = 256 * 1024

if TYPE_CHECKING:
    from reader.ui.screens.note import NoteResult


class MainScreen(LibrarySearch, SharedLayers, Screen[None]):
    BINDINGS = [
        # The app's keys again, first: the Footer lists the focused widget's keys, then
        # the screen's, then the app's, so a narrow terminal cuts these off otherwise.
        Binding("question_mark", "app.help", "Help", id="reader.help"),
        Binding("q", "app.quit", "Quit", id="reader.quit"),
        Binding("slash", "find", "Find", id="reader.find"),
        Binding("n", "find_next(1)", "Next match", show=False, id="reader.find_next"),
        Binding("N", "find_next(-1)", "Previous match", show=False, id="reader.find_prev"),
        Binding("a", "highlight", "Highlight", id="reader.highlight"),
        *[
            Binding(
                str(i + 1),
                f"highlight('{c}')",
                f"Highlight {c}",
                show=False,
                id=f"reader.color_{c}",
            )
            for i, c in enumerate(COLORS)
        ],
        Binding("c", "note", "Note", id="reader.note"),
        Binding("x", "delete", "Delete", id="reader.delete"),
        Binding("u", "undo", "Undo", id="reader.undo"),
        Binding("ctrl+r", "redo", "Redo", show=False, id="reader.redo"),
        Binding("R", "reattach", "Re-attach orphan", show=False, id="reader.reattach"),
        Binding("f", "filter", "Filter marks", show=False, id="reader.filter"),
        Binding("o", "quick_open", "Open…", id="reader.quick_open"),
        Binding("F", "search('passages')", "Search all", id="reader.search"),
        Binding("M", "search('notes')", "Search notes", show=False, id="reader.search_notes"),
        Binding("L", "layers", "Layers", id="reader.layers"),
        Binding("y", "copy_from_layer", "Copy into mine", show=False, id="reader.copy_layer"),
        Binding("E", "export", "Export", show=False, id="reader.export"),
    ]

    def __init__(self, library: Library) -> None:
        super().__init__()
        self.library = library
        self.article: Article | None = None
        self.doc = Document("")
        self.store: ArticleStore | None = None
        self.histories: dict[Path, History] = {}
        self.positions = Positions()
        self.color = load_config().default_color
        self._goto: tuple[Range | None, str] = (None, "")  # where to go once an article opens
        self._filter = ""
        self.shared_layers: list[tuple[Layer, dict[str, Resolution]]] = []
        self.hidden_layers: set[str] = set()
        self._index_started = False
        self._preview_of: Article | None = None
        self._opening: Article | None = None  # the article asked for last
        self.index_progress: tuple[int, int] | None = None  # (done, total) while indexing

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            yield LibraryList(self.library, id="library")
            with Vertical(id="reading"):
                yield ReadingPane(id="pane")
                # The find and filter bars are made on first use (see _bar).
                yield StatusBar(id="status")
            yield AnnotationList(id="annotations")
        # The Footer (a widget per key) comes just after the first frame, so the article
        # shows sooner; this keeps its row until then.
        yield Static(" ", id="footer-space")

    # Typed handles on the children, queried in one place.
    @property
    def pane(self) -> ReadingPane:
        return self.query_one(ReadingPane)

    @property
    def library_list(self) -> LibraryList:
        return self.query_one(LibraryList)

    @property
    def notes_list(self) -> AnnotationList:
        return self.query_one(AnnotationList)

    @property
    def status(self) -> StatusBar:
        return self.query_one(StatusBar)

    def on_mount(self) -> None:
        # Index once the first screen is up, so it does not slow it down.
        self.set_timer(1.0, self.start_indexing)
        self.call_after_refresh(self._mount_footer)
        for problem in self.library.problems:
            self.notify(inert_name(problem), severity="error", markup=False, timeout=8)
        readable = [a for a in self.library.articles if a.problem is None]
        # Resume the article read last, if it is in this library; else the first one.
        last = self.positions.last
        first = next((a for a in readable if str(a.path.resolve()) == last), None) or next(
            iter(readable), None
        )
        if first is not None:
            self.open_article(first, focus=len(self.library.articles) == 1)
        else:
            self.pane.empty_message = (
                "No articles found."
                if not self.library.articles
                else "No article here can be opened as text."
            )
        self.library_list.focus() if len(self.library.articles) > 1 else self.pane.focus()

    async def _mount_footer(self) -> None:
        from textual.widgets import Footer

        if not self.is_attached:
            return  # the app is already closing (q pressed at once)
        with self.app.batch_update():
            await self.query_one("#footer-space").remove()
            await self.mount(Footer())
        self.refresh_bindings()  # a Footer mounted late lists no keys until told to

    def _bar(self, name: str) -> Input | None:
        """The find or filter bar, if it has been opened (they are made on first use)."""
        return next(self.query(f"#{name}").results(Input), None)

    def _open_filter(self) -> None:
        bar = self._bar("filter")
        if bar is None:
            bar = Input(placeholder="filter marks by tag, colour or text", id="filter")
            self.query_one("#reading").mount(bar, before=self.status)
        bar.display = True
        bar.value = self._filter
        bar.focus()

    def _close_bar(self, name: str) -> bool:
        """Hide a bar; False if it was not showing."""
        bar = self._bar(name)
        if bar is None or not bar.display:
            return False
        bar.display = False
        return True

    # --- opening articles --------------------------------------------------
    @on(LibraryList.ArticleChosen)
    def _chosen(self, event: LibraryList.ArticleChosen) -> None:
        self.open_article(event.article, focus=True)

    def open_article(
        self,
        article: Article,
        focus: bool = True,
        at: int | None = None,
        mark: Range | None = None,
        annotation_id: str = "",
    ) -> None:
        """Open an article; at/mark/annotation_id say where to put the caret."""
        if article.problem:
            self.notify(
                f"Cannot open {article.path}: {article.problem}", severity="error", markup=False
            )
            return
        self._remember_position()
        self._opening = article
        self._goto = (mark, annotation_id)
        if article.size <= SMALL_FILE:
            # Reading a small file costs less than handing it to a thread and back, and
            # this way the very first frame already shows it.
            loaded = self._read(article)
            if isinstance(loaded, str):
                self._failed(article, loaded)
            else:
                self._show(article, *loaded, focus=focus, at=at)
            return
        drawn = threading.Event()
        self._preview_of = None
        if article.size > PREVIEW_BYTES * 4:
            # A big file: its first lines are read here, so the very next frame shows them;
            # the whole of it is read in a thread once that frame is drawn.
            preview = read_preview(article.path, PREVIEW_BYTES)
            if preview is not None:
                self._show_preview(article, Document(preview.text, article.path), at, drawn)
        if self._preview_of is not article:
            drawn.set()  # no preview shown: nothing to wait for
        self.load_document(article, focus, at, drawn)

    def _read(
        self, article: Article
    ) -> tuple[Document, ArticleStore, list[tuple[Layer, dict[str, Resolution]]]] | str:
        """Read an article with its annotations and shared layers (in any thread);
        a string says why it cannot be read."""
        try:
            doc = Document.load(article.path)
        except UnreadableFile as err:
            return str(err)
        store = ArticleStore(article.path, doc.text)
        _ = doc.line_starts  # needed for the first screen; paragraphs wait until used
        layers = [
            (layer, {a.id: Anchorer(doc.text).resolve(a.target) for a in layer.annotations})
            for layer in find_layers(article.path, self.library.roots)
        ]
        return doc, store, layers

    @work(
        thread=True,
        exclusive=True,
        group="open",
        exit_on_error=False,
        description="Opening article",
    )
    def load_document(
        self, article: Article, focus: bool, at: int | None, drawn: threading.Event
    ) -> None:
        # Let the preview reach the screen before the big read competes for the GIL.
        drawn.wait(timeout=1.0)
        loaded = self._read(article)
        self.app.call_from_thread(self._loaded, article, loaded, focus, at)

    def _loaded(
        self,
        article: Article,
        loaded: tuple[Document, ArticleStore, list[tuple[Layer, dict[str, Resolution]]]] | str,
        focus: bool,
        at: int | None,
    ) -> None:
        if article is not self._opening:
            return  # another article was opened while this one was being read
        if isinstance(loaded, str):
            self._failed(article, loaded)
        else:
            self._show(article, *loaded, focus=focus, at=at)

    def _show_preview(
        self, article: Article, preview: Document, at: int | None, drawn: threading.Event
    ) -> None:
        top = self.positions.get(article.path) if at is None else at
        if top >= len(preview.text):
            return  # the reading position is further on: wait for the whole text
        self.article, self.doc, self.store = article, preview, None
        self._preview_of = article
        self.pane.show(preview, top_offset=top, caret=at)
        self._title(article)
        self.pane.focus()
        self.call_after_refresh(drawn.set)

    def _failed(self, article: Article, reason: str) -> None:
        article.problem = reason
        self.library_list.refresh_articles()
        shown = inert_name(str(article.path))
        self.notify(f"Cannot open {shown}: {reason}", severity="error", markup=False)

    def _show(
        self,
        article: Article,
        doc: Document,
        store: ArticleStore,
        layers: list[tuple[Layer, dict[str, Resolution]]],
        focus: bool,
        at: int | None,
    ) -> None:
        if self._preview_of is article and self.pane.doc.text:
            # Keep where the reader got to in the preview: its offsets are the text's.
            at, caret = self.pane.top_offset, self.pane.caret
            self.positions.set(article.path, at)
            at = None if at == 0 and caret == 0 else at
        self._preview_of = None
        self.article, self.doc, self.store = article, doc, store
        self.shared_layers = layers
        for layer, _ in layers:
            if layer.error:
                self.notify(
                    f"Shared layer not shown: {layer.error}",
                    severity="warning",
                    markup=False,
                    timeout=10,
                )
        self.library_list.select_article(article)
        top = self.positions.get(article.path) if at is None else at
        top = min(top, len(doc.text))
        self.pane.show(doc, top_offset=top, caret=at)
        if not doc.text or doc.text.isspace():
            self.pane.empty_message = f"{inert_name(article.path.name)} is empty."
        for note in doc.notes:
            if note != "empty file":
                self.notify(f"{inert_name(article.path.name)}: {note}", markup=False)
        if store.error is not None:
            self.notify(
                f"Annotations are read-only until this file is fixed: {store.error}",
                severity="error",
                markup=False,
                timeout=15,
            )
        self.refresh_annotations()
        mark, annotation_id = self._goto
        self._goto = (None, "")
        if annotation_id:
            r = store.resolutions.get(annotation_id)
            for _, resolutions in layers:
                r = r or resolutions.get(annotation_id)
            if r is not None and r.found:
                self.pane.caret = r.start
                self.notes_list.highlight_annotation(annotation_id)
            elif r is not None:
                self.notify("That annotation is an orphan: its text was not found.", markup=False)
        if mark is not None:
            self.pane.set_find([mark], 0)
        if at is not None or annotation_id:
            self.pane.scroll_to_caret()
        if focus:
            self.pane.focus()
        self._title(article)

    def _title(self, article: Article) -> None:
        # The reading pane's border names the article; the terminal's title bar too.
        path = self.library.rel(article)
        # Content, not str: a str would be read as markup, and these come from the files.
        self.pane.border_title = Content(article.title if article.title != path else "")
        self.pane.border_subtitle = Content(path)
        self.app.sub_title = path

    def _remember_position(self) -> None:
        if self.article is not None and self.doc.text:
            self.positions.set(self.article.path, self.pane.top_offset)

    def on_unmount(self) -> None:
        self.positions.save()

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.notify(
                f"{event.worker.description} failed: {inert_name(str(event.worker.error))}",
                severity="error",
                markup=False,
            )

    # --- status --------------------------------------------------------------
    @on(ReadingPane.CaretMoved)
    def _caret_moved(self, event: ReadingPane.CaretMoved) -> None:
        self._remember_position()
        self.update_status()

    def update_status(self) -> None:
        if self.article is None:
            self.status.show("")
            return
        line, col = self.doc.line_col(self.pane.caret)
        total = max(1, len(self.doc.line_starts))
        pct = 100 * self.pane.caret // max(1, len(self.doc.text) - 1) if self.doc.text else 0
        # Most urgent first: the status line is as narrow as the reading pane.
        left = ""
        if self.pane.find_hits:
            left += f"[{self.pane.find_current + 1}/{len(self.pane.find_hits)}] "
        sel = self.pane.selection
        if sel is not None:
            left += f"VISUAL {sel.length} chars · "
        left += f"line {line}/{total} col {col} · {pct}%"
        under = self.store.at(self.pane.caret) if self.store else []
        right = ""
        if under:
            a = under[0]
            right = ("✎ " + inert_name(" ".join(a.note.split())[:60])) if a.note else f"■ {a.color}"
        elif self.doc.encoding not in ("utf-8", "utf-8-sig"):
            right = self.doc.encoding
        self.status.show(left, right)

    # --- find (the FindBar does the finding) --------------------------------------
    def action_find(self) -> None:
        bar = self._bar("find")
        if bar is None:
            bar = FindBar(self.pane)
            self.query_one("#reading").mount(bar, before=self.status)
        assert isinstance(bar, FindBar)
        bar.start()

    @on(FindBar.HitsChanged)
    def _find_changed(self) -> None:
        self.update_status()

    def action_find_next(self, step: int) -> None:
        if self.pane.find_hits:
            self.pane.goto_hit(self.pane.find_current + step)
            self.update_status()
        else:
            self.notify("No search: press / to find", markup=False)

    def key_escape(self) -> None:
        find = self._bar("find")
        if isinstance(find, FindBar) and find.display:
            find.cancel()
        if self._close_bar("filter"):
            self.notes_list.focus()

    # --- annotations ---------------------------------------------------------------
    @property
    def history(self) -> History:
        assert self.article is not None
        return self.histories.setdefault(self.article.path, History())

    def refresh_annotations(self, keep: str | None = None) -> None:
        store = self.store
        if store is None:
            return
        marks: list[Mark] = []
        notes: set[int] = set()
        entries: list[Entry] = []
        for a in store.annotations:
            r = store.resolutions[a.id]
            if r.status != ORPHAN:
                marks.append(Mark(r.start, r.end, f"reading-pane--hl-{a.color}"))
                if a.note:
                    notes.add(r.end)
                    marks.append(Mark(r.start, r.end, "reading-pane--noted"))
            if self._matches_filter(a):
                entries.append(Entry(a, r))
        for layer, resolutions in self.shared_layers:
            if layer.author in self.hidden_layers:
                continue
            for a in layer.annotations:
                r = resolutions[a.id]
                if r.found:
                    marks.append(Mark(r.start, r.end, "reading-pane--layer"))
                if self._matches_filter(a):
                    entries.append(Entry(a, r, layer.author))
        entries.sort(key=lambda e: (e.resolution.start, e.layer))
        self.pane.set_marks(marks, notes)
        self.notes_list.set_entries(entries, keep)
        if self.article is not None:
            self.article.annotation_count = len(store.annotations)
        self.update_status()

    def _matches_filter(self, a: Annotation) -> bool:
        f = self._filter.strip().lower()
        if not f:
            return True
        return (
            f.lstrip("#") in (t.lower() for t in a.tags)
            or f == a.color
            or f in a.note.lower()
            or f in a.target.quote.lower()
        )

    def _apply(self, change: Change) -> bool:
        store = self.store
        if store is None or self.article is None:
            return False
        try:
            self.history.apply(store, change)
        except SidecarError as err:
            self.notify(
                f"Not saved: {inert_name(str(err))}", severity="error", markup=False, timeout=15
            )
            return False
        except OSError as err:
            self.notify(
                f"Not saved: cannot write {store.path}: {err.strerror or err}",
                severity="error",
                markup=False,
                timeout=15,
            )
            return False
        if store.message:
            self.notify(store.message, markup=False, timeout=10)
        self.refresh_annotations(
            keep=(change.after or change.before).id  # type: ignore[union-attr]
            if (change.after or change.before)
            else None
        )
        self.library_list.refresh_articles()
        return True

    def _target_range(self) -> Range | None:
        """The selection, or the word under the caret when nothing is selected."""
        sel = self.pane.selection
        if sel is not None:
            return sel
        from reader.core.motion import unit_at

        return unit_at(self.doc, self.pane.caret, "word")

    def _author(self) -> str:
        return load_config().author

    def _label(self, color: str) -> str:
        return load_config().labels.get(color, "")

    def action_highlight(self, color: str | None = None) -> None:
        if color is not None:
            self.color = color
        under = self.store.at(self.pane.caret) if self.store else []
        if self.pane.selection is None and under and color is not None:
            a = under[0]  # recolour the mark under the caret
            self._apply(Change(a, a.edited(color=color, label=self._label(color)), "recolour"))
            return
        r = self._target_range()
        if r is None or not self.doc.text[r.start : r.end].strip():
            self.notify(
                "Nothing to highlight: move the caret onto text or select (v).", markup=False
            )
            return
        a = Annotation(
            make_target(self.doc.text, r.start, r.end),
            color=self.color,
            label=self._label(self.color),
            author=self._author(),
        )
        if self._apply(Change(None, a, "highlight")):
            self.pane.visual_from = None

    def _annotation_here(self) -> Annotation | None:
        """Your annotation chosen in the annotations pane, or under the caret."""
        if self.focused is self.notes_list and self.notes_list.current is not None:
            entry = self.notes_list.current
            if entry.layer:
                self.notify(
                    f"{entry.layer}'s layer is read-only: y copies this one into yours.",
                    markup=False,
                )
                return None
            return entry.annotation
        under = self.store.at(self.pane.caret) if self.store else []
        return under[0] if under else None

    def action_note(self) -> None:
        from reader.ui.screens.note import NoteScreen  # TextArea loads on first use

        if self.store is None:
            return
        existing = self._annotation_here() if self.pane.selection is None else None
        if existing is None:
            r = self._target_range()
            if r is None:
                self.notify("Select text first (v), then press c.", markup=False)
                return
            quote, note = self.doc.text[r.start : r.end], ""
            tags: tuple[str, ...] = ()
        else:
            quote, note, tags = existing.target.quote, existing.note, existing.tags
        known = sorted({t for a in self.store.annotations for t in a.tags})
        selection = self._target_range()

        def done(result: NoteResult | None) -> None:
            if result is None:
                return
            if existing is not None:
                self._apply(
                    Change(existing, existing.edited(note=result.note, tags=result.tags), "note")
                )
            elif selection is not None:
                a = Annotation(
                    make_target(self.doc.text, selection.start, selection.end),
                    color=self.color,
                    label=self._label(self.color),
                    author=self._author(),
                    note=result.note,
                    tags=result.tags,
                )
                if self._apply(Change(None, a, "note")):
                    self.pane.visual_from = None

        self.app.push_screen(NoteScreen(quote, note, tags, known), done)

    def action_delete(self) -> None:
        a = self._annotation_here()
        if a is None:
            self.notify("No annotation here to delete.", markup=False)
            return
        if self._apply(Change(a, None, "delete")):
            self.notify("Annotation deleted (u to undo).", markup=False)

    def action_undo(self) -> None:
        self._history_step(undo=True)

    def action_redo(self) -> None:
        self._history_step(undo=False)

    def _history_step(self, undo: bool) -> None:
        if self.store is None:
            return
        try:
            change = self.history.undo(self.store) if undo else self.history.redo(self.store)
        except (SidecarError, OSError) as err:
            self.notify(f"Not saved: {inert_name(str(err))}", severity="error", markup=False)
            return
        if change is None:
            self.notify("Nothing to undo." if undo else "Nothing to redo.", markup=False)
            return
        self.notify(f"{'Undid' if undo else 'Redid'} {change.what}.", markup=False)
        self.refresh_annotations()
        self.library_list.refresh_articles()

    def action_reattach(self) -> None:
        entry = self.notes_list.current
        sel = self.pane.selection
        if entry is None or entry.resolution.status != ORPHAN:
            self.notify("Highlight an orphan in the annotations pane first.", markup=False)
            return
        if sel is None:
            self.notify("Select the passage to attach it to (v), then press R.", markup=False)
            return
        a = entry.annotation
        new = a.edited(target=make_target(self.doc.text, sel.start, sel.end))
        if self._apply(Change(a, new, "re-attach")):
            self.pane.visual_from = None

    def action_filter(self) -> None:
        self._open_filter()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self._filter = event.value
        self.refresh_annotations()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self._close_bar("filter")
        self.notes_list.focus()

    @on(AnnotationList.EntryChosen)
    def _entry_chosen(self, event: AnnotationList.EntryChosen) -> None:
        r = event.entry.resolution
        if r.status == ORPHAN:
            self.notify(
                "This annotation's text was not found: select a passage (v) and press "
                "R to re-attach it.",
                markup=False,
            )
            return
        self.pane.focus()
        self.pane.visual_from = None
        self.pane.caret = r.start
