"""The index file: its SQLite schema, opening it, mending a damaged one, and small
things kept in it between `reader search` runs (tagged with a generation)."""

from __future__ import annotations

import contextlib
import marshal
import os
import sqlite3
import sys
from typing import TYPE_CHECKING, Any, Union

from reader.core.atomic import file_lock
from reader.core.paths import user_dir_name

if TYPE_CHECKING:
    from pathlib import Path

StrPath = Union[str, "os.PathLike[str]"]

SCHEMA_VERSION = 8
BUSY_TIMEOUT_MS = 30_000  # waiting for another process's write to the index
_DAMAGED = ("SQLITE_NOTADB", "SQLITE_CORRUPT")  # an index file that is not one any more
_POSIX = os.name == "posix"
ORPHANS_AT = 50_000  # dropped passages past which the index may start over
# marshal's format may change between Python versions, and the cache folder is shared by
# every Python on the machine: what one keeps, only the same version reads back.
_KEPT_TAG = f"@py{sys.version_info[0]}.{sys.version_info[1]}m{marshal.version}"

# The full-text table is contentless: a passage's text is read from its file (after a
# check of the file's size and mtime), at bytes start+bshift .. start+bshift+length+bextra
# (bshift is NULL when the file's bytes are not its text in UTF-8: then the whole file is
# read). The numbers are kept small (SQLite stores 0 in no bytes): for an ASCII file,
# bshift and bextra are 0. A file's passages have the ids first_pid .. first_pid+passages-1.
# The full-text table keeps which passages hold each word, not where (detail=none): a
# third of the size and of the time to build, and queries read less. Phrases and word
# order are checked by the ranking, on the passage's text.
# The vocabulary is every word of the indexed files (3 to 30 letters) with the number of
# passages that hold it.
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS files(id INTEGER PRIMARY KEY, path TEXT UNIQUE, size INTEGER,
                                 mtime_ns INTEGER, first_pid INTEGER, passages INTEGER);
CREATE TABLE IF NOT EXISTS passages(id INTEGER PRIMARY KEY, file_id INTEGER, start INTEGER,
                                    length INTEGER, line INTEGER, col INTEGER,
                                    bshift INTEGER, bextra INTEGER);
CREATE VIRTUAL TABLE IF NOT EXISTS passages_fts USING fts5(
    text, content='', detail=none, tokenize='unicode61 remove_diacritics 2');
CREATE TABLE IF NOT EXISTS vocab(word TEXT PRIMARY KEY, n INTEGER) WITHOUT ROWID;
"""
# every table any version made (a new version drops them all)
_TABLES = ("passages_fts", "passages", "files", "vocab", "deletes", "meta", "kept")

# path -> (id, size, mtime_ns) of every indexed file
FilesTable = dict[str, tuple[int, int, int]]


class IndexUnavailable(Exception):
    """The index cannot be opened or written (its folder is missing, read-only, full…)."""


def default_index_path() -> str:
    # (a str: `reader search` loads no pathlib, a twentieth of its time)
    return os.path.join(user_dir_name("cache"), "search.sqlite")


def file_key(f: StrPath) -> str:
    """A file's key in the index: its absolute path (made so only when it is not)."""
    # A query asks this of every file of the library: a str that is already absolute
    # (what walk gives) costs no call.
    if _POSIX and type(f) is str and f[:1] == "/":
        return f
    p = os.fspath(f)
    return p if os.path.isabs(p) else os.path.abspath(p)


def unavailable(path: StrPath, err: Exception) -> str:
    """The message for an index that cannot be used, naming it and why."""
    reason = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
    if getattr(err, "sqlite_errorname", "") in _DAMAGED:
        reason += " (it is only a cache: delete it, and it is made again)"
    return f"cannot use the search index {path}: {reason}"


def _damaged(path: StrPath) -> bool:
    """Whether the index file fails as IndexDB found it failing (read as it reads)."""
    db = sqlite3.connect(path)
    try:
        db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
        return False
    except sqlite3.DatabaseError as err:
        return getattr(err, "sqlite_errorname", "") in _DAMAGED
    finally:
        db.close()


def unmarshal(data: bytes) -> object | None:
    """marshal.loads, or None for bytes it cannot read (cut short, or not its format)."""
    try:
        return marshal.loads(data)  # type: ignore[no-any-return]
    except (EOFError, ValueError, TypeError):
        return None


