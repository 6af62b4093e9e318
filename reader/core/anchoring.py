"""Re-find an annotation's passage in a text that may have changed.

Order of attempts: the exact quote at the hint; the exact quote elsewhere,
context choosing between occurrences; then fuzzy matching (rapidfuzz) that
weighs quote similarity, context similarity and distance from the hint. All
comparisons run on a folded text (whitespace runs as one space, curly quotes
and dashes straight) so re-wrapping or typography changes do not break a mark.
A doubtful match becomes an orphan: a wrong anchor is worse than none.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from reader.core.annotation import Target
from reader.core.text import normalize

ANCHORED, MOVED, FUZZY, ORPHAN = "anchored", "moved", "fuzzy", "orphan"
# Quotes shorter than this are never matched fuzzily: too many near-misses.
MIN_FUZZY_QUOTE = 12
MIN_QUOTE_SCORE = 82.0
MAX_OCCURRENCES = 200

_FOLD_TABLE = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\t": " ",
        "\n": " ",
        "\r": " ",
        "\f": " ",
        "\v": " ",
    }
)
_WS_RUN = re.compile(r"[ ]{2,}")


@dataclass(frozen=True)
class Resolution:
    status: str
    start: int
    end: int
    score: float = 100.0

    @property
    def found(self) -> bool:
        return self.status != ORPHAN


def fold(s: str) -> str:
    """What anchoring compares: typography and whitespace folded away."""
    return _WS_RUN.sub(" ", normalize(s).translate(_FOLD_TABLE))


class FoldedText:
    """A text folded for matching, with a map back to original offsets."""

    def __init__(self, text: str) -> None:
        self.text = text
        one_to_one = text.translate(_FOLD_TABLE)
        # Each collapsed run shifts later positions; keep (folded_pos, shift) pairs.
        self._fpos: list[int] = []
        self._shift: list[int] = []
        parts: list[str] = []
        last = 0
        shift = 0
        for m in _WS_RUN.finditer(one_to_one):
            parts.append(one_to_one[last : m.start() + 1])
            last = m.end()
            shift += m.end() - m.start() - 1
            self._fpos.append(m.start() + 1 - (shift - (m.end() - m.start() - 1)))
            self._shift.append(shift)
        parts.append(one_to_one[last:])
        self.folded = "".join(parts)

    def to_orig(self, fpos: int) -> int:
        i = bisect.bisect_right(self._fpos, fpos) - 1
        return fpos + (self._shift[i] if i >= 0 else 0)

    def to_folded(self, opos: int) -> int:
        lo, hi = 0, len(self.folded)
        while lo < hi:  # to_orig is monotonic
            mid = (lo + hi) // 2
            if self.to_orig(mid) < opos:
                lo = mid + 1
            else:
                hi = mid
        return lo


def _ctx_score(text: str, s: int, e: int, pre: str, suf: str) -> float:
    """0..100: how well the folded text around [s, e) matches the (folded) saved context."""
    from rapidfuzz import fuzz  # here, not at the top: opening an article seldom needs it

    scores = []
    if pre:
        before = fold(text[max(0, s - 2 * len(pre) - 8) : s])
        scores.append(fuzz.ratio(pre, before[-len(pre) :]))
    if suf:
        after = fold(text[e : e + 2 * len(suf) + 8])
        scores.append(fuzz.ratio(suf, after[: len(suf)]))
    return sum(scores) / len(scores) if scores else 50.0


class Anchorer:
    """Resolves many targets against one text, folding it once."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._ft: FoldedText | None = None
        self._delta = 0

    @property
    def ft(self) -> FoldedText:
        if self._ft is None:
            self._ft = FoldedText(self.text)
        return self._ft

    def resolve(self, t: Target) -> Resolution:
        text = self.text
        if not t.quote:
            return Resolution(ORPHAN, t.start, t.end, 0.0)
        if text[t.start : t.end] == t.quote:
            return Resolution(ANCHORED, t.start, t.end)
        # Most edits shift everything after them by one amount: try the last shift seen.
        d = self._delta
        s, e = t.start + d, t.end + d
        if d and text[s:e] == t.quote and self._context_is_exact(t, s, e):
            return Resolution(MOVED, s, e)
        hit = self._exact_elsewhere(t) or self._fuzzy(t)
        if hit.found:
            self._delta = hit.start - t.start
        return hit

    def _context_is_exact(self, t: Target, s: int, e: int) -> bool:
        text = self.text
        return text[max(0, s - len(t.prefix)) : s] == t.prefix and (
            text[e : e + len(t.suffix)] == t.suffix
        )

    def _exact_elsewhere(self, t: Target) -> Resolution | None:
        spans = [(o, o + len(t.quote)) for o in _occurrences(self.text, t.quote)]
        if not spans:
            # Same words after folding (re-wrapped, straightened quotes...).
            ft = self.ft
            q = fold(t.quote)
            if not q.strip():
                return None
            spans = [
                (ft.to_orig(o), ft.to_orig(o + len(q) - 1) + 1) for o in _occurrences(ft.folded, q)
            ]
        return self._choose(t, spans) if spans else None

    def _choose(self, t: Target, spans: list[tuple[int, int]]) -> Resolution | None:
        text = self.text
        # Quote and both contexts exactly as saved: take the one nearest the hint.
        whole = [(s, e) for s, e in spans if self._context_is_exact(t, s, e)]
        if whole:
            s, e = min(whole, key=lambda se: abs(se[0] - t.start))
            return Resolution(ANCHORED if (s, e) == (t.start, t.end) else MOVED, s, e, 100.0)
        pre, suf = fold(t.prefix), fold(t.suffix)
        best: tuple[float, int, int, float] | None = None
        for s, e in spans:
            ctx = _ctx_score(text, s, e, pre, suf)
            dist = abs(s - t.start) / max(1, len(text))
            score = ctx - 10 * dist
            if best is None or score > best[0]:
                best = (score, s, e, ctx)
        assert best is not None
        _, s, e, ctx = best
        unique = len(spans) == 1
        # A repeated or short quote needs its context to vouch for it.
        if not unique and ctx < 60:
            return None
        if unique and len(t.quote) < 8 and ctx < 40:
            return None
        status = ANCHORED if (s, e) == (t.start, t.end) else MOVED
        return Resolution(status, s, e, 100.0)

    def _fuzzy(self, t: Target) -> Resolution:
        from rapidfuzz import fuzz

        orphan = Resolution(ORPHAN, t.start, t.end, 0.0)
        q = fold(t.quote)
        if len(q) < MIN_FUZZY_QUOTE:
            return orphan
        ft = self.ft
        f = ft.folded
        hint = ft.to_folded(min(t.start, len(self.text)))
        span = max(2000, 4 * len(q))
        windows = [(max(0, hint - span), min(len(f), hint + span + len(q)))]
        if windows[0] != (0, len(f)):
            windows.append((0, len(f)))
        pre, suf = fold(t.prefix), fold(t.suffix)
        for lo, hi in windows:
            al = fuzz.partial_ratio_alignment(q, f[lo:hi], score_cutoff=MIN_QUOTE_SCORE)
            if al is None:
                continue
            fs, fe = lo + al.dest_start, lo + al.dest_end
            fs, fe = _refine(f, fs, fe, q)
            qscore = fuzz.ratio(q, f[fs:fe])
            if qscore < MIN_QUOTE_SCORE or not (0.75 <= (fe - fs) / len(q) <= 1.33):
                continue
            start, end = ft.to_orig(fs), ft.to_orig(fe - 1) + 1
            ctx = _ctx_score(self.text, start, end, pre, suf)
            if qscore < 92 and ctx < 50:
                continue
            return Resolution(FUZZY, start, end, round(0.75 * qscore + 0.25 * ctx, 1))
        return orphan


