"""A query: its words (as the full-text index splits them), their close spellings in the
library's vocabulary, the candidate passages, and their ranking."""

from __future__ import annotations

import functools
import math
import re
import sqlite3
import unicodedata
from collections.abc import Callable, Iterable, Iterator

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA  # edit distance where a swap of two letters is one edit

CANDIDATES = 200  # passages fetched per full-text query, all reranked
MAX_SPELLINGS = 12  # spellings of one query word tried in the full-text query
MAX_WORDS = 64  # words of a query searched (a pasted page is folded: see fold)
MATCHED_WORDS = 8  # of a longer query, its rarest words pick the candidates (all rank them)
STOP_WORDS = frozenset(
    "the and for are but not you all any can had her was one our out has his how its who did "
    "yes she him let say too use that with have this will your from they been were said each "
    "which their there what about would when them then than into unto".split()
)
# Words as the full-text index splits them (unicode61: letters and digits; "_" separates),
# so the vocabulary, a query's words and the ranking see the same words it does.
TOKEN = re.compile(r"[^\W_]+")
_WORD_CHAR = re.compile(r"[^\W_]")
# Chinese and Japanese put no spaces between words (and Korean words inflect), so each of
# these characters is indexed as a word of its own, and a run of them is searched as the
# phrase of its characters: "半导体" finds "中国半导体产业".
_CJK_CLASS = (
    "([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0002fa1f])"
)

# A candidate passage: (id, path, start, end, line, col, byte start, byte end, and the
# file's size and mtime_ns when indexed)
Candidate = tuple[int, str, int, int, int, int, int, int, int, int]


@functools.cache  # compiling these ranges takes 5 ms, a twentieth of a `reader search`
def _cjk() -> re.Pattern[str]:
    return re.compile(_CJK_CLASS)


def has_cjk(s: str) -> bool:
    """Whether s holds a Chinese, Japanese or Korean character (ASCII is checked first)."""
    return not s.isascii() and _cjk().search(s) is not None


def fts_text(s: str) -> str:
    """Text as the full-text index sees it: CJK characters spaced apart."""
    return _cjk().sub(r" \1 ", s) if has_cjk(s) else s


@functools.cache
def _plain_table() -> dict[int, str]:
    """Latin letters with diacritics -> their base letter (unicode61's remove_diacritics)."""
    out: dict[int, str] = {}
    for lo, hi in ((0xC0, 0x24F), (0x1E00, 0x1EFF)):
        for cp in range(lo, hi + 1):
            base = unicodedata.normalize("NFD", chr(cp))[0]
            if base != chr(cp) and base.isascii():
                out[cp] = base
    return out


def plain(word: str) -> str:
    """A word as the full-text index keeps it: Latin letters without their diacritics, so
    "café" and "cafe" are one word in the vocabulary, a query and the ranking."""
    return word if word.isascii() else word.translate(_plain_table())


def tokens(s: str) -> list[str]:
    """The words of s, lower-cased, as the index splits them."""
    return [t.lower() for t in TOKEN.findall(s)]


def fold(words: list[str]) -> list[str]:
    """A query's words as searched: each once, in order, at most MAX_WORDS of them. (The
    work grows with the square of the words: 2,000 pasted words took two minutes.)"""
    return list(dict.fromkeys(words))[:MAX_WORDS]


_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_DIGITS = "0123456789"


def _alphabet(word: str) -> str:
    """Letters a typo in word may have put in or swapped: a-z, digits (in a word that has
    one), and the lower-case letters of the 64-code-point block of each other letter in it
    (é: the accented Latin letters; б: Cyrillic)."""
    ascii_letters = _LETTERS + _DIGITS if any(c.isdigit() for c in word) else _LETTERS
    if word.isascii():
        return ascii_letters
    letters = set(ascii_letters)
    for ch in set(word):
        if ord(ch) >= 128:
            base = ord(ch) & ~0x3F
            letters.update(c for c in map(chr, range(base, base + 64)) if c.isalpha())
    return "".join(sorted(c for c in letters if c.lower() == c))


