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
from enum import StrEnum
from itertools import accumulate, chain

from reader.core.annotation import Target
from reader.core.text import normalize


class Status(StrEnum):
    """How an annotation was found again (a str: "anchored" == Status.ANCHORED)."""

    ANCHORED = "anchored"  # exactly where it was saved
    MOVED = "moved"  # the exact quote, elsewhere
    FUZZY = "fuzzy"  # a passage like the quote, where the context says
    ORPHAN = "orphan"  # not found: a wrong anchor is worse than none


ANCHORED, MOVED, FUZZY, ORPHAN = Status.ANCHORED, Status.MOVED, Status.FUZZY, Status.ORPHAN

# Quotes shorter than this are compared word by word only through their context; below
# MIN_SHORT_FUZZY characters they are never matched fuzzily: too many near-misses.
MIN_FUZZY_QUOTE = 12
MIN_SHORT_FUZZY = 6
# A short quote, or one in a script written without spaces (CJK, Thai), may differ by
# one edit (insert, delete, replace) per this many characters, and at least one.
CHARS_PER_EDIT = 10
# rapidfuzz ratio (0..100) a longer quote needs to count as the same passage.
MIN_QUOTE_SCORE = 82.0
# A fuzzy match this good needs no help from its context; below it the context must agree.
SURE_QUOTE_SCORE = 92.0
# Context scores (0..100, see _ctx_score).
CONTEXT_TRUSTED = 90.0  # an exact quote with this context is taken without looking further
CONTEXT_PICKS_REPEAT = 60.0  # a repeated quote's best context must reach this
CONTEXT_VOUCHES = 50.0  # a fuzzy match or a short quote needs at least this
CONTEXT_SHORT_UNIQUE = 40.0  # a short quote found once still needs this much
CONTEXT_UNKNOWN = 50.0  # what a target with no saved context scores
SHORT_QUOTE = 8  # "short" for the unique-quote rule above
# How far a context probe reaches into the saved prefix/suffix (folded characters).
CONTEXT_PROBE = 16
MIN_CONTEXT_PROBE = 4
# Weighing candidates: quote similarity against context similarity, and a small pull
# towards the saved position (per whole text length).
QUOTE_WEIGHT = 0.5
DISTANCE_PENALTY = 10.0
# Fuzzy search: first this many characters either side of the hint, then the whole text.
FUZZY_WINDOW = 2000
LENGTH_RATIO = (0.75, 1.33)  # a fuzzy match's length against the quote's
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
# The same folding for a long text: one C-speed str.replace per character present beats
# str.translate, which looks every character up in the table (1.9 s on 5 MB under load).
_FOLD_PAIRS = tuple((chr(k), str(v)) for k, v in _FOLD_TABLE.items())
_SPACE_RUN = re.compile("  +")  # as _WS_RUN; a literal prefix lets the regex skip ahead


@dataclass(frozen=True)
class Resolution:
    status: Status
    start: int
    end: int
    score: float = 100.0

    @property
    def found(self) -> bool:
        return self.status != ORPHAN


@dataclass(frozen=True)
class _Candidate:
    """A place the quote may be, in original offsets, with how well quote and context fit."""

    start: int
    end: int
    quote: float  # 0..100
    ctx: float  # 0..100
    exact: bool  # the quote itself (raw or folded), not a passage like it

    def weight(self, hint: int, length: int) -> float:
        dist = abs(self.start - hint) / max(1, length)
        return QUOTE_WEIGHT * self.quote + (1 - QUOTE_WEIGHT) * self.ctx - DISTANCE_PENALTY * dist


def fold(s: str) -> str:
    """What anchoring compares: typography and whitespace folded away."""
    return _WS_RUN.sub(" ", normalize(s).translate(_FOLD_TABLE))


def _fold_chars(text: str) -> str:
    """text.translate(_FOLD_TABLE), fast for a long text with few characters to fold."""
    for old, new in _FOLD_PAIRS:
        if old in text:
            text = text.replace(old, new)
    return text


class FoldedText:
    """A text folded for matching, with a map back to original offsets."""

    def __init__(self, text: str) -> None:
        self.text = text
        one_to_one = _fold_chars(text)
        # Each collapsed run shifts later positions; keep (folded_pos, shift) pairs.
        # (Comprehensions, not a loop: a re-spaced 5 MB article has ~50,000 runs.)
        runs = [m.span() for m in _SPACE_RUN.finditer(one_to_one)]
        self._shift: list[int] = list(accumulate(e - s - 1 for s, e in runs))
        self._fpos: list[int] = [
            s + 1 - d for (s, _), d in zip(runs, chain((0,), self._shift), strict=False)
        ]
        # The text between runs, each run kept as one space.
        cuts = zip(
            chain((0,), (e for _, e in runs)),
            chain((s for s, _ in runs), (len(text),)),
            strict=True,
        )
        self.folded = " ".join([one_to_one[a:b] for a, b in cuts]) if runs else one_to_one

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


