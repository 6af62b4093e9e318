"""`reader export --format html`: the web page of the exported articles."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.core.export import ArticleMarks
    from reader.core.library import Library


def html_page(lib: Library, arts: list[ArticleMarks]) -> str:
    """One page for the articles, with colleagues' layers and your colour labels."""
    from reader.core.config import load_config
    from reader.core.export_html import HtmlArticle, Layer, placed, to_html

    by_path = {a.path: a for a in lib.articles}
    pages = [
        HtmlArticle(
            art.path,
            lib.rel(by_path[art.path]),
            art.title,
            art.text,
            placed(art.annotations, art.resolutions),
            [Layer(rl.author, placed(rl.layer.annotations, rl.resolutions)) for rl in art.layers],
        )
        for art in arts
    ]
    return to_html(pages, load_config().labels)
