"""Finding articles by a few words of their title or path, typos allowed (`o`).

Each query word is matched on its own against the words of every title and path, so
`memry barirs` finds "Memory Barriers" as the library search (F) would: a word counts when
it starts a word there, lies inside one, or is close to one by edit distance (rapidfuzz),
with a threshold per word that is stricter for short words. An article is found when every
query word is.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz, process

_WORD = re.compile(r"[^\W_]+")
# A typo'd word this similar (rapidfuzz ratio, 0-100) to a word of a name counts;
# short words get fewer letters of slack.
_CLOSE = 75.0
_CLOSE_SHORT = 85.0


def words(text: str) -> list[str]:
    """The words of a title or path, lower case (`driver-api/cxl.txt` -> driver api cxl txt)."""
    return _WORD.findall(text.casefold())


class ArticleMatcher:
    """Names (an article's title and path) split into words once; queries matched fast."""

    def __init__(self, names: list[str]) -> None:
        self.names = [n.casefold() for n in names]
        self._words = [words(n) for n in names]  # in order: a word near the start ranks first
        self._vocab = sorted({w for ws in self._words for w in ws})

    def _word_scores(self, q: str) -> dict[str, float]:
        """Words of the library that the query word q matches, with how well (0-100)."""
        cutoff = _CLOSE_SHORT if len(q) <= 4 else _CLOSE
        found: dict[str, float] = {}
        if len(q) >= 3:  # a typo in a word of one or two letters matches everything
            for word, score, _ in process.extract(
                q, self._vocab, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None
            ):
                found[word] = score
        for word in self._vocab:
            if word.startswith(q):
                found[word] = 100.0
            elif len(q) >= 3 and q in word:
                found[word] = max(found.get(word, 0.0), 90.0)
        return found

    def match(self, query: str) -> list[tuple[float, int]]:
        """(score 0..100, index) of the names matching every word of the query, best first;
        a name holding the query as it was typed comes first."""
        q = query.casefold().strip()
        if not q:
            return [(100.0, i) for i in range(len(self.names))]
        per_word = [self._word_scores(w) for w in words(q)]
        ranked: list[tuple[float, int, int]] = []  # score, where the first match is, index
        for i, name in enumerate(self.names):
            if q in name:
                ranked.append((100.0, name.index(q), i))
                continue
            if not per_word:
                continue
            total, first = 0.0, len(self._words[i])
            for scores in per_word:
                found = [(scores.get(w, 0.0), -at) for at, w in enumerate(self._words[i])]
                best, at = max(found, default=(0.0, 0))
                if not best:
                    break
                total, first = total + best, min(first, -at)
            else:
                ranked.append((total / len(per_word) * 0.99, first, i))
        ranked.sort(key=lambda t: (-t[0], t[1]))
        return [(score, i) for score, _, i in ranked]
