"""Library-wide passage search: an on-disk index and typo-tolerant queries.

The index lives in the user cache folder (SQLite): passages (paragraphs, long
ones cut at sentences) in an FTS5 table, plus the library's vocabulary and a
one-deletion table over it (symmetric delete), so each query word expands to
the close spellings the library really contains. Candidates must contain a
spelling of every query word (or, failing that, of most); rapidfuzz reranks
them. Files are keyed by path, size and mtime: changed files are re-indexed.
"""

from __future__ import annotations

import bisect
import functools
import os
import re
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, Union

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA  # edit distance where a swap of two letters is one edit

from reader.core.atomic import file_lock
from reader.core.paths import cache_dir

if TYPE_CHECKING:
    from reader.core.annotation import Annotation
    from reader.core.document import Document, Range

StrPath = Union[str, "os.PathLike[str]"]

# `reader search` starts a fresh process per query: this module imports only what a
# query needs. Reading and splitting documents (for indexing) loads when indexing.

SCHEMA_VERSION = 5
PASSAGE_MAX = 700  # longer paragraphs are cut at sentence ends
CANDIDATES = 200
MAX_SPELLINGS = 12  # spellings of one query word tried in the full-text query
INSERT_BATCH = 2000  # passages per insert while indexing
LISTING_VERSION = 1  # of what `articles` keeps (and of walk's rules)
RACY_NS = 2_000_000_000
_POSIX = os.name == "posix"
KEPT_LISTINGS = 32  # libraries whose file listing is kept
BUSY_TIMEOUT_MS = 30_000  # waiting for another process's write to the index
_DAMAGED = ("SQLITE_NOTADB", "SQLITE_CORRUPT")  # an index file that is not one any more
# Words as the full-text index splits them (unicode61: letters and digits; "_" separates),
# so the vocabulary, a query's words and the ranking see the same words it does.
_TOKEN = re.compile(r"[^\W_]+")
# Chinese and Japanese put no spaces between words (and Korean words inflect), so each of
# these characters is indexed as a word of its own, and a run of them is searched as the
# phrase of its characters: "半导体" finds "中国半导体产业".
_CJK_CLASS = (
    "([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0002fa1f])"
)


@functools.cache  # compiling these ranges takes 5 ms, a twentieth of a `reader search`
def _cjk() -> re.Pattern[str]:
    return re.compile(_CJK_CLASS)


def has_cjk(s: str) -> bool:
    return not s.isascii() and _cjk().search(s) is not None


STOP_WORDS = frozenset(
    "the and for are but not you all any can had her was one our out has his how its who did "
    "yes she him let say too use that with have this will your from they been were said each "
    "which their there what about would when them then than into unto".split()
)
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS files(id INTEGER PRIMARY KEY, path TEXT UNIQUE, size INTEGER,
                                 mtime_ns INTEGER);
CREATE TABLE IF NOT EXISTS passages(id INTEGER PRIMARY KEY, file_id INTEGER, start INTEGER,
                                    end INTEGER, line INTEGER, col INTEGER, text TEXT);
