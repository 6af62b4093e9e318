"""Saved web pages (.html, .htm): the main text, its title and author.

trafilatura finds the article in a page (navigation, ads, footers dropped) and keeps its
structure; the cleaned HTML it returns is made Markdown-like text by convert.py. No
script is ever run: pages are parsed, never rendered.
"""

from __future__ import annotations

import logging
from functools import cache
from importlib.metadata import version
from typing import Any

from reader.core.formats.convert import html_to_text
from reader.core.formats.encoding import decode_markup
from reader.core.formats.model import Extracted
from reader.core.text import UnreadableFile, normalize

# trafilatura and its helpers log what they make of odd pages; with no handler of their own
# Python would print that over the app's screen.
for _name in ("trafilatura", "htmldate", "courlan", "justext"):
    logging.getLogger(_name).addHandler(logging.NullHandler())


@cache
def extractor() -> str:
    return f"trafilatura {version('trafilatura')} + html-to-markdown {version('html-to-markdown')}"


def extract_html(data: bytes, encoding: str | None = None) -> Extracted:
    """The main text of a page's bytes. Raises UnreadableFile with a clear reason."""
    loaded = decode_markup(data, encoding)
    del data
    # Control characters made inert before parsing: they are data, and lxml refuses them.
    source = normalize(loaded.text)
    if not source.strip():
        raise UnreadableFile("empty web page")
    title, author = _metadata(source)
    main = _main_html(source)
    text = ""
    if main is not None:
        text, _ = html_to_text(_parse(main))
    if not text.strip():
        # No article found (a tiny or unusual page): show all of its text rather than none.
        text, _ = html_to_text(_parse(source))
    if not text.strip():
        raise UnreadableFile("no readable text in this web page")
    return Extracted(text, title, author, (), loaded.encoding, extractor(), loaded.notes)


def _main_html(source: str) -> str | None:
    import trafilatura  # 1 s to import: only when a page is extracted, not on a warm cache

    try:
        result = trafilatura.extract(
            source,
            output_format="html",
            include_formatting=True,
            include_links=True,
            include_tables=True,
            include_images=True,
            favor_recall=True,
            with_metadata=False,
        )
    except Exception:  # a page trafilatura chokes on still has its text: see the fallback
        return None
    return result if isinstance(result, str) else None


def _metadata(source: str) -> tuple[str, str]:
    import trafilatura

    try:
        meta = trafilatura.extract_metadata(source)
    except Exception:  # metadata is a nicety: a page without it is still read
        meta = None
    title = " ".join((getattr(meta, "title", None) or "").split())
    author = " ".join((getattr(meta, "author", None) or "").split())
    return title, author


def _parse(html: str) -> Any:
    import lxml.etree
    import lxml.html

    # Parsing bytes lets lxml ignore the page's own charset declaration (already applied).
    parser = lxml.html.HTMLParser(encoding="utf-8", no_network=True, remove_comments=True)
    try:
        return lxml.html.document_fromstring(html.encode("utf-8", "surrogatepass"), parser=parser)
    except (lxml.etree.ParserError, ValueError) as err:
        raise UnreadableFile(f"not a readable web page ({err})") from None


def head_metadata(head: bytes) -> tuple[str, str]:
    """Title and author from the first bytes of a page, for the library list (cheap: no
    trafilatura). Empty strings when it has none."""
    import lxml.etree
    import lxml.html

    text = normalize(decode_markup(head).text)
    try:
        root = lxml.html.document_fromstring(
            text.encode("utf-8", "surrogatepass"),
            parser=lxml.html.HTMLParser(encoding="utf-8", no_network=True),
        )
    except (lxml.etree.ParserError, ValueError):
        return "", ""

    def meta(*names: str) -> str:
        for el in root.iter("meta"):
            key = (el.get("property") or el.get("name") or "").lower()
            if key in names and el.get("content"):
                return " ".join(str(el.get("content")).split())
        return ""

    title = meta("og:title", "twitter:title", "dc.title")
    if not title:
        el = root.find(".//title")
        title = " ".join((el.text_content() if el is not None else "").split())
    return title, meta("author", "article:author", "dc.creator", "byl")
