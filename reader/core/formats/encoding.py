"""Which encoding a file is read in: the user's choice from the sidecar, else a guess.

A guess can be wrong (a short Turkish text fits Windows-1250 as well as Windows-1254),
so the user can name the encoding per file: `encoding = "cp1254"` in the [source] table
of the article's annotation file.
"""

from __future__ import annotations

import codecs
import re
import tomllib
from pathlib import Path

from reader.core.safe_read import read_regular
from reader.core.text import LoadedText, decode, display_name

# <meta charset="..."> or <meta http-equiv="Content-Type" content="text/html; charset=...">
_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.I
)
_XML_ENCODING = re.compile(
    rb"""\A\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9_.:-]{1,40})"""
)
SNIFF = 4096


def sidecar_encoding(source: Path) -> str | None:
    """The `encoding` key of the [source] table in source's annotation file, if any.

    Cheap: one small file read when the sidecar exists. A sidecar that cannot be read or
    parsed gives None here; the annotation store reports its problem when it loads it.
    """
    from reader.core.store import find_sidecar  # a helper of the store, not its loader

    try:
        raw = read_regular(find_sidecar(source))
        if b"encoding" not in raw:  # most sidecars: not worth parsing twice
            return None
        data = tomllib.loads(raw.decode("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
        return None
    src = data.get("source")
    value = src.get("encoding") if isinstance(src, dict) else None
    return value.strip() if isinstance(value, str) and value.strip() else None


def declared_encoding(data: bytes) -> str | None:
    """The encoding an HTML or XML file declares in its first bytes, if Python knows it."""
    head = data[:SNIFF]
    m = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    if m is None:
        return None
    return _known(m.group(1).decode("ascii", "replace"))


def decode_markup(
    data: bytes, override: str | None = None, declared: str | None = None
) -> LoadedText:
    """Decode an HTML page: the user's choice, a byte order mark, the charset its container
    declares (`declared`: a web archive's Content-Type), the page's own declaration (each
    only when the bytes fit it), else as a text file is guessed."""
    if override:
        return decode(data, override)
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode(data)
    # A container's "us-ascii" is a mailer's default, not a claim about the page's bytes:
    # read as ASCII it gives way to the page's own declaration when they are not ASCII.
    for name, is_page in ((_known(declared), False), (declared_encoding(data), True)):
        canonical = codecs.lookup(name).name if name is not None else None
        if name is None or canonical in ("utf-16", "utf-32"):
            continue
        # Pages often say ISO-8859-1 and mean Windows-1252, as browsers assume.
        if canonical == "iso8859-1" or (is_page and canonical == "ascii"):
            name = "cp1252"
        try:
            return LoadedText(data.decode(name), display_name(name))
        except UnicodeDecodeError:
            pass  # the declaration is wrong: try the next, else guess from the bytes
    return decode(data)


def _known(name: str | None) -> str | None:
    """name when Python knows it as a text encoding, else None ("hex" and "zlib" are
    codecs too, but decoding bytes to text with them raises)."""
    if not name:
        return None
    try:
        b"a".decode(name, "replace")  # an empty input is not even looked at
    except (LookupError, ValueError):
        return None
    return name
