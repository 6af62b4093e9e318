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
    name = m.group(1).decode("ascii", "replace")
    try:
        codecs.lookup(name)
    except LookupError:
        return None
    return name


def decode_markup(data: bytes, override: str | None = None) -> LoadedText:
    """Decode an HTML page: the user's choice, a byte order mark, the page's own
    declaration (when its bytes fit it), else as a text file is guessed."""
    if override:
        return decode(data, override)
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode(data)
    declared = declared_encoding(data)
    if declared is not None and codecs.lookup(declared).name not in ("utf-16", "utf-32"):
        # Pages often say ISO-8859-1 and mean Windows-1252, as browsers assume.
        if codecs.lookup(declared).name in ("iso8859-1", "ascii"):
            declared = "cp1252"
        try:
            return LoadedText(data.decode(declared), display_name(declared))
        except UnicodeDecodeError:
            pass  # the declaration is wrong: guess from the bytes
    return decode(data)
