"""Building the index: each file's passages into the full-text table, and its words into
the vocabulary that typo'd query words are looked up in.

Indexing a file has two halves: `prepare` reads and splits it (no database: it can run
in another process), `_write` puts what it found into the index. The full-text table
keeps no copy of the text (it is contentless): a passage's text is read back from its
file at the byte offsets stored here (see hits.read_passages).
"""

from __future__ import annotations

import bisect
import codecs
import os
import sqlite3
from array import array
from collections import Counter
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from contextlib import closing
from typing import IO, TYPE_CHECKING, NamedTuple, cast

from reader.core.search.db import IndexDB, StrPath, file_key
from reader.core.search.query import TOKEN, fts_text, plain

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

    from reader.core.document import Document, Range

# Reading and splitting documents loads only when indexing: `reader search` starts a
# fresh process per query, and most find the index up to date.

PASSAGE_MAX = 700  # longer paragraphs are cut at sentence ends
COMMIT_EVERY = 200  # files per write transaction (other processes wait meanwhile)

# (start, end, line, col, byte start, byte end) of a passage; byte offsets are -1 when
# the file's bytes are not its text in UTF-8 (another encoding, changed characters)
PassageRow = tuple[int, int, int, int, int, int]
ROW_FIELDS = 6


class IndexReport:
    """What an update did."""

    def __init__(self) -> None:
        self.indexed = 0
        self.unchanged = 0
        self.problems: list[str] = []

    def __repr__(self) -> str:
        return f"IndexReport({self.indexed} indexed, {self.unchanged} unchanged, {self.problems})"


class Prepared(NamedTuple):
    """One file read and split, ready to write into the index."""

    path: str
    size: int
    mtime_ns: int
    # The PassageRows one after the other, flat: a 20 MB article has 126,000 passages, which
    # as tuples of ints took 27 MB of the app's peak while it indexed the article open.
    flat_rows: array[int]
    texts: list[str]  # each passage's text as the full-text index sees it (fts_text)
    words: Counter[str]  # passages per word (only for a few files: see update)

    @property
    def passages(self) -> int:
        return len(self.flat_rows) // ROW_FIELDS

    def rows(self) -> Iterator[PassageRow]:
        """Each passage's row, made as it is written."""
        fields = iter(self.flat_rows)
        return zip(fields, fields, fields, fields, fields, fields, strict=True)


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


def _byte_offsets(raw: bytes, text: str) -> Callable[[int], int] | None:
    """A map from offsets in text to offsets in raw (the file's bytes), when raw is text in
    UTF-8 (with a byte order mark, CRLF line ends or neither); else None."""
    base = len(codecs.BOM_UTF8) if raw.startswith(codecs.BOM_UTF8) else 0
    body = memoryview(raw)[base:]
    crs: list[int] = []  # where each CR of a CRLF was dropped, in text offsets
    if not _is_utf8_of(body, text):
        if b"\r\n" not in raw:
            return None  # (known without the two copies below)
        enc = text.encode("utf-8")
        if raw[base:].replace(b"\r\n", b"\n") != enc:
            return None
        at = raw.find(b"\r\n", base)
        n = 0
        while at >= 0:
            crs.append(at - base - n)  # a byte offset into enc
            n += 1
            at = raw.find(b"\r\n", at + 2)
    if text.isascii():
        if not crs:
            return lambda i: base + i
        return lambda i: base + i + bisect.bisect_left(crs, i)
    # Bytes before each character, counted as the passages come (in order).
    last = [0, 0]  # text offset, enc offset

    def at_char(i: int) -> int:
        c, b = last
        b += len(text[c:i].encode("utf-8")) if i >= c else -len(text[i:c].encode("utf-8"))
        last[0], last[1] = i, b
        return base + b + (bisect.bisect_left(crs, b) if crs else 0)

    return at_char


def _is_utf8_of(body: memoryview, text: str, chars: int = 1 << 20) -> bool:
    """Whether body is text in UTF-8, compared a piece at a time: encoding a 20 MB article
    whole made a copy as big as its file at the app's peak of memory."""
    at = 0
    for i in range(0, len(text), chars):
        piece = text[i : i + chars].encode("utf-8")
        if body[at : at + len(piece)] != piece:
            return False
        at += len(piece)
    return at == len(body)