def one_edit(word: str) -> set[str]:
    """word and every string one edit away: a letter left out, put in, swapped with the
    next, or changed (about 450 strings for an 8-letter word). A query word's spellings
    are those of these the vocabulary holds: looking ~450 keys up costs about a
    millisecond, and a table of every word's one-letter deletions (symmetric delete),
    which would find the same, would be as big as the rest of the index."""
    letters = _alphabet(word)
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    out = {word}
    out.update(a + b[1:] for a, b in splits if b)
    out.update(a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1)
    out.update(a + c + b[1:] for a, b in splits if b for c in letters)
    out.update(a + c + b for a, b in splits for c in letters)
    return out


def inflections(word: str) -> set[str]:
    """English forms of word more than an edit away: battery/batteries, study/studied,
    box/boxes, make/making, and back (a query in the singular finds the plural)."""
    if len(word) < 4 or not word.isascii():
        return set()
    out = {word + "es", word + "ed", word + "ing"}
    if word.endswith("y"):
        out |= {word[:-1] + "ies", word[:-1] + "ied"}
    if word.endswith("e"):
        out.add(word[:-1] + "ing")
    for end, base in (
        ("ies", "y"),
        ("ied", "y"),
        ("es", ""),
        ("ed", ""),
        ("ing", ""),
        ("ing", "e"),
    ):
        if word.endswith(end) and len(word) - len(end) >= 3:
            out.add(word[: -len(end)] + base)
    out.discard(word)
    return out


def typo_limit(word: str) -> int:
    """Edits a query word may be away from a spelling: short words allow fewer."""
    return 1 if len(word) <= 4 else 2


def spellings(db: sqlite3.Connection, word: str) -> dict[str, float]:
    """Close spellings of word in the library, weighted by closeness (1.0 = exact): those
    one edit away, and longer forms of it.

    Each word keeps its MAX_SPELLINGS closest (then most used) spellings: every one more
    widens the full-text query.
    """
    return counted_spellings(db, [word])[0][0]


LOOKUP_CHUNK = 10_000  # keys per vocabulary lookup (SQLite allows 32,766 parameters)


def counted_spellings(
    db: sqlite3.Connection, words: list[str]
) -> list[tuple[dict[str, float], int]]:
    """spellings() of each word, and how many times the library uses them (the word's
    commonness). The one-edit strings of all the words are looked up together: one
    statement for a query, not one per word."""
    # (a word longer than 30 letters is no word)
    forms = {w: inflections(w) for w in words}
    edits = {w: one_edit(w) | forms[w] if len(w) <= 30 else set() for w in words}
    keys = sorted(set().union(*edits.values()))
    vocab: dict[str, int] = {}
    for i in range(0, len(keys), LOOKUP_CHUNK):
        chunk = keys[i : i + LOOKUP_CHUNK]
        q = ",".join("?" * len(chunk))
        vocab.update(db.execute(f"SELECT word, n FROM vocab WHERE word IN ({q})", chunk))
    out = []
    for word in words:
        # A stop word is never a spelling of another word ("for" of "fox"): in every
        # passage, it would make the full-text query read a posting for nearly each one.
        found = {w: vocab[w] for w in edits[word] if w in vocab and w not in STOP_WORDS}
        if word in vocab:
            found[word] = vocab[word]
        scored: list[tuple[float, int, str]] = []
        for w, n in found.items():
            # (an inflection may be three edits away, but is as close as one)
            near = 0.75 if w in forms[word] else 1.0 - 0.25 * OSA.distance(word, w)
            scored.append((near, n, w))
        best = max(found.values(), default=0)
        if best < COMMON and len(word) >= 5:  # no well-used word is one edit away
            for w, n in _two_edits(db, word, best):
                scored.append((0.5, n, w))
        if 4 <= len(word) <= 30:  # a word typed in part: its longer forms (after close
            # spellings when the word is one the library has: then it is likely whole)
            weight = 0.6 if word in found else 0.8
            for w, n in db.execute(
                "SELECT word, n FROM vocab WHERE word > ? AND word < ? ORDER BY n DESC LIMIT 8",
                (word, word + "\uffff"),
            ):
                if w not in found:
                    scored.append((weight, n, w))
        scored.sort(reverse=True)
        kept = scored[:MAX_SPELLINGS]
        out.append(({w: v for v, _, w in kept}, sum(n for _, n, _ in kept)))
    return out


