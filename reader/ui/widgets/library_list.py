"""The library pane: one row per article (title, how many annotations, path), in the order
the reader chose (`s` cycles title, path, recently read, reading progress)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reader.core.library import SORTS, Article, Library, list_article, sort_articles
from reader.core.positions import Positions
from reader.ui.widgets.library_row import ArticleRow

LIST_BATCH = 100  # rows redrawn at a time as titles are read after start-up
LIST_AFTER = 0.2  # seconds after the first frame those titles start being read


class LibraryList(OptionList):
    """Articles as options; Enter opens one."""

    # Each line of an option is cut with an ellipsis at the pane's width, whatever it is.
    DEFAULT_CSS = """
    LibraryList { text-wrap: nowrap; text-overflow: ellipsis; }
    """

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="reader.library.down"),
        Binding("k", "cursor_up", "Up", show=False, id="reader.library.up"),
        Binding("g", "first", "First", show=False, id="reader.library.top"),
        Binding("G", "last", "Last", show=False, id="reader.library.bottom"),
        Binding("s", "cycle_sort", "Sort", id="reader.library.sort"),
    ]

    @dataclass
    class ArticleChosen(Message):
        article: Article

    @dataclass
    class Listed(Message):
        """Articles listed by file name at start-up have their titles now (list_the_rest)."""

        articles: list[Article]

    def __init__(
        self, library: Library, positions: Positions | None = None, *, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.library = library
        self.positions = positions or Positions()
        kept = self.positions.library_sort
        self.sort = kept if kept in SORTS else SORTS[0]
        self.order: list[Article] = []  # the articles as the rows show them
        self._rels: dict[Path, str] = {}  # shown paths, worked out once (sorts ask often)
        self.refresh_articles()

    def refresh_articles(self) -> None:
        """List the articles again, in the chosen order, the same one highlighted."""
        highlighted = self.highlighted
        current = self.order[highlighted] if highlighted is not None and self.order else None
        pos = self.positions
        self.order = sort_articles(
            self.library.articles,
            self.sort,
            self.rel,
            lambda a: pos.read_at(a.path),
            lambda a: pos.progress(a.path, a.size),
        )
        self.border_title = f"Library · {self.sort}"  # the order the rows are in
        self.clear_options()
        self.add_options(self._option(a) for a in self.order)
        if current is not None:
            self.select_article(current)
        elif self.order:
            self.highlighted = 0

    def rel(self, article: Article) -> str:
        """The article's path as shown (relative to its root, inert)."""
        rel = self._rels.get(article.path)
        if rel is None:
            rel = self._rels[article.path] = self.library.rel(article)
        return rel

    def action_cycle_sort(self) -> None:
        """Sort by the next order (path, title, recently read, progress); kept for next time."""
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self.positions.library_sort = self.sort
        self.refresh_articles()
        self.scroll_to_highlight()

    def update_count(self, article: Article) -> None:
        """Redraw one article's row (its annotation count or problem changed)."""
        prompt = self._option(article).prompt
        # Still one line: unlike replace_option_prompt, do not measure 2,000 rows again
        # (Textual private API, safe under the textual<9 pin).
        self.get_option(str(article.path))._set_prompt(prompt)
        self._option_render_cache.clear()
        self.refresh()

    def list_the_rest(self, first: Article | None = None) -> None:
        """Read the titles (and annotation counts, and whether each can be read) of the
        articles listed by file name at start-up (see library.scan), in a thread, `first`
        (the open one) first; the rows are redrawn a batch at a time."""
        unlisted = [a for a in self.library.articles if not a.listed]
        unlisted.sort(key=lambda a: a is not first)
        if unlisted:
            self.run_worker(
                lambda: self._list(unlisted),
                thread=True,
                group="listing",
                exit_on_error=False,
                description="Reading titles",
            )

    def _list(self, articles: list[Article]) -> None:
        # Once the first frame is out: reading while it is drawn would hold it back (the
        # threads share the interpreter), and an e-book's package is milliseconds of it.
        time.sleep(LIST_AFTER)
        at = 0
        while at < len(articles):
            size = 1 if at == 0 else LIST_BATCH  # the first (the open one) at once
            done = []
            for a in articles[at : at + size]:
                done.append((a, list_article(a)))
                time.sleep(0)  # let the UI thread draw between files (the GIL)
            self.app.call_from_thread(self._listed, done)
            at += size
        if self.sort == "title":  # the rows were placed by file name
            self.app.call_from_thread(self.refresh_articles)

    def _listed(self, done: list[tuple[Article, Article]]) -> None:
        for article, listed in done:
            article.title, article.author = listed.title, listed.author
            article.annotation_count, article.listed = listed.annotation_count, True
            if article.problem is None:  # (opening it may have found one already)
                article.problem = listed.problem
            self.update_count(article)
        self.post_message(self.Listed([a for a, _ in done]))

    def _option(self, a: Article) -> Option:
        rel = self.rel(a)
        if a.problem:
            return Option(ArticleRow(a.title, "", "", rel, a.problem), id=str(a.path))
        info = []  # the row is narrow: the title and path come first, the size not at all
        if a.annotation_count:
            info.append(f"{a.annotation_count} ✎")
        if self.sort == "progress":
            info.append(f"{self.positions.progress(a.path, a.size):.0%}")
        return Option(ArticleRow(a.title, a.author, " · ".join(info), rel), id=str(a.path))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.ArticleChosen(self.order[event.option_index]))

    def select_article(self, article: Article) -> None:
        for i, a in enumerate(self.order):
            if a is article:
                self.highlighted = i
                return