CREATE INDEX IF NOT EXISTS passages_file ON passages(file_id);
CREATE VIRTUAL TABLE IF NOT EXISTS passages_fts USING fts5(
    text, content='passages', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
CREATE TABLE IF NOT EXISTS vocab(word TEXT PRIMARY KEY, n INTEGER,
                                 expanded INTEGER DEFAULT 0) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS deletes(key TEXT, word TEXT, PRIMARY KEY(key, word)) WITHOUT ROWID;
"""


def default_index_path() -> Path:
    return cache_dir() / "search.sqlite"


def _key(f: StrPath) -> str:
    """A file's key in the index: its absolute path (made so only when it is not)."""
    if _POSIX and type(f) is str and f[:1] == "/":  # a query asks this of every file
        return f
    p = os.fspath(f)
    return p if os.path.isabs(p) else os.path.abspath(p)


def fts_text(s: str) -> str:
    """Text as the full-text index sees it: CJK characters spaced apart."""
    return _cjk().sub(r" \1 ", s) if has_cjk(s) else s


def _damaged(path: Path) -> bool:
    """Whether the index file fails as SearchIndex found it failing (read as it reads)."""
    db = sqlite3.connect(path)
    try:
        db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
        return False
    except sqlite3.DatabaseError as err:
        return getattr(err, "sqlite_errorname", "") in _DAMAGED
    finally:
        db.close()


def unavailable(path: Path, err: Exception) -> str:
    """The message for an index that cannot be used, naming it and why."""
    reason = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
    if getattr(err, "sqlite_errorname", "") in _DAMAGED:
        reason += " (it is only a cache: delete it, and it is made again)"
    return f"cannot use the search index {path}: {reason}"


def tokens(s: str) -> list[str]:
    return [t.lower() for t in _TOKEN.findall(s)]


def one_deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))} | {word}


def passages_of(doc: Document) -> list[Range]:
    """Paragraphs, with long ones cut into runs of sentences."""
    from reader.core.document import Range, split_sentences

    out: list[Range] = []
    for para in doc.paragraphs:
        if para.length <= PASSAGE_MAX:
            out.append(para)
            continue
        start = para.start
        end = para.start
        for s in split_sentences(doc.text, para):
            if s.end - start > PASSAGE_MAX and end > start:
                out.append(Range(start, end))
                start = s.start
            end = s.end
            while end - start > PASSAGE_MAX:  # one huge "sentence" (a 1 MB line)
                out.append(Range(start, start + PASSAGE_MAX))
                start += PASSAGE_MAX
        if end > start:
            out.append(Range(start, end))
    return out


