"""The annotation store: an article's annotations, read and changed safely.

Every change is applied onto the files as they are on disk now, under an OS lock on those
files themselves (not in a per-user folder, so two users or two environments saving one
file wait for each other), and written at once, atomically. A file that does not parse is
never overwritten. Where the annotations live is decided in reader.core.sidecar.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Callable, Iterator
from dataclasses import replace
from functools import cached_property
from pathlib import Path
from typing import Any

from reader.core.anchoring import MOVED, Anchorer, Resolution
from reader.core.annotation import Annotation, Target, make_target, resolve_conflict_on_edit
from reader.core.atomic import lock_file, write_atomic
from reader.core.sidecar import (
    FORMAT_VERSION,
    SUFFIX,
    ChunkCache,
    Sidecar,
    SidecarError,
    count_annotations,
    dump_annotations,
    dump_sidecar,
    find_sidecar,
    parse_sidecar,
    read_annotations,
    read_sidecar,
    sidecar_beside,
    sidecar_fallback,
    sidecar_places,
    source_info,
    text_hash,
    user_source_keys,
)

__all__ = [
    "FORMAT_VERSION",
    "SUFFIX",
    "ArticleStore",
    "Sidecar",
    "SidecarError",
    "count_annotations",
    "dump_annotations",
    "dump_sidecar",
    "find_sidecar",
    "parse_sidecar",
    "read_annotations",
    "read_sidecar",
    "sidecar_beside",
    "sidecar_fallback",
    "sidecar_places",
    "source_info",
    "text_hash",
]

_READ_ONLY = (errno.EACCES, errno.EPERM, errno.EROFS)


class ArticleStore:
    """The annotations of one article, resolved against its current text."""

    def __init__(self, source: Path, text: str, extractor: str | None = None) -> None:
        """extractor: what made text from a web page or e-book (Document.extractor); None
        looks it up by the file's kind (the cached text is always the current extractor's)."""
        self.source = source
        self.text = text
        if extractor is None:
            from reader.core.formats import extractor_of

            extractor = extractor_of(source)
        self.extractor = extractor  # recorded in [source]: offsets count in its text
        # The user's own keys of the [source] table (encoding), as last read: kept on save.
        self.user_source: dict[str, str] = {}
        self.path = find_sidecar(source)  # where the annotations were last read or saved
        self.annotations: list[Annotation] = []
        self.resolutions: dict[str, Resolution] = {}
        self.error: SidecarError | None = None
        self.message: str = ""  # last thing worth telling the user
        self._anchorer = Anchorer(text)
        # The text never changes under a store, so a target resolves the same way each time.
        self._resolved: dict[Target, Resolution] = {}
        self._chunks = ChunkCache()
        self.reload()

    @property
    def read_only(self) -> bool:
        return self.error is not None

    def reload(self) -> None:
        try:
            sidecar = read_annotations(self.source, self._chunks)
        except SidecarError as err:
            self.error = err
            self.annotations = []
            self.resolutions = {}
            return
        self.error = None
        self.user_source = user_source_keys(sidecar.source)
        self._set(sidecar.annotations)

    def _resolve(self, t: Target) -> Resolution:
        r = self._resolved.get(t)
        if r is None:
            r = self._resolved[t] = self._anchorer.resolve(t)
        return r

    def _set(self, annotations: list[Annotation]) -> None:
        res = {a.id: self._resolve(a.target) for a in annotations}
        self.resolutions = res
        self.annotations = sorted(annotations, key=lambda a: (res[a.id].start, res[a.id].end, a.id))
        self._chunks.keep_only(annotations)
        if len(self._resolved) > 2 * len(annotations) + 64:
            self._resolved = {a.target: self._resolved[a.target] for a in annotations}

    def get(self, ident: str) -> Annotation | None:
        return next((a for a in self.annotations if a.id == ident), None)

    # Changes: each one is applied onto the files on disk now, under their locks.
    def add(self, a: Annotation) -> None:
        self.add_many([a])

    def add_many(self, new: list[Annotation]) -> None:
        """Add several in one write (an import); ids already on disk are kept as they are."""

        def apply(cur: list[Annotation]) -> list[Annotation]:
            have = {x.id for x in cur}
            return cur + [a for a in new if a.id not in have]

        self._apply(apply)

    def put(self, a: Annotation, create: bool = True) -> None:
        """Replace by id; with create=False an annotation deleted elsewhere stays deleted.
        A field the edit changed is no longer flagged as a merge conflict."""

        def apply(cur: list[Annotation]) -> list[Annotation]:
            if any(x.id == a.id for x in cur):
                return [resolve_conflict_on_edit(x, a) if x.id == a.id else x for x in cur]
            if create:
                return cur + [a]
            self.message = "that annotation was deleted in another window; the edit was dropped"
            return cur

        self._apply(apply)

    def update(self, change: Callable[[list[Annotation]], list[Annotation]]) -> None:
        """Apply change onto the annotations as they are on disk now (a re-import)."""
        self._apply(change)

    def delete(self, ident: str) -> None:
        self._apply(lambda cur: [x for x in cur if x.id != ident])

    def set_encoding(self, encoding: str) -> None:
        """Record the user's choice of encoding for this file in the [source] table (the
        annotations stay as they are); the article is then reopened decoded that way."""
        self._apply(lambda cur: cur, {"encoding": encoding})

    def _apply(
        self,
        change: Callable[[list[Annotation]], list[Annotation]],
        user_source: dict[str, str] | None = None,
    ) -> None:
        if self.error is not None:
            raise self.error
        self.message = ""
        with self._locked():
            try:
                current = read_annotations(self.source, self._chunks)
            except SidecarError as err:
                self.error = err
                raise
            self.user_source = {**user_source_keys(current.source), **(user_source or {})}
            self._write(self._refresh_hints(change(current.annotations)))

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """Lock the file beside the article (created empty for that when missing) and the
        fallback file when it exists; when the folder is read-only and nothing is beside the
        article yet, the fallback file is locked (created) instead. Always in this order."""
        places = sidecar_places(self.source)
        with contextlib.ExitStack() as stack:
            held = stack.enter_context(lock_file(places[0]))
            for place in places[1:]:
                stack.enter_context(lock_file(place, create=not held))
            yield

    def _refresh_hints(self, annotations: list[Annotation]) -> list[Annotation]:
        """Point moved annotations at their new place so the next read is exact."""
        out = []
        for a in annotations:
            r = self._resolve(a.target)
            if r.status == MOVED:
                a = replace(a, target=make_target(self.text, r.start, r.end))
            out.append(a)
        return out

    @cached_property
    def _text_info(self) -> dict[str, Any]:
        """Name, size and hash of the text: computed once, not on every save of a big file."""
        return source_info(self.source, self.text, self.extractor)

    @property
    def source_info(self) -> dict[str, Any]:
        """The [source] table to write: what the text is, and the user's own keys."""
        return {**self._text_info, **self.user_source}

    def _dump(self, annotations: list[Annotation], deleted: list[str] | None = None) -> bytes:
        return dump_annotations(self.source_info, annotations, self._chunks, deleted).encode(
            "utf-8", "surrogatepass"
        )

    def _write(self, annotations: list[Annotation]) -> None:
        """Write beside the article (then the fallback file is no longer needed), or, when
        its folder cannot be written, to the fallback file, which is read back with it."""
        places = sidecar_places(self.source)
        main = places[0]
        data = self._dump(annotations)
        try:
            write_atomic(main, data)
        except OSError as err:
            if len(places) == 1 or err.errno not in _READ_ONLY:
                raise
            self._write_fallback(places, annotations)
        else:
            self.path = main
            if len(places) > 1:
                self._drop_fallback(places[1])
        self._set(annotations)

    def _write_fallback(self, places: list[Path], annotations: list[Annotation]) -> None:
        main, fallback = places
        # One deleted while it is still in the file beside the article is listed as deleted,
        # or it would come back from there. (That file was read a moment ago, under the lock.)
        beside = {a.id for a in read_sidecar(main, self._chunks).annotations}
        deleted = sorted(beside - {a.id for a in annotations})
        write_atomic(fallback, self._dump(annotations, deleted))
        self.path = fallback
        self.message = (
            f"{self.source.parent} is read-only; annotations saved to {fallback} "
            "(they move back beside the article once the folder can be written)"
        )

    def _drop_fallback(self, fallback: Path) -> None:
        """Everything in the fallback file is now beside the article: remove it."""
        try:
            had = fallback.stat().st_size > 0
            os.unlink(fallback)
        except FileNotFoundError:
            return
        except OSError as err:  # it would bring back what was deleted since: say so
            self.message = f"could not remove {fallback}: {err.strerror or err}"
            return
        if had:
            self.message = (
                f"annotations saved while the folder was read-only moved back from {fallback}"
            )