class IndexDB:
    """One connection to the index file, made (or made again) as this version needs it.

    Raises IndexUnavailable when the file cannot be opened or made.
    """

    def __init__(self, path: StrPath) -> None:
        self.path = path
        self._known: FilesTable | None = None
        self._known_at = -1  # the generation _known was read at
        try:
            os.makedirs(os.path.dirname(os.path.abspath(self.path)), exist_ok=True)
            try:
                self.conn = self._open()
            except sqlite3.DatabaseError as err:
                if getattr(err, "sqlite_errorname", "") not in _DAMAGED:
                    raise
                # Only a cache: a damaged one (a disk error, a copy cut short) is made
                # again. One process deletes it, if another has not made it anew since.
                with file_lock(self._lock_path()):
                    if _damaged(self.path):
                        for end in ("", "-wal", "-shm"):
                            with contextlib.suppress(FileNotFoundError):
                                os.unlink(f"{os.fspath(self.path)}{end}")
                self.conn = self._open()
        except (OSError, sqlite3.Error) as err:
            raise IndexUnavailable(unavailable(self.path, err)) from err

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            # The index can always be rebuilt: with WAL, NORMAL loses at most the last
            # commits on a power cut, and a commit waits for no fsync.
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("PRAGMA temp_store=MEMORY")  # a query's list of the library's files
            if not _schema_ok(db):
                # One process or thread at a time (re)makes the schema.
                with file_lock(self._lock_path()):
                    db.execute("PRAGMA journal_mode=WAL")
                    if not _schema_ok(db):
                        _reset(db)
        except BaseException:
            db.close()
            raise
        return db

    def close(self) -> None:
        self.conn.close()

    def _lock_path(self) -> Path:
        """The index file as file_lock takes it (only when the schema is made or mended)."""
        from pathlib import Path

        return Path(self.path)

    # --- things worked out from the index or the disk, kept for the next run ---------
    def kept(self, name: str) -> tuple[int, object] | None:
        """(generation, value) kept under name by keep(), or None (never kept, or unreadable)."""
        try:
            row = self.conn.execute(
                "SELECT generation, data FROM kept WHERE name=?", (name + _KEPT_TAG,)
            ).fetchone()
        except sqlite3.OperationalError:  # the table is made on first use
            return None
        if row is None:
            return None
        value = unmarshal(row[1])
        return None if value is None else (int(row[0]), value)

    def keep(self, name: str, generation: int, value: Any, at_most: int = 0) -> None:
        """Keep a value (of marshal's types) for the next run. Best effort: while another
        process writes the index, this waits for nobody.

        With at_most, only that many of the things of this kind (the names that start
        as this one does, up to its first colon) stay: those with the highest generation.
        """
        data = marshal.dumps(value)
        self.conn.execute("PRAGMA busy_timeout = 0")
        try:
            with self.conn:
                self.conn.execute(
                    "CREATE TABLE IF NOT EXISTS kept(name TEXT PRIMARY KEY, generation INTEGER, "
                    "data BLOB)"
                )
                self.conn.execute(
                    "INSERT OR REPLACE INTO kept VALUES(?, ?, ?)",
                    (name + _KEPT_TAG, generation, data),
                )
                if at_most:
                    kind = name.split(":", 1)[0] + ":"
                    self.conn.execute(
                        "DELETE FROM kept WHERE substr(name, 1, :n) = :kind AND name NOT IN "
                        "(SELECT name FROM kept WHERE substr(name, 1, :n) = :kind "
                        "ORDER BY generation DESC LIMIT :keep)",
                        {"n": len(kind), "kind": kind, "keep": at_most},
                    )
        except sqlite3.OperationalError:
            pass
        finally:
            self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")

    # --- the files table, read once per process -------------------------------------
    def commit(self) -> None:
        """Commit a change to the files table, with a new generation (see files_table)."""
        self.conn.execute(
            "INSERT INTO meta VALUES('generation', 1) "
            "ON CONFLICT(key) DO UPDATE SET value = value + 1"
        )
        self.conn.commit()
        self._known = None

    def start_over_if_worn(self) -> bool:
        """Empty the index when the full-text rows of passages since dropped (see
        indexer._drop_file) outnumber the live ones and ORPHANS_AT: each library is then
        indexed again when next searched. Whether it did."""
        row = self.conn.execute(
            "SELECT (SELECT value FROM meta WHERE key='orphans'), "
            "(SELECT value FROM meta WHERE key='next_passage')"
        ).fetchone()
        orphans, next_id = int(row[0] or 0), int(row[1] or 1)
        if orphans < ORPHANS_AT or orphans < next_id - 1 - orphans:
            return False
        with file_lock(self._lock_path()):
            _reset(self.conn)
        self._known = None
        return True

    def forget_files(self) -> None:
        """Read the files table again when next asked (another write may have changed it)."""
        self._known = None

    def files_table(self) -> FilesTable:
        """path -> (id, size, mtime_ns) of every indexed file; read once until a change
        (by this connection or another: a long-lived one, as the app's, sees the files
        that another process or thread indexed since)."""
        generation = self.generation()
        if self._known is None or generation != self._known_at:
            self._known = self._read_files_table()
            self._known_at = generation
        return self._known

    def generation(self) -> int:
        """A number that changes with each commit that changes the files table."""
        row = self.conn.execute("SELECT value FROM meta WHERE key='generation'").fetchone()
        return int(row[0]) if row is not None else 0

    def _read_files_table(self) -> FilesTable:
        # Reading 2,000 rows costs a `reader search` more than unmarshalling a copy of
        # them, kept with the generation it was read at: each commit that changes files
        # counts one up (commit), so a copy from an older one is never used.
        if self.conn.in_transaction:  # inside a write: the rows as this write sees them
            return self.files_rows()
        self.conn.execute("BEGIN")  # the generation and the rows, as of one moment
        try:
            row = self.conn.execute("SELECT value FROM meta WHERE key='generation'").fetchone()
            generation = int(row[0]) if row is not None else 0
            kept = self.kept("files")
            if kept is not None and kept[0] == generation and isinstance(kept[1], dict):
                return kept[1]
            known = self.files_rows()
        finally:
            self.conn.commit()
        self.keep("files", generation, known)
        return known

    def files_rows(self) -> FilesTable:
        rows = self.conn.execute("SELECT id, path, size, mtime_ns FROM files")
        return {p: (i, s, m) for i, p, s, m in rows}


def _schema_ok(db: sqlite3.Connection) -> bool:
    try:
        row = db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
    except sqlite3.OperationalError:
        return False
    return row is not None and row[0] == str(SCHEMA_VERSION)


def _reset(db: sqlite3.Connection) -> None:
    for t in _TABLES:
        db.execute(f"DROP TABLE IF EXISTS {t}")
    db.executescript(_SCHEMA)
    db.execute("INSERT INTO meta VALUES('schema', ?)", (str(SCHEMA_VERSION),))
    db.commit()
