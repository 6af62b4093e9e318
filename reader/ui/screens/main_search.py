"""The main screen's library-wide parts: quick open, the passage and notes searches, and
the search index kept up to date in a worker."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work

from reader.core.document import Range
from reader.core.inert import inert_name
from reader.core.sharing import annotation_sets

if TYPE_CHECKING:
    from reader.core.annotation import Annotation
    from reader.core.library import Article


class LibrarySearch:
    """Mixed into MainScreen (it uses the screen's library, article and panes)."""

    def action_quick_open(self) -> None:
        from textual.command import CommandPalette

        from reader.ui.commands import ArticleProvider

        self.app.push_screen(
            CommandPalette(providers=[ArticleProvider], placeholder="Open article: a few letters…")
        )

    def _readable_files(self) -> list[Path]:
        return [a.path for a in self.library.articles if a.problem is None]

    def note_sets(self) -> list[tuple[Path, str, list[Annotation]]]:
        """Every annotation set in the library, yours and shared layers, for the notes search."""
        return annotation_sets(self.library)

    def action_search(self, mode: str) -> None:
        from reader.ui.screens.search import Found, SearchScreen

        def chosen(found: Found | None) -> None:
            if found is None:
                return
            article = self.article_for(found.path)
            if article is None:
                return
            if found.annotation_id:
                self.open_article(article, annotation_id=found.annotation_id)
            else:
                self.open_article(article, at=found.start, mark=Range(found.start, found.end))

        self.start_indexing()

        by_path = self._articles_by_path()

        def shown(p: Path) -> str:  # asked only of the results on screen
            article = by_path.get(os.path.abspath(p))
            return self.library.rel(article) if article is not None else inert_name(str(p))

        screen = SearchScreen(
            mode, self._readable_files(), shown, self.note_sets, self.index_progress
        )
        self.app.push_screen(screen, chosen)

    def article_for(self, path: Path) -> Article | None:
        # The index and the notes search name files as the library does (absolute), so a
        # lookup finds them; resolving every article's links (100 ms for 2,000) is only
        # for a path given some other way.
        found = self._articles_by_path().get(os.path.abspath(path))
        if found is None:
            real = path.resolve()
            found = next((a for a in self.library.articles if a.path.resolve() == real), None)
        return found

    def _articles_by_path(self) -> dict[str, Article]:
        return {os.path.abspath(a.path): a for a in self.library.articles}

    def start_indexing(self) -> None:
        """Start (once) bringing the search index up to date."""
        if not self._index_started:
            self._index_started = True
            self.index_library()

    @work(
        thread=True,
        exclusive=True,
        group="index",
        exit_on_error=False,
        description="Indexing library",
    )
    def index_library(self) -> None:
        from textual.worker import get_current_worker

        from reader.core.search import SearchIndex

        worker = get_current_worker()
        index = SearchIndex()
        try:
            files = self._readable_files()
            stale = index.stale(files)
            if not stale:
                return

            def progress(done: int, total: int) -> None:
                self.app.call_from_thread(self._index_progress, done, total)

            # The article on screen is already in memory: index that copy.
            on_screen = self.doc if self.store is not None else None
            index.update(
                stale, progress=progress, cancelled=lambda: worker.is_cancelled, loaded=on_screen
            )
        finally:
            index.close()
        self.app.call_from_thread(self._index_progress, -1, -1)

    def _index_progress(self, done: int, total: int) -> None:
        from reader.ui.screens.search import SearchScreen

        self.index_progress = (done, total) if 0 <= done < total else None
        if isinstance(self.app.screen, SearchScreen):
            self.app.screen.indexing(self.index_progress)
        self.library_list.border_subtitle = (
            f"indexing {done}/{total}" if self.index_progress else ""
        )
