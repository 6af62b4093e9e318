"""E-books (.epub, EPUB 2 and 3): chapters in reading order, the book's own table of
contents as the outline, title and author from its package metadata.

An EPUB is a zip of XML files, so a hostile one is refused, not obeyed: every member read
counts against a limit (a zip bomb unpacks to gigabytes from kilobytes), XML that declares
entities is refused (they are never resolved: defusedxml), and a book with encrypted
content (DRM) says so instead of showing ciphertext.
"""

from __future__ import annotations

import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urldefrag
from xml.etree.ElementTree import Element, ParseError

from reader.core.formats.convert import html_to_text
from reader.core.formats.model import Extracted
from reader.core.formats.versions import epub_extractor
from reader.core.text import UnreadableFile, normalize

MAX_TOTAL = 200 * 1024 * 1024  # bytes unpacked for one book, all members together
MAX_MEMBER = 64 * 1024 * 1024  # bytes unpacked for one member
MAX_MEMBERS = 20_000

NS = {
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
    "enc": "http://www.w3.org/2001/04/xmlenc#",
}
# Font obfuscation is not DRM: the text of such a book is plain.
_FONT_OBFUSCATION = {
    "http://www.idpf.org/2008/embedding",
    "http://ns.adobe.com/pdf/enc#RC",
}
_CHAPTER_TYPES = {"application/xhtml+xml", "text/html", "application/xml", "text/xml"}
_ENTITY_DECL = re.compile(rb"<!ENTITY", re.I)
_XML_DECL = re.compile(r"\A\s*<\?xml[^>]*\?>")


extractor = epub_extractor


@dataclass
class Book:
    zf: zipfile.ZipFile
    read_bytes: int = 0
    title: str = ""
    authors: list[str] = field(default_factory=list)
    spine: list[str] = field(default_factory=list)  # member names, in reading order
    toc: list[tuple[str, str, str]] = field(default_factory=list)  # (title, member, fragment)

    def read(self, name: str) -> bytes:
        """A member's bytes, counted against the book's limits."""
        try:
            info = self.zf.getinfo(name)
        except KeyError:
            raise UnreadableFile(f"not a valid EPUB: {name} is missing") from None
        if info.flag_bits & 0x1:
            raise UnreadableFile("encrypted: cannot be read")
        if info.file_size > MAX_MEMBER:
            raise UnreadableFile(f"{name} unpacks to {info.file_size} bytes: too big (a zip bomb?)")
        chunks: list[bytes] = []
        got = 0
        try:
            with self.zf.open(info) as f:
                # Read by chunks and count them: the sizes in a zip's directory can lie.
                while chunk := f.read(1 << 20):
                    got += len(chunk)
                    self.read_bytes += len(chunk)
                    if got > MAX_MEMBER or self.read_bytes > MAX_TOTAL:
                        raise UnreadableFile(
                            f"unpacks to more than {MAX_TOTAL // (1024 * 1024)} MB: "
                            "too big to read (a zip bomb?)"
                        )
                    chunks.append(chunk)
        except (
            zipfile.BadZipFile,
            zipfile.LargeZipFile,
            zlib.error,
            struct.error,
            UnicodeDecodeError,
            EOFError,
            NotImplementedError,
            ValueError,
            OSError,
        ) as err:
            raise UnreadableFile(f"damaged EPUB: cannot unpack {name} ({err})") from None
        except RuntimeError as err:  # zipfile says so of a password-protected member
            raise UnreadableFile(f"encrypted: cannot be read ({err})") from None
        return b"".join(chunks)

    def xml(self, name: str) -> Element:
        return parse_xml(self.read(name), name)


def parse_xml(data: bytes, name: str) -> Element:
    """Parse XML without resolving any entity: a file that declares one is refused."""
    import defusedxml.ElementTree as safe
    from defusedxml import DefusedXmlException

    try:
        root: Element = safe.fromstring(
            data, forbid_dtd=False, forbid_entities=True, forbid_external=True
        )
        return root
    except DefusedXmlException:
        raise UnreadableFile(
            f"{name} declares XML entities (never resolved here): cannot be read safely"
        ) from None
    except ParseError as err:
        raise UnreadableFile(f"{name} is not well-formed XML ({err})") from None


