"""Articles that are not plain text: saved web pages and e-books.

Their text is extracted once (then cached) as Markdown-like text; every offset of such an
article counts characters of that text, as a .txt's count characters of the file.

    extract(path)       -> Extracted: text, title, author, outline, encoding, extractor
    article_text(path)  -> str: the text to index for search
    listing(path)       -> (title, author) for the library list, cheap
    needs_extraction(path) -> bool: whether opening it costs an extraction (cold cache)
    preview(path, limit)   -> str | None: the first part of the text, cheap
    sketch(path, limit)    -> str | None: a web page's raw text, to look at while it is
                              extracted (not its text: offsets do not count in it)
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from reader.core.formats.model import Extracted
from reader.core.text import UnreadableFile
from reader.core.walk import MHTML_SUFFIXES

Progress = Callable[[int, int], None]  # (done, total): an e-book's chapters as extracted

__all__ = [
    "EPUB_SUFFIXES",
    "HTML_SUFFIXES",
    "MHTML_SUFFIXES",
    "SUFFIXES",
    "Extracted",
    "article_text",
    "extract",
    "extractor_of",
    "format_of",
    "listing",
    "needs_extraction",
    "preview",
    "sketch",
]

# A web archive (.mhtml) is a web page in a wrapping: unwrapped, it is read as any page.
HTML_SUFFIXES = (".html", ".htm", ".xhtml", *MHTML_SUFFIXES)
EPUB_SUFFIXES = (".epub",)
SUFFIXES = HTML_SUFFIXES + EPUB_SUFFIXES
# A web page is read whole into memory; 20 MB of HTML is far beyond any saved article.
MAX_HTML_BYTES = 20 * 1024 * 1024
# A page's <head> (title, author) is in its first bytes.
HEAD_BYTES = 64 * 1024
# A web archive's page is read from this many times as many of its bytes: after the
# archive's headers, each byte of the page written as up to three (quoted-printable "=E2").
ARCHIVE_RATIO = 4
# An e-book's first look, before it is in the cache, extracts about this much of it.
COLD_PREVIEW_CHARS = 32 * 1024


def format_of(path: Path) -> str:
    """ "html", "epub", "markdown" or "text", by the file's suffix."""
    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in EPUB_SUFFIXES:
        return "epub"
    if suffix in (".md", ".markdown"):
        return "markdown"
    return "text"


def extractor_of(path: Path) -> str:
    """Which extractor (and version) makes path's text; "" for plain text files."""
    from reader.core.formats.versions import epub_extractor, html_extractor

    fmt = format_of(path)
    if fmt == "html":
        return html_extractor()
    if fmt == "epub":
        return epub_extractor()
    return ""


def _check(path: Path) -> None:
    try:
        if path.is_dir():
            raise UnreadableFile("is a folder, not a file")
        if not path.is_file():
            raise UnreadableFile(
                "not a regular file (device, pipe or socket)" if path.exists() else "no such file"
            )
    except OSError as err:
        raise UnreadableFile(err.strerror or str(err)) from None


def extract(path: Path, progress: Progress | None = None) -> Extracted:
    """The text of a web page or e-book, from the cache when it is still good.
    Raises UnreadableFile with one clear reason; nothing is written then. progress hears
    how far an e-book's extraction got (not called on a cache hit)."""
    from reader.core.formats import cache
    from reader.core.formats.encoding import sidecar_encoding

    _check(path)
    fmt = format_of(path)
    if fmt not in ("html", "epub"):
        raise UnreadableFile(f"{path.suffix or 'this file'} is not a web page or e-book")
    choice = sidecar_encoding(path) if fmt == "html" else None
    tool = extractor_of(path)
    hit = cache.load(path, tool, choice)
    if hit is not None:
        return hit
    from contextlib import ExitStack, suppress

    from reader.core.atomic import file_lock

    # One extraction at a time per article: the search indexer asking for a book the reading
    # pane is extracting waits for it and then reads the cache, instead of doing it twice.
    with ExitStack() as held:
        with suppress(OSError):  # no lock where the cache folder cannot be written: no cache
            held.enter_context(file_lock(cache.entry_path(path)))
        hit = cache.load(path, tool, choice)
        if hit is not None:
            return hit
        result = _extract(path, fmt, choice, progress)
        # The library's title and author with it: the next start-up lists it from here.
        listed = (result.title, result.author) if fmt == "epub" else _head_listing(path)
        cache.store(path, result, choice, listed)
    return result


