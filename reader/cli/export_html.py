"""`reader export --format html`: the web page of the exported articles."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.core.export import ArticleMarks
    from reader.core.library import Library


def has_layers(path: Path, lib: Library) -> bool:
    """Whether a colleague's layer has marks on path (such an article is worth a page too)."""
    from reader.core.sharing import find_layers

    return any(layer.annotations for layer in find_layers(path, lib.roots))


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
            [Layer(s.author, placed(s.annotations, s.resolutions)) for s in art.layers],
        )
        for art in arts
    ]
    return to_html(pages, load_config().labels)