def open_book(path: Path, toc: bool = True) -> Book:
    """Open an EPUB and read its package: metadata, spine and (with toc) table of contents."""
    try:
        zf = zipfile.ZipFile(path)
    except OSError as err:
        raise UnreadableFile(err.strerror or str(err)) from None
    except Exception:  # BadZipFile, and what a damaged directory raises (ValueError...)
        raise UnreadableFile("not an EPUB: not a zip archive") from None
    try:
        return _read_package(zf, toc)
    except BaseException:
        zf.close()
        raise


def _read_package(zf: zipfile.ZipFile, toc: bool) -> Book:
    book = Book(zf)
    names = set(zf.namelist())
    if len(names) > MAX_MEMBERS:
        raise UnreadableFile(f"{len(names)} files in the archive: too many (a zip bomb?)")
    if "META-INF/encryption.xml" in names:
        _refuse_encrypted(book)
    if "META-INF/rights.xml" in names or "META-INF/sinf.xml" in names:  # Adobe, Apple
        raise UnreadableFile("encrypted: cannot be read (DRM-protected book)")
    container = book.xml("META-INF/container.xml")
    rootfile = container.find(".//c:rootfile", NS)
    opf_name = rootfile.get("full-path") if rootfile is not None else None
    if not opf_name:
        raise UnreadableFile("not a valid EPUB: META-INF/container.xml names no package")
    opf = book.xml(opf_name)
    base = posixpath.dirname(opf_name)
    meta = opf.find("opf:metadata", NS)
    if meta is not None:
        book.title = _text(meta.find("dc:title", NS))
        book.authors = [a for a in (_text(c) for c in meta.findall("dc:creator", NS)) if a]
    manifest: dict[str, tuple[str, str, str]] = {}
    for item in opf.iterfind("opf:manifest/opf:item", NS):
        href = item.get("href")
        if item.get("id") and href:
            manifest[str(item.get("id"))] = (
                _join(base, href),
                item.get("media-type") or "",
                item.get("properties") or "",
            )
    spine = opf.find("opf:spine", NS)
    if spine is None:
        raise UnreadableFile("not a valid EPUB: the package has no spine (reading order)")
    for ref in spine.iterfind("opf:itemref", NS):
        entry = manifest.get(ref.get("idref") or "")
        if entry is not None and entry[1] in _CHAPTER_TYPES and entry[0] not in book.spine:
            book.spine.append(entry[0])
    if not book.spine:
        raise UnreadableFile("not a valid EPUB: no chapters in the reading order")
    if not toc:
        return book
    nav = next((e[0] for e in manifest.values() if "nav" in e[2].split()), None)
    if nav is not None and nav in names:
        book.toc = _nav_toc(book, nav)
    if not book.toc:
        ncx = manifest.get(spine.get("toc") or "")
        ncx_name = ncx[0] if ncx is not None else None
        if ncx_name is None:
            ncx_name = next(
                (e[0] for e in manifest.values() if e[1] == "application/x-dtbncx+xml"), None
            )
        if ncx_name is not None and ncx_name in names:
            book.toc = _ncx_toc(book, ncx_name)
    return book


def _refuse_encrypted(book: Book) -> None:
    root = book.xml("META-INF/encryption.xml")
    for data in root.iter(f"{{{NS['enc']}}}EncryptedData"):
        method = data.find("enc:EncryptionMethod", NS)
        algorithm = method.get("Algorithm") if method is not None else None
        if algorithm not in _FONT_OBFUSCATION:
            raise UnreadableFile("encrypted: cannot be read (DRM-protected book)")


def _text(el: Element | None) -> str:
    return " ".join("".join(el.itertext()).split()) if el is not None else ""


def _join(base: str, href: str) -> str:
    return posixpath.normpath(posixpath.join(base, unquote(href))).lstrip("/")


def _target(base: str, href: str) -> tuple[str, str]:
    url, frag = urldefrag(href)
    return _join(base, url), unquote(frag)


def _nav_toc(book: Book, name: str) -> list[tuple[str, str, str]]:
    """EPUB 3: the <nav epub:type="toc"> of the navigation document."""
    root = parse_chapter(book.read(name), name)
    base = posixpath.dirname(name)
    navs = [n for n in root.iter("nav") if "toc" in (n.get("epub:type") or "").split()]
    out: list[tuple[str, str, str]] = []
    for nav in navs[:1]:
        for a in nav.iter("a"):
            href = a.get("href")
            title = " ".join(a.text_content().split())
            if href and title:
                out.append((title, *_target(base, href)))
    return out


