"""The sidecar format, and the one rule for where an article's annotations live.

`notes.txt` keeps its annotations in `notes.txt.annotations.toml` beside it. When that
folder cannot be written, saves go to one fallback file in the user data folder (under the
article's absolute path), and that file is always read too and merged, by id, with the one
beside the article: a folder that turns read-only loses nothing, and once it is writable
again the next save writes everything beside the article and removes the fallback. The
bundled sample articles keep their annotations in the user data folder.

Parsing is done annotation by annotation where the file allows it (as reader writes it), so
a cache of already-parsed annotations makes re-reading and re-writing a big file cheap.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reader.core.annotation import Annotation, InvalidAnnotation, annotation_from_dict
from reader.core.paths import data_dir, mirrored
from reader.core.safe_read import RefusedFile, read_regular

FORMAT_VERSION = 1
SUFFIX = ".annotations.toml"
# The first line of every file reader writes: for whoever holds the file, where its format is
# described (by the installed tool; reader-tui is its name on PyPI). Files with an older
# header read the same (it is a comment) and are not rewritten for it.
HEADER = '# reader annotations: "reader format" describes this file (reader-tui on PyPI)\n'
_LINE = re.compile(r"at line (\d+)")
# Where an annotation table starts as reader writes it: the fast path splits there.
_CHUNK_START = re.compile(r"^\[\[annotation\]\][ \t]*\r?$", re.M)
# Any array-of-tables header for `annotation`, however spaced or quoted (for line numbers).
_ANY_HEADER = re.compile(r"""^[ \t]*\[\[[ \t]*(?:annotation|"annotation"|'annotation')[ \t]*\]\]""")
# `annotation = [...]` (an inline array) or a dotted `annotation.x = ...`: not countable by lines.
_INLINE = re.compile(r"""^[ \t]*(?:annotation|"annotation"|'annotation')[ \t]*[=.]""", re.M)


class SidecarError(Exception):
    """A sidecar that cannot be used; str() names the file and line."""

    def __init__(self, path: Path, message: str, line: int | None = None) -> None:
        self.path = path
        self.line = line
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {message}")


# Where annotations live.


def sidecar_beside(source: Path) -> Path:
    return source.with_name(source.name + SUFFIX)


def sidecar_fallback(source: Path) -> Path:
    """Where saves go while the article's folder cannot be written (always read too)."""
    return mirrored(data_dir() / "sidecars", sidecar_beside(source))


def sample_sidecar(source: Path) -> Path:
    return data_dir() / "samples" / (source.name + SUFFIX)


@functools.cache
def _samples_folder() -> str:
    from reader.core.seeds import seeds_dir

    return os.path.abspath(seeds_dir())


def is_sample(source: Path) -> bool:
    """A bundled sample article: its marks outlive the virtualenv reader was installed in."""
    return os.path.dirname(os.path.abspath(source)) == _samples_folder()


def sidecar_places(source: Path) -> list[Path]:
    """Every file that holds source's annotations, in the order they are merged."""
    if is_sample(source):
        return [sample_sidecar(source)]
    return [sidecar_beside(source), sidecar_fallback(source)]


def find_sidecar(source: Path) -> Path:
    """The main file of source's annotations, for messages: beside it unless only the
    fallback exists. Read them with read_annotations, which merges every place."""
    places = sidecar_places(source)
    for place in places:
        if place.exists():
            return place
    return places[0]


# The format.


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


# Keys of the [source] table that the user sets (not derived from the text): a save keeps
# them as they are in the file.
USER_SOURCE_KEYS = ("encoding",)


def source_info(source: Path, text: str, extractor: str = "") -> dict[str, Any]:
    """What the [source] table records of the text; for a web page or e-book also which
    extractor (and version) made the text its offsets count in."""
    info: dict[str, Any] = {
        "name": source.name,
        "size": len(text.encode("utf-8", "surrogatepass")),
        "sha256": text_hash(text),
    }
    if extractor:
        info["extractor"] = extractor
    return info


def user_source_keys(table: dict[str, Any]) -> dict[str, str]:
    """The user's own settings in a sidecar's [source] table (a per-file encoding)."""
    return {
        key: value
        for key in USER_SOURCE_KEYS
        if isinstance(value := table.get(key), str) and value.strip()
    }


@dataclass
class Sidecar:
    """A parsed sidecar file."""

    annotations: list[Annotation] = field(default_factory=list)
    source: dict[str, Any] = field(default_factory=dict)
    # Only in a fallback file: ids deleted while the file beside the article could not be
    # written, so they do not come back from it.
    deleted: list[str] = field(default_factory=list)


