"""The library's article files, kept in the index between `reader search` runs."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, cast, overload

from reader.core.search.db import IndexDB, StrPath

if TYPE_CHECKING:
    from pathlib import Path

LISTING_VERSION = 2  # of what a kept listing holds (and of walk's rules)
RACY_NS = 2_000_000_000  # a folder changed this recently may change again unseen
KEPT_LISTINGS = 32  # libraries whose file listing is kept


class Listing(Sequence[str]):
    """A library's article files, named by a digest of the list.

    A kept listing's files are read from the index only when first used: a query whose
    library is known by its digest never needs them (20,000 paths cost a `reader
    search` a tenth of its time to read back)."""

    def __init__(self, digest: str, files: list[str] | Callable[[], list[str]]) -> None:
        self.digest = digest
        self._files = files if isinstance(files, list) else None
        self._load = None if isinstance(files, list) else files

    @property
    def files(self) -> list[str]:
        if self._files is None:
            assert self._load is not None
            self._files = self._load()
        return self._files

    @overload
    def __getitem__(self, i: int) -> str: ...
    @overload
    def __getitem__(self, i: slice) -> list[str]: ...
    def __getitem__(self, i: int | slice) -> str | list[str]:
        return self.files[i]

    def __len__(self) -> int:
        return len(self.files)

    def __iter__(self) -> Iterator[str]:
        return iter(self.files)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Listing):
            return self.digest == other.digest
        return self.files == other

    __hash__ = None  # type: ignore[assignment]  # (a list's equal: unhashable too)

    def __repr__(self) -> str:
        return f"Listing({self.files!r})"


def digest_of(files: Sequence[StrPath]) -> str:
    """A name for a list of files (the same list, the same name)."""
    import hashlib  # (OpenSSL's load costs a query; a kept listing has its digest)

    try:
        joined = "\0".join(files)  # type: ignore[arg-type]  # (str paths: the CLI's)
    except TypeError:
        joined = "\0".join(str(f) for f in files)
    listed = joined.encode("utf-8", "surrogateescape")
    return hashlib.blake2b(listed, digest_size=16).hexdigest()


def articles(db: IndexDB, roots: list[str]) -> tuple[list[str], list[str]]:
    """walk.article_files(roots): the article files, and the problems met (see read)."""
    files, problems, _ = read(db, roots)
    return files.files, problems


def read(db: IndexDB, roots: list[str]) -> tuple[Listing, list[str], bool]:
    """walk.article_files(roots): the article files, the problems met, and whether the
    listing is the one kept last time (no file added, removed or renamed since).

    `reader search` runs once per query, and walking a big library would be a tenth
    of its time, so the listing is kept in the index with the mtime of each folder it
    read and is walked again only when one changed (see walk.unchanged). A listing with
    problems, or read while a folder was changing, is not kept.
    """
    from reader.core.walk import article_files, unchanged

    last = kept_listing(db, roots)
    if last is not None and unchanged(last[1]):
        return last[0], [], True
    key = f"listing:{LISTING_VERSION}:{roots!r}"
    began = time.time_ns()
    watch_now: list[tuple[str, int]] = []
    found, problems = article_files(_paths(roots), watch_now)
    digest = digest_of(found)
    # A folder changed less than RACY_NS before the walk could change again within
    # its mtime's granularity, unseen.
    if not problems and all(m < began - RACY_NS for _, m in watch_now):
        # Tagged with when it was made: the oldest go past KEPT_LISTINGS libraries.
        now = time.time_ns()
        db.keep(f"files-of:{digest}", now, found, KEPT_LISTINGS)
        db.keep(key, now, (watch_now, digest), KEPT_LISTINGS)
    return Listing(digest, found), problems, False


def kept_listing(db: IndexDB, roots: list[str]) -> tuple[Listing, list[tuple[str, int]]] | None:
    """The listing kept for roots by the last walk, and the (folder, mtime_ns) of each
    folder it read; whether those still hold is for the caller to check (walk.unchanged).
    None when nothing is kept."""
    from reader.core.walk import article_files

    kept = db.kept(f"listing:{LISTING_VERSION}:{roots!r}")
    if kept is None or not _is_listing(kept[1]):
        return None
    watch, digest = cast("tuple[list[tuple[str, int]], str]", kept[1])

    def load() -> list[str]:
        files = db.kept(f"files-of:{digest}")
        if files is not None and isinstance(files[1], list):
            return cast("list[str]", files[1])
        return article_files(_paths(roots))[0]  # (let go since)

    return Listing(digest, load), watch


def _paths(roots: list[str]) -> list[Path]:
    """roots as walk takes them. (pathlib loads only for a walk: a query needs none.)"""
    from pathlib import Path

    return [Path(r) for r in roots]


def _is_listing(value: object) -> bool:
    """Whether a kept value has a listing's shape: ([(folder, mtime_ns)], digest)."""
    return (
        isinstance(value, tuple)
        and len(value) == 2
        and isinstance(value[0], list)
        and isinstance(value[1], str)
    )
