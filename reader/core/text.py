"""Read article files into normalized, inert text.

Every offset in reader counts characters of the text this module returns, so
the normalizing steps here keep one character for one character wherever they
can (control characters become visible symbols, not escape sequences).
"""

from __future__ import annotations

import codecs
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from reader.core.inert import make_inert

# Bytes we look at to decide whether a file is binary.
SNIFF_BYTES = 8192


class UnreadableFile(Exception):
    """A file that cannot be shown as text; the message says why."""


@dataclass(frozen=True)
class LoadedText:
    text: str
    encoding: str
    notes: tuple[str, ...] = field(default=())


def normalize(text: str) -> str:
    """The one text every offset counts in: LF line ends, NFC, controls inert."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return make_inert(text)


def _looks_utf16(head: bytes) -> str | None:
    """Spot BOM-less UTF-16 by the NUL bytes in every other position."""
    if len(head) < 4:
        return None
    even = head[0::2]
    odd = head[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


# Names shown in the status line for the codecs charset-normalizer answers with.
DISPLAY_NAMES = {
    "gb18030": "GB18030",
    "gbk": "GBK",
    "gb2312": "GB2312",
    "big5": "Big5",
    "big5hkscs": "Big5-HKSCS",
    "cp950": "Big5",
    "shift_jis": "Shift-JIS",
    "cp932": "Shift-JIS",
    "shift_jis_2004": "Shift-JIS",
    "euc_jp": "EUC-JP",
    "euc_kr": "EUC-KR",
    "cp949": "EUC-KR",
    "koi8_r": "KOI8-R",
    "koi8_u": "KOI8-U",
    **{f"cp125{i}": f"Windows-125{i}" for i in range(9)},
    **{f"iso8859_{i}": f"ISO-8859-{i}" for i in range(1, 17)},
    "latin_1": "ISO-8859-1",
}
# The codecs a guess may name: charset-normalizer also knows rare code pages (cp1006,
# cp1125...) that a short Latin text fits as well as the right one.
_LIKELY = frozenset(DISPLAY_NAMES) | {"utf_8", "ascii"}


def display_name(codec: str) -> str:
    """The name a user knows an encoding by ("cp1251" -> "Windows-1251")."""
    try:
        name = codecs.lookup(codec).name.replace("-", "_")
    except LookupError:
        return codec
    return DISPLAY_NAMES.get(name, DISPLAY_NAMES.get(codec.lower().replace("-", "_"), codec))


def decode(data: bytes, encoding: str | None = None) -> LoadedText:
    """Decode bytes to str, saying which encoding was used and why.

    `encoding` is the user's choice for this file (the sidecar's [source] encoding); it
    wins over any guess. Raises UnreadableFile for binary data.
    """
    notes: list[str] = []
    if encoding:
        try:
            text = data.decode(encoding, errors="replace")
        except LookupError:  # unknown, or a codec that makes no text ("hex", "zlib")
            notes.append(f"unknown encoding {encoding!r} in the annotation file; guessed instead")
        else:
            bad = text.count("\ufffd")
            if bad:
                notes.append(f"{bad} byte(s) are not {encoding}: shown as \ufffd")
            return LoadedText(text, display_name(encoding), tuple(notes))
    if data.startswith(codecs.BOM_UTF8):
        return LoadedText(data[3:].decode("utf-8", errors="replace"), "utf-8-sig")
    for bom, enc in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return LoadedText(
                data.decode(enc, errors="replace"),
                enc,
                (f"decoded as {enc.upper()} (byte order mark)",),
            )
    head = data[:SNIFF_BYTES]
    if b"\x00" in head:
        enc16 = _looks_utf16(head)
        if enc16 is None:
            raise UnreadableFile("binary file (contains NUL bytes), not text")
        return LoadedText(
            data.decode(enc16, errors="replace"),
            enc16,
            (f"decoded as {enc16.upper()} (no byte order mark)",),
        )
    try:
        return LoadedText(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as err:
        bad = err.start
    # Mostly UTF-8 with a few bad bytes is still UTF-8; otherwise a legacy 8-bit file.
    bad_count = data.decode("utf-8", errors="replace").count("\ufffd")
    if bad_count * 200 < len(data) and _has_utf8_multibyte(data):
        notes.append(f"invalid UTF-8 at byte {bad}: {bad_count} bad byte(s) shown as \ufffd")
        return LoadedText(data.decode("utf-8", errors="replace"), "utf-8", tuple(notes))
    enc = _guess(data)
    text = data.decode(enc, errors="replace")
    name = display_name(enc)
    notes.append(f"not valid UTF-8 (first bad byte at {bad}); decoded as {name}")
    return LoadedText(text, name, tuple(notes))


def _guess(data: bytes) -> str:
    """The legacy encoding of data, by charset-normalizer (GBK, Big5, Shift-JIS, EUC-KR,
    Windows-125x...). A guess with no language behind it (a few accented words) is
    Windows-1252, the most common 8-bit encoding, when the bytes fit it."""
    from charset_normalizer import from_bytes  # 30 ms to import: only for such files
    from charset_normalizer.utils import is_multi_byte_encoding

    fallback = "cp1252" if _cp1252_ok(data) else "latin-1"
    best = from_bytes(data).best()
    if best is None:
        # Rare characters (GB18030's four-byte ones) read as noise to it: a CJK encoding
        # that fits every byte is still a far better guess than Windows-1252.
        loose = from_bytes(data, threshold=0.5).best()
        if loose is not None and is_multi_byte_encoding(loose.encoding):
            best = loose
    if best is None or (best.coherence == 0 and not is_multi_byte_encoding(best.encoding)):
        return fallback
    for match in [best, *best.submatch]:
        if match.encoding in _LIKELY:
            return str(match.encoding)
    return fallback


def _has_utf8_multibyte(data: bytes) -> bool:
    try:
        data[:SNIFF_BYTES].decode("utf-8")
        return any(b >= 0x80 for b in data[:SNIFF_BYTES])
    except UnicodeDecodeError as err:
        return err.start > 0 and any(b >= 0x80 for b in data[: err.start])


def _cp1252_ok(data: bytes) -> bool:
    # cp1252 leaves 0x81, 0x8D, 0x8F, 0x90, 0x9D undefined.
    return not any(b in data for b in (b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d"))


def read_text(path: Path, encoding: str | None = None) -> LoadedText:
    """Read and normalize one article (in `encoding` when the user chose one).
    Raises UnreadableFile with a clear reason."""
    try:
        if path.is_dir():
            raise UnreadableFile("is a folder, not a file")
        if not path.is_file() and path.exists():
            raise UnreadableFile("not a regular file (device, pipe or socket)")
        data = path.read_bytes()
    except FileNotFoundError:
        raise UnreadableFile("no such file") from None
    except PermissionError:
        raise UnreadableFile("permission denied") from None
    except OSError as err:
        raise UnreadableFile(err.strerror or str(err)) from None
    loaded = decode(data, encoding)
    # Drop each stage once the next exists: a 20 MB file must not be held three times.
    del data
    text, encoding, notes = loaded.text, loaded.encoding, loaded.notes
    del loaded
    text = normalize(text)
    if not text or text.isspace():  # (strip() would copy a big file once more)
        notes = notes + ("empty file",)
    return LoadedText(text, encoding, notes)


# Files bigger than four times this open with a preview of their first lines.
PREVIEW_BYTES = 256 * 1024


def read_preview(path: Path, limit: int) -> LoadedText | None:
    """The first lines of a big UTF-8 file, normalized exactly as the whole file will be.

    Cut after a newline, so its offsets are a prefix of the full text's (line ends,
    NFC and control characters never reach across a newline). None when that cannot
    be promised (another encoding, no newline in the first `limit` bytes).
    A web page or e-book gives the start of its extracted text when that is cheap.
    """
    from reader.core.formats import SUFFIXES, preview

    if path.suffix.lower() in SUFFIXES:
        part = preview(path, limit)
        return LoadedText(part, "utf-8") if part is not None else None
    from reader.core.formats.encoding import sidecar_encoding

    if sidecar_encoding(path) is not None:
        return None  # read in the user's encoding: the whole file, as it will be
    try:
        with open(path, "rb") as f:
            head = f.read(limit)
    except OSError:
        return None
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE)):
        return None
    cut = head.rfind(b"\n")
    if cut <= 0 or b"\x00" in head:
        return None
    try:
        text = head[: cut + 1].decode("utf-8-sig" if head.startswith(codecs.BOM_UTF8) else "utf-8")
    except UnicodeDecodeError:
        return None
    return LoadedText(normalize(text), "utf-8")