class ChunkCache:
    """Annotation tables already parsed or written, by their exact text and the other way
    round: unchanged annotations are neither parsed nor written again."""

    def __init__(self) -> None:
        self.by_text: dict[str, Annotation] = {}
        self.by_annotation: dict[Annotation, str] = {}

    def add(self, text: str, a: Annotation) -> None:
        self.by_text[text] = a
        self.by_annotation[a] = text

    def keep_only(self, annotations: list[Annotation]) -> None:
        """Forget what is no longer in the file (a long session edits a lot)."""
        keep = {a: self.by_annotation[a] for a in annotations if a in self.by_annotation}
        self.by_annotation = keep
        self.by_text = {t: a for a, t in keep.items()}


def _chunk_key(chunk: str) -> str:
    return chunk.rstrip() + "\n"


def parse_sidecar(path: Path, raw: str, cache: ChunkCache | None = None) -> Sidecar:
    """Parse sidecar text. Raises SidecarError naming the line of the problem."""
    if '"""' not in raw and "'''" not in raw:  # no multi-line strings: tables split by line
        fast = _parse_by_chunk(raw, cache if cache is not None else ChunkCache())
        if fast is not None:
            return fast
    return _parse_whole(path, raw)


def _parse_by_chunk(raw: str, cache: ChunkCache) -> Sidecar | None:
    """The sidecar, parsing only annotation tables not in cache; None when the file is not
    laid out as reader writes it, or has any problem (the whole-file parse then says which)."""
    starts = [m.start() for m in _CHUNK_START.finditer(raw)]
    head_end = starts[0] if starts else len(raw)
    try:
        head = tomllib.loads(raw[:head_end])
    except (tomllib.TOMLDecodeError, RecursionError):
        return None
    if "annotation" in head and (head["annotation"] != [] or starts):
        return None
    checked = _check_head(head)
    if checked is None:
        return None
    out: list[Annotation] = []
    seen: set[str] = set()
    for i, start in enumerate(starts):
        chunk = raw[start : starts[i + 1] if i + 1 < len(starts) else len(raw)]
        key = _chunk_key(chunk)
        a = cache.by_text.get(key)
        if a is None:
            try:
                data = tomllib.loads(chunk)
                items = data.get("annotation")
                if len(data) != 1 or not isinstance(items, list) or len(items) != 1:
                    return None
                a = annotation_from_dict(items[0])
            except (tomllib.TOMLDecodeError, RecursionError, InvalidAnnotation):
                return None
            cache.add(key, a)
        if a.id in seen:
            return None
        seen.add(a.id)
        out.append(a)
    source, deleted = checked
    return Sidecar(out, source, deleted)


def _check_head(data: dict[str, Any]) -> tuple[dict[str, Any], list[str]] | None:
    version = data.get("format", FORMAT_VERSION)
    if not isinstance(version, int) or isinstance(version, bool) or version > FORMAT_VERSION:
        return None
    deleted = data.get("deleted", [])
    if not isinstance(deleted, list) or not all(isinstance(x, str) for x in deleted):
        return None
    source = data.get("source", {})
    return (source if isinstance(source, dict) else {}), deleted


def _parse_whole(path: Path, raw: str) -> Sidecar:
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as err:
        m = _LINE.search(str(err))
        raise SidecarError(path, f"not valid TOML: {err}", int(m.group(1)) if m else None) from None
    except RecursionError:
        raise SidecarError(path, "not valid TOML: nested too deeply") from None
    version = data.get("format", FORMAT_VERSION)
    if not isinstance(version, int) or isinstance(version, bool):
        raise SidecarError(path, "'format' must be an integer", _key_line(raw, "format"))
    if version > FORMAT_VERSION:
        raise SidecarError(
            path,
            f"format {version} is newer than this reader understands ({FORMAT_VERSION}); "
            "upgrade reader to edit it",
            _key_line(raw, "format"),
        )
    items = data.get("annotation", [])
    if not isinstance(items, list):
        raise SidecarError(path, "'annotation' must be an array of tables ([[annotation]])")
    lines = _annotation_lines(raw)
    out: list[Annotation] = []
    seen: set[str] = set()
    for i, item in enumerate(items):
        line = lines[i] if i < len(lines) else None
        try:
            a = annotation_from_dict(item)
        except InvalidAnnotation as err:
            raise SidecarError(path, f"annotation {i + 1}: {err}", line) from None
        if a.id in seen:
            raise SidecarError(path, f"annotation {i + 1}: duplicate id {a.id}", line)
        seen.add(a.id)
        out.append(a)
    deleted = data.get("deleted", [])
    if not isinstance(deleted, list) or not all(isinstance(x, str) for x in deleted):
        raise SidecarError(path, "'deleted' must be a list of ids", _key_line(raw, "deleted"))
    source = data.get("source", {})
    return Sidecar(out, source if isinstance(source, dict) else {}, deleted)


