"""Re-anchoring speed: prints seconds, not pass/fail.

    python benchmarks/anchoring.py [ARTICLE]

ARTICLE defaults to ~1 MB of prose made from the bundled sample articles, with every
copy varied so quotes are not all repeats (shared/bench/make_corpus.sh builds a real
one: /tmp/reader-corpus/doc-1mb.txt). Targets: 1,000 shifted annotations < 0.3 s;
100 that need fuzzy matching < 2 s; 0 wrong anchors in the "context decides" cases
(pull-quote copies of an edited passage, another occurrence of a short quote shifted onto
the saved offsets, CJK quotes with one inserted character).
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this checkout's reader

from reader.core.anchoring import FUZZY, MOVED, Anchorer, Resolution
from reader.core.annotation import Target, make_target
from reader.core.text import normalize

ROOT = Path(__file__).resolve().parent.parent


def sample_text(size: int = 1_000_000) -> str:
    seeds = [normalize(p.read_text("utf-8")) for p in sorted((ROOT / "seeds").glob("*.txt"))]
    words = " ".join(seeds).split()
    rng = random.Random(1)
    out: list[str] = []
    n = 0
    while n < size:
        # Words drawn at random from the samples' vocabulary: prose-like, few repeats.
        para = " ".join(rng.choice(words) for _ in range(rng.randrange(40, 120))) + ".\n\n"
        out.append(para)
        n += len(para)
    return "".join(out)


def main() -> None:
    text = (
        normalize(Path(sys.argv[1]).read_text("utf-8", "replace"))
        if len(sys.argv) > 1
        else sample_text()
    )
    rng = random.Random(7)
    positions = sorted(rng.sample(range(100, len(text) - 200), 1000))
    targets = []
    for p in positions:
        while p < len(text) and not text[p].isalnum():
            p += 1
        targets.append(make_target(text, p, p + rng.randrange(20, 80)))
    print(f"article: {len(text):,} characters, {len(targets)} annotations")

    shifted = "An inserted opening paragraph that moves every annotation.\n\n" + text
    t0 = time.perf_counter()
    anchorer = Anchorer(shifted)
    res = [anchorer.resolve(t) for t in targets]
    t1 = time.perf_counter()
    moved = sum(r.status == MOVED for r in res)
    print(f"1,000 shifted annotations: {t1 - t0:.3f} s ({moved} moved; target < 0.3 s)")

    # Edits in 50 places: each stretch of the article shifts by a different amount.
    scattered = shifted
    for cut in sorted(rng.sample(range(len(shifted)), 50), reverse=True):
        while cut < len(scattered) and scattered[cut] != "\n":
            cut += 1
        scattered = scattered[:cut] + "\nAn added line." + scattered[cut:]
    t0 = time.perf_counter()
    anchorer = Anchorer(scattered)
    res = [anchorer.resolve(t) for t in targets]
    t1 = time.perf_counter()
    print(
        f"1,000 annotations after edits in 50 places: {t1 - t0:.3f} s "
        f"({sum(r.found for r in res)} found)"
    )

    # 100 quotes with one word changed inside: exact search fails, fuzzy must find them.
    fuzzy_targets = targets[::10]
    edited = shifted
    for t in reversed(fuzzy_targets):
        s = shifted.index(t.quote, t.start)
        mid = s + len(t.quote) // 2
        edited = edited[:mid] + "xq" + edited[mid:]
    t0 = time.perf_counter()
    anchorer = Anchorer(edited)
    res = [anchorer.resolve(t) for t in fuzzy_targets]
    t1 = time.perf_counter()
    fuzzy = sum(r.status == FUZZY for r in res)
    # Where each quote is now: after the k insertions before it, with "xq" inside it.
    want = []
    for k, t in enumerate(fuzzy_targets):
        s = shifted.index(t.quote, t.start) + 2 * k
        want.append((s, s + len(t.quote) + 2))
    right = sum(r.found and (r.start, r.end) == w for r, w in zip(res, want, strict=True))
    wrong = sum(
        r.found and (r.end <= w[0] or r.start >= w[1]) for r, w in zip(res, want, strict=True)
    )
    print(
        f"100 annotations needing fuzzy matching: {t1 - t0:.3f} s ({fuzzy} fuzzy, "
        f"{sum(not r.found for r in res)} orphan; {right} exactly right, {wrong} WRONG "
        "(elsewhere), the rest overlap with other ends; target < 2 s, 0 wrong)"
    )

    context_decides(text, rng)


def _tally(name: str, cases: list[tuple[str, Target, tuple[int, int]]]) -> None:
    """Resolve each (text, target, right span) and print right / orphan / WRONG counts."""
    t0 = time.perf_counter()
    res: list[tuple[Resolution, tuple[int, int]]] = [
        (Anchorer(text).resolve(t), want) for text, t, want in cases
    ]
    t1 = time.perf_counter()
    right = sum(r.found and (r.start, r.end) == want for r, want in res)
    orphan = sum(not r.found for r, _ in res)
    wrong = len(res) - right - orphan
    print(
        f"{name}: {right} right, {orphan} orphan, {wrong} WRONG of {len(res)} "
        f"({t1 - t0:.3f} s; target 0 wrong)"
    )


def context_decides(text: str, rng: random.Random) -> None:
    # 1. A passage edited by one inserted word, with an exact copy of its old wording
    #    (a pull-quote) put near the top of the article.
    cases: list[tuple[str, Target, tuple[int, int]]] = []
    for _ in range(100):
        p = rng.randrange(2000, len(text) - 2000)
        p = text.index(" ", p) + 1
        q_end = text.index(" ", p + 40)
        t = make_target(text, p, q_end)
        mid = text.index(" ", p + 15)
        edited = text[:mid] + " very" + text[mid:]
        pull = f"Pull-quote: \u201c{t.quote}\u201d.\n\n"
        new = pull + edited
        cases.append((new, t, (len(pull) + p, len(pull) + q_end + 5)))
    _tally("pull-quote copy of an edited passage", cases)

    # 2. A short quote occurring twice; an insertion moves the earlier one exactly onto
    #    the saved offsets of the later one.
    cases = []
    words = sorted({w for w in text.split() if w.isalpha() and 6 <= len(w) <= 9})
    rng.shuffle(words)
    for w in words:
        first = text.find(f" {w} ")
        second = text.find(f" {w} ", first + 200) if first >= 0 else -1
        if second < 0:
            continue
        a, b = first + 1, second + 1
        t = make_target(text, b, b + len(w))
        new = "x" * (b - a) + text
        cases.append((new, t, (b + (b - a), b + (b - a) + len(w))))
        if len(cases) == 100:
            break
    _tally("short quote with another occurrence shifted onto its offsets", cases)

    # 3. CJK: quotes of 8 to 14 characters with one character inserted inside.
    rng2 = random.Random(3)
    han = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    cjk = "".join(
        rng2.choice(han) + ("\u3002" if rng2.random() < 0.05 else "") for _ in range(60_000)
    )
    cases = []
    for _ in range(100):
        p = rng2.randrange(1000, len(cjk) - 1000)
        n = rng2.randrange(8, 15)
        t = make_target(cjk, p, p + n)
        k = p + rng2.randrange(1, n - 1)
        new = "\u65b0\u7684\u5f00\u5934\u3002" + cjk[:k] + rng2.choice(han) + cjk[k:]
        cases.append((new, t, (p + 5, p + n + 6)))
    _tally("CJK quote with one inserted character", cases)


if __name__ == "__main__":
    main()