COMMON = 50  # passages: a spelling this used, one edit away, is taken for what was meant


def _two_edits(db: sqlite3.Connection, word: str, best: int) -> list[tuple[str, int]]:
    """Words two edits away from word ("barirs": "barriers") that the library uses more
    than the `best` one-edit spelling (a rare word one edit away, "baris", is less likely
    what was meant than a commoner one two away). Only words that begin with the same
    three letters are read (1-3 ms): a typo among those is found by one_edit."""
    rows = db.execute(
        "SELECT word, n FROM vocab WHERE word >= ? AND word < ? AND n > ? "
        "AND length(word) BETWEEN ? AND ?",
        (word[:3], word[:3] + "\uffff", max(best, 1), len(word) - 2, len(word) + 2),
    ).fetchall()
    close = process.extract(
        word, [w for w, _ in rows], scorer=OSA.distance, score_cutoff=2, limit=None
    )
    return [rows[i] for _, d, i in close if d == 2 and rows[i][0] not in STOP_WORDS]


def term(word: str) -> str:
    """A word in a full-text query: quoted; a CJK run, as all of its characters (the index
    keeps no word order: the ranking finds the run in the passage)."""
    if has_cjk(word):
        parts = [c.replace('"', "") for c in fts_text(word).split()]
        return "(" + " AND ".join(f'"{c}"' for c in parts if c) + ")"
    return '"' + word.replace('"', "") + '"'


