"""The library pane: every article, its size and how many annotations it has."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reader.core.library import Article, Library
from reader.ui.shown import shown_name


def size_label(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n / 1024 / 1024:.1f} MB"


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
    ]

    @dataclass
    class ArticleChosen(Message):
        article: Article

    def __init__(self, library: Library, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.library = library
        self.border_title = "Library"
        self.refresh_articles()

    def refresh_articles(self) -> None:
        highlighted = self.highlighted
        self.clear_options()
        self.add_options(self._option(a) for a in self.library.articles)
        if self.library.articles:
            self.highlighted = min(highlighted or 0, len(self.library.articles) - 1)

    def update_count(self, article: Article) -> None:
        """Redraw one article's row (its annotation count or problem changed)."""
        prompt = self._option(article).prompt
        if article.problem:  # a reason may wrap: measure the rows again
            self.replace_option_prompt(str(article.path), prompt)
            return
        # Same two lines: unlike replace_option_prompt, do not measure 2,000 rows again
        # (Textual private API, safe under the textual<9 pin).
        self.get_option(str(article.path))._set_prompt(prompt)
        self._option_render_cache.clear()
        self.refresh()

    def _option(self, a: Article) -> Option:
        count = f" · {a.annotation_count} ✎" if a.annotation_count else ""
        rel = self.library.rel(a)
        if a.problem:
            prompt = Content.assemble(
                shown_name(rel, "dim strike"), "\n", shown_name(a.problem, "$error")
            )
        else:
            prompt = Content.assemble(
                shown_name(a.title, "bold"),
                "\n",
                shown_name(f"{size_label(a.size)}{count} · {rel}", "dim"),
            )
        return Option(prompt, id=str(a.path))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.ArticleChosen(self.library.articles[event.option_index]))

    def select_article(self, article: Article) -> None:
        for i, a in enumerate(self.library.articles):
            if a is article:
                self.highlighted = i