def _byte_spans(raw: bytes, text: str, ranges: list[Range]) -> array[int]:
    """Where each passage of text lies in raw, the file's bytes: its start and end, flat
    ((-1, -1): nowhere as it is).

    Most files are their text in UTF-8 (_byte_offsets maps every offset). In the others,
    reading changed some characters (NFC, control characters made visible, another
    encoding): a passage untouched by that is still found as it is, in order, a little
    after the one before; only the others are read from the whole text.
    """
    out: array[int] = array("q")
    to_byte = _byte_offsets(raw, text)
    if to_byte is not None:
        for r in ranges:
            out.extend((to_byte(r.start), to_byte(r.end)))
        return out
    at = lag = 0  # bytes: where the last passage found ends; passages not found since
    for r in ranges:
        enc = text[r.start : r.end].encode("utf-8")
        i = raw.find(enc, at, at + 2 * (lag + len(enc)) + 4096)
        if i < 0:
            out.extend((-1, -1))
            lag += len(enc)
        else:
            out.extend((i, i + len(enc)))
            at, lag = i + len(enc), 0
    return out


def prepare(path: str, doc: Document | None = None, count_words: bool = True) -> Prepared:
    """Read and split one file (doc: its text already in memory), counting its words when
    asked. Raises UnreadableFile or OSError."""
    from pathlib import Path

    from reader.core.document import Document

    st = os.stat(path)  # before reading: a change while it is read shows next time
    doc = doc or Document.load(Path(path))
    text = doc.text
    with open(path, "rb") as f:
        raw = f.read()
    ranges = passages_of(doc)
    spans = _byte_spans(raw, text, ranges) if len(raw) == st.st_size else None
    del raw
    rows: array[int] = array("q")
    texts: list[str] = []
    words: Counter[str] = Counter()
    for k, r in enumerate(ranges):
        line, col = doc.line_col(r.start)
        b0, b1 = (spans[2 * k], spans[2 * k + 1]) if spans is not None else (-1, -1)
        rows.extend((r.start, r.end, line, col, b0, b1))
        part = text[r.start : r.end]
        texts.append(fts_text(part))
        if count_words:
            words.update({plain(w) for w in TOKEN.findall(part.lower())})
    return Prepared(path, st.st_size, st.st_mtime_ns, rows, texts, words)


def stale(db: IndexDB, files: Iterable[StrPath]) -> list[StrPath]:
    """Files whose size or mtime differ from what was indexed."""
    known = db.files_table()
    out = []
    for f in files:
        p = file_key(f)
        try:
            st = os.stat(p)
        except OSError:
            continue
        row = known.get(p)
        if row is None or row[1] != st.st_size or row[2] != st.st_mtime_ns:
            out.append(f)
    return out


def update(
    db: IndexDB,
    files: Sequence[StrPath],
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    loaded: Document | None = None,
    workers: int | None = None,
    searched_meanwhile: bool = False,
) -> IndexReport:
    """Index new and changed files; drop none (other libraries share the cache).

    searched_meanwhile: the index is searched while this builds (in the app): a big
    build counts its vocabulary again each time the files written double, so typos find
    words from early on (for at most as much work again as the count at the end).

    `loaded` is a document already in memory (the article on screen): it is indexed
    as it is instead of being read a second time. Another process may index the same
    files at the same time: each write checks, under the write lock, whether the other
    did a file already. Many files are read and split in `workers` processes (default:
    one per CPU) while this one writes: forked from a process with one thread (`reader
    search`), started afresh and at a lower priority from one with more (the app).
    """
    report = IndexReport()
    db.start_over_if_worn()
    todo = [file_key(f) for f in stale(db, files)]
    report.unchanged = len(files) - len(todo)
    on_screen = file_key(loaded.path) if loaded is not None and loaded.path is not None else None
    if workers is None:
        workers = os.cpu_count() or 1
    start = _start_method(len(todo))
    if start is None:
        workers = 1
    # Many files: their words are counted once at the end, from the full-text index, in
    # C (a quarter of the build's time went to counting them in Python, and merging).
    count_words = len(todo) < RECOUNT_FROM
    done = 0

    def one_done() -> None:  # a file written, or found unreadable
        nonlocal done
        done += 1
        if progress is not None and (done % 20 == 0 or done == len(todo)):
            progress(done, len(todo))

    def prepared() -> Iterator[Prepared]:
        # (Closed when the writer stops early, so that the worker processes stop too.)
        with closing(
            _prepare_all(todo, loaded, on_screen, workers, count_words, start, cancelled)
        ) as all_prepared:
            for path, got in all_prepared:
                if isinstance(got, str):
                    report.problems.append(f"{path}: {got}")
                    one_done()
                else:
                    yield got
                if cancelled is not None and cancelled():
                    return

    import gc

    collecting = gc.isenabled()
    gc.enable()  # `reader search` runs without the cyclic collector; a build can take minutes
    recount_at = COMMIT_EVERY if searched_meanwhile and not count_words else len(todo) + 1
    try:
        for batch in _batches(prepared(), COMMIT_EVERY):
            _write(db, batch, report, one_done, count_words)
            if report.indexed >= recount_at:
                recount_vocab(db.conn)
                recount_at *= 2
        if _vocab_stale(db.conn):
            recount_vocab(db.conn)
    finally:
        if not collecting:
            gc.disable()
    return report