def _annotation_lines(raw: str) -> list[int]:
    return [i + 1 for i, line in enumerate(raw.splitlines()) if _ANY_HEADER.match(line)]


def _key_line(raw: str, key: str) -> int | None:
    for i, line in enumerate(raw.splitlines()):
        if line.split("=")[0].strip() == key:
            return i + 1
    return None


def read_sidecar(path: Path, cache: ChunkCache | None = None) -> Sidecar:
    """Read a sidecar; a missing one is empty. Only a regular file within the size limit is
    read (a FIFO or /dev/zero would hang or eat memory). Raises SidecarError."""
    try:
        raw_bytes = read_regular(path)
    except FileNotFoundError:
        return Sidecar()
    except RefusedFile as err:
        raise SidecarError(path, f"not read: {err.reason}") from None
    except OSError as err:
        raise SidecarError(path, f"cannot read: {err.strerror or err}") from None
    try:
        raw = raw_bytes.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw_bytes[: err.start].count(b"\n") + 1
        raise SidecarError(path, "not UTF-8 text", line) from None
    return parse_sidecar(path, raw, cache)


def dump_annotations(
    source: dict[str, Any],
    annotations: list[Annotation],
    cache: ChunkCache | None = None,
    deleted: list[str] | None = None,
) -> str:
    """Sidecar text: annotations in document order, keys in a stable order. Annotations
    in cache are written as the text they were read from or last written as."""
    import tomli_w  # only for writing: opening an article needs only tomllib

    ordered = sorted(annotations, key=lambda a: (a.target.start, a.target.end, a.id))
    head: dict[str, Any] = {"format": FORMAT_VERSION}
    if deleted:
        head["deleted"] = sorted(deleted)
    if not ordered:
        head["annotation"] = []
    head["source"] = source
    parts = [HEADER + tomli_w.dumps(head)]
    for a in ordered:
        text = cache.by_annotation.get(a) if cache is not None else None
        if text is None:
            text = tomli_w.dumps({"annotation": [a.to_dict()]})
            if cache is not None:
                cache.add(text, a)
        parts.append(text)
    return "\n".join(parts)


def dump_sidecar(source: Path, text: str, annotations: list[Annotation]) -> str:
    return dump_annotations(source_info(source, text), annotations)


# Reading every place.


def combine(beside: Sidecar, fallback: Sidecar) -> Sidecar:
    """One article's annotations from the file beside it and the fallback file, by id: the
    later-modified version of an annotation in both wins (the fallback on a tie), and ids
    the fallback records as deleted are left out."""
    gone = set(fallback.deleted)
    by_id = {a.id: a for a in beside.annotations if a.id not in gone}
    for a in fallback.annotations:
        mine = by_id.get(a.id)
        if mine is None or a.modified >= mine.modified:
            by_id[a.id] = a
    return Sidecar(list(by_id.values()), beside.source or fallback.source)


def read_annotations(source: Path, cache: ChunkCache | None = None) -> Sidecar:
    """All of source's annotations, from every place that holds them. Raises SidecarError
    (naming the file) when any of them cannot be read: then none of them is overwritten."""
    places = sidecar_places(source)
    if len(places) == 1:
        return read_sidecar(places[0], cache)
    beside = read_sidecar(places[0], cache)
    fallback = read_sidecar(places[1], cache)
    if not fallback.annotations and not fallback.deleted:
        return beside
    return combine(beside, fallback)


def count_annotations(source: Path) -> int:
    """Cheap count for the library list; 0 when there is no readable sidecar."""
    counts: list[tuple[Path, int]] = []
    for place in sidecar_places(source):
        try:
            raw = read_regular(place).decode("utf-8")
        except FileNotFoundError:
            continue
        except (OSError, UnicodeDecodeError):
            return 0
        counts.append((place, count_in(raw)))
    if len(counts) < 2:
        return counts[0][1] if counts else 0
    try:  # both places hold annotations: count the union (rare: a read-only folder)
        return len(read_annotations(source).annotations)
    except SidecarError:
        return 0


def count_in(raw: str) -> int:
    """How many annotations sidecar text holds: by their table headers when every one is a
    line of its own, else by parsing (inline arrays, multi-line strings)."""
    if '"""' in raw or "'''" in raw or _INLINE.search(raw):
        try:
            items = tomllib.loads(raw).get("annotation", [])
        except (tomllib.TOMLDecodeError, RecursionError):
            return 0
        return len(items) if isinstance(items, list) else 0
    return len(_annotation_lines(raw))
