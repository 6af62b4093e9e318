"""Library-wide passage search: an on-disk index and typo-tolerant queries.

The index lives in the user cache folder (SQLite): passages (paragraphs, long
ones cut at sentences) in a contentless FTS5 table (their text is read back from
the files), plus the library's vocabulary, so each query word expands to the close
spellings (one edit away, or longer forms) the library really contains. Candidates must contain a
spelling of every query word (or, failing that, of most); rapidfuzz reranks
them. Files are keyed by path, size and mtime: changed files are re-indexed.

The parts: `db` (the file, its schema and repair, things kept between runs),
`listing` (the library's files, kept), `indexer` (building), `query` (words,
spellings, candidates, ranking) and `hits` (what a search gives back).
`SearchIndex` puts them together.

`reader search` starts a fresh process per query: this package imports only what a
query needs. Reading and splitting documents (for indexing) loads when indexing.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, cast

from reader.core.search import indexer, listing
from reader.core.search.db import (
    IndexDB,
    IndexUnavailable,
    StrPath,
    default_index_path,
    file_key,
    unavailable,
)
from reader.core.search.hits import Hit, NoteHit, match_titles, read_passages, search_notes
from reader.core.search.indexer import IndexReport, passages_of
from reader.core.search.query import (
    STOP_WORDS,
    Query,
    candidates,
    fts_text,
    has_cjk,
    id_runs,
    library_filter,
    library_share,
    one_edit,
    tokens,
)

if TYPE_CHECKING:
    from reader.core.document import Document

FULL_CHECK_NS = 10 * 60 * 1_000_000_000  # how long a check of every file is trusted

__all__ = [
    "STOP_WORDS",
    "Hit",
    "IndexReport",
    "IndexUnavailable",
    "NoteHit",
    "SearchIndex",
    "StrPath",
    "default_index_path",
    "fts_text",
    "has_cjk",
    "match_titles",
    "one_edit",
    "passages_of",
    "search_notes",
    "tokens",
    "unavailable",
]


class SearchIndex:
    """The search index in one file (by default in the user cache, shared by every
    library): list a library's files, bring the index up to date, search it.

    Raises IndexUnavailable when the file cannot be opened or made.
    """

    def __init__(self, path: StrPath | None = None) -> None:
        self.path = path or default_index_path()
        self._db = IndexDB(self.path)
        self.db = self._db.conn
        self._asked: tuple[object, int, int] | None = None  # (files, len, generation)
        self._runs: Runs | None = None  # their indexed ids (None: all of the index)
        self._filter: tuple[Runs, str] | None = None  # (runs, their SQL) of this connection
        self._shares: tuple[Runs, float] | None = None  # (runs, library_share of them)

    def close(self) -> None:
        self._db.close()

    def articles(self, roots: list[str]) -> tuple[list[str], list[str]]:
        """The article files under roots, and the problems met (see listing.articles)."""
        return listing.articles(self._db, roots)

    def refresh(
        self,
        roots: list[str],
        progress: Callable[[int, int], None] | None = None,
    ) -> tuple[listing.Listing, list[str]]:
        """The article files under roots, and the problems met (folders that cannot be
        read, and files that cannot be read as text when they were tried), with the index
        brought up to date for them: what `reader search` does before its query.

        Checking every file's size and mtime costs a stat per file, so it is done only
        when a file was added, removed or renamed under roots (a folder's mtime changed:
        saving through a rename, as most editors do, counts), or the last check is older
        than FULL_CHECK_NS. Between those, a file edited in place is noticed when it is
        among a query's results (see search): its new words can be missed until then.
        """
        files, problems, same = listing.read(self._db, roots)
        if same and self._checked_lately(roots):
            return files, problems
        # (Files that cannot be read are tried again at the next full check, and said
        # again then; they do not make every query check every file, as a folder that
        # cannot be read does.)
        report = self.update(files, progress=progress)
        if not problems:
            self._db.keep(f"checked:{roots!r}", time.time_ns(), 1, listing.KEPT_LISTINGS)
        return files, problems + _not_searched(report.problems)

    def search_library(
        self,
        query: str,
        roots: list[str],
        limit: int = 20,
        progress: Callable[[int, int], None] | None = None,
    ) -> tuple[list[Hit], list[str]]:
        """refresh(roots), then search(query) among their files: what `reader search`
        does. And the problems met (see refresh).

        When the library's listing is kept and was checked file by file lately, the
        query is asked of it while another thread checks its folders' mtimes (a stat
        each: 2,871 folders at 1 GB took 13 ms), and asked again, after a refresh, only
        when one changed. (The stats wait in the kernel, the query mostly in SQLite:
        neither holds the interpreter long.)
        """
        import threading

        from reader.core.walk import unchanged

        last = listing.kept_listing(self._db, roots)
        if last is not None and self._checked_lately(roots):
            files, watch = last
            same: list[bool] = []
            check = threading.Thread(target=lambda: same.append(unchanged(watch)))
            check.start()
            hits = self.search(query, files, limit)
            check.join()
            if same == [True]:
                return hits, []
        files, problems = self.refresh(roots, progress)
        return self.search(query, files, limit), problems

    def _checked_lately(self, roots: list[str]) -> bool:
        """Whether every file under roots was checked less than FULL_CHECK_NS ago."""
        kept = self._db.kept(f"checked:{roots!r}")
        return kept is not None and time.time_ns() - kept[0] < FULL_CHECK_NS

    def stale(self, files: Iterable[StrPath]) -> list[StrPath]:
        """Files whose size or mtime differ from what was indexed."""
        return indexer.stale(self._db, files)

    def update(
        self,
        files: Sequence[StrPath],
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
        loaded: Document | None = None,
        workers: int | None = None,
        searched_meanwhile: bool = False,
    ) -> IndexReport:
        """Index new and changed files (see indexer.update)."""
        return indexer.update(
            self._db, files, progress, cancelled, loaded, workers, searched_meanwhile
        )

    def spellings(self, word: str) -> dict[str, float]:
        """Close spellings of word in the library, weighted by closeness (1.0 = exact)."""
        from reader.core.search.query import spellings

        return spellings(self.db, word)

    def search(
        self, query: str, files: Iterable[StrPath] | None = None, limit: int = 20
    ) -> list[Hit]:
        """The best passages for query among files (all indexed ones when None), best first.

        A file among the results that changed since it was indexed is indexed again, and
        the query asked again.
        """
        if files is not None and not isinstance(files, (list, tuple, listing.Listing)):
            files = list(files)  # (it may be asked twice)
        hits, changed = self._search(query, files, limit)
        if changed:
            self.update(changed)
            hits, _ = self._search(query, files, limit)
        return hits

    def _search(
        self, query: str, files: Iterable[StrPath] | None, limit: int
    ) -> tuple[list[Hit], list[str]]:
        q = Query(self.db, query)
        if not q.words:
            return [], []
        found = candidates(self.db, q, self._library(files), limit, self._share)
        passages, changed = read_passages(found)
        ranked: dict[str, tuple[float, tuple[tuple[int, int], ...]]] = {}
        scored = []
        for (_pid, path, start, end, line, col, *_), text in passages:
            # (Copies of a text, in copies of a file, rank alike: ranked once.)
            score, marks = ranked.get(text) or ranked.setdefault(text, q.rank(text))
            if not marks:  # none of the words (a CJK run's characters apart, say)
                continue
            m = marks[0][0]  # report the first matched word's place, as ripgrep does
            nl = text.rfind("\n", 0, m)
            line, col = line + text.count("\n", 0, m), (m - nl if nl >= 0 else col + m)
            scored.append((score, path, start, end, line, col, text, marks))
        scored.sort(key=lambda h: -h[0])
        hits = [
            Hit(path, start, end, line, col, text, score, marks)
            for score, path, start, end, line, col, text, marks in scored[:limit]
        ]
        return hits, changed

    def _library(self, files: Iterable[StrPath] | None) -> str:
        """The SQL condition that keeps a query to files ("" for every indexed file)."""
        if files is None:
            return ""
        if not isinstance(files, (list, tuple, listing.Listing)):
            files = list(files)
        # A running app asks again and again about the same list of files.
        generation = self._db.generation()
        size = -1 if isinstance(files, listing.Listing) else len(files)  # (one never changes)
        last = self._asked
        if last is None or not (last[0] is files and last[1] == size and last[2] == generation):
            self._runs = self._runs_of(files, generation)
            self._asked = (files, size, generation)
        runs = self._runs
        if runs is None:  # the whole index (one library)
            return ""
        if self._filter is None or self._filter[0] != runs:  # (a table is filled once)
            self._filter = (runs, library_filter(self.db, runs))
        return self._filter[1]

    def _share(self) -> float:
        """The asked library's part of the index's passages (1.0: the whole index)."""
        if self._runs is None:
            return 1.0
        if self._shares is None or self._shares[0] != self._runs:
            self._shares = (self._runs, library_share(self.db, self._runs))
        return self._shares[1]

    def _runs_of(self, files: Sequence[StrPath], generation: int) -> Runs | None:
        """The indexed ids of files (as id_runs), or None when they are every file of the
        index.

        Looking 20,000 paths up in the files table cost a `reader search` more than its
        query, so the answer is kept in the index for the next one: under a digest of the
        list, with the generation of the files table it was worked out from.
        """
        # (A listing kept by refresh has its digest: its 20,000 paths need not be read.)
        digest = files.digest if isinstance(files, listing.Listing) else listing.digest_of(files)
        key = "library:runs:" + digest  # (the kind "library": older entries age out)
        kept = self._db.kept(key)
        if kept is not None and kept[0] == generation:
            if kept[1] == "all":
                return None
            if _is_runs(kept[1]):
                return tuple(cast("list[tuple[int, int]]", kept[1]))
        known = self._db.files_table()
        ids = [row[0] for row in (known.get(file_key(f)) for f in files) if row]
        runs = id_runs(ids)
        whole = sum(b - a + 1 for a, b in runs) == len(known)
        self._db.keep(key, generation, "all" if whole else list(runs), listing.KEPT_LISTINGS)
        return None if whole else runs


SAID_AT_MOST = 10  # files that cannot be read, named one per line; the rest counted


def _not_searched(unread: list[str]) -> list[str]:
    """The files an update could not read ("path: why"), as refresh's problems say them."""
    said = [f"{why}; not searched" for why in unread[:SAID_AT_MOST]]
    if len(unread) > SAID_AT_MOST:
        said.append(f"and {len(unread) - SAID_AT_MOST} more files that cannot be read as text")
    return said


Runs = tuple[tuple[int, int], ...]  # file ids, as runs of consecutive ones (first, last)


def _is_runs(value: object) -> bool:
    """Whether a kept value has the shape of runs: a list of (first, last) int pairs."""
    return isinstance(value, list) and all(
        isinstance(r, tuple) and len(r) == 2 and all(type(i) is int for i in r) for r in value
    )