def _refine(f: str, fs: int, fe: int, q: str) -> tuple[int, int]:
    """partial_ratio aligns a window of the quote's length; grow or shrink its ends
    over word boundaries to the span most like the quote."""
    from rapidfuzz import fuzz

    fs, fe = _snap(f, fs, fe, q)
    slack = max(8, len(q) // 4)

    def bounds(lo: int, hi: int) -> list[int]:
        lo, hi = max(0, lo), min(len(f), hi)
        return [
            i
            for i in range(lo, hi + 1)
            if i in (0, len(f)) or not (f[i - 1].isalnum() and f[i].isalnum())
        ]

    best = (fuzz.ratio(q, f[fs:fe]), fs, fe)
    for e in bounds(fe - slack, fe + slack):
        if e > fs:
            best = max(best, (fuzz.ratio(q, f[fs:e]), fs, e))
    _, fs, fe = best
    for b in bounds(fs - slack, fs + slack):
        if b < fe:
            best = max(best, (fuzz.ratio(q, f[b:fe]), b, fe))
    _, fs, fe = best
    while fs < fe and f[fs] == " ":
        fs += 1
    while fe > fs and f[fe - 1] == " ":
        fe -= 1
    return fs, fe


def _snap(f: str, fs: int, fe: int, q: str) -> tuple[int, int]:
    """Grow a match to whole words at both ends, and to the quote's edge punctuation."""
    if fe < len(f) and f[fe] == q[-1] and not q[-1].isalnum() and f[fe - 1] != q[-1]:
        fe += 1
    if fs > 0 and f[fs - 1] == q[0] and not q[0].isalnum() and f[fs] != q[0]:
        fs -= 1
    while fs > 0 and f[fs - 1].isalnum() and f[fs].isalnum():
        fs -= 1
    while fe < len(f) and f[fe - 1].isalnum() and f[fe].isalnum():
        fe += 1
    return fs, fe


def _occurrences(haystack: str, needle: str) -> list[int]:
    """Where needle occurs (at most MAX_OCCURRENCES places)."""
    out: list[int] = []
    i = haystack.find(needle)
    while i != -1 and len(out) < MAX_OCCURRENCES:
        out.append(i)
        i = haystack.find(needle, i + 1)
    return out


def resolve(text: str, target: Target) -> Resolution:
    return Anchorer(text).resolve(target)
