"""The annotation store: one TOML sidecar beside each article.

`notes.txt` keeps its annotations in `notes.txt.annotations.toml`. Every change
is written at once, atomically, under a lock, and applied onto the file as it
is on disk now, so two reader processes never lose each other's marks. A file
that does not parse is never overwritten.
"""

from __future__ import annotations

import errno
import functools
import hashlib
import os
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

import tomli_w

from reader.core.anchoring import MOVED, Anchorer, Resolution
from reader.core.annotation import Annotation, InvalidAnnotation, annotation_from_dict, make_target
from reader.core.atomic import file_lock, write_atomic
from reader.core.paths import data_dir, mirrored

FORMAT_VERSION = 1
SUFFIX = ".annotations.toml"
_LINE = re.compile(r"at line (\d+)")


class SidecarError(Exception):
    """A sidecar that cannot be used; str() names the file and line."""

    def __init__(self, path: Path, message: str, line: int | None = None) -> None:
        self.path = path
        self.line = line
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {message}")


def sidecar_beside(source: Path) -> Path:
    return source.with_name(source.name + SUFFIX)


def sidecar_fallback(source: Path) -> Path:
    """Where a sidecar goes when the article's folder cannot be written."""
    return mirrored(data_dir() / "sidecars", sidecar_beside(source))


def find_sidecar(source: Path) -> Path:
    """The sidecar that holds source's annotations (beside it unless only the fallback exists).

    The bundled sample articles are the exception: their sidecars live in the user data
    folder, so marks made while trying reader outlive the virtualenv it was installed in.
    """
    if _is_sample(source):
        return data_dir() / "samples" / (source.name + SUFFIX)
    beside = sidecar_beside(source)
    if beside.exists():
        return beside
    fallback = sidecar_fallback(source)
    return fallback if fallback.exists() else beside


@functools.cache
def _samples_folder() -> str:
    from reader.core.seeds import seeds_dir

    return os.path.abspath(seeds_dir())


def _is_sample(source: Path) -> bool:
    return os.path.dirname(os.path.abspath(source)) == _samples_folder()


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass
class Sidecar:
    """A parsed sidecar file."""

    annotations: list[Annotation] = field(default_factory=list)
    source: dict[str, Any] = field(default_factory=dict)


def _annotation_lines(raw: str) -> list[int]:
    return [i + 1 for i, line in enumerate(raw.splitlines()) if line.strip() == "[[annotation]]"]


def parse_sidecar(path: Path, raw: str) -> Sidecar:
    """Parse sidecar text. Raises SidecarError naming the line of the problem."""
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as err:
        m = _LINE.search(str(err))
        raise SidecarError(path, f"not valid TOML: {err}", int(m.group(1)) if m else None) from None
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
    source = data.get("source", {})
    return Sidecar(out, source if isinstance(source, dict) else {})


def _key_line(raw: str, key: str) -> int | None:
    for i, line in enumerate(raw.splitlines()):
        if line.split("=")[0].strip() == key:
            return i + 1
    return None


def read_sidecar(path: Path) -> Sidecar:
    """Read a sidecar; a missing one is empty. Raises SidecarError."""
    try:
        raw_bytes = path.read_bytes()
    except FileNotFoundError:
        return Sidecar()
    except OSError as err:
        raise SidecarError(path, f"cannot read: {err.strerror or err}") from None
    try:
        raw = raw_bytes.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw_bytes[: err.start].count(b"\n") + 1
        raise SidecarError(path, "not UTF-8 text", line) from None
    return parse_sidecar(path, raw)


def source_info(source: Path, text: str) -> dict[str, Any]:
    return {
        "name": source.name,
        "size": len(text.encode("utf-8", "surrogatepass")),
        "sha256": text_hash(text),
    }


def dump_annotations(source: dict[str, Any], annotations: list[Annotation]) -> str:
    """Sidecar text: annotations in document order, keys in a stable order."""
    ordered = sorted(annotations, key=lambda a: (a.target.start, a.target.end, a.id))
    doc: dict[str, Any] = {
        "format": FORMAT_VERSION,
        "source": source,
        "annotation": [a.to_dict() for a in ordered],
    }
    header = "# reader annotations (the format is described in annotations/README.md)\n"
    return header + tomli_w.dumps(doc)


def dump_sidecar(source: Path, text: str, annotations: list[Annotation]) -> str:
    return dump_annotations(source_info(source, text), annotations)


