"""A few SIGKILLs of `reader annotate` at random moments of a save (benchmarks/crash.py does
hundreds): nothing confirmed is lost, the sidecar always parses, and the next save removes
the temp files a killed one left."""

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from reader.core.annotation import Annotation, make_target
from reader.core.store import dump_sidecar, read_sidecar, sidecar_beside

from ..conftest import REPO, XIAOMI


def annotate(art: Path, quote: str, note: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}  # this checkout's reader
    return subprocess.Popen(
        [sys.executable, "-m", "reader", "annotate", str(art), "--quote", quote, "--note", note],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO,
    )


def temps(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_sigkill_at_random_moments_loses_nothing_confirmed(seeds_copy: Path) -> None:
    art = seeds_copy / XIAOMI
    text = art.read_text("utf-8")
    words = sorted({w for w in text.split() if w.isalpha() and len(w) > 5})
    side = sidecar_beside(art)
    marks = []
    for i in range(500):  # a big file, so a save takes a while
        s = text.find(words[i % len(words)])
        marks.append(Annotation(make_target(text, s, s + 5), note=f"seed {i}"))
    side.write_text(dump_sidecar(art, text, marks), "utf-8")

    t0 = time.perf_counter()
    out, err = annotate(art, words[0], "timing").communicate()
    run_time = time.perf_counter() - t0
    confirmed = set(out.split())
    assert len(confirmed) == 1, err

    rng = random.Random(7)
    mid_write = 0
    for trial in range(6):
        before = set(temps(seeds_copy))  # a killed save's temp file stays until the next save
        proc = annotate(art, words[trial + 1], f"trial {trial}")
        if trial % 2:  # some moment of the run
            time.sleep(rng.uniform(0.3, 1.1) * run_time)
        else:  # while it writes: once its temp file is there
            end = time.perf_counter() + 3 * run_time
            while proc.poll() is None and time.perf_counter() < end:
                if set(temps(seeds_copy)) - before:
                    mid_write += 1
                    break
                time.sleep(0.0005)
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate()
        confirmed |= set(out.split())
        on_disk = {a.id for a in read_sidecar(side).annotations}  # always parses
        assert confirmed <= on_disk
        assert len(on_disk) >= 500
    assert mid_write  # at least one kill landed while a save was writing

    # A killed save's temp file (its writer is gone) is removed by the next save.
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], text=True, capture_output=True
    ).stdout.strip()
    (seeds_copy / f".{side.name}.{dead}.x1y2z3.tmp").write_bytes(b"half a save")
    out, err = annotate(art, words[0], "last").communicate()
    assert out.strip(), err
    assert temps(seeds_copy) == []
    assert confirmed | {out.strip()} <= {a.id for a in read_sidecar(side).annotations}
