"""Re-anchoring speed: prints seconds, not pass/fail.

    python benchmarks/anchoring.py [ARTICLE]

ARTICLE defaults to ~1 MB of prose made from the bundled sample articles, with every
copy varied so quotes are not all repeats (shared/bench/make_corpus.sh builds a real
one: /tmp/reader-corpus/doc-1mb.txt). Targets: 1,000 shifted annotations < 0.3 s;
100 that need fuzzy matching < 2 s.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

from reader.core.anchoring import FUZZY, MOVED, Anchorer
from reader.core.annotation import make_target
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
    print(
        f"100 annotations needing fuzzy matching: {t1 - t0:.3f} s ({fuzzy} fuzzy, "
        f"{sum(not r.found for r in res)} orphan; target < 2 s)"
    )


if __name__ == "__main__":
    main()
