"""The app's first indexing of a big library against `reader search`'s: prints numbers,
not pass/fail.

    python benchmarks/index_app.py [LIBRARY] [--runs N] [--no-before]

LIBRARY defaults to /tmp/reader-corpus/library (shared/bench/make_corpus.sh: 2,000
articles, 100 MB). Each run, in turns and each with a fresh cache folder:

- cli: `python -m reader search x LIBRARY` (this checkout), which builds the index;
- app: the app driven headless (Textual's Pilot, 120x40) in a process of its own, from
  `indexer.start()` until its indexing worker is done, while `j` and `k` are pressed in
  turns as someone reading would, and how late the UI's event loop wakes from a 20 ms
  sleep is noted (median, 99th percentile, worst: the time it could not draw or take a key);
- before (unless --no-before): the same with the files read in the app's own process, as
  the app did before it started worker processes.

Prints each run, then medians: seconds, files/s, the app's time over the CLI's, and how late
the UI was while indexing. Target: the app within 1.5x of the CLI. The machine may be
shared: runs are interleaved, and the load average is printed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT = Path("/tmp/reader-corpus/library")
ROOT = Path(__file__).resolve().parent.parent


def app_run(lib: Path, one_process: bool) -> dict[str, float]:
    """Index lib from the running app (the cache folder is the caller's); in this process."""
    sys.path.insert(0, str(ROOT))
    from textual import events

    from reader.core.search import indexer
    from reader.ui.app import make_app

    if one_process:
        indexer.SPAWN_FROM = 10**9  # (what a threaded process did before: no workers)

    async def main() -> dict[str, float]:
        app = make_app([lib])
        lags: list[float] = []  # how late the UI's loop woke from each 20 ms sleep
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            start = time.perf_counter()
            app.indexer.start()
            await pilot.pause()
            n = 0
            while any(w.group == "index" and not w.is_finished for w in app.workers):
                t = time.perf_counter()
                await asyncio.sleep(0.02)
                lags.append(time.perf_counter() - t - 0.02)
                n += 1
                if n % 10 == 0:  # someone reading: a line down or up every 0.2 s
                    app.screen.post_message(events.Key("j" if n % 20 else "k", None))
            took = time.perf_counter() - start
            files = len(app.indexer.readable_files())
        lags.sort()
        return {
            "seconds": took,
            "files": files,
            "lag_median": statistics.median(lags) if lags else 0.0,
            "lag_99": lags[int(len(lags) * 0.99)] if lags else 0.0,
            "lag_worst": lags[-1] if lags else 0.0,
        }

    return asyncio.run(main())


def isolated(args: list[str]) -> tuple[float, str]:
    """(wall s, stdout) of this Python running args with a fresh cache folder."""
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "XDG_CACHE_HOME": cache, "PYTHONPATH": str(ROOT)}
        t = time.perf_counter()
        r = subprocess.run(
            [sys.executable, *args], capture_output=True, text=True, env=env, cwd=ROOT
        )
        wall = time.perf_counter() - t
        if r.returncode != 0:
            sys.exit(f"{args}: exit {r.returncode}\n{r.stderr[-2000:]}")
        return wall, r.stdout


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("library", nargs="?", type=Path, default=DEFAULT)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--no-before", action="store_true")
    ap.add_argument("--app-run", choices=["pool", "one"], help=argparse.SUPPRESS)
    args = ap.parse_args()
    lib = args.library.resolve()
    if args.app_run:
        print(json.dumps(app_run(lib, args.app_run == "one")))
        return
    if not lib.is_dir():
        sys.exit(f"no library at {lib} (shared/bench/make_corpus.sh makes one)")
    me = str(Path(__file__).resolve())
    kinds = ["cli", "app"] + ([] if args.no_before else ["before"])
    got: dict[str, list[dict[str, float]]] = {k: [] for k in kinds}
    print(f"{lib}, {os.cpu_count()} CPUs, {args.runs} run(s) of each, in turns")
    for run in range(args.runs):
        for kind in kinds:
            load = os.getloadavg()[0]
            if kind == "cli":
                wall, _ = isolated(["-m", "reader", "search", "x", str(lib)])
                r = {"seconds": wall, "files": sum(1 for p in lib.rglob("*") if p.is_file())}
            else:
                _, out = isolated([me, str(lib), "--app-run", "pool" if kind == "app" else "one"])
                r = json.loads(out.strip().splitlines()[-1])
            got[kind].append(r)
            keys = (
                f", UI late by {r['lag_median'] * 1000:.0f} ms median, "
                f"{r['lag_99'] * 1000:.0f} ms 99th pct, {r['lag_worst'] * 1000:.0f} ms worst"
                if "lag_median" in r
                else ""
            )
            print(
                f"  run {run + 1} {kind:6} {r['seconds']:6.1f} s "
                f"{r['files'] / r['seconds']:5.0f} files/s{keys} (load {load:.1f})"
            )
    cli = statistics.median(r["seconds"] for r in got["cli"])
    print("medians:")
    for kind in kinds:
        secs = statistics.median(r["seconds"] for r in got[kind])
        line = f"  {kind:6} {secs:6.1f} s {got[kind][0]['files'] / secs:5.0f} files/s"
        if kind != "cli":
            med = statistics.median(r["lag_median"] for r in got[kind]) * 1000
            p99 = statistics.median(r["lag_99"] for r in got[kind]) * 1000
            line += f"  {secs / cli:.2f}x the CLI's; UI late {med:.0f} ms median, {p99:.0f} 99th"
        print(line)
    print("target: the app within 1.5x of the CLI")


if __name__ == "__main__":  # (the app's worker processes import this file again)
    main()