PARALLEL_FROM = 64  # files: fewer are read in this process (forking workers costs ~0.3 s)
SPAWN_FROM = 200  # files, from a threaded process: a started worker imports reader (~0.5 s)
CHILD_NICE = 10  # started workers yield the CPU to the app they index for
RECOUNT_FROM = 200  # files: from this many, the vocabulary is counted again at the end
# Files read ahead of the writer: enough that the workers go on while it writes a batch
# (with 16, they stood idle through each of its commits), and few enough bytes to bound
# the memory used.
IN_FLIGHT = 2 * COMMIT_EVERY
IN_FLIGHT_BYTES = 48 * 1024 * 1024


def _prepare_all(
    todo: list[str],
    loaded: Document | None,
    on_screen: str | None,
    workers: int,
    count_words: bool,
    start: str | None = "fork",
    cancelled: Callable[[], bool] | None = None,
) -> Generator[tuple[str, Prepared | str], None, None]:
    """(path, what prepare gave or why it failed) for each path, in order.

    With workers > 1, files are read in that many processes, started by `start` (a
    multiprocessing start method). Once cancelled, or closed early, the processes are
    stopped at once (not after the file each one reads). A process that dies (killed for
    memory?) leaves the files not read yet to this one.
    """
    if workers <= 1 or start is None:
        for path in todo:
            yield path, _prepare_or_why(path, loaded if path == on_screen else None, count_words)
        return
    import multiprocessing
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    nice = CHILD_NICE if start != "fork" else 0
    tracker = False  # whether this started multiprocessing's resource tracker
    try:
        if start != "fork":
            tracker = _start_resource_tracker()
        pool = ProcessPoolExecutor(
            workers,
            mp_context=multiprocessing.get_context(start),
            initializer=_worker_start,
            initargs=(nice,),
        )
    except (OSError, ValueError):  # no process can be started here: read in this one
        yield from _prepare_all(todo, loaded, on_screen, 1, count_words)
        return
    pending: deque[tuple[str, Future[Prepared | str], int]] = deque()
    ahead = 0  # bytes of the files in pending
    paths = iter(todo)
    stopped = False
    with pool:
        try:
            for path in paths:
                try:
                    size = os.stat(path).st_size
                except OSError:
                    size = 0  # (the worker says why)
                fut = pool.submit(_prepare_or_why, path, None, count_words)
                pending.append((path, fut, size))
                ahead += size
                while pending and (
                    len(pending) >= IN_FLIGHT or ahead > IN_FLIGHT_BYTES or pending[0][1].done()
                ):
                    got = _result(pending[0][1], cancelled)  # (a dead worker: still pending)
                    head, _, size = pending.popleft()
                    ahead -= size
                    yield head, got
            while pending:
                got = _result(pending[0][1], cancelled)
                yield pending.popleft()[0], got
        except (BrokenProcessPool, OSError):  # a worker died (killed for memory?), or
            pass  # one could not be started (too many processes): go on in this one
        except _Cancelled:
            stopped = True
        finally:  # done, cancelled, or the writer stopped (GeneratorExit) or failed
            for _, fut, _ in pending:
                fut.cancel()
            _stop_workers(pool)
            del pool
            if tracker:
                _stop_resource_tracker()
    if stopped:
        return
    for path in [p for p, _, _ in pending] + list(paths):
        yield path, _prepare_or_why(path, None, count_words)


class _Cancelled(Exception):
    """The build was cancelled while a worker read a file."""


