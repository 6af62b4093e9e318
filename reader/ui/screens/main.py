"""The main screen: library, reading pane and annotations side by side. Keys call the
ArticleSession (core/session.py), which owns every annotation rule; opening (ui/opening.py)
and the article's files (ui/article_files.py: saves, layers, reloads) are owned helpers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Input, Static
from textual.worker import Worker, WorkerState

from reader.core.annotation import COLORS
from reader.core.config import load_config
from reader.core.document import Range
from reader.core.inert import inert_name
from reader.core.library import Article, Library
from reader.ui.article_files import WATCH_SECONDS, ArticleFiles
from reader.ui.indexing import IndexKeeper, IndexProgress
from reader.ui.layout_modes import Panes, ReadingColumn, Toggle, mount_footer, start_focus
from reader.ui.opening import ArticleOpener
from reader.ui.screens.encoding import choose_encoding
from reader.ui.widgets.annotation_list import AnnotationList
from reader.ui.widgets.find_bar import FindBar
from reader.ui.widgets.library_list import LibraryList
from reader.ui.widgets.reading_pane import Mark, ReadingPane
from reader.ui.widgets.status_bar import StatusBar

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel

    from reader.core.formats.ahead import FirstLook
    from reader.core.session import ArticleSession, Entry, Outcome
    from reader.ui.screens.note import NoteResult
    from reader.ui.screens.search import Found


class MainScreen(Screen[None]):
    """Library, reading pane, status line and annotations; the keys that annotate."""

    # The article has the focus unless start_focus gives it to the library: focusing the
    # library first (Textual's default) styled it twice before the first frame.
    AUTO_FOCUS = "#pane"
    BINDINGS = [
        # The app's keys again, first: the Footer lists the focused widget's keys, then
        # the screen's, then the app's, so a narrow terminal cuts these off otherwise.
        Binding("question_mark", "app.help", "Help", id="reader.help"),
        Binding("q", "app.quit", "Quit", id="reader.quit"),
        Binding("slash", "find", "Find", id="reader.find"),
        Binding("f2", "layout('library')", "Library", key_display="F2", id="reader.library_pane"),
        Binding(
            "f3", "layout('annotations')", "Annotations", key_display="F3", id="reader.notes_pane"
        ),
        Binding("z", "layout('alone')", "Article alone", show=False, id="reader.focus_mode"),
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
        Binding("ctrl+e", "encoding", "Read in another encoding", show=False, id="reader.encoding"),
    ]
    action_encoding = choose_encoding  # ctrl+e: the article's encoding, kept in its sidecar

    def __init__(
        self, library: Library, indexer: IndexKeeper, first_look: FirstLook | None = None
    ) -> None:
        super().__init__()
        self.library = library
        self.indexer = indexer
        indexer.loaded = lambda: self.session.doc if self.session is not None else None
        self.article: Article | None = None
        self.session: ArticleSession | None = None  # None while nothing (or a preview) shows
        self.opener = ArticleOpener(self, first_look)  # reads articles, keeps positions
        self.files = ArticleFiles(self)  # layers, saves, export, reloads: in threads

    def compose(self) -> ComposeResult:
        """Library | reading pane over the status line | annotations; the footer."""
        with Panes(self, id="panes"):  # folds the side panes (ui/layout_modes.py)
            yield LibraryList(self.library, self.opener.positions, id="library")
            with ReadingColumn(id="reading"):
                yield ReadingPane(id="pane")
                yield StatusBar(id="status")  # find and filter bars are mounted on first use
            yield AnnotationList(id="annotations")
        # The Footer comes after the first frame (the article shows sooner): its row till then.
        yield Static(" ", id="footer-space")

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
        """Open the article read last (or the first), then index a second later."""
        self.set_timer(1.0, self.indexer.start)  # once the first screen is up
        self.set_interval(WATCH_SECONDS, self.files.watch)
        self.call_after_refresh(mount_footer, self)
        self.call_after_refresh(lambda: self.library_list.list_the_rest(self.article))
        self.call_after_refresh(self._find_you)
        for problem in self.library.problems:
            self.notify(inert_name(problem), severity="error", markup=False, timeout=8)
        reopened = bool(self.opener.positions.last)  # before opening, which sets it
        self.opener.open_first()
        start_focus(self, reopened)

    def _find_you(self) -> None:
        """Your name, for the annotations pane's `by NAME`: the config's, or else git's (a
        subprocess, so in a thread, after the first frame; it is cached for your marks)."""
        config = load_config()
        if config.author_setting:
            self.notes_list.know_you(config.author_setting)
            return

        def ask() -> None:
            self.app.call_from_thread(self.notes_list.know_you, config.author)

        self.run_worker(ask, thread=True, exit_on_error=False, description="Asking git your name")

    def action_layout(self, what: Toggle) -> None:
        """Show or hide the library or the annotations pane, or the article alone."""
        self.query_one(Panes).toggle(what)

    def _bar(self, name: str) -> Input | None:
        """The find or filter bar, if it has been opened (they are made on first use)."""
        return next(self.query(f"#{name}").results(Input), None)

    def tell(self, message: str, error: bool = False) -> None:
        """A message for the user (an error stays longer); file-derived text stays text."""
        level: SeverityLevel = "error" if error else "information"
        self.notify(message, severity=level, markup=False, timeout=15 if error else 5)

    # --- opening articles ----------------------------------------------------------
    @on(LibraryList.Listed)
    def _listed(self, event: LibraryList.Listed) -> None:
        if self.article is not None and self.article in event.articles:
            self.opener.title(self.article)

    @on(LibraryList.ArticleChosen)
    def _chosen(self, event: LibraryList.ArticleChosen) -> None:
        """Enter in the library opens the article."""
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
            self.tell(f"Cannot open {inert_name(str(article.path))}: {article.problem}", True)
        else:
            self.opener.open(article, focus, at, (mark, annotation_id))

    def on_unmount(self) -> None:
        """Keep the reading position, and write any change still waiting."""
        self.opener.positions.save()
        self.files.flush()

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        """A worker (opening, saving, layers, reloading) failed: say so."""
        what, error = event.worker.description, event.worker.error
        if event.state == WorkerState.ERROR and error is not None:
            self.tell(f"{what} failed: {inert_name(str(error))}", True)

    # --- status ----------------------------------------------------------------------
    @on(ReadingPane.CaretMoved)
    def _caret_moved(self) -> None:
        """Keep the reading position and update the status line."""
        self.opener.remember_position()
        self.update_status()

    @on(FindBar.HitsChanged)
    def update_status(self) -> None:
        """Show where the caret is and what lies under it."""
        if self.session is None:
            self.status.show(self.opener.waiting())  # a first look shows, or nothing
            return
        pane = self.pane
        line = self.session.status(pane.caret, pane.selection, pane.hit_here())
        self.status.show(line.left, line.right)

    # --- find ------------------------------------------------------------------------
    def action_find(self) -> None:
        """Find in the article (the FindBar does the finding)."""
        bar = self._bar("find")
        if bar is None:
            bar = FindBar(self.pane)
            self.query_one("#reading").mount(bar, before=self.status)
        assert isinstance(bar, FindBar)
        bar.start()
        self.pane.typing_into = bar  # until it has the focus

    def action_find_next(self, step: int) -> None:
        """Go to the next (step 1) or previous (-1) find hit from the caret."""
        find = self._bar("find")
        self.pane.nav.find_next(step, find.exact if isinstance(find, FindBar) else 0)
        self.update_status()

    @on(Input.Submitted, "#filter")  # enter in the filter bar closes it, keeping the filter
    def key_escape(self, event: object = None) -> None:
        """Close the find or filter bar (esc in the filter bar clears the filter); with
        neither open (the focus in a side pane), end the find as esc in the article does."""
        find, bar = self._bar("find"), self._bar("filter")
        find = find if isinstance(find, FindBar) and find.display else None
        bar = bar if bar is not None and bar.display else None
        if find is not None:
            find.cancel()
        if bar is not None:
            bar.display = False
            bar.value = bar.value if isinstance(event, Input.Submitted) else ""
            self.notes_list.focus()
        if self.pane.find_hits and find is None and bar is None and self.focused is not self.pane:
            self.pane.set_find([], -1)
            self.update_status()

    # --- annotations: each action asks the session, then shows what it did ------------
    def redraw(self, keep: str | None = None) -> None:
        """Paint the marks and list the entries of the session's annotations."""
        if self.session is None:
            return
        painted, note_ends = self.session.painted()
        marks = [Mark(p.start, p.end, _component(p.kind, p.color)) for p in painted]
        self.pane.set_marks(marks, note_ends)
        self.notes_list.set_entries(self.session.entries(), keep, self.session)
        count = len(self.session.annotations)
        if self.article is not None and self.article.annotation_count != count:
            self.article.annotation_count = count
            self.library_list.update_count(self.article)  # that row only, not 2,000
        self.update_status()

    def kept(self) -> str | None:
        """The annotation highlighted in the list, to keep highlighted after a redraw."""
        current = self.notes_list.current
        return current.annotation.id if current is not None else None

    @property
    def _list_choice(self) -> Entry | None:
        """The entry highlighted in the annotations pane, when that pane has the focus."""
        return self.notes_list.current if self.focused is self.notes_list else None

    def _do(self, action: Callable[[ArticleSession], Outcome]) -> None:
        """Run a session action; show its message and new marks, then save in a thread."""
        if self.session is None:
            self.opener.not_yet()  # a first look shows: its text is not all there yet
            return
        outcome = action(self.session)
        if outcome.message:
            self.tell(outcome.message, outcome.error)
        if outcome.changed:
            if outcome.clear_selection:
                self.pane.visual_from = None
            self.redraw(outcome.keep)
            self.files.save(self.session)

    def action_highlight(self, color: str | None = None) -> None:
        """Highlight the selection or word (a colour key on a mark recolours it)."""
        self._do(lambda s: s.highlight(self.pane.caret, self.pane.selection, color))

    def action_note(self) -> None:
        """Edit the note of the mark here, or write one on the selection or word."""
        from reader.ui.screens.note import NoteScreen  # TextArea loads on first use

        session = self.session
        if session is None:
            self.opener.not_yet()
            return
        from reader.core.session import Outcome

        draft = session.note_draft(self.pane.caret, self.pane.selection, self._list_choice)
        if isinstance(draft, Outcome):
            self._do(lambda s: draft)
            return

        def done(result: NoteResult | None) -> None:  # the article may have been reloaded
            if result is not None and self.session and self.session.path == session.path:
                self._do(lambda s: s.save_note(draft, result.note, result.tags))

        screen = NoteScreen(draft.quote, draft.note, draft.tags, draft.known_tags)
        self.app.push_screen(screen, done)

    def action_delete(self) -> None:
        """Delete the annotation chosen in the list or under the caret."""
        self._do(lambda s: s.delete(self.pane.caret, self._list_choice))

    def action_undo(self) -> None:
        """Undo the last annotation change."""
        self._do(lambda s: s.undo())

    def action_redo(self) -> None:
        """Make the last undone change again."""
        self._do(lambda s: s.redo())

    def action_reattach(self) -> None:
        """Attach the orphan chosen in the list to the selection."""
        self._do(lambda s: s.reattach(self.notes_list.current, self.pane.selection))

    def action_copy_from_layer(self) -> None:
        """Copy a colleague's annotation (chosen, or under the caret) into yours."""
        self._do(lambda s: s.copy_from_layer(self.pane.caret, self._list_choice))

    def action_layers(self) -> None:
        """Choose which colleagues' layers show."""
        from reader.ui.screens.layers import LayersScreen

        session = self.session
        if session is None or not session.layers:
            self.tell(
                "No shared layers for this article: a colleague's annotation files go in "
                "annotations/THEIR-NAME/ beside the library (`reader format` says more)."
            )
            return

        def done(hidden: set[str] | None) -> None:
            if hidden is not None:
                session.set_hidden(hidden)
                self.redraw()

        self.app.push_screen(LayersScreen(session.layer_counts(), session.hidden), done)

    def action_export(self) -> None:
        """Write a Markdown digest of your annotations."""
        if self.session is not None and self.article is not None:
            self.files.export(self.session, self.article.title)

    def action_filter(self) -> None:
        """Filter the annotations list by #tag, colour or words."""
        bar = self._bar("filter")
        if bar is None:
            bar = Input(placeholder="filter marks by tag, colour or text", id="filter")
            self.query_one("#reading").mount(bar, before=self.status)
        bar.display = True
        bar.value = self.session.filter if self.session else ""
        bar.focus()
        self.pane.typing_into = bar  # until it has the focus

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        """Filter the annotations list as the user types."""
        if self.session is not None:
            self.session.set_filter(event.value)
            self.redraw()

    @on(AnnotationList.EntryChosen)
    def _entry_chosen(self, event: AnnotationList.EntryChosen) -> None:
        """Enter in the annotations list: the caret goes to that passage."""
        r = event.entry.resolution
        if not r.found:
            self.tell("This annotation's text was not found: select a passage (v), press R.")
            return
        self.pane.focus()
        self.pane.visual_from = None
        self.pane.nav.jump(r.start)

    # --- the library: quick open, search, indexing --------------------------------
    def action_quick_open(self) -> None:
        """Open an article by a few letters of its title or path."""
        from textual.command import CommandPalette

        from reader.ui.commands import ArticleProvider

        palette = CommandPalette(providers=[ArticleProvider], placeholder="Open article: …")
        self.app.push_screen(palette)

    def action_search(self, mode: str) -> None:
        """Search passages or notes across the library (indexing first if need be)."""
        from reader.ui.screens.search import SearchScreen

        idx = self.indexer
        idx.start()
        screen = SearchScreen(mode, idx.readable_files(), idx.shown, idx.note_sets, idx.progress)
        self.app.push_screen(screen, self._found)

    def _found(self, found: Found | None) -> None:
        """Open the article of a search result where the result is."""
        article = self.indexer.article_for(found.path) if found is not None else None
        if found is None or article is None:
            return
        passage = None if found.annotation_id else Range(found.start, found.end)
        at = passage.start if passage else None
        self.open_article(article, at=at, mark=passage, annotation_id=found.annotation_id)

    @on(IndexProgress)
    def _index_progress(self, event: IndexProgress) -> None:
        """Show how far indexing got under the library."""
        done, total = event.progress or (0, 0)
        self.library_list.border_subtitle = f"indexing {done}/{total}" if event.progress else ""


def _component(kind: str, color: str) -> str:
    """The reading pane's style for a painted mark (the pane draws an unknown one neutrally)."""
    return f"reading-pane--hl-{color}" if kind == "highlight" else f"reading-pane--{kind}"
