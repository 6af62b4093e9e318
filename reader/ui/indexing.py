"""The library-wide parts of the app: the search index, kept up to date in a worker
thread, and the lookups the search screens need (article by path, name shown, notes).

Indexing is a library-wide job, not a screen's: the app owns the IndexKeeper and starts
it once (the main screen asks a second after the first frame, or at the first search);
it tells every screen how far it got with an `IndexProgress` message. Once the library is
indexed, a watcher thread (watchfiles) indexes its files again as they are edited, until
the app ends.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.message import Message

from reader.core.inert import inert_name

if TYPE_CHECKING:
    from textual.app import App

    from reader.core.annotation import Annotation
    from reader.core.document import Document
    from reader.core.library import Article, Library


@dataclass
class IndexProgress(Message):
    """How far indexing got: (done, total), or None once it is over."""

    progress: tuple[int, int] | None


class IndexKeeper:
    """Brings the search index up to date once per run, off the UI thread."""

    def __init__(self, app: App[Any], library: Library) -> None:
        self.app = app
        self.library = library
        self.progress: tuple[int, int] | None = None  # (done, total) while indexing
        self.started = False
        self.loaded: Callable[[], Document | None] = lambda: None  # the text in memory
        self.watching = threading.Event()  # set once edits to the library are watched

    def readable_files(self) -> list[Path]:
        return [a.path for a in self.library.articles if a.problem is None]

    @cached_property
    def _by_path(self) -> dict[str, Article]:
        return {os.path.abspath(a.path): a for a in self.library.articles}

    def article_for(self, path: Path) -> Article | None:
        """The library's article at path. The index and the notes search name files as
        the library does (absolute), so a lookup finds them; resolving every article's
        links (100 ms for 2,000) is only for a path given some other way."""
        found = self._by_path.get(os.path.abspath(path))
        if found is None:
            real = path.resolve()
            found = next((a for a in self.library.articles if a.path.resolve() == real), None)
        return found

    def shown(self, path: Path) -> str:
        """How a search result's file is named on screen (asked only of those shown)."""
        article = self._by_path.get(os.path.abspath(path))
        return self.library.rel(article) if article is not None else inert_name(str(path))

    def note_sets(self) -> list[tuple[Path, str, list[Annotation]]]:
        """Every annotation set in the library, yours and shared layers, for the notes search."""
        from reader.core.sharing import annotation_sets

        return annotation_sets(self.library)

    def start(self) -> None:
        """Start (once) bringing the search index up to date."""
        if not self.started:
            self.started = True
            self.app.run_worker(
                self._index,
                thread=True,
                exclusive=True,
                group="index",
                exit_on_error=False,
                description="Indexing library",
            )

    def _index(self) -> None:
        from textual.worker import get_current_worker

        from reader.core.search import SearchIndex

        worker = get_current_worker()
        index = SearchIndex()
        try:
            stale = index.stale(self.readable_files())
            if not stale:
                self._start_watching()
                return

            def progress(done: int, total: int) -> None:
                self._report_later(done, total)

            # The article on screen is already in memory: index that copy.
            index.update(
                stale,
                progress=progress,
                cancelled=lambda: worker.is_cancelled,
                loaded=self.loaded(),
                searched_meanwhile=True,  # (F works while the library is indexed)
            )
        finally:
            index.close()
        self._report_later(-1, -1)
        if not worker.is_cancelled:
            self._start_watching()

    def _start_watching(self) -> None:
        # A thread of its own, not a Textual worker: it runs as long as the app does,
        # and waiting for the app's workers to finish must not wait for it.
        threading.Thread(target=self._watch, name="reader-watch", daemon=True).start()

    def _watch(self) -> None:
        """Index the library's files again as they change on disk (an editor's save, in
        place or through a rename), until the app ends. Files added while the app runs
        are not in its library: they are found once it is started again."""
        from watchfiles import Change, watch

        articles = self._by_path
        folders = {str(r if r.is_dir() else r.parent) for r in self.library.roots}
        if not folders or not articles:
            return
        try:
            for changes in watch(
                *sorted(folders),
                debounce=500,  # an editor's save is often a few writes
                rust_timeout=500,  # how often it checks that the app still runs
                yield_on_timeout=True,
                raise_interrupt=False,
                ignore_permission_denied=True,
            ):
                self.watching.set()
                if not self.app.is_running:
                    return
                edited = {
                    key
                    for change, path in changes
                    if change != Change.deleted and (key := os.path.abspath(path)) in articles
                }
                if edited:
                    self._reindex(sorted(edited))
        except OSError:  # a folder gone, or too many watches: searches check results still
            return

    def _reindex(self, paths: list[str]) -> None:
        import sqlite3  # here, not at start-up: the index is only touched after the first frame

        from reader.core.search import IndexUnavailable, SearchIndex

        try:
            index = SearchIndex()
            try:
                index.update(paths, workers=1)
            finally:
                index.close()
        except (IndexUnavailable, sqlite3.Error, OSError):
            pass  # only a cache: the next search checks the files it finds

    def _report_later(self, done: int, total: int) -> None:
        """Have the UI thread report progress, without waiting for it: the files are
        written meanwhile (waiting cost the writer up to a second and a half a build)."""
        from textual.events import Callback

        self.app.post_message(Callback(callback=partial(self._report, done, total)))

    def _report(self, done: int, total: int) -> None:
        from reader.ui.screens.search import SearchScreen

        self.progress = (done, total) if 0 <= done < total else None
        for screen in self.app.screen_stack:
            if isinstance(screen, SearchScreen):
                screen.indexing(self.progress)
            else:
                screen.post_message(IndexProgress(self.progress))