class Hit(NamedTuple):
    path: Path
    start: int
    end: int
    line: int
    col: int
    text: str
    score: float
    marks: tuple[tuple[int, int], ...]  # matched words, offsets into text

    def snippet(self, width: int = 120) -> str:
        """One line around the first matched word."""
        return self.snippet_marks(width)[0]

    def snippet_marks(self, width: int = 120) -> tuple[str, list[tuple[int, int]]]:
        """snippet(), and where the matched words are in it."""
        # The text's words joined by single spaces, and where each one starts in both.
        words = [m.span() for m in re.finditer(r"\S+", self.text)]
        flat = " ".join(self.text[a:b] for a, b in words)
        starts = []
        at = 0
        for a, b in words:
            starts.append((a, at))
            at += b - a + 1

        def flat_at(i: int) -> int:  # marks lie inside words
            k = bisect.bisect_right(starts, (i, at)) - 1
            return starts[k][1] + i - starts[k][0] if k >= 0 else 0

        marks = [(flat_at(a), flat_at(a) + b - a) for a, b in self.marks]
        lo = max(0, (marks[0][0] if marks else 0) - width // 3)
        head = "…" if lo else ""
        s = head + flat[lo : lo + width] + ("…" if lo + width < len(flat) else "")
        shift = len(head) - lo
        shown = [(a + shift, b + shift) for a, b in marks if lo <= a and b <= lo + width]
        return s, shown


class IndexUnavailable(Exception):
    """The index cannot be opened or written (its folder is missing, read-only, full…)."""


class IndexReport:
    """What an update did."""

    def __init__(self) -> None:
        self.indexed = 0
        self.unchanged = 0
        self.problems: list[str] = []

    def __repr__(self) -> str:
        return f"IndexReport({self.indexed} indexed, {self.unchanged} unchanged, {self.problems})"


class SearchIndex:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_index_path()
        self._known: dict[str, tuple[int, int, int]] | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            try:
                self._open()
            except sqlite3.DatabaseError as err:
                if getattr(err, "sqlite_errorname", "") not in _DAMAGED:
                    raise
                # Only a cache: a damaged one (a disk error, a copy cut short) is made
                # again. One process deletes it, if another has not made it anew since.
                with file_lock(self.path):
                    if _damaged(self.path):
                        for end in ("", "-wal", "-shm"):
                            Path(f"{self.path}{end}").unlink(missing_ok=True)
                self._open()
        except (OSError, sqlite3.Error) as err:
            raise IndexUnavailable(unavailable(self.path, err)) from err

    def _open(self) -> None:
        self.db = sqlite3.connect(
            self.path, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000
        )
        try:
            self.db.create_function("fts_text", 1, fts_text, deterministic=True)
            # The index can always be rebuilt: with WAL, NORMAL loses at most the last
            # commits on a power cut, and a commit waits for no fsync.
            self.db.execute("PRAGMA synchronous=NORMAL")
            if not self._schema_ok():
                # One process or thread at a time (re)makes the schema.
                with file_lock(self.path):
                    self.db.execute("PRAGMA journal_mode=WAL")
                    if not self._schema_ok():
                        self._reset()
        except BaseException:
            self.db.close()
            raise

    def _schema_ok(self) -> bool:
        try:
            row = self.db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
        except sqlite3.OperationalError:
            return False
        return row is not None and row[0] == str(SCHEMA_VERSION)

    def _reset(self) -> None:
        for t in ("passages_fts", "passages", "files", "vocab", "deletes", "meta", "kept"):
            self.db.execute(f"DROP TABLE IF EXISTS {t}")
        self.db.executescript(_SCHEMA)
        self.db.execute("INSERT INTO meta VALUES('schema', ?)", (str(SCHEMA_VERSION),))
        self.db.commit()

    def close(self) -> None:
        self.db.close()

    # --- the library's files ----------------------------------------------------
    def articles(self, roots: list[str]) -> tuple[list[str], list[str]]:
        """walk.article_files(roots): the article files, and the problems met.

        `reader search` runs once per query, and walking a big library would be a tenth
        of its time, so the listing is kept here with the mtime of each folder it read
        and is walked again only when one changed (see walk.unchanged). A listing with
        problems, or read while a folder was changing, is not kept.
        """
        import marshal
        import time

        from reader.core.walk import article_files, unchanged

        key = f"listing:{LISTING_VERSION}:{roots!r}"
        kept = self._kept(key)
        if kept is not None:
            watch, files = marshal.loads(kept[1])
            if unchanged(watch):
                return files, []
        began = time.time_ns()
        watch = []
        files, problems = article_files([Path(r) for r in roots], watch)
        # A folder changed less than RACY_NS before the walk could change again within
        # its mtime's granularity, unseen.
        if not problems and all(m < began - RACY_NS for _, m in watch):
            # Tagged with when it was made: the oldest go past KEPT_LISTINGS libraries.
            self._keep(key, time.time_ns(), marshal.dumps((watch, files)), KEPT_LISTINGS)
        return files, problems

    # Things worked out from the index or the disk, kept for the next `reader search`.
    def _kept(self, name: str) -> tuple[int, bytes] | None:
        try:
            row = self.db.execute(
                "SELECT generation, data FROM kept WHERE name=?", (name,)
            ).fetchone()
        except sqlite3.OperationalError:  # made on first use
            return None
        return None if row is None else (row[0], row[1])

    def _keep(self, name: str, generation: int, data: bytes, at_most: int = 0) -> None:
        """Best effort: while another process writes the index, this waits for nobody.

        With at_most, only that many of the things of this kind (the names that start
        as this one does, up to its first colon) stay: those with the highest generation.
        """
        self.db.execute("PRAGMA busy_timeout = 0")
        try:
            with self.db:
                self.db.execute(
                    "CREATE TABLE IF NOT EXISTS kept(name TEXT PRIMARY KEY, generation INTEGER, "
                    "data BLOB)"
                )
                self.db.execute(
                    "INSERT OR REPLACE INTO kept VALUES(?, ?, ?)", (name, generation, data)
                )
                if at_most:
                    kind = name.split(":", 1)[0] + ":"
                    self.db.execute(
                        "DELETE FROM kept WHERE substr(name, 1, :n) = :kind AND name NOT IN "
                        "(SELECT name FROM kept WHERE substr(name, 1, :n) = :kind "
                        "ORDER BY generation DESC LIMIT :keep)",
                        {"n": len(kind), "kind": kind, "keep": at_most},
                    )
        except sqlite3.OperationalError:
            pass
        finally:
            self.db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")

    def _commit(self) -> None:
        """Commit a change to the files table, with a new generation (see _files_table)."""
        self.db.execute(
            "INSERT INTO meta VALUES('generation', 1) "
            "ON CONFLICT(key) DO UPDATE SET value = value + 1"
        )
        self.db.commit()

    # --- building ------------------------------------------------------------
    def _files_table(self) -> dict[str, tuple[int, int, int]]:
        """path -> (id, size, mtime_ns) of every indexed file; read once until an update."""
        if self._known is None:
            self._known = self._read_files_table()
        return self._known

    def _read_files_table(self) -> dict[str, tuple[int, int, int]]:
        # Reading 2,000 rows costs a `reader search` more than unmarshalling a copy of
        # them, kept with the generation it was read at: each commit that changes files
        # counts one up (_commit), so a copy from an older one is never used.
        import marshal

        if self.db.in_transaction:  # inside a write: the rows as this write sees them
            return self._files_rows()
        self.db.execute("BEGIN")  # the generation and the rows, as of one moment
        try:
            row = self.db.execute("SELECT value FROM meta WHERE key='generation'").fetchone()
            generation = int(row[0]) if row is not None else 0
            kept = self._kept("files")
            if kept is not None and kept[0] == generation:
                known: dict[str, tuple[int, int, int]] = marshal.loads(kept[1])
                return known
            known = self._files_rows()
        finally:
            self.db.commit()
        self._keep("files", generation, marshal.dumps(known))
        return known

    def _files_rows(self) -> dict[str, tuple[int, int, int]]:
        rows = self.db.execute("SELECT id, path, size, mtime_ns FROM files")
        return {p: (i, s, m) for i, p, s, m in rows}

    def stale(self, files: Iterable[StrPath]) -> list[StrPath]:
        """Files whose size or mtime differ from what was indexed."""
        known = self._files_table()
        out = []
        for f in files:
            p = _key(f)
            try:
                st = os.stat(p)
            except OSError:
                continue
            row = known.get(p)
            if row is None or row[1] != st.st_size or row[2] != st.st_mtime_ns:
                out.append(f)
        return out

    def update(
        self,
        files: Sequence[StrPath],
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
        loaded: Document | None = None,
    ) -> IndexReport:
        """Index new and changed files; drop none (other libraries share the cache).

        `loaded` is a document already in memory (the article on screen): it is indexed
        as it is instead of being read a second time.
        """
        from reader.core.text import UnreadableFile

        report = IndexReport()
        todo = self.stale(files)
        report.unchanged = len(files) - len(todo)
        self._known = None
        vocab: Counter[str] = Counter()
        on_screen = _key(loaded.path) if loaded is not None and loaded.path is not None else None
        for i, f in enumerate(todo):
            if cancelled is not None and cancelled():
                break
            try:
                self._index_file(f, vocab, loaded if _key(f) == on_screen else None)
                report.indexed += 1
            except (UnreadableFile, OSError) as err:
                report.problems.append(f"{f}: {err}")
            if progress is not None and (i % 20 == 0 or i == len(todo) - 1):
                progress(i + 1, len(todo))
            if i % 200 == 199:
                self._add_vocab(vocab)
                vocab.clear()
                self._commit()
        self._add_vocab(vocab)
        self._expand_vocab()
        if todo:
            self._commit()
        else:
            self.db.commit()
        return report

    def _index_file(self, f: StrPath, vocab: Counter[str], doc: Document | None = None) -> None:
        from reader.core.document import Document

        real = _key(f)
        st = os.stat(real)
        doc = doc or Document.load(Path(real))
        old = self.db.execute("SELECT id FROM files WHERE path=?", (real,)).fetchone()
        if old is not None:
            self._drop_file(old[0])
        cur = self.db.execute(
            "INSERT INTO files(path, size, mtime_ns) VALUES(?,?,?)",
            (real, st.st_size, st.st_mtime_ns),
        )
        file_id = cur.lastrowid
        text = doc.text
        passages = passages_of(doc)
        # In batches, so a 20 MB article never holds a second copy of itself in memory.
        for i in range(0, len(passages), INSERT_BATCH):
            batch = passages[i : i + INSERT_BATCH]
            rows = []
            for r in batch:
                line, col = doc.line_col(r.start)
                rows.append((file_id, r.start, r.end, line, col, text[r.start : r.end]))
            self.db.executemany(
                "INSERT INTO passages(file_id, start, end, line, col, text) VALUES(?,?,?,?,?,?)",
                rows,
            )
            vocab.update(_TOKEN.findall(text[batch[0].start : batch[-1].end].lower()))
        self.db.execute(
            "INSERT INTO passages_fts(rowid, text) "
            "SELECT id, fts_text(text) FROM passages WHERE file_id=?",
            (file_id,),
        )

    def _drop_file(self, file_id: int) -> None:
        # External-content FTS: delete each row with its old text (SQLite 3.40 has no
        # contentless_delete).
        self.db.execute(
            "INSERT INTO passages_fts(passages_fts, rowid, text) "
            "SELECT 'delete', id, fts_text(text) FROM passages WHERE file_id=?",
            (file_id,),
        )
        self.db.execute("DELETE FROM passages WHERE file_id=?", (file_id,))
        self.db.execute("DELETE FROM files WHERE id=?", (file_id,))

    def _add_vocab(self, vocab: Counter[str]) -> None:
        rows = [
            (w, n)
            for w, n in vocab.items()
            if 3 <= len(w) <= 30 and not w.isdigit() and not has_cjk(w)
        ]
        self.db.executemany(
            "INSERT INTO vocab(word, n) VALUES(?, ?) "
            "ON CONFLICT(word) DO UPDATE SET n = n + excluded.n",
            rows,
        )

    def _expand_vocab(self) -> None:
        """One-deletion keys for the words new to the vocabulary (symmetric delete)."""
        new = [w for (w,) in self.db.execute("SELECT word FROM vocab WHERE expanded = 0")]
        self.db.executemany(
            "INSERT OR IGNORE INTO deletes(key, word) VALUES(?, ?)",
            ((k, w) for w in new for k in one_deletions(w)),
        )
        self.db.execute("UPDATE vocab SET expanded = 1 WHERE expanded = 0")

    # --- querying --------------------------------------------------------------
    def spellings(self, word: str) -> dict[str, float]:
        """Close spellings of word in the library, weighted by closeness (1.0 = exact).

        A word the library contains is most likely meant as typed: only one edit away
        then. Each word keeps its MAX_SPELLINGS closest (then most used) spellings: every
        one more widens the full-text query.
        """
        keys = list(one_deletions(word))
        q = ",".join("?" * len(keys))
        found = dict(
            self.db.execute(
                "SELECT v.word, v.n FROM vocab v WHERE v.word IN "
                f"(SELECT word FROM deletes WHERE key IN ({q}))",
                keys,
            ).fetchall()
        )
        limit = 1 if word in found else _typo_limit(word)
        scored: list[tuple[float, int, str]] = []
        for w, n in found.items():
            d = OSA.distance(word, w)
            if d <= limit:
                scored.append((1.0 - 0.25 * d, n, w))
        if len(word) >= 4:  # a word typed in part: its longer forms (after close
            # spellings when the word is one the library has: then it is likely whole)
            weight = 0.6 if word in found else 0.8
            for w, n in self.db.execute(
                "SELECT word, n FROM vocab WHERE word > ? AND word < ? ORDER BY n DESC LIMIT 8",
                (word, word + "\uffff"),
            ):
                if w not in found:
                    scored.append((weight, n, w))
        scored.sort(reverse=True)
        return {w: v for v, _, w in scored[:MAX_SPELLINGS]}

    def search(
        self, query: str, files: Iterable[StrPath] | None = None, limit: int = 20
    ) -> list[Hit]:
        words = [w for w in tokens(query) if w]
        if not words:
            return []
        # Very common words would make every passage a candidate: they only rank.
        long_words = [
            w for w in words if (len(w) >= 3 and w not in STOP_WORDS) or has_cjk(w)
        ] or words
        groups = []
        all_spellings: dict[str, float] = {}
        for w in long_words:
            sp = self.spellings(w) if len(w) >= 3 and not has_cjk(w) else {w: 1.0}
            sp.setdefault(w, 1.0)
            groups.append(sp)
            for k, v in sp.items():
                all_spellings[k] = max(v, all_spellings.get(k, 0))
        for w in words:
            all_spellings.setdefault(w, 1.0)
        file_ids = self._file_ids(files)
        rows = self._candidates(groups, file_ids, limit)
        ql = " ".join(words)
        hits = []
        for _pid, path, start, end, line, col, text in rows:
            score, marks = _rank(ql, words, all_spellings, text)
            if marks:  # report the first matched word's place, as ripgrep does
                m = marks[0][0]
                nl = text.rfind("\n", 0, m)
                line, col = line + text.count("\n", 0, m), (m - nl if nl >= 0 else col + m)
            hits.append(Hit(Path(path), start, end, line, col, text, score, marks))
        hits.sort(key=lambda h: -h.score)
        return hits[:limit]

    def _file_ids(self, files: Iterable[StrPath] | None) -> set[int] | None:
        if files is None:
            return None
        known = self._files_table()
        return {row[0] for row in (known.get(_key(f)) for f in files) if row is not None}

    def _candidates(
        self, groups: list[dict[str, float]], file_ids: set[int] | None, wanted: int
    ) -> list[tuple]:  # type: ignore[type-arg]
        """Passages with a spelling of every word; while fewer than `wanted` (at most 20:
        past that, passages with more of the words are plenty to rank), of all but one
        word, then of any. Each fallback matches more passages, and costs more."""

        def clause(g: dict[str, float]) -> str:
            # A CJK run becomes the phrase of its characters.
            return "(" + " OR ".join('"' + fts_text(w).replace('"', "") + '"' for w in g) + ")"

        tries = [" AND ".join(clause(g) for g in groups)]
        if len(groups) > 1:
            for skip in range(len(groups)):
                tries.append(" AND ".join(clause(g) for i, g in enumerate(groups) if i != skip))
        if len(groups) > 2:  # (with two words, all but one already meant any)
            tries.append(" OR ".join(clause(g) for g in groups))
        select = (
            "SELECT p.id, f.path, p.start, p.end, p.line, p.col, p.text, p.file_id "
            "FROM passages_fts JOIN passages p ON p.id = passages_fts.rowid "
            "JOIN files f ON f.id = p.file_id WHERE passages_fts MATCH ? "
        )
        seen: dict[int, tuple] = {}  # type: ignore[type-arg]
        for match in tries:
            # All of them are reranked when they are few, so bm25 only picks which when
            # there are too many: it reads the whole posting list of every spelling
            # (common words have long ones), which made up most of a query's time.
            rows = self.db.execute(select + "LIMIT ?", (match, CANDIDATES + 1)).fetchall()
            if len(rows) > CANDIDATES:
                rows = self.db.execute(
                    select + "ORDER BY bm25(passages_fts) LIMIT ?", (match, CANDIDATES)
                ).fetchall()
            for row in rows:
                if file_ids is None or row[7] in file_ids:
                    seen.setdefault(row[0], row[:7])
            if len(seen) >= min(wanted, 20):
                break
        return list(seen.values())


def _rank(
    ql: str, words: list[str], spellings: dict[str, float], text: str
) -> tuple[float, tuple[tuple[int, int], ...]]:
    """Score a passage: words found (by closeness), their order, an exact phrase."""
    low = text.lower()
    marks = []
    found: dict[str, float] = {}
    for m in _TOKEN.finditer(low):
        w = m.group()
        if w in spellings:
            marks.append((m.start(), m.end()))
            found[w] = spellings[w]
    for w in words:
        if has_cjk(w):  # inside a run of CJK text: found as a substring
            i = low.find(w)
            while i >= 0:
                marks.append((i, i + len(w)))
                found[w] = 1.0
                i = low.find(w, i + len(w))
    marks = sorted(set(marks))
    covered = 0.0
    for w in words:
        best = spellings.get(w, 0) if w in found else 0.0
        for s, v in found.items():
            if v > best and (s == w or _close(w, s)):
                best = v
        covered += best
    score = 100 * covered / len(words)
    score += 0.3 * fuzz.partial_ratio(ql, low)
    if ql in low:
        score += 60  # the exact phrase
    score -= min(10, len(text) / 400)  # prefer focused passages
    return score, tuple(marks)


def _typo_limit(word: str) -> int:
    """Edits a query word may be away from a spelling: short words allow fewer."""
    return 1 if len(word) <= 4 else 2


def _close(a: str, b: str) -> bool:
    return b.startswith(a) or OSA.distance(a, b) <= _typo_limit(a)


def match_titles(query: str, names: list[str], cutoff: float = 60) -> list[tuple[float, int]]:
    """Rank names (title and path) by a typo-tolerant match; (score 0..100, index), best first."""
    q = query.lower().strip()
    if not q:
        return [(100.0, i) for i in range(len(names))]
    out = []
    for i, name in enumerate(names):
        n = name.lower()
        score = 100.0 if q in n else max(fuzz.partial_ratio(q, n), fuzz.token_set_ratio(q, n))
        if score >= cutoff:
            out.append((score, i))
    out.sort(key=lambda t: -t[0])
    return out


class NoteHit(NamedTuple):
    path: Path
    annotation_id: str
    quote: str
    note: str
    tags: tuple[str, ...]
    layer: str  # "" for your own
    score: float


def search_notes(
    query: str, sets: Iterable[tuple[Path, str, Iterable[Annotation]]], limit: int = 50
) -> list[NoteHit]:
    """Fuzzy search of quotes, notes and tags; sets are (article, layer, annotations)."""
    q = query.lower().strip()
    hits: list[NoteHit] = []
    for path, layer, marks in sets:
        for a in marks:
            quote, note, tags = a.target.quote, a.note, a.tags
            if not q:
                score = 50.0
            else:
                bare = q.lstrip("#")
                tag_score = (
                    100.0
                    if bare in tags
                    else max((fuzz.ratio(bare, t.lower()) for t in tags), default=0.0)
                )
                score = max(
                    fuzz.partial_ratio(q, note.lower()) if note else 0.0,
                    0.95 * fuzz.partial_ratio(q, quote.lower()),
                    tag_score,
                )
                if q in note.lower() or q in quote.lower():
                    score += 20
            if score >= 70:
                hits.append(NoteHit(path, a.id, quote, note, tuple(tags), layer, score))
    hits.sort(key=lambda h: -h.score)
    return hits[:limit]