def _result(fut: Future[Prepared | str], cancelled: Callable[[], bool] | None) -> Prepared | str:
    """A worker's result, waiting no longer than it takes to notice a cancellation."""
    from concurrent.futures import wait

    while cancelled is not None and not wait([fut], timeout=0.05).done:
        if cancelled():
            raise _Cancelled
    return fut.result()


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """End a pool's processes at once, busy or not (Python 3.14 has kill_workers).

    Busy, they read files no longer wanted (a big one takes seconds). Idle, they are
    killed too: shutting down lets them end on their own, but a worker killed from
    outside as it waited for work (holding the queue's lock) left the others waiting for
    it, and the shutdown with them, for ever.
    """
    for proc in list((getattr(pool, "_processes", None) or {}).values()):
        proc.kill()
    # A worker killed while it sent a result leaves half of it in the pipe, which the
    # pool's thread would wait for the rest of: with this process's own copy of the
    # pipe's writing end closed, it finds the pipe's end instead, and gives up.
    results = getattr(pool, "_result_queue", None)
    writer = getattr(results, "_writer", None)
    if writer is not None:
        writer.close()
    pool.shutdown(wait=True, cancel_futures=True)


def _start_resource_tracker() -> bool:
    """Start multiprocessing's resource tracker (a process that started workers need),
    unless it runs; whether this started it.

    It is given sys.stderr's file number: in the app, Textual's stand-in says -1, which
    fails the start. A stand-in that says /dev/null's, and passes what other threads
    write on to the stream it stands in for, is put there meanwhile.
    """
    import sys
    from contextlib import redirect_stderr
    from multiprocessing import resource_tracker

    class Quiet:
        def __init__(self, inner: object, fd: int) -> None:
            self.inner, self.fd = inner, fd

        def fileno(self) -> int:
            return self.fd

        def __getattr__(self, name: str) -> object:
            return getattr(self.inner, name)

    if getattr(getattr(resource_tracker, "_resource_tracker", None), "_fd", None) is not None:
        return False  # (started before: not this build's to stop)
    fd = os.open(os.devnull, os.O_WRONLY)
    try:
        with redirect_stderr(cast("IO[str]", Quiet(sys.stderr, fd))):
            resource_tracker.ensure_running()
    finally:
        os.close(fd)
    return True


def _stop_resource_tracker() -> None:
    """End the resource tracker once the pool's locks are gone, so that the app does not
    keep an idle process for the rest of its run (and reaps it: no zombie is left)."""
    import gc
    from multiprocessing import resource_tracker

    gc.collect()  # (the pool's queues and their named locks, unlinked as they go)
    stop = getattr(getattr(resource_tracker, "_resource_tracker", None), "_stop", None)
    if stop is not None:
        stop()


def _worker_start(nice: int) -> None:
    """Run in each worker process as it starts: at a lower priority (nice), and when
    started afresh, saying nothing on the app's screen (its errors come back pickled)."""
    if nice:
        os.nice(nice)
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.dup2(null, 2)
        os.close(null)


def _start_method(files: int) -> str | None:
    """How worker processes are started to read this many files (None: none are)."""
    if files < PARALLEL_FROM:
        return None
    if _can_fork():
        return "fork"
    return "spawn" if files >= SPAWN_FROM else None


def _can_fork() -> bool:
    """Whether worker processes can be forked from this one safely.

    Only from a process with one thread: a forked child of a threaded one (the app,
    which indexes from a worker thread) can hang on a lock another thread held. Those
    start theirs afresh ("spawn": `python -m reader` and the `reader` script do not run
    their command again in a child, which imports only what a worker needs; a script
    that indexes from a thread runs its main part under `if __name__ == "__main__"`).
    """
    import multiprocessing
    import threading

    return threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods()


def _prepare_or_why(
    path: str, doc: Document | None = None, count_words: bool = True
) -> Prepared | str:
    from reader.core.text import UnreadableFile

    try:
        return prepare(path, doc, count_words)
    except (UnreadableFile, OSError) as err:
        return str(err)


def _batches(items: Iterator[Prepared], size: int) -> Iterator[list[Prepared]]:
    """Items in lists of size at most (fewer for big articles: a 20 MB one counts ~60)."""
    batch: list[Prepared] = []
    weight = 0
    for item in items:
        batch.append(item)
        weight += 1 + item.passages // 500
        if weight >= size:
            yield batch
            batch, weight = [], 0
    if batch:
        yield batch