def _unspaced(c: str) -> bool:
    """A character of a script written without spaces between words (CJK, Thai...)."""
    o = ord(c)
    return (
        0x3040 <= o <= 0x30FF  # hiragana, katakana
        or 0x3400 <= o <= 0x9FFF  # CJK ideographs
        or 0xF900 <= o <= 0xFAFF
        or 0x20000 <= o <= 0x2FFFF
        or 0x0E00 <= o <= 0x0EFF  # Thai, Lao
        or 0x1000 <= o <= 0x109F  # Myanmar
        or 0x1780 <= o <= 0x17FF  # Khmer
    )


def _word_char(c: str) -> bool:
    """Part of a space-delimited word: matches never split these."""
    return c.isalnum() and not _unspaced(c)


def _per_char(q: str) -> bool:
    """Compare q character by character (edits allowed per character), not as a ratio of
    words: short quotes, and quotes mostly in a script without spaces."""
    return len(q) < MIN_FUZZY_QUOTE or sum(map(_unspaced, q)) * 2 >= len(q)


def _quote_score(q: str, found: str) -> float | None:
    """0..100 when found is the quote q, edited a little; None when it is something else."""
    from rapidfuzz import fuzz
    from rapidfuzz.distance import Levenshtein

    if len(q) < MIN_SHORT_FUZZY:
        return 100.0 if found == q else None
    if _per_char(q):
        allowed = max(1, len(q) // CHARS_PER_EDIT)
        if Levenshtein.distance(q, found, score_cutoff=allowed) > allowed:
            return None
        return float(fuzz.ratio(q, found))
    score = float(fuzz.ratio(q, found))
    return score if score >= MIN_QUOTE_SCORE else None


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
    return sum(scores) / len(scores) if scores else CONTEXT_UNKNOWN


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
        # The quote where it was saved, in its saved context: nothing to do. (The same
        # words there in another context may be another occurrence shifted onto the
        # saved offsets: the search below weighs every occurrence.)
        if text[t.start : t.end] == t.quote and self._context_is_exact(t, t.start, t.end):
            return Resolution(ANCHORED, t.start, t.end)
        # Most edits shift everything after them by one amount: try the last shift seen.
        # O(1) per annotation for an article that only moved.
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

    def _exact_spans(self, t: Target) -> list[tuple[int, int]]:
        spans = [(o, o + len(t.quote)) for o in _occurrences(self.text, t.quote)]
        if spans:
            return spans
        # Same words after folding (re-wrapped, straightened quotes...).
        ft = self.ft
        q = fold(t.quote)
        if not q.strip():
            return []
        return [(ft.to_orig(o), ft.to_orig(o + len(q) - 1) + 1) for o in _occurrences(ft.folded, q)]

    def _exact_elsewhere(self, t: Target) -> Resolution | None:
        spans = self._exact_spans(t)
        # Quote and both contexts exactly as saved: take the one nearest the hint.
        whole = [(s, e) for s, e in spans if self._context_is_exact(t, s, e)]
        if whole:
            s, e = min(whole, key=lambda se: abs(se[0] - t.start))
            return Resolution(ANCHORED if (s, e) == (t.start, t.end) else MOVED, s, e, 100.0)
        pre, suf = fold(t.prefix), fold(t.suffix)
        exact = [
            _Candidate(s, e, 100.0, _ctx_score(self.text, s, e, pre, suf), True) for s, e in spans
        ]
        best = max(exact, key=lambda c: c.weight(t.start, len(self.text)), default=None)
        if best is not None and best.ctx >= CONTEXT_TRUSTED:
            return self._accept(t, best, len(spans))
        # The exact words are missing or out of their context: look where the saved context
        # is. A slightly edited passage in its own context beats an exact copy elsewhere
        # (a pull-quote of the old wording).
        for c in self._between_context(t, pre, suf):
            if (c.start, c.end) in spans:
                continue  # the exact quote itself: already weighed as such
            inside = [(s, e) for s, e in spans if c.start <= s and e <= c.end]
            if inside:
                # The quote is still there, in its place, with words added next to it:
                # the mark stays on the quote (it never grows over words nobody marked).
                s, e = min(inside, key=lambda se: abs(se[0] - t.start))
                return self._accept(t, _Candidate(s, e, 100.0, c.ctx, True), 1)
            if best is None or c.weight(t.start, len(self.text)) > best.weight(
                t.start, len(self.text)
            ):
                best = c
        if best is None:
            return None
        return self._accept(t, best, len(spans))

    def _accept(self, t: Target, c: _Candidate, repeats: int) -> Resolution | None:
        """The candidate as a resolution, or None when it is too doubtful to show."""
        if not c.exact:
            score = round(0.75 * c.quote + 0.25 * c.ctx, 1)
            return Resolution(FUZZY, c.start, c.end, score)
        # A repeated or short quote needs its context to vouch for it.
        if repeats > 1 and c.ctx < CONTEXT_PICKS_REPEAT:
            return None
        if repeats <= 1 and len(t.quote) < SHORT_QUOTE and c.ctx < CONTEXT_SHORT_UNIQUE:
            return None
        status = ANCHORED if (c.start, c.end) == (t.start, t.end) else MOVED
        return Resolution(status, c.start, c.end, 100.0)

    def _between_context(self, t: Target, pre: str, suf: str) -> list[_Candidate]:
        """Passages like the quote that sit between the saved prefix and suffix: looked
        for in the text as it is, then (only if that finds none) in the folded text."""
        q = fold(t.quote)
        if len(q) < MIN_SHORT_FUZZY:
            return []
        raw = self._bracketed(self.text, t.prefix, t.suffix, q, None)
        if raw or (t.prefix, t.suffix) == (pre, suf):
            return [self._candidate(s, e, score, pre, suf) for s, e, score in raw]
        ft = self.ft
        folded = self._bracketed(ft.folded, pre, suf, q, ft)
        return [self._candidate(s, e, score, pre, suf) for s, e, score in folded]

    def _candidate(self, s: int, e: int, score: float, pre: str, suf: str) -> _Candidate:
        return _Candidate(s, e, score, _ctx_score(self.text, s, e, pre, suf), False)

    @staticmethod
    def _bracketed(
        h: str, prefix: str, suffix: str, q: str, ft: FoldedText | None
    ) -> list[tuple[int, int, float]]:
        """(start, end, quote score) in original offsets of passages of h like q between
        the end of prefix and the start of suffix (h is the original text when ft is None)."""
        p_probe, s_probe = prefix[-CONTEXT_PROBE:], suffix[:CONTEXT_PROBE]
        # An empty context means the quote touched the article's edge.
        if (p_probe and len(p_probe.strip()) < MIN_CONTEXT_PROBE) or (
            s_probe and len(s_probe.strip()) < MIN_CONTEXT_PROBE
        ):
            return []
        if not p_probe and not s_probe:
            return []
        longest = int(len(q) * LENGTH_RATIO[1]) + CHARS_PER_EDIT
        starts = [o + len(p_probe) for o in _occurrences(h, p_probe)] if p_probe else [0]
        out: list[tuple[int, int, float]] = []
        for lo in starts:
            if s_probe:
                hi = h.find(s_probe, lo, lo + longest + len(s_probe))
            else:
                hi = len(h) if len(h) - lo <= longest else -1
            if hi < 0:
                continue
            while lo < hi and h[lo].isspace():
                lo += 1
            while hi > lo and h[hi - 1].isspace():
                hi -= 1
            if lo == hi:
                continue
            score = _quote_score(q, fold(h[lo:hi]) if ft is None else h[lo:hi])
            if score is None:
                continue
            if ft is None:
                out.append((lo, hi, score))
            else:
                out.append((ft.to_orig(lo), ft.to_orig(hi - 1) + 1, score))
        return out

    def _fuzzy(self, t: Target) -> Resolution:
        from rapidfuzz import fuzz

        orphan = Resolution(ORPHAN, t.start, t.end, 0.0)
        q = fold(t.quote)
        if len(q) < MIN_SHORT_FUZZY:
            return orphan
        per_char = _per_char(q)
        ft = self.ft
        f = ft.folded
        hint = ft.to_folded(min(t.start, len(self.text)))
        span = max(FUZZY_WINDOW, 4 * len(q))
        windows = [(max(0, hint - span), min(len(f), hint + span + len(q)))]
        if windows[0] != (0, len(f)):
            windows.append((0, len(f)))
        pre, suf = fold(t.prefix), fold(t.suffix)
        cutoff = 0.0 if per_char else MIN_QUOTE_SCORE
        for lo, hi in windows:
            al = fuzz.partial_ratio_alignment(q, f[lo:hi], score_cutoff=cutoff)
            if al is None:
                continue
            fs, fe = lo + al.dest_start, lo + al.dest_end
            fs, fe = _refine(f, fs, fe, q)
            qscore = _quote_score(q, f[fs:fe])
            if qscore is None or not (LENGTH_RATIO[0] <= (fe - fs) / len(q) <= LENGTH_RATIO[1]):
                continue
            start, end = ft.to_orig(fs), ft.to_orig(fe - 1) + 1
            ctx = _ctx_score(self.text, start, end, pre, suf)
            # Per-character matches are short or in few, dense characters: many near-misses,
            # so their context must always agree.
            if (per_char or qscore < SURE_QUOTE_SCORE) and ctx < CONTEXT_VOUCHES:
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
            if i in (0, len(f)) or not (_word_char(f[i - 1]) and _word_char(f[i]))
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
    """Grow a match to whole words at both ends, and to the quote's edge punctuation.
    (In scripts without spaces every character is a word edge.)"""
    if fe < len(f) and f[fe] == q[-1] and not q[-1].isalnum() and f[fe - 1] != q[-1]:
        fe += 1
    if fs > 0 and f[fs - 1] == q[0] and not q[0].isalnum() and f[fs] != q[0]:
        fs -= 1
    while fs > 0 and _word_char(f[fs - 1]) and _word_char(f[fs]):
        fs -= 1
    while fe < len(f) and _word_char(f[fe - 1]) and _word_char(f[fe]):
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
