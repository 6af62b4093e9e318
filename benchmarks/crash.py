"""SIGKILL `python -m reader annotate` at random moments: prints counts; exits 1 on any loss.

    python benchmarks/crash.py [--trials 200] [--annotations 2000] [--seed 1]

An article gets a sidecar of --annotations marks (so a save takes a while), then each trial
runs `reader annotate` on it and kills it: odd trials after a random delay between 0 and 1.2
times an uninterrupted run's time (before, during or after the save), even trials 0-5 ms
after the save's temp file appears (while it writes). After every kill
the sidecar must parse and hold every annotation whose id was printed (confirmed) so far.
Also counts the temp files kills left behind, and checks the next save removes them.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reader.core.annotation import Annotation, make_target  # noqa: E402
from reader.core.store import SidecarError, dump_sidecar, read_sidecar, sidecar_beside  # noqa: E402

ARTICLE = ROOT / "seeds" / "002_fc263845278ccde8.txt"


def annotate(art: Path, quote: str, note: str, env: dict[str, str]) -> subprocess.Popen[str]:
    cmd = [sys.executable, "-m", "reader", "annotate", str(art), "--quote", quote]
    return subprocess.Popen(
        [*cmd, "--note", note],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,  # `python -m` imports from the current folder first: this checkout's reader
    )


def temps(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.startswith(".") and p.name.endswith(".tmp")]


def wait_for_write(
    folder: Path, before: set[Path], proc: subprocess.Popen[str], timeout: float
) -> bool:
    """Wait until proc's save has created its temp file; False if it never did."""
    end = time.perf_counter() + timeout
    while time.perf_counter() < end and proc.poll() is None:
        if set(temps(folder)) - before:
            return True
        time.sleep(0.0005)
    return False


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--trials", type=int, default=200)
    ap.add_argument("--annotations", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "library"
        folder.mkdir()
        art = folder / ARTICLE.name
        shutil.copy(ARTICLE, art)
        text = art.read_text("utf-8")
        home = Path(tmp) / "home"
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "HOME": str(home),
            "XDG_DATA_HOME": str(home / "data"),
            "XDG_CACHE_HOME": str(home / "cache"),
            "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_STATE_HOME": str(home / "state"),
        }
        words = sorted({w for w in text.split() if w.isalpha() and len(w) > 5})
        marks = []
        for i in range(args.annotations):
            s = text.find(words[i % len(words)])
            marks.append(Annotation(make_target(text, s, s + 5), note=f"seed {i}"))
        side = sidecar_beside(art)
        side.write_text(dump_sidecar(art, text, marks), "utf-8")

        durations = []
        for i in range(3):  # how long one save takes here and now
            t0 = time.perf_counter()
            out, _ = annotate(art, words[i], f"timing {i}", env).communicate()
            durations.append(time.perf_counter() - t0)
        run_time = statistics.median(durations)

        confirmed: set[str] = set()
        counts = {"killed while writing": 0, "killed before printing": 0, "confirmed": 0}
        counts |= {"lost": 0, "unparsable": 0}
        left_by_kill = 0
        for trial in range(args.trials):
            before = set(temps(folder))
            proc = annotate(art, words[trial % len(words)], f"trial {trial}", env)
            if trial % 2:  # any moment of the run
                time.sleep(rng.uniform(0, 1.2 * run_time))
            elif wait_for_write(folder, before, proc, 2 * run_time):  # while it writes
                time.sleep(rng.uniform(0, 0.005))
                counts["killed while writing"] += 1
            proc.send_signal(signal.SIGKILL)
            out, _ = proc.communicate()
            ids = set(out.split())
            confirmed |= ids
            counts["confirmed" if ids else "killed before printing"] += 1
            left_by_kill += len(set(temps(folder)) - before)
            try:
                on_disk = {a.id for a in read_sidecar(side).annotations}
            except SidecarError as err:
                counts["unparsable"] += 1
                print(f"trial {trial}: {err}", file=sys.stderr)
                continue
            lost = confirmed - on_disk
            if lost:
                counts["lost"] += len(lost)
                print(f"trial {trial}: lost {sorted(lost)}", file=sys.stderr)
                confirmed -= lost  # count each loss once
        leftover = len(temps(folder))
        # The next save removes what killed saves left (their writers are gone).
        final = annotate(art, words[0], "final", env)
        final.communicate()
        after = len(temps(folder))
        total = len(read_sidecar(side).annotations)

    print(f"{args.trials} kills of `reader annotate` on a {args.annotations:,}-annotation sidecar")
    print(f"  one uninterrupted run: {run_time:.2f} s; kills at 0..{1.2 * run_time:.2f} s")
    for k, v in counts.items():
        print(f"  {k:>24}: {v}")
    print(f"  temp files left by kills: {left_by_kill} (in the folder at the end: {leftover})")
    print(f"  temp files after one more save: {after}")
    print(f"  annotations in the sidecar at the end: {total:,}")
    ok = counts["lost"] == 0 and counts["unparsable"] == 0 and after == 0
    print("OK: nothing confirmed was lost" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
