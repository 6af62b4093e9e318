"""Library search speed and quality: prints numbers, not pass/fail.

    python benchmarks/search.py [LIBRARY] [--scale N] [--no-peers]

LIBRARY defaults to /tmp/reader-corpus/library (built by shared/bench/make_corpus.sh:
2,000 articles, 100 MB of real prose); without it, a synthetic library of that size is
made in a temp folder. Runs the `reader` of this checkout, with its index in a fresh cache
folder. For the library (and, with --scale N, for N copies of it in separate folders of a
temp folder, indexed in a cache of their own) it prints: the index build time (the first
`reader search`), the index size against the text's, the second start, per-query latency
of `reader search` as a process (median and worst of 20 queries, half of them typo'd),
whether each typo'd phrase's passage is in the top 3, and the same queries inside one
running process. Then ripgrep and fzf --filter on the same files in the same run, as
ratios (unless --no-peers). Targets: a query in < 100 ms as a process, < 30 ms inside
the app, at 1x and at 10x; the index no bigger than the text.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT = Path("/tmp/reader-corpus/library")
ROOT = Path(__file__).resolve().parent.parent


def index_size(cache: Path) -> int:
    """Bytes of the index files (with SQLite's write-ahead log) under a cache folder."""
    return sum(p.stat().st_size for p in cache.rglob("search.sqlite*") if p.is_file())


def synthetic_library(root: Path) -> Path:
    seeds = Path(__file__).resolve().parent.parent / "seeds"
    words = " ".join(p.read_text() for p in seeds.glob("*.txt")).split()
    rng = random.Random(3)
    lib = root / "library"
    lib.mkdir()
    for i in range(2000):
        paras = [
            " ".join(rng.choice(words) for _ in range(rng.randrange(40, 160))) for _ in range(80)
        ]
        (lib / f"article-{i:04}.txt").write_text("\n\n".join(paras))
    return lib


def typo(word: str, rng: random.Random) -> str:
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]  # swap two letters


def pick_queries(lib: Path, n: int) -> list[tuple[str, str]]:
    """(exact phrase, typo'd phrase) pairs from real lines of the library."""
    rng = random.Random(11)
    files = sorted(p for p in lib.rglob("*") if p.suffix in (".txt", ".md"))
    out: list[tuple[str, str]] = []
    while len(out) < n:
        text = rng.choice(files).read_text("utf-8", "replace")
        lines = [ln for ln in text.splitlines() if len(re.findall(r"[A-Za-z]{5,}", ln)) >= 4]
        if not lines:
            continue
        ws = re.findall(r"[A-Za-z]{5,}", rng.choice(lines))
        start = rng.randrange(0, len(ws) - 2)
        phrase = " ".join(ws[start : start + 3])
        out.append((phrase, " ".join(typo(w, rng) for w in phrase.split())))
    return out


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, str]:
    t = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)
    return time.perf_counter() - t, r.stdout


def article_files(lib: Path) -> list[Path]:
    return [p for p in lib.rglob("*") if p.suffix in (".txt", ".md")]


