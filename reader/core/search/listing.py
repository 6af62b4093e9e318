"""The library's article files, kept in the index between `reader search` runs."""

from __future__ import annotations

import time
from pathlib import Path
from typing import cast

from reader.core.search.db import IndexDB

LISTING_VERSION = 1  # of what a kept listing holds (and of walk's rules)
RACY_NS = 2_000_000_000  # a folder changed this recently may change again unseen
KEPT_LISTINGS = 32  # libraries whose file listing is kept


def articles(db: IndexDB, roots: list[str]) -> tuple[list[str], list[str]]:
    """walk.article_files(roots): the article files, and the problems met (see read)."""
    files, problems, _ = read(db, roots)
    return files, problems


def read(db: IndexDB, roots: list[str]) -> tuple[list[str], list[str], bool]:
    """walk.article_files(roots): the article files, the problems met, and whether the
    listing is the one kept last time (no file added, removed or renamed since).

    `reader search` runs once per query, and walking a big library would be a tenth
    of its time, so the listing is kept in the index with the mtime of each folder it
    read and is walked again only when one changed (see walk.unchanged). A listing with
    problems, or read while a folder was changing, is not kept.
    """
    from reader.core.walk import article_files, unchanged

    key = f"listing:{LISTING_VERSION}:{roots!r}"
    kept = db.kept(key)
    if kept is not None and _is_listing(kept[1]):
        watch, files = cast("tuple[list[tuple[str, int]], list[str]]", kept[1])
        if unchanged(watch):
            return files, [], True
    began = time.time_ns()
    watch_now: list[tuple[str, int]] = []
    found, problems = article_files([Path(r) for r in roots], watch_now)
    # A folder changed less than RACY_NS before the walk could change again within
    # its mtime's granularity, unseen.
    if not problems and all(m < began - RACY_NS for _, m in watch_now):
        # Tagged with when it was made: the oldest go past KEPT_LISTINGS libraries.
        db.keep(key, time.time_ns(), (watch_now, found), KEPT_LISTINGS)
    return found, problems, False


def _is_listing(value: object) -> bool:
    """Whether a kept value has a listing's shape: ([(folder, mtime_ns)], [file])."""
    return (
        isinstance(value, tuple)
        and len(value) == 2
        and isinstance(value[0], list)
        and isinstance(value[1], list)
    )
