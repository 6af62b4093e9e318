"""Library search speed and quality: prints numbers, not pass/fail.

    python benchmarks/search.py [LIBRARY] [--scale N] [--no-peers] [--workdir DIR]

LIBRARY defaults to /tmp/reader-corpus/library (built by shared/bench/make_corpus.sh: 2,000
articles, 100 MB of real prose); without it, a synthetic library of that size is made in a
temp folder. Runs the `reader` of this checkout (through the console script pip installs,
with this Python: run it with a venv's Python to time what users have), with its index in a
fresh cache folder. For the library (and, with --scale N, for N copies of it in separate
folders of a temp folder, indexed in a cache of their own) it prints: the index build time
(the first `reader search`), the index size against the text's, the second start, per-query
latency of `reader search` as a process (median and worst of 20 queries, half of them
typo'd), whether each typo'd phrase's passage is in the top 3, and the same queries inside
one running process. Then ripgrep and fzf --filter on the same files in the same run, as
ratios (unless --no-peers). Targets: a query in < 100 ms as a process, < 30 ms inside the
app, at 1x and at 10x; the index no bigger than the text.

The machine may be shared: each query's process is followed by a bare Python importing
rapidfuzz and sqlite3, and both wall and CPU time (user + system, of the process and its
children) are printed, with reader's median over the bare import's. The build's peak memory
is the largest total resident size of reader's processes (the writer and its workers),
sampled every 0.2 s. A long pasted query (2,000 words) is timed too. With --workdir the
copies and the index caches are kept there (and reused by the next run: the build is then
not timed again).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
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


def _cpu_children() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run(cmd: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """(wall s, CPU s of the process and its children, stdout) of one command."""
    c, t = _cpu_children(), time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)
    return time.perf_counter() - t, _cpu_children() - c, r.stdout


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, str]:
    wall, _, out = run(cmd, env)
    return wall, out


def _tree_rss(root: int) -> int:
    """Bytes resident in process root and its descendants (from /proc)."""
    parents: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            stat = (d / "stat").read_text()
            fields = stat[stat.rindex(")") + 2 :].split()
            parents.setdefault(int(fields[1]), []).append(int(d.name))
            rss[int(d.name)] = int(fields[21]) * resource.getpagesize()
        except (OSError, ValueError, IndexError):
            continue
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo += parents.get(pid, [])
    return total


def run_sampled(cmd: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """(wall s, CPU s, peak bytes resident of the whole process tree) of one command."""
    c, t = _cpu_children(), time.perf_counter()
    proc = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=ROOT
    )
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.wait(0.2):
            peak = max(peak, _tree_rss(proc.pid))

    sampler = threading.Thread(target=sample)
    sampler.start()
    proc.wait()
    done.set()
    sampler.join()
    return time.perf_counter() - t, _cpu_children() - c, peak


def console_script(folder: Path) -> list[str]:
    """The `reader` command as pip installs it (its console-script wrapper, run by this
    Python), here running this checkout's code (PYTHONPATH). `python -m reader` would
    also load runpy and importlib.util, which the installed command never does."""
    script = folder / "reader-console-script"
    script.write_text(
        "import re\nimport sys\nfrom reader.cli import entry\n"
        "if __name__ == '__main__':\n"
        "    sys.argv[0] = re.sub(r'(-script\\.pyw|\\.exe)?$', '', sys.argv[0])\n"
        "    sys.exit(entry())\n"
    )
    return [sys.executable, str(script)]


def startup_hooks() -> list[str]:
    """.pth files of this Python that run code at every start (an editable install's
    finder, a sandbox's certificate hook...): each query's process pays for them."""
    import site

    hooks = []
    for folder in site.getsitepackages():
        for pth in sorted(Path(folder).glob("*.pth")):
            try:
                lines = pth.read_text("utf-8", "replace").splitlines()
            except OSError:
                continue
            if any(ln.startswith(("import ", "import\t")) for ln in lines):
                hooks.append(pth.name)
    return hooks


def article_files(lib: Path) -> list[Path]:
    return [p for p in lib.rglob("*") if p.suffix in (".txt", ".md")]


def ms(xs: list[float]) -> str:
    return f"{statistics.median(xs) * 1000:.0f}"


def measure(lib: Path, cache: Path, pairs: list[tuple[str, str]], label: str) -> dict[str, float]:
    """Build the index of lib in cache with `reader search`, then time the queries."""
    files = article_files(lib)
    size = sum(p.stat().st_size for p in files)
    print(f"\n[{label}] {lib} ({len(files):,} files, {size / 1e6:.0f} MB)")
    env = {**os.environ, "XDG_CACHE_HOME": str(cache), "PYTHONPATH": str(ROOT)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # cache compiled modules, as installs do
    reader = [*console_script(cache.parent), "search"]

    built = index_size(cache) > 0
    build, build_cpu, peak = run_sampled([*reader, "warmup query", str(lib), "--limit", "1"], env)
    if built:
        print(f"index already in {cache}: build not timed (brought up to date in {build:.1f} s)")
    else:
        print(
            f"index build (first run): {build:.1f} s wall, {build_cpu:.1f} s CPU "
            f"(all processes); peak memory {peak / 1e6:.0f} MB (writer and workers together)"
        )
    isize = index_size(cache)
    print(f"index size: {isize / 1e6:.0f} MB = {isize / size:.2f}x the text ({size / 1e6:.0f} MB)")
    t, _ = timed([*reader, "second start", str(lib), "--limit", "1"], env)
    print(f"second start, cached index (a whole `reader search` run): {t * 1000:.0f} ms")

    times: list[float] = []
    cpus: list[float] = []
    bare_t: list[float] = []
    bare_c: list[float] = []
    bare = [sys.executable, "-c", "import rapidfuzz, sqlite3"]
    found_typo = 0
    typo_times: list[float] = []  # (the target is per typo'd query)
    exact_times: list[float] = []
    for exact, typoed in pairs:
        for q in (exact, typoed):
            t, c, out = run([*reader, q, str(lib), "--limit", "3", "--json"], env)
            times.append(t)
            cpus.append(c)
            if q == exact:
                out_exact = out
                exact_times.append(t)
            else:
                out_typo = out
                typo_times.append(t)
            t, c, _ = run(bare, env)  # alternating: the machine's speed drifts
            bare_t.append(t)
            bare_c.append(c)
        # The exact phrase's best passage among the typo'd phrase's top 3? (By its text:
        # with copies of a library, any copy of the passage is the right one.)
        best = json.loads(out_exact or "[]")[:1]
        if best and best[0]["text"] in {h["text"] for h in json.loads(out_typo or "[]")}:
            found_typo += 1
    median = statistics.median(times)
    print(
        f"`reader search` per query (a fresh process each): median {median * 1000:.0f} ms, "
        f"worst {max(times) * 1000:.0f} ms ({len(times)} queries; target < 100 ms); "
        f"CPU median {ms(cpus)} ms"
    )
    print(
        f"  the {len(typo_times)} typo'd queries alone: median {ms(typo_times)} ms; "
        f"the exact ones: median {ms(exact_times)} ms"
    )
    over = [a - b for a, b in zip(times, bare_t, strict=True)]
    over_cpu = [a - b for a, b in zip(cpus, bare_c, strict=True)]
    print(
        f"  a bare `python -c 'import rapidfuzz, sqlite3'` run after each: median {ms(bare_t)} ms "
        f"wall, {ms(bare_c)} ms CPU; reader over it: median {ms(over)} ms wall, "
        f"{ms(over_cpu)} ms CPU"
    )
    long_query = " ".join([pairs[0][1], pairs[1][0]] * 400)  # 2,000 words, pasted
    t, c, _ = run([*reader, long_query, str(lib), "--limit", "3"], env)
    print(f"a pasted query of 2,000 words (repeated): {t * 1000:.0f} ms, {c * 1000:.0f} ms CPU")
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
    return {
        "build": build,
        "index": isize,
        "text": size,
        "median": median,
        "over": statistics.median(over),
    }


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
        listing.unlink()
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
    parser.add_argument("--workdir", type=Path, help="keep copies and indexes here (reused)")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    if args.workdir:
        args.workdir.mkdir(parents=True, exist_ok=True)
    tmp = args.workdir or Path(tempfile.mkdtemp(prefix="reader-bench-"))
    try:
        lib = args.library
        if not lib.is_dir():
            print(f"{lib} not found: making a synthetic library (real prose: make_corpus.sh)")
            lib = synthetic_library(tmp)
        print(f"running: the `reader` console script on {ROOT}'s code (Python {sys.executable})")
        hooks = startup_hooks()
        if hooks:
            print(
                f"  this Python runs {len(hooks)} .pth file(s) at every start "
                f"({', '.join(hooks)}): a venv holding `pip install .`, as the README "
                "installs, runs none of them"
            )
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
                if not (scaled / f"copy-{i:02}").exists():
                    shutil.copytree(lib, scaled / f"copy-{i:02}")
            last = measure(scaled, tmp / f"cache-{args.scale}x", pairs, f"{args.scale}x")
            last_lib = scaled
            print(
                f"\n{args.scale}x against 1x: build {last['build'] / one['build']:.1f}x, "
                f"query {last['median'] / one['median']:.2f}x (target <= 2x; over the bare "
                f"import: {last['over'] / one['over']:.2f}x), "
                f"index/text {last['index'] / last['text']:.2f} (1x: "
                f"{one['index'] / one['text']:.2f})"
            )
        if not args.no_peers:
            print(f"\npeers on the same files ({last_lib}):")
            peers(last_lib, pairs, last["median"], tmp)
    finally:
        if not args.workdir:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
