"""Saved web pages (.html, .htm; .mhtml once unwrapped): the main text, its title and author.

trafilatura finds the article in a page (navigation, ads, footers dropped) and keeps its
structure; the cleaned HTML it returns is made Markdown-like text by convert.py. No
script is ever run: pages are parsed, never rendered.
"""

from __future__ import annotations

import logging
from typing import Any

from reader.core.formats.convert import html_to_text
from reader.core.formats.encoding import decode_markup
from reader.core.formats.model import Extracted
from reader.core.formats.versions import html_extractor
from reader.core.text import UnreadableFile, normalize

# trafilatura and its helpers log what they make of odd pages; with no handler of their own
# Python would print that over the app's screen.
for _name in ("trafilatura", "htmldate", "courlan", "justext"):
    logging.getLogger(_name).addHandler(logging.NullHandler())


extractor = html_extractor


def extract_html(
    data: bytes, encoding: str | None = None, declared: str | None = None
) -> Extracted:
    """The main text of a page's bytes, read in `encoding` (the user's choice) or else the
    charset its container declared, if any (see decode_markup). Raises UnreadableFile
    with a clear reason."""
    loaded = decode_markup(data, encoding, declared)
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


_OPTIONS: dict[str, Any] = {
    "include_formatting": True,
    "include_links": True,
    "include_tables": True,
    "include_images": True,
    "favor_recall": True,
    "with_metadata": False,
}


def _main_html(source: str) -> str | None:
    """The page's main text as cleaned HTML (None when trafilatura finds none)."""
    import trafilatura  # 1 s to import: only when a page is extracted, not on a warm cache
    import trafilatura.core

    try:
        # What extract(output_format="html") does, less the content fingerprint it
        # computes for de-duplicating crawls: 60% of its time on a long page.
        build_html_output = getattr(trafilatura.core, "build_html_output", None)
        if build_html_output is None:  # another trafilatura: the public way
            result = trafilatura.extract(source, output_format="html", **_OPTIONS)
            return result if isinstance(result, str) else None
        document = trafilatura.bare_extraction(source, output_format="python", **_OPTIONS)
        if document is None or isinstance(document, dict):
            return None
        html = build_html_output(document, False)
    except Exception:  # a page trafilatura chokes on still has its text: see the fallback
        return None
    return html if isinstance(html, str) else None


def _metadata(source: str) -> tuple[str, str]:
    """Title and author as trafilatura finds them (meta tags, JSON-LD, then the page's own
    headings and bylines). Its extract_metadata also dates the page, which costs more than
    the rest of the extraction together: only the parts reader shows are asked for."""
    from trafilatura.metadata import (
        examine_meta,
        extract_author,
        extract_meta_json,
        extract_title,
    )
    from trafilatura.utils import load_html

    try:
        tree = load_html(source)
        if tree is None:
            return "", ""
        meta = examine_meta(tree)
        if meta.author and " " not in meta.author:
            meta.author = None  # as extract_metadata does: a one-word "author" is a site name
        meta = extract_meta_json(tree, meta)
        title = meta.title or extract_title(tree)
        author = meta.author or extract_author(tree)
    except Exception:  # metadata is a nicety: a page without it is still read
        return "", ""
    return " ".join((title or "").split()), " ".join((author or "").split())


def quick_text(head: bytes, encoding: str | None = None, declared: str | None = None) -> str:
    """The text of a page's first bytes as the reading pane shows extracted text, with
    nothing picked out (navigation and all) and no trafilatura: a first look while the
    page is extracted. Scripts are dropped unrun, as always."""
    source = normalize(decode_markup(head, encoding, declared).text)
    if not source.strip():
        return ""
    root = _parse(source)
    body = root.find("body")
    text, _ = html_to_text(body if body is not None else root)
    return text


def _parse(html: str) -> Any:
    import lxml.etree
    import lxml.html

    # Parsing bytes lets lxml ignore the page's own charset declaration (already applied).
    parser = lxml.html.HTMLParser(encoding="utf-8", no_network=True, remove_comments=True)
    try:
        return lxml.html.document_fromstring(html.encode("utf-8", "surrogatepass"), parser=parser)
    except (lxml.etree.ParserError, ValueError) as err:
        raise UnreadableFile(f"not a readable web page ({err})") from None


def head_metadata(head: bytes, declared: str | None = None) -> tuple[str, str]:
    """Title and author from the first bytes of a page, for the library list (cheap: no
    trafilatura). Empty strings when it has none."""
    import lxml.etree
    import lxml.html

    text = normalize(decode_markup(head, None, declared).text)
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