def listing(path: Path) -> tuple[str, str]:
    """Title and author for the library list, cheaply (never an extraction): kept in the
    cache when the file was extracted and has not changed since, else read off the page's
    head or the book's package. Raises UnreadableFile or OSError."""
    from reader.core.formats import cache

    known = cache.listed(path)
    if known is not None:
        return known
    if format_of(path) == "epub":
        from reader.core.formats.epub import book_metadata

        return book_metadata(path)
    return _head_listing(path)


def _head_listing(path: Path) -> tuple[str, str]:
    from reader.core.formats.html import head_metadata

    start = _page_start(path, HEAD_BYTES)
    return head_metadata(*start) if start is not None else ("", "")


def _page_start(path: Path, limit: int) -> tuple[bytes, str | None] | None:
    """A page's first `limit` bytes and the charset its container declares (a web
    archive's page part; None for a plain page). None when an archive's first bytes hold
    no page. Raises OSError."""
    with open(path, "rb") as f:
        if not _is_archive(path):
            return f.read(limit), None
        from reader.core.formats.mhtml import page_head

        page = page_head(f.read(limit * ARCHIVE_RATIO))
    return (page.html[:limit], page.charset) if page is not None else None


def _is_archive(path: Path) -> bool:
    return path.suffix.lower() in MHTML_SUFFIXES


def _extract(path: Path, fmt: str, choice: str | None, progress: Progress | None) -> Extracted:
    if fmt == "html":
        from reader.core.formats.html import extract_html
        from reader.core.safe_read import RefusedFile, read_regular

        try:
            data = read_regular(path, MAX_HTML_BYTES)
        except RefusedFile as err:
            raise UnreadableFile(err.reason) from None
        except OSError as err:
            raise UnreadableFile(err.strerror or str(err)) from None
        if not _is_archive(path):
            return extract_html(data, choice)
        from reader.core.formats.mhtml import unwrap

        page = unwrap(data, MAX_HTML_BYTES)
        del data
        return extract_html(page.html, choice, page.charset)
    from reader.core.formats.epub import extract_epub

    return extract_epub(path, progress=progress)


def article_text(path: Path) -> str:
    """The text search indexes for a web page or e-book (what the reading pane shows)."""
    return extract(path).text


def needs_extraction(path: Path) -> bool:
    """Whether opening path means extracting it now (a web page or e-book not yet in the
    cache): the UI then reads it in a worker, whatever its size."""
    fmt = format_of(path)
    if fmt not in ("html", "epub"):
        return False
    from reader.core.formats import cache
    from reader.core.formats.encoding import sidecar_encoding

    choice = sidecar_encoding(path) if fmt == "html" else None
    return not cache.is_fresh(path, extractor_of(path), choice)


def preview(path: Path, limit: int) -> str | None:
    """The first part of path's text (about limit bytes, cut after a newline), a prefix of
    extract(path).text: from the cache, or for an e-book its first chapters. None when it
    cannot be had cheaply."""
    from reader.core.formats import cache

    fmt = format_of(path)
    if fmt not in ("html", "epub") or not path.is_file():
        return None
    if fmt == "html":
        from reader.core.formats.encoding import sidecar_encoding

        if sidecar_encoding(path) is not None:
            return None
    text = cache.load_prefix(path, extractor_of(path), limit)
    if text is not None or fmt != "epub":
        return text
    from reader.core.formats.epub import extract_epub

    try:
        # Extracting costs far more than reading the cache: the first chapter or so fills
        # the first screens; the rest comes with the whole book.
        part = extract_epub(path, limit=min(limit, COLD_PREVIEW_CHARS)).text
    except UnreadableFile:
        return None
    return part or None


def sketch(path: Path, limit: int) -> str | None:
    """A web page's visible text, from its first `limit` bytes, with nothing dropped (no
    navigation found, no article picked out): something to read while its text is
    extracted. Offsets do not count in it, so nothing may be annotated on it. None when
    there is none to show."""
    if format_of(path) != "html":
        return None
    from reader.core.formats.encoding import sidecar_encoding
    from reader.core.formats.html import quick_text

    try:
        start = _page_start(path, limit)
        if start is None:
            return None
        head, charset = start
        if len(head) == limit and head.rfind(b">") > 0:
            # Cut after a tag, never inside a character: a broken last character would
            # make the page's declared encoding fail, and the bytes be guessed.
            head = head[: head.rfind(b">") + 1]
        return quick_text(head, sidecar_encoding(path), charset) or None
    except (OSError, UnreadableFile):
        return None