def measure(lib: Path, cache: Path, pairs: list[tuple[str, str]], label: str) -> dict[str, float]:
    """Build the index of lib in cache with `reader search`, then time the queries."""
    files = article_files(lib)
    size = sum(p.stat().st_size for p in files)
    print(f"\n[{label}] {lib} ({len(files):,} files, {size / 1e6:.0f} MB)")
    env = {**os.environ, "XDG_CACHE_HOME": str(cache), "PYTHONPATH": str(ROOT)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # cache compiled modules, as installs do
    reader = [sys.executable, "-m", "reader", "search"]

    build, _ = timed([*reader, "warmup query", str(lib), "--limit", "1"], env)
    print(f"index build (first run): {build:.1f} s")
    isize = index_size(cache)
    print(f"index size: {isize / 1e6:.0f} MB = {isize / size:.2f}x the text ({size / 1e6:.0f} MB)")
    t, _ = timed([*reader, "second start", str(lib), "--limit", "1"], env)
    print(f"second start, cached index (a whole `reader search` run): {t * 1000:.0f} ms")

    times: list[float] = []
    found_typo = 0
    for exact, typoed in pairs:
        t1, out_exact = timed([*reader, exact, str(lib), "--limit", "3", "--json"], env)
        t2, out_typo = timed([*reader, typoed, str(lib), "--limit", "3", "--json"], env)
        times += [t1, t2]
        # The exact phrase's best passage among the typo'd phrase's top 3? (By its text:
        # with copies of a library, any copy of the passage is the right one.)
        best = json.loads(out_exact or "[]")[:1]
        if best and best[0]["text"] in {h["text"] for h in json.loads(out_typo or "[]")}:
            found_typo += 1
    median = statistics.median(times)
    print(
        f"`reader search` per query (a fresh process each): median {median * 1000:.0f} ms, "
        f"worst {max(times) * 1000:.0f} ms ({len(times)} queries; target < 100 ms)"
    )
    print(f"typo'd phrases whose passage is in the top 3: {found_typo}/{len(pairs)}")

    # The same queries inside one running process (what the app does as you type).
    os.environ["XDG_CACHE_HOME"] = str(cache)
    from reader.core.search import SearchIndex

    index = SearchIndex()
    inproc: list[float] = []
    for exact, typoed in pairs:
        for q in (exact, typoed):
            t = time.perf_counter()
            index.search(q, files, limit=20)
            inproc.append(time.perf_counter() - t)
    index.close()
    print(
        f"query inside a running reader (the app's path): median "
        f"{statistics.median(inproc) * 1000:.0f} ms, worst {max(inproc) * 1000:.0f} ms "
        f"(target < 30 ms)"
    )
    return {"build": build, "index": isize, "text": size, "median": median}


def peers(lib: Path, pairs: list[tuple[str, str]], median: float, tmp: Path) -> None:
    """ripgrep and fzf --filter on the same files, as ratios of reader's median."""
    files = article_files(lib)
    env = dict(os.environ)
    if shutil.which("rg"):
        rg = [timed(["rg", "-i", "-F", "-c", e, str(lib)], env)[0] for e, _ in pairs]
        med = statistics.median(rg)
        print(
            f"ripgrep (exact phrases only): median {med * 1000:.0f} ms; "
            f"reader/rg = {median / med:.2f}"
        )
    if shutil.which("fzf"):
        listing = tmp / "lines.txt"
        with listing.open("w") as out:
            for p in files:
                for ln in p.read_text("utf-8", "replace").splitlines():
                    if ln.strip():
                        out.write(f"{p}:{ln}\n")
        ft: list[float] = []
        fzf_found = 0
        for exact, typoed in pairs:
            t = time.perf_counter()
            with listing.open() as f:
                r = subprocess.run(
                    ["fzf", "--filter", typoed], stdin=f, capture_output=True, text=True
                )
            ft.append(time.perf_counter() - t)
            if any(exact.lower() in ln.lower() for ln in r.stdout.splitlines()[:3]):
                fzf_found += 1
        med = statistics.median(ft)
        print(
            f"fzf --filter over every line: median {med * 1000:.0f} ms; "
            f"reader/fzf = {median / med:.2f}; "
            f"typo'd phrases in fzf's top 3: {fzf_found}/{len(pairs)}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("library", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--scale", type=int, default=1, help="also N copies of the library")
    parser.add_argument("--no-peers", action="store_true", help="skip ripgrep and fzf")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    tmp = Path(tempfile.mkdtemp(prefix="reader-bench-"))
    try:
        lib = args.library
        if not lib.is_dir():
            print(f"{lib} not found: making a synthetic library (real prose: make_corpus.sh)")
            lib = synthetic_library(tmp)
        print(f"running: python -m reader from {ROOT} (Python {sys.executable})")
        pairs = pick_queries(lib, 10)
        one = measure(lib, tmp / "cache-1x", pairs, "1x")
        # What any Python program using rapidfuzz and SQLite pays before its first line:
        # this machine's floor under every `reader search` run (median of 10).
        bare = [
            timed([sys.executable, "-c", "import rapidfuzz, sqlite3"], {})[0] for _ in range(10)
        ]
        print(
            f"(a bare `python -c 'import rapidfuzz, sqlite3'` takes "
            f"{statistics.median(bare) * 1000:.0f} ms of every CLI run)"
        )
        last, last_lib = one, lib
        if args.scale > 1:
            scaled = tmp / f"library-{args.scale}x"
            for i in range(args.scale):
                shutil.copytree(lib, scaled / f"copy-{i:02}")
            last = measure(scaled, tmp / f"cache-{args.scale}x", pairs, f"{args.scale}x")
            last_lib = scaled
            print(
                f"\n{args.scale}x against 1x: build {last['build'] / one['build']:.1f}x, "
                f"query {last['median'] / one['median']:.2f}x (target <= 2x), "
                f"index/text {last['index'] / last['text']:.2f} (1x: "
                f"{one['index'] / one['text']:.2f})"
            )
        if not args.no_peers:
            print(f"\npeers on the same files ({last_lib}):")
            peers(last_lib, pairs, last["median"], tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
