"""Web archives: a page saved by Chrome or Edge as "Webpage, Single File" (.mhtml; .mht
from Internet Explorer and Word) is a MIME multipart/related message. Its text/html part is
the page (mostly quoted-printable, its charset in its Content-Type); the page's images,
styles and frames follow as more parts. Only the page is taken: images show as their alt
text, as in a saved .html, and nothing in the archive is fetched or run.

    unwrap(data, limit) -> Page: the page's bytes and the charset its part declares
    page_head(head)     -> Page | None: the same from the archive's first bytes, or None

Headers and encodings are the email package's work. The parts are cut apart here, at their
boundary lines: its parser reads every line of every part, 3 s for an 18 MB archive that is
mostly images, where the page alone is wanted (and comes first in Chrome's archives).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import Message

from reader.core.text import UnreadableFile

# A saved page has tens to hundreds of parts (one per image, style sheet, frame): no more
# are looked at than this. Parts in parts (rare: a mail's multipart/alternative) no deeper.
MAX_PARTS = 5000
MAX_DEPTH = 8
# A real header block is a few hundred bytes.
MAX_HEADER_BYTES = 64 * 1024
NO_PAGE = "not a web archive: no HTML page in it"
_PAGE_TYPES = ("text/html", "application/xhtml+xml")
# Missing base64 padding loses nothing; stray characters or a cut-off last group make
# garbage of the page (the email package decodes what it can and notes what it could not).
_DAMAGED = ("InvalidBase64CharactersDefect", "InvalidBase64LengthDefect")
# What the email package's parser takes for a header line: a name and a colon, or more of
# the one before (a line that starts with a space or tab), or a first "From " line.
_HEADER_LINE = re.compile(rb"From |[\x21-\x39\x3b-\x7e]*:|[ \t]")


@dataclass(frozen=True)
class Page:
    html: bytes
    charset: str | None  # as the page's part declares it; may name no known encoding


def unwrap(data: bytes, limit: int) -> Page:
    """The page in a web archive's bytes. Raises UnreadableFile with one clear reason: not
    a MIME message with an HTML part, too many parts, a damaged page, a page over limit."""
    page = _page(data, whole=True)
    if page is None:
        raise UnreadableFile(NO_PAGE)
    if len(page.html) > limit:
        size = f"{_mb(len(page.html))}; the limit is {_mb(limit)}"
        raise UnreadableFile(f"the web page in this archive is {size}")
    return page


def page_head(head: bytes) -> Page | None:
    """The start of the page in an archive's first bytes (for its title, or a first look
    while the whole is read): None when it is not in them."""
    # Cut after a line: base64 lines hold whole groups, quoted-printable escapes never
    # reach across one.
    cut = head.rfind(b"\n")
    try:
        return _page(head[: cut + 1] if cut > 0 else head, whole=False)
    except UnreadableFile:
        return None


def _page(data: bytes, whole: bool) -> Page | None:
    try:
        found = _root(data, whole)
        if found is None:
            return None
        part, body = found
        # The email package decodes the body by the part's Content-Transfer-Encoding, given
        # it as its parser would (bytes as ASCII, the rest kept as surrogates).
        part.set_payload(body.decode("ascii", "surrogateescape"))
        html = part.get_payload(decode=True)
        if whole and any(type(d).__name__ in _DAMAGED for d in part.defects):
            raise UnreadableFile("damaged web archive: its page's base64 encoding is broken")
        charset = part.get_content_charset()
    except UnreadableFile:
        raise
    except Exception:  # the email package's header parsers have raised all sorts on odd input
        raise UnreadableFile("not a web archive: its headers cannot be read") from None
    if not isinstance(html, bytes) or not html:
        return None
    return Page(html, charset if isinstance(charset, str) else None)


def _root(data: bytes, whole: bool) -> tuple[Message, bytes] | None:
    """The archive's page (its headers and body): the part at the address the archive was
    saved from (Chrome's Snapshot-Content-Location), else the one a multipart/related
    `start` names, else its first HTML part. With whole False (only the archive's start
    was read), a page named by the archive but not in it is not stood in for by another."""
    message, body = _split(data)
    where = _value(message, "snapshot-content-location")
    start = str(message.get_param("start", "", header="content-type")).strip()
    named: tuple[Message, bytes] | None = None
    first: tuple[Message, bytes] | None = None
    for n, (part, part_body) in enumerate(_leaves(message, body, 0)):
        if n == MAX_PARTS:
            raise UnreadableFile(f"too many parts in this web archive (more than {MAX_PARTS})")
        if part.get_content_type() not in _PAGE_TYPES:
            continue
        if where and _value(part, "content-location") == where:
            return part, part_body
        if start and named is None and _value(part, "content-id") == start:
            named = part, part_body
        first = first or (part, part_body)
        if not where and (named or not start):
            break  # nothing later can be a better match
    if where and not whole:
        return None
    return named or first


def _leaves(message: Message, body: bytes, depth: int) -> Iterator[tuple[Message, bytes]]:
    """The parts that are not multiparts, in order, with their (still encoded) bodies."""
    if message.get_content_maintype() != "multipart":
        yield message, body
        return
    if depth == MAX_DEPTH:
        raise UnreadableFile("not a web archive: its parts are nested too deeply")
    boundary = message.get_boundary()
    if not boundary:
        return
    for piece in _pieces(body, boundary.encode("ascii", "surrogateescape")):
        yield from _leaves(*_split(piece), depth + 1)


def _pieces(body: bytes, boundary: bytes) -> Iterator[bytes]:
    """A multipart body's parts: what lies between its boundary lines (RFC 2046: "--"
    and the boundary at the start of a line; the line end before it is the boundary's)."""
    line = re.compile(re.escape(b"--" + boundary) + rb"(--)?[ \t]*(?:\r?\n|\Z)")
    start = None
    for m in line.finditer(body):
        if m.start() > 0 and body[m.start() - 1] != ord("\n"):
            continue  # the boundary's text inside a line, not a boundary line
        if start is not None:
            piece = body[start : m.start()]
            yield piece[:-2] if piece.endswith(b"\r\n") else piece[:-1]
        if m.group(1):  # the closing boundary: what follows is an epilogue
            return
        start = m.end()
    if start is not None and start < len(body):  # cut off before its closing boundary
        yield body[start:]


def _split(data: bytes) -> tuple[Message, bytes]:
    """A MIME entity's headers (parsed) and its body. As the email package's parser sees it,
    the headers end at the first line that is not one (a blank line is dropped)."""
    from email import policy
    from email.parser import BytesHeaderParser

    pos = 0
    while pos < len(data):
        end = data.find(b"\n", pos, MAX_HEADER_BYTES) + 1 or len(data)
        if end > MAX_HEADER_BYTES:
            return Message(), b""  # no header block ends: nothing MIME in it
        line = data[pos:end]
        if not _HEADER_LINE.match(line):
            body = data[end:] if line in (b"\n", b"\r\n") else data[pos:]
            break
        pos = end
    else:
        body = b""
    return BytesHeaderParser(policy=policy.default).parsebytes(data[:pos]), body


def _value(part: Message, header: str) -> str:
    value = part.get(header)
    return str(value).strip() if value is not None else ""


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB"