def count_annotations(source: Path) -> int:
    """Cheap count for the library list; 0 when there is no readable sidecar."""
    if _is_sample(source):
        places = [find_sidecar(source)]
    else:  # as find_sidecar, but by trying to read: one call per place, not two
        places = [sidecar_beside(source), sidecar_fallback(source)]
    for place in places:
        try:
            raw = place.read_text("utf-8")
            break
        except FileNotFoundError:
            continue
        except (OSError, UnicodeDecodeError):
            return 0
    else:
        return 0
    return len(_annotation_lines(raw))


class ArticleStore:
    """The annotations of one article, resolved against its current text."""

    def __init__(self, source: Path, text: str) -> None:
        self.source = source
        self.text = text
        self.path = find_sidecar(source)
        self.annotations: list[Annotation] = []
        self.resolutions: dict[str, Resolution] = {}
        self.error: SidecarError | None = None
        self.message: str = ""  # last thing worth telling the user
        self._anchorer = Anchorer(text)
        self.reload()

    @property
    def read_only(self) -> bool:
        return self.error is not None

    def reload(self) -> None:
        try:
            sidecar = read_sidecar(self.path)
        except SidecarError as err:
            self.error = err
            self.annotations = []
            self.resolutions = {}
            return
        self.error = None
        self._set(sidecar.annotations)

    def _set(self, annotations: list[Annotation]) -> None:
        res = {a.id: self._anchorer.resolve(a.target) for a in annotations}
        self.resolutions = res
        self.annotations = sorted(annotations, key=lambda a: (res[a.id].start, res[a.id].end, a.id))

    def get(self, ident: str) -> Annotation | None:
        return next((a for a in self.annotations if a.id == ident), None)

    def at(self, offset: int) -> list[Annotation]:
        """Annotations (not orphans) whose resolved range holds offset."""
        out = []
        for a in self.annotations:
            r = self.resolutions[a.id]
            if r.found and r.start <= offset < max(r.end, r.start + 1):
                out.append(a)
        return out

    # Changes: each one is applied onto the file on disk now, under its lock.
    def add(self, a: Annotation) -> None:
        self.add_many([a])

    def add_many(self, new: list[Annotation]) -> None:
        """Add several in one write (an import); ids already on disk are kept as they are."""
        self._apply(lambda cur: cur + [a for a in new if all(x.id != a.id for x in cur)])

    def put(self, a: Annotation, create: bool = True) -> None:
        """Replace by id; with create=False an annotation deleted elsewhere stays deleted."""

        def apply(cur: list[Annotation]) -> list[Annotation]:
            if any(x.id == a.id for x in cur):
                return [a if x.id == a.id else x for x in cur]
            if create:
                return cur + [a]
            self.message = "that annotation was deleted in another window; the edit was dropped"
            return cur

        self._apply(apply)

    def delete(self, ident: str) -> None:
        self._apply(lambda cur: [x for x in cur if x.id != ident])

    def _apply(self, change: Callable[[list[Annotation]], list[Annotation]]) -> None:
        if self.error is not None:
            raise self.error
        self.message = ""
        with file_lock(self.path):
            try:
                current = read_sidecar(self.path).annotations
            except SidecarError as err:
                self.error = err
                raise
            new = change(current)
            self._write(self._refresh_hints(new))

    def _refresh_hints(self, annotations: list[Annotation]) -> list[Annotation]:
        """Point moved annotations at their new place so the next read is exact."""
        out = []
        for a in annotations:
            r = self._anchorer.resolve(a.target)
            if r.status == MOVED:
                a = replace(a, target=make_target(self.text, r.start, r.end))
            out.append(a)
        return out

    @cached_property
    def source_info(self) -> dict[str, Any]:
        """Name, size and hash of the text: computed once, not on every save of a big file."""
        return source_info(self.source, self.text)

    def _write(self, annotations: list[Annotation]) -> None:
        data = dump_annotations(self.source_info, annotations).encode("utf-8")
        try:
            write_atomic(self.path, data)
        except OSError as err:
            if err.errno not in (errno.EACCES, errno.EPERM, errno.EROFS):
                raise
            fallback = sidecar_fallback(self.source)
            if self.path == fallback:
                raise
            with file_lock(fallback):
                write_atomic(fallback, data)
            self.message = f"{self.source.parent} is read-only; annotations saved to {fallback}"
            self.path = fallback
        self._set(annotations)