def _ncx_toc(book: Book, name: str) -> list[tuple[str, str, str]]:
    """EPUB 2: the navMap of toc.ncx, in document order (nested points after their parent)."""
    root = book.xml(name)
    base = posixpath.dirname(name)
    out: list[tuple[str, str, str]] = []
    for point in root.iter(f"{{{NS['ncx']}}}navPoint"):
        title = _text(point.find("ncx:navLabel/ncx:text", NS))
        content = point.find("ncx:content", NS)
        src = content.get("src") if content is not None else None
        if title and src:
            out.append((title, *_target(base, src)))
    return out


def parse_chapter(data: bytes, name: str) -> Any:
    """An XHTML chapter as an lxml.html tree. Read as the XML it should be (so `<div/>` is
    an empty element, as the book means), else as HTML, which forgives what many books
    carry (&nbsp; and other named entities). A chapter that declares entities is refused:
    they are never resolved."""
    import lxml.etree
    import lxml.html

    root_at = data.find(b"<html")
    if _ENTITY_DECL.search(data, 0, root_at if root_at >= 0 else len(data)):
        raise UnreadableFile(
            f"{name} declares XML entities (never resolved here): cannot be read safely"
        )
    xml = lxml.etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, remove_comments=True
    )
    try:
        root = lxml.etree.fromstring(data, parser=xml)
        for el in root.iter():
            if isinstance(el.tag, str) and el.tag.startswith("{"):
                el.tag = el.tag.split("}", 1)[1]  # XHTML's namespace: plain HTML names
        lxml.etree.cleanup_namespaces(root)
        text = lxml.etree.tostring(root, method="html", encoding="unicode")
    except (lxml.etree.XMLSyntaxError, ValueError):
        from reader.core.formats.encoding import declared_encoding

        text = data.decode(declared_encoding(data) or "utf-8", errors="replace")
        text = _XML_DECL.sub("", text)
    text = normalize(text)  # control characters are data: made inert
    parser = lxml.html.HTMLParser(encoding="utf-8", no_network=True, remove_comments=True)
    try:
        return lxml.html.document_fromstring(text.encode("utf-8", "surrogatepass"), parser=parser)
    except (lxml.etree.ParserError, ValueError):
        return lxml.html.document_fromstring("<html><body></body></html>")


def extract_epub(
    path: Path, limit: int | None = None, progress: Callable[[int, int], None] | None = None
) -> Extracted:
    """The book's text, chapter after chapter; with `limit`, only the first chapters up to
    about that many characters (their text is a prefix of the whole book's). progress is
    told (chapters done, chapters) after each chapter.
    Raises UnreadableFile with a clear reason."""
    book = open_book(path)
    try:
        wanted: dict[str, set[str]] = {}
        for _, member, frag in book.toc:
            if frag:
                wanted.setdefault(member, set()).add(frag)
        parts: list[str] = []
        starts: dict[str, int] = {}
        places: dict[tuple[str, str], int] = {}
        length = 0
        notes: list[str] = []
        names = set(book.zf.namelist())
        for done, member in enumerate(book.spine):
            if progress is not None:
                progress(done, len(book.spine))
            if limit is not None and length >= limit:
                break
            if member not in names:  # a sloppy book: the rest of it is still worth reading
                notes.append(f"chapter {member} is missing from the book")
                continue
            if limit is not None and book.zf.getinfo(member).file_size > 8 * limit:
                break  # a first look must stay cheap: this chapter waits for the whole read
            root = parse_chapter(book.read(member), member)
            body = root.find("body")
            text, found = html_to_text(
                body if body is not None else root, frozenset(wanted.get(member, ()))
            )
            if parts and text:
                length += 2  # the blank line between chapters
            starts[member] = length
            for frag, off in found.items():
                places[(member, frag)] = length + off
            if text:
                parts.append(text)
                length += len(text)
        outline = tuple(
            (title, places.get((member, frag), starts[member]))
            for title, member, frag in book.toc
            if member in starts
        )
        full = "\n\n".join(parts) + "\n" if parts else ""
        if limit is None and not full.strip():
            raise UnreadableFile("no readable text in this e-book")
        return Extracted(
            full,
            book.title,
            ", ".join(book.authors),
            outline,
            "utf-8",
            extractor(),
            tuple(notes),
        )
    finally:
        book.zf.close()


def book_metadata(path: Path) -> tuple[str, str]:
    """Title and author from the package, for the library list (no chapter is read, nor
    the table of contents)."""
    book = open_book(path, toc=False)
    book.zf.close()
    return book.title, ", ".join(book.authors)
