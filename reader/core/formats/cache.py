"""Extracted text kept in the user cache folder, so a book's second open is fast.

One file per article (named by a hash of its path): a JSON header line, then the text.
It is used while the article's size and mtime are those recorded; when only the mtime
changed (a copy, a touch), the content hash decides. The header also holds the extractor
(and version): a new extractor makes new text.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from reader.core.atomic import write_atomic
from reader.core.formats.model import Extracted
from reader.core.paths import cache_dir

# Bumped when what reader does around the extractors changes the text they make.
REVISION = 2
# Entries of articles read long ago (or deleted) go when the folder grows past this.
MAX_BYTES = 1024 * 1024 * 1024


def entry_path(source: Path) -> Path:
    key = hashlib.sha256(os.path.abspath(source).encode("utf-8", "surrogateescape")).hexdigest()
    return cache_dir() / "extracted" / f"{key[:40]}.txt"


def file_hash(source: Path) -> str:
    h = hashlib.sha256()
    with open(source, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _header(source: Path, extractor: str | None, choice: str | None) -> dict[str, Any] | None:
    """The cache header for source, if its entry is still good (it is read, not trusted).
    extractor None takes an entry made by any extractor (a first look, not the text)."""
    try:
        st = os.stat(source)
        with open(entry_path(source), "rb") as f:
            head = json.loads(f.readline())
    except (OSError, ValueError):
        return None
    if not isinstance(head, dict) or head.get("revision") != REVISION:
        return None
    if extractor is not None and head.get("extractor") != extractor:
        return None
    if head.get("choice") != choice:
        return None
    if head.get("size") != st.st_size:
        return None
    if head.get("mtime_ns") != st.st_mtime_ns:
        try:
            if head.get("sha256") != file_hash(source):
                return None
        except OSError:
            return None
    return head


def is_fresh(source: Path, extractor: str, choice: str | None = None) -> bool:
    """Whether source's cached extraction is still good (a stat and one line read)."""
    return _header(source, extractor, choice) is not None


def load(source: Path, extractor: str, choice: str | None = None) -> Extracted | None:
    """The cached extraction of source, or None when there is none still good."""
    head = _header(source, extractor, choice)
    if head is None:
        return None
    try:
        with open(entry_path(source), "rb") as f:
            f.readline()
            text = f.read().decode("utf-8", "surrogatepass")
        outline = tuple((str(t), int(o)) for t, o in head.get("outline", ()))
        if len(text) != head.get("chars"):
            return None  # cut short
        return Extracted(
            text,
            str(head.get("title", "")),
            str(head.get("author", "")),
            outline,
            str(head.get("encoding", "utf-8")),
            extractor,
            tuple(str(n) for n in head.get("notes", ())),
        )
    except (OSError, ValueError, TypeError):
        return None


def load_prefix(source: Path, extractor: str, limit: int) -> str | None:
    """The first `limit` bytes' worth of the cached text, cut after a newline: a prefix of
    what load() gives, for the first screen of a big book. None on a cold cache."""
    if _header(source, extractor, None) is None:
        return None
    try:
        with open(entry_path(source), "rb") as f:
            f.readline()
            data = f.read(limit)
    except OSError:
        return None
    cut = data.rfind(b"\n")
    if cut <= 0:
        return None
    return data[: cut + 1].decode("utf-8", "surrogatepass")


def listed(source: Path) -> tuple[str, str] | None:
    """The title and author the library lists source by, kept when it was extracted, while
    the file is unchanged (whichever extractor: they are read off the file itself)."""
    head = _header(source, None, None)
    got = head.get("listed") if head is not None else None
    if isinstance(got, list) and len(got) == 2 and all(isinstance(x, str) for x in got):
        return got[0], got[1]
    return None


def store(
    source: Path,
    extracted: Extracted,
    choice: str | None = None,
    listed: tuple[str, str] | None = None,
) -> None:
    """Keep an extraction (and the title and author the library lists it by); a cache
    that cannot be written only costs time next open."""
    with contextlib.suppress(OSError):
        st = os.stat(source)
        head = {
            "revision": REVISION,
            "source": os.path.abspath(source),
            "size": st.st_size,
            "mtime_ns": st.st_mtime_ns,
            "sha256": file_hash(source),
            "extractor": extracted.extractor,
            "choice": choice,
            "title": extracted.title,
            "author": extracted.author,
            "outline": [list(e) for e in extracted.outline],
            "encoding": extracted.encoding,
            "notes": list(extracted.notes),
            "chars": len(extracted.text),
        }
        if listed is not None:
            head["listed"] = list(listed)
        line = json.dumps(head, ensure_ascii=True).encode("ascii") + b"\n"
        write_atomic(entry_path(source), line + extracted.text.encode("utf-8", "surrogatepass"))
        prune(keep=entry_path(source))


def prune(keep: Path) -> None:
    """Remove the least recently written entries while the cache is over MAX_BYTES."""
    entries = []
    for e in os.scandir(keep.parent):
        with contextlib.suppress(OSError):
            st = e.stat()
            entries.append((st.st_mtime_ns, st.st_size, e.path))
    total = sum(size for _, size, _ in entries)
    for _, size, path in sorted(entries):
        if total <= MAX_BYTES:
            break
        if path != str(keep):
            with contextlib.suppress(OSError):
                os.unlink(path)
                total -= size