def _write(
    db: IndexDB,
    batch: list[Prepared],
    report: IndexReport,
    one_done: Callable[[], None],
    count_words: bool = True,
) -> None:
    """Write prepared files into the index, in one transaction under the write lock.
    Without count_words, the vocabulary is marked to be counted again (recount_vocab)."""
    conn = db.conn
    conn.execute("BEGIN IMMEDIATE")  # waits (busy timeout) while another process writes
    try:
        if not count_words:  # (kept in the index: a build cut short is recounted next time)
            conn.execute("INSERT OR REPLACE INTO meta VALUES('vocab_stale', '1')")
        row = conn.execute("SELECT value FROM meta WHERE key='next_passage'").fetchone()
        next_id = int(row[0]) if row is not None else 1
        words: Counter[str] = Counter()
        for p in batch:
            old = conn.execute(
                "SELECT id, size, mtime_ns, first_pid, passages FROM files WHERE path=?", (p.path,)
            ).fetchone()
            if old is not None and (old[1], old[2]) == (p.size, p.mtime_ns):
                report.unchanged += 1  # another process indexed it meanwhile
                one_done()
                continue
            if old is not None:
                _drop_file(conn, old[0], old[3], old[4])
            file_id = conn.execute(
                "INSERT INTO files(path, size, mtime_ns, first_pid, passages) VALUES(?,?,?,?,?)",
                (p.path, p.size, p.mtime_ns, next_id, p.passages),
            ).lastrowid
            ids = range(next_id, next_id + p.passages)
            next_id += p.passages
            conn.executemany(
                "INSERT INTO passages(id, file_id, start, length, line, col, bshift, bextra) "
                "VALUES(?,?,?,?,?,?,?,?)",
                (
                    (i, file_id, a, b - a, line, col, *_bytes_as_stored(a, b, b0, b1))
                    for i, (a, b, line, col, b0, b1) in zip(ids, p.rows(), strict=True)
                ),
            )
            conn.executemany(
                "INSERT INTO passages_fts(rowid, text) VALUES(?,?)",
                zip(ids, p.texts, strict=True),
            )
            if count_words:
                words.update(p.words)
            report.indexed += 1
            one_done()
        conn.execute(
            "INSERT INTO meta VALUES('next_passage', ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (str(next_id),),
        )
        if count_words:
            _add_vocab(conn, words)
        db.commit()
    except BaseException:
        conn.rollback()
        raise


def _bytes_as_stored(a: int, b: int, b0: int, b1: int) -> tuple[int | None, int | None]:
    """(bshift, bextra) of the passage a..b at bytes b0..b1 (see the schema in db)."""
    return (None, None) if b0 < 0 else (b0 - a, (b1 - b0) - (b - a))


def _drop_file(conn: sqlite3.Connection, file_id: int, first_pid: int, count: int) -> None:
    """Remove a file's passages. Their rows in the full-text table stay, matching no
    passage: a contentless table forgets a row only when told its old text (SQLite 3.43
    would, with contentless_delete), and the file no longer holds it. Passage ids are
    never used twice, so those rows never stand for another passage; they are counted
    (meta 'orphans')."""
    conn.execute("DELETE FROM passages WHERE id >= ? AND id < ?", (first_pid, first_pid + count))
    conn.execute("DELETE FROM files WHERE id=?", (file_id,))
    conn.execute(
        "INSERT INTO meta VALUES('orphans', ?) "
        "ON CONFLICT(key) DO UPDATE SET value = value + excluded.value",
        (count,),
    )


# The vocabulary's words: 3 to 30 characters (CJK characters are words of one), not all
# digits; n is the number of passages that hold the word.
_VOCAB_WORD = "length({0}) BETWEEN 3 AND 30 AND {0} GLOB '*[^0-9]*'"


def _add_vocab(conn: sqlite3.Connection, words: Counter[str]) -> None:
    """Count a few files' words in the vocabulary that query words are matched against."""
    conn.executemany(
        "INSERT INTO vocab(word, n) SELECT :w, :n WHERE " + _VOCAB_WORD.format(":w") + " "
        "ON CONFLICT(word) DO UPDATE SET n = n + excluded.n",
        ({"w": w, "n": n} for w, n in words.items()),
    )


def _vocab_stale(conn: sqlite3.Connection) -> bool:
    row = conn.execute("SELECT 1 FROM meta WHERE key='vocab_stale'").fetchone()
    return row is not None


def recount_vocab(conn: sqlite3.Connection) -> None:
    """Count the vocabulary again from the full-text index's own list of its words (in C:
    about a second per 100 MB of text), after a build that did not count them."""
    conn.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.fts_words "
        "USING fts5vocab(main, passages_fts, 'row')"
    )
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute("DELETE FROM vocab")
        conn.execute(
            "INSERT INTO vocab(word, n) SELECT term, doc FROM temp.fts_words WHERE "
            + _VOCAB_WORD.format("term")
        )
        conn.execute("DELETE FROM meta WHERE key='vocab_stale'")
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