class Query:
    """A query's words, and the spellings of each that the library holds."""

    def __init__(self, db: sqlite3.Connection, text: str) -> None:
        typed = tokens(text)
        self.words = fold([plain(w) for w in typed])
        # The exact phrase is the words as typed ("the cat in the hat") unless too long:
        # then a pasted page and its folded words are one query.
        self.phrase = " ".join(typed if len(typed) <= MAX_WORDS else self.words)
        # Very common words would make every passage a candidate: they only rank.
        long_words = [
            w for w in self.words if (len(w) >= 3 and w not in STOP_WORDS) or has_cjk(w)
        ] or self.words
        self.groups: list[dict[str, float]] = []  # per searched word: spelling -> weight
        uses: list[int] = []  # per searched word: how often the library uses its spellings
        self.spellings: dict[str, float] = {}  # every spelling of any word
        spelled = [w for w in long_words if len(w) >= 3 and not has_cjk(w)]
        found = dict(zip(spelled, counted_spellings(db, spelled), strict=True))
        for w in long_words:
            sp, n = found.get(w, ({w: 1.0}, -1))  # (-1: not looked up, a CJK run)
            sp = dict(sp)  # (a word typed twice shares its entry)
            sp.setdefault(w, 1.0)
            self.groups.append(sp)
            uses.append(n)
            for k, v in sp.items():
                self.spellings[k] = max(v, self.spellings.get(k, 0))
        for w in self.words:
            self.spellings.setdefault(w, 1.0)
        # The full-text queries use the rarest words the library has (a word it lacks
        # would match nothing): each more word is a longer query, and with all but one
        # tried in turn, their count is the square of the words.
        order = sorted(range(len(uses)), key=lambda i: (uses[i] == 0, uses[i]))
        ids = sorted(order[:MATCHED_WORDS])
        self.matched = [self.groups[i] for i in ids]
        # The word left out first when no passage has them all: one the library lacks,
        # else the most used (the others, rarer, say more and match fewer passages, so
        # the query costs less: bm25 reads every posting of every spelling).
        self._common_first = sorted(
            range(len(ids)), key=lambda k: (uses[ids[k]] != 0, -uses[ids[k]])
        )
        # Last, each word alone, rarest first (one the library lacks matches nothing).
        self._rare_first = [k for k in reversed(self._common_first) if uses[ids[k]] != 0]
        # spelling -> the query words it is a spelling of (a longer form, or a few edits
        # away): worked out once, as ranking asks it of every word in every passage
        self._near: dict[str, list[int]] = {}
        self._spelled: re.Pattern[str] | None = None  # (made when first ranking)
        for i, w in enumerate(self.words):
            limit = typo_limit(w)
            forms = inflections(w)
            for s in self.spellings:
                if (
                    s.startswith(w)
                    or s in forms
                    or (
                        abs(len(s) - len(w)) <= limit
                        and OSA.distance(w, s, score_cutoff=limit) <= limit
                    )
                ):
                    self._near.setdefault(s, []).append(i)

    def matches(self) -> list[str]:
        """Full-text queries, narrowest first: a spelling of every word; of all but one;
        of one word, the rarest first. Each matches more passages.

        (Not all the words OR'ed together: in a big library that matches most passages,
        and picking the best of them read every posting of every spelling, a second at
        1 GB. A word alone costs only its own.)"""

        def clause(g: dict[str, float]) -> str:
            return "(" + " OR ".join(term(w) for w in g) + ")"

        groups = self.matched
        tries = [" AND ".join(clause(g) for g in groups)]
        if len(groups) > 1:
            for skip in self._common_first:
                tries.append(" AND ".join(clause(g) for i, g in enumerate(groups) if i != skip))
        if len(groups) > 2:  # (with two words, all but one already meant one)
            tries.extend(clause(groups[k]) for k in self._rare_first)
        return tries

    def _ascii_spellings(self, low: str) -> Iterator[re.Match[str]]:
        """The ASCII spellings as whole words (TOKEN's words) of ASCII text."""
        if self._spelled is None:
            alts = sorted((re.escape(s) for s in self.spellings if s.isascii()), key=len)
            words = "|".join(reversed(alts)) or "(?!)"
            # (No look-behind for the word's start: a pattern that begins with its words
            # lets the regex engine skip to their first letters, 2-4 times as fast. A
            # match inside a word holds only letters, so no word starts within it.)
            self._spelled = re.compile(rf"(?:{words})(?![^\W_])")
        for m in self._spelled.finditer(low):
            at = m.start()
            if not at or not _WORD_CHAR.match(low, at - 1):
                yield m

    def rank(self, text: str) -> tuple[float, tuple[tuple[int, int], ...]]:
        """Score a passage: words found (by closeness), their order, an exact phrase;
        and where the words found are in it."""
        words, spellings = self.words, self.spellings
        low = text.lower()
        marks = []
        found: dict[str, float] = {}
        # Most passages are ASCII: one regex finds the spellings among their words, at a
        # third of the time of looking each word up (200 passages are ranked per query).
        matches = self._ascii_spellings(low) if low.isascii() else TOKEN.finditer(low)
        for m in matches:
            w = m.group()
            if not w.isascii():
                w = plain(w)
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
        best = [0.0] * len(words)  # per query word, its closest spelling found
        near = self._near
        for s, v in found.items():
            for i in near.get(s, ()):
                if v > best[i]:
                    best[i] = v
        score = 100 * sum(best) / len(words)
        score += 0.3 * fuzz.partial_ratio(self.phrase, low)
        if self.phrase in low:
            score += 60  # the exact phrase
        score -= min(10, len(text) / 400)  # prefer focused passages
        return score, tuple(marks)


def candidates(
    db: sqlite3.Connection,
    query: Query,
    where: str,
    wanted: int,
    share: Callable[[], float] = lambda: 1.0,
) -> list[Candidate]:
    """Passages (of the library, when `where` is library_filter's) with a spelling of every word;
    while fewer than `wanted` (at most 20: past that, passages with more of the words are
    plenty to rank), of all but one word, then of one (see Query.matches). A looser
    match that finds too many to rank all is tried only when nothing narrower was found.

    The library is part of the full-text query, so the passages it gives are the
    library's best whatever else the index holds (other libraries share it). share gives
    the library's part of the index's passages (see library_share)."""
    select = (
        "SELECT p.id, f.path, p.start, p.start + p.length, p.line, p.col, "
        "coalesce(p.start + p.bshift, -1), coalesce(p.start + p.bshift + p.length + p.bextra, -1), "
        "f.size, f.mtime_ns FROM passages_fts JOIN passages p ON p.id = passages_fts.rowid "
        f"JOIN files f ON f.id = p.file_id WHERE passages_fts MATCH ? {where}"
    )
    seen: dict[int, Candidate] = {}
    for match in query.matches():
        # All of them are reranked when they are few, so bm25 only picks which when
        # there are too many: it reads the whole posting list of every spelling
        # (common words have long ones), which made up most of a query's time.
        rows = db.execute(select + "LIMIT ?", (match, CANDIDATES + 1)).fetchall()
        if len(rows) > CANDIDATES:
            if seen:  # narrower matches are found: these, many and looser, add little
                break
            rows = db.execute(
                select + _sampled(db, match, share) + "ORDER BY bm25(passages_fts) LIMIT ?",
                (match, CANDIDATES),
            ).fetchall()
        for row in rows:
            seen.setdefault(row[0], row)
        if len(seen) >= min(wanted, 20):
            break
    return list(seen.values())


