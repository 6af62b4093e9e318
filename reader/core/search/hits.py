"""What a search gives back: passages found (Hit, with a one-line snippet), and the
searches that need no index: annotations (search_notes) and article titles
(match_titles)."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from rapidfuzz import fuzz

if TYPE_CHECKING:
    from reader.core.annotation import Annotation


class Hit(NamedTuple):
    """A passage found: where it is, its text, its score and the matched words in it."""

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
