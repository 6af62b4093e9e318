"""Building the index: each file's passages into the full-text table, and its words into
the vocabulary and the one-deletion table that typo'd query words are looked up in."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from reader.core.search.db import IndexDB, StrPath, file_key
from reader.core.search.query import TOKEN, has_cjk, one_deletions

if TYPE_CHECKING:
    from reader.core.document import Document, Range

# Reading and splitting documents loads only when indexing: `reader search` starts a
# fresh process per query, and most find the index up to date.

PASSAGE_MAX = 700  # longer paragraphs are cut at sentence ends
INSERT_BATCH = 2000  # passages per insert while indexing
COMMIT_EVERY = 200  # files per transaction


class IndexReport:
    """What an update did."""

    def __init__(self) -> None:
        self.indexed = 0
        self.unchanged = 0
        self.problems: list[str] = []

    def __repr__(self) -> str:
        return f"IndexReport({self.indexed} indexed, {self.unchanged} unchanged, {self.problems})"


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
) -> IndexReport:
    """Index new and changed files; drop none (other libraries share the cache).

    `loaded` is a document already in memory (the article on screen): it is indexed
    as it is instead of being read a second time.
    """
    from reader.core.text import UnreadableFile

    report = IndexReport()
    todo = stale(db, files)
    report.unchanged = len(files) - len(todo)
    db.forget_files()
    vocab: Counter[str] = Counter()
    on_screen = file_key(loaded.path) if loaded is not None and loaded.path is not None else None
    for i, f in enumerate(todo):
        if cancelled is not None and cancelled():
            break
        try:
            _index_file(db, f, vocab, loaded if file_key(f) == on_screen else None)
            report.indexed += 1
        except (UnreadableFile, OSError) as err:
            report.problems.append(f"{f}: {err}")
        if progress is not None and (i % 20 == 0 or i == len(todo) - 1):
            progress(i + 1, len(todo))
        if i % COMMIT_EVERY == COMMIT_EVERY - 1:
            _add_vocab(db, vocab)
            vocab.clear()
            db.commit()
    _add_vocab(db, vocab)
    _expand_vocab(db)
    if todo:
        db.commit()
    else:
        db.conn.commit()
    return report


def _index_file(db: IndexDB, f: StrPath, vocab: Counter[str], doc: Document | None) -> None:
    from reader.core.document import Document

    conn = db.conn
    real = file_key(f)
    st = os.stat(real)
    doc = doc or Document.load(Path(real))
    old = conn.execute("SELECT id FROM files WHERE path=?", (real,)).fetchone()
    if old is not None:
        _drop_file(db, old[0])
    cur = conn.execute(
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
        conn.executemany(
            "INSERT INTO passages(file_id, start, end, line, col, text) VALUES(?,?,?,?,?,?)",
            rows,
        )
        vocab.update(TOKEN.findall(text[batch[0].start : batch[-1].end].lower()))
    conn.execute(
        "INSERT INTO passages_fts(rowid, text) "
        "SELECT id, fts_text(text) FROM passages WHERE file_id=?",
        (file_id,),
    )


def _drop_file(db: IndexDB, file_id: int) -> None:
    # External-content FTS: delete each row with its old text (SQLite 3.40 has no
    # contentless_delete).
    db.conn.execute(
        "INSERT INTO passages_fts(passages_fts, rowid, text) "
        "SELECT 'delete', id, fts_text(text) FROM passages WHERE file_id=?",
        (file_id,),
    )
    db.conn.execute("DELETE FROM passages WHERE file_id=?", (file_id,))
    db.conn.execute("DELETE FROM files WHERE id=?", (file_id,))


def _add_vocab(db: IndexDB, vocab: Counter[str]) -> None:
    rows = [
        (w, n) for w, n in vocab.items() if 3 <= len(w) <= 30 and not w.isdigit() and not has_cjk(w)
    ]
    db.conn.executemany(
        "INSERT INTO vocab(word, n) VALUES(?, ?) "
        "ON CONFLICT(word) DO UPDATE SET n = n + excluded.n",
        rows,
    )


def _expand_vocab(db: IndexDB) -> None:
    """One-deletion keys for the words new to the vocabulary (symmetric delete)."""
    new = [w for (w,) in db.conn.execute("SELECT word FROM vocab WHERE expanded = 0")]
    db.conn.executemany(
        "INSERT OR IGNORE INTO deletes(key, word) VALUES(?, ?)",
        ((k, w) for w in new for k in one_deletions(w)),
    )
    db.conn.execute("UPDATE vocab SET expanded = 1 WHERE expanded = 0")