BM25_SAMPLE = 10_000  # passages scored by bm25 at most, picked evenly across the index


def _sampled(db: sqlite3.Connection, match: str, share: Callable[[], float]) -> str:
    """The condition that has bm25 score about BM25_SAMPLE of the library's passages that
    match ("" when fewer match): every k-th by id, so every part of the index has its share.
    (Counted in the whole index, where it is cheap, then scaled by the library's share:
    a small library beside a big one keeps all of its own.)

    bm25 costs a microsecond or so per passage, and a common word is in millions of them
    at 1 GB: `reader search the` took 5 s, `kernel` 0.3 s. Counting them first costs
    a tenth of scoring them. The best-scored of a sample are as good a start for the
    ranking when there are that many: a query that finds so much is a word or two."""
    (n,) = db.execute(
        "SELECT count(*) FROM passages_fts WHERE passages_fts MATCH ?", (match,)
    ).fetchone()
    if n <= BM25_SAMPLE:
        return ""
    step = math.ceil(int(n) * share() / BM25_SAMPLE)
    return f"AND passages_fts.rowid % {step:d} = 0 " if step > 1 else ""


MAX_RANGES = 64  # runs of file ids written into a query; more go in a temporary table


def id_runs(ids: Iterable[int]) -> tuple[tuple[int, int], ...]:
    """Sorted ids as runs of consecutive ones: (first, last) each."""
    runs: list[tuple[int, int]] = []
    for i in sorted(ids):
        if runs and runs[-1][1] == i - 1:
            runs[-1] = (runs[-1][0], i)
        else:
            runs.append((i, i))
    return tuple(runs)


def library_share(db: sqlite3.Connection, runs: tuple[tuple[int, int], ...]) -> float:
    """The library's part (0..1) of the index's passages: its files are those in runs (in
    the temporary table when library_filter put them there)."""
    (total,) = db.execute("SELECT sum(passages) FROM files").fetchone()
    if not total:
        return 1.0
    among = _in_runs("id", runs)
    (mine,) = db.execute(f"SELECT sum(passages) FROM files WHERE {among}").fetchone()
    return min(1.0, int(mine or 0) / int(total))


def library_filter(db: sqlite3.Connection, runs: tuple[tuple[int, int], ...]) -> str:
    """The SQL condition that keeps a query to the files whose ids are in runs.

    A library's files are indexed together, so their ids are a few runs (a file
    indexed again gets a new one): those are written into the query. Only many runs go
    in a temporary table, because filling one with 20,000 ids cost `reader search` a
    fifth of its time on every run when the index also held another library.
    """
    if len(runs) > MAX_RANGES:
        db.execute("CREATE TEMP TABLE IF NOT EXISTS library(id INTEGER PRIMARY KEY)")
        db.execute("DELETE FROM temp.library")
        db.executemany(
            "INSERT INTO temp.library VALUES(?)", ((i,) for a, b in runs for i in range(a, b + 1))
        )
        # (Python began a transaction for these: left open, it would keep this connection
        # reading the index as it was, blind to what other connections index meanwhile.)
        db.commit()
    return f"AND {_in_runs('p.file_id', runs)} "


def _in_runs(column: str, runs: tuple[tuple[int, int], ...]) -> str:
    """SQL: column is an id in runs. Few runs are written out (ints: nothing to quote);
    more are in the temporary table library_filter fills."""
    if len(runs) > MAX_RANGES:
        return f"{column} IN temp.library"
    return "(" + (" OR ".join(f"{column} BETWEEN {a:d} AND {b:d}" for a, b in runs) or "0") + ")"
