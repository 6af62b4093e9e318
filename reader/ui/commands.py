"""Command palette providers: jump to an article by a few words of its title or path, each
word allowed a typo or two (`memry barirs`)."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import FuzzySearch

from reader.core.article_match import ArticleMatcher
from reader.ui.shown import shown_name

if TYPE_CHECKING:
    from reader.ui.app import ReaderApp


def literal_highlight(query: str, text: str) -> Content:
    """text as inert literal Content with the query's fuzzy-matched letters in bold."""
    content = shown_name(text)  # one character for one: the matched offsets still hold
    _, offsets = FuzzySearch().match(query, text)
    for o in offsets:
        content = content.stylize("bold underline", o, o + 1)
    return content


class ArticleProvider(Provider):
    """Articles of the library, matched on title and path (typos allowed)."""

    @property
    def reader_app(self) -> ReaderApp:
        return self.app  # type: ignore[return-value]

    _matcher: ArticleMatcher | None = None

    def _match(self, query: str) -> list[tuple[float, int]]:
        """(score, index) of the articles matching the query; the library's words are
        gathered once per palette, not per key typed."""
        if self._matcher is None:
            lib = self.reader_app.library
            self._matcher = ArticleMatcher(
                [f"{a.title} {a.author} {lib.rel(a)}" for a in lib.articles]
            )
        return self._matcher.match(query)

    async def discover(self) -> Hits:
        lib = self.reader_app.library
        for a in lib.articles[:50]:
            yield DiscoveryHit(
                shown_name(a.title),
                partial(self.reader_app.open_article, a),
                text=a.title,
                help=_help(lib.rel(a)),
            )

    async def search(self, query: str) -> Hits:
        lib = self.reader_app.library
        for score, i in self._match(query)[:50]:
            a = lib.articles[i]
            yield Hit(
                score / 100,
                literal_highlight(query, a.title),
                partial(self.reader_app.open_article, a),
                text=a.title,
                help=_help(lib.rel(a)),
            )


def _help(rel: str) -> str:
    """A file's path as the palette's help text. The palette reads help as markup (it calls
    Content.from_markup, which passes Content through unchanged), so it gets Content: a file
    named `[b]x.txt` is shown as it is named."""
    return shown_name(rel)  # type: ignore[return-value]  # typed str, takes Content too
