"""What a search gives back: passages found (Hit, with a one-line snippet), and the
searches that need no index: annotations (search_notes) and article titles
(match_titles)."""

from __future__ import annotations

import bisect
import os
import re
import stat
from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

from rapidfuzz import fuzz

from reader.core.search.query import Candidate

if TYPE_CHECKING:
    from pathlib import Path

    from reader.core.annotation import Annotation

_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)


class Hit(NamedTuple):
    """A passage found: where it is, its text, its score and the matched words in it."""

    file: str  # (a str: `reader search` never loads pathlib; `path` is its Path)
    start: int
    end: int
    line: int
    col: int
    text: str
    score: float
    marks: tuple[tuple[int, int], ...]  # matched words, offsets into text

    @property
    def path(self) -> Path:
        from pathlib import Path

        return Path(self.file)

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


def read_passages(found: list[Candidate]) -> tuple[list[tuple[Candidate, str]], list[str]]:
    """Each candidate passage with its text, read from its file (the index keeps none);
    and the files that changed since they were indexed (size or mtime), or are gone: their
    passages are left out, as their offsets may be wrong now.

    A file is opened once without blocking, and read only when it is still the regular
    file of that size and mtime; a passage is read at its byte offsets (a few hundred
    bytes), or, for a file whose bytes are not its text in UTF-8, from the whole text.
    """
    by_file: dict[str, list[Candidate]] = {}
    for c in found:
        by_file.setdefault(c[1], []).append(c)
    out: list[tuple[Candidate, str]] = []
    changed: list[str] = []
    for path, cands in by_file.items():
        try:
            fd = os.open(path, _OPEN_FLAGS)
        except OSError:
            changed.append(path)
            continue
        try:
            st = os.fstat(fd)
            size, mtime = cands[0][8], cands[0][9]
            if not stat.S_ISREG(st.st_mode) or (st.st_size, st.st_mtime_ns) != (size, mtime):
                changed.append(path)
                continue
            whole: str | None = None
            for c in cands:
                if c[6] >= 0:
                    text = os.pread(fd, c[7] - c[6], c[6]).decode("utf-8", "replace")
                    if "\r" in text:
                        text = text.replace("\r\n", "\n")
                else:
                    if whole is None:
                        whole = _text_of(path)
                    text = whole[c[2] : c[3]]
                out.append((c, text))
        except OSError:
            changed.append(path)
        finally:
            os.close(fd)
    return out, changed


def _text_of(path: str) -> str:
    """The whole text of a file, as reader reads it (any encoding, normalized; a web page's
    or an e-book's extracted text, from the extraction cache)."""
    from pathlib import Path

    from reader.core.document import Document
    from reader.core.text import UnreadableFile

    try:
        return Document.load(Path(path)).text
    except UnreadableFile as err:
        raise OSError(str(err)) from None


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
    """An annotation found by search_notes."""

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
