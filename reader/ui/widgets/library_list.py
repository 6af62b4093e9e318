"""The library pane: one row per article (title, how many annotations, path), in the order
the reader chose (`s` cycles title, path, recently read, reading progress)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reader.core.library import SORTS, Article, Library, sort_articles
from reader.core.positions import Positions
from reader.ui.widgets.library_row import ArticleRow


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
