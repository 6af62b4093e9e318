"""The library pane: every article, its size and how many annotations it has."""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reader.core.library import Article, Library


def size_label(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n / 1024 / 1024:.1f} MB"


TITLE_CELLS = 27


def clip(s: str, cells: int) -> str:
    """s cut to fit cells columns, with an ellipsis (wide characters count two)."""
    if cell_len(s) <= cells:
        return s
    out = ""
    for ch in s:
        if cell_len(out + ch) > cells - 1:
            break
        out += ch
    return out + "…"


class LibraryList(OptionList):
    """Articles as options; Enter opens one."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g", "first", "First", show=False),
        Binding("G", "last", "Last", show=False),
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
        title = clip(a.title, TITLE_CELLS)
        if a.problem:
            prompt = Content.assemble(
                (clip(self.library.rel(a), TITLE_CELLS), "dim strike"), "\n", (a.problem, "$error")
            )
        else:
            prompt = Content.assemble(
                (title, "bold"),
                "\n",
                (clip(f"{size_label(a.size)}{count} · {self.library.rel(a)}", TITLE_CELLS), "dim"),
            )
        return Option(prompt, id=str(a.path))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.ArticleChosen(self.library.articles[event.option_index]))

    def select_article(self, article: Article) -> None:
        for i, a in enumerate(self.library.articles):
            if a is article:
                self.highlighted = i
