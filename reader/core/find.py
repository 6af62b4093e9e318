"""Find in one article: exact matches first, then close (typo-tolerant) ones."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from reader.core.document import Range

MAX_HITS = 10_000
# Words of the text this close to a query word count as typo'd matches.
FUZZY_WORD_SCORE = 80


@dataclass(frozen=True)
class FindResult:
    hits: list[Range]  # exact hits in document order, then fuzzy ones
    exact: int  # how many of hits are exact


def smart_case(query: str) -> bool:
    """Case-sensitive only when the query has an upper-case letter (as in vim/less)."""
    return any(c.isupper() for c in query)


def find_all(text: str, query: str) -> FindResult:
    if not query.strip():
        return FindResult([], 0)
    flags = 0 if smart_case(query) else re.IGNORECASE
    pattern = re.compile(re.escape(query), flags)
    hits = []
    for m in pattern.finditer(text):
        hits.append(Range(m.start(), m.end()))
        if len(hits) >= MAX_HITS:
            break
    exact = len(hits)
    if len(query.strip()) >= 4 and " " not in query.strip():
        hits += _close_words(text, query.strip(), flags, {h.start for h in hits})
    return FindResult(hits, exact)


def _close_words(text: str, query: str, flags: int, taken: set[int]) -> list[Range]:
    """Whole words within a typo or two of a one-word query, best first."""
    words: dict[str, list[int]] = {}
    for m in re.finditer(r"\w+", text[:5_000_000]):
        w = m.group()
        if abs(len(w) - len(query)) <= 2:
            words.setdefault(w if not flags else w.lower(), []).append(m.start())
    q = query if not flags else query.lower()
    out: list[tuple[float, int, int]] = []
    for w, score, _ in process.extract(
        q, list(words), scorer=fuzz.ratio, score_cutoff=FUZZY_WORD_SCORE, limit=50
    ):
        if w == q:
            continue
        for start in words[w]:
            if start not in taken:
                out.append((-score, start, start + len(w)))
    out.sort()
    return [Range(s, e) for _, s, e in out[:MAX_HITS]]
