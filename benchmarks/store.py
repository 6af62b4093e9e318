"""Time and memory of one save into a big sidecar: prints numbers, not pass/fail.

    python benchmarks/store.py [N ...]

For each N (default 1,000 and 10,000) writes an article with N sentences and a sidecar
with one annotation per sentence (10,000 annotations is about 5 MB), then measures, each
in a fresh process so one run cannot warm the next:
- open: ArticleStore(article, text) (read, parse, anchor every annotation);
- save: one more annotation added through that store (read the file on disk, apply,
  re-anchor, dump, write atomically), as the app and `reader annotate` do;
- save*: the same after another store changed the file (only what changed is parsed);
- memory: the Python-level peak during a second save (tracemalloc, which slows Python
  down, so that save is not timed) and the process's peak over everything (ru_maxrss).
Target: a 10,000-annotation sidecar saves in under 1 s.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = int(os.environ.get("RUNS", "3"))

CHILD = r"""
import json, resource, sys, time, tracemalloc
from pathlib import Path
from reader.core.annotation import Annotation, make_target
from reader.core.store import ArticleStore

art = Path(sys.argv[1])
text = art.read_text("utf-8")
t0 = time.perf_counter()
store = ArticleStore(art, text)
t1 = time.perf_counter()
n = len(store.annotations)
t2 = time.perf_counter()
store.add(Annotation(make_target(text, 0, 8), note="one more"))
t3 = time.perf_counter()
ArticleStore(art, text).add(Annotation(make_target(text, 20, 28), note="from elsewhere"))
t6 = time.perf_counter()  # the file changed under the store (another window or process)
store.add(Annotation(make_target(text, 30, 38), note="after a change elsewhere"))
t7 = time.perf_counter()
tracemalloc.start()  # slows Python down: only the second save is traced
t4 = time.perf_counter()
store.add(Annotation(make_target(text, 10, 18), note="and one more"))
t5 = time.perf_counter()
_, traced = tracemalloc.get_traced_memory()
tracemalloc.stop()
assert len(store.annotations) == n + 4, (len(store.annotations), n)
print(json.dumps({
    "open": t1 - t0, "save": t3 - t2, "changed": t7 - t6, "traced": traced,
    "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, "n": n,
}))
"""

SETUP = r"""
import sys
from pathlib import Path
from reader.core.annotation import Annotation, make_target
from reader.core.store import dump_sidecar

art = Path(sys.argv[1]); n = int(sys.argv[2])
words = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu".split()
sentences = [f"Sentence {i} says {words[i % 12]} and {words[(i * 7) % 12]}." for i in range(n)]
text = " ".join(sentences) + "\n"
art.write_text(text, "utf-8")
marks = []
pos = 0
for i, s in enumerate(sentences):
    start = text.index(s, pos)
    pos = start + len(s)
    note = f"note {i}: " + "why this matters " * (i % 5) if i % 3 == 0 else ""
    marks.append(Annotation(make_target(text, start, pos), note=note, tags=("t",) * (i % 2)))
Path(str(art) + ".annotations.toml").write_text(dump_sidecar(art, text, marks), "utf-8")
"""


def main() -> int:
    sizes = [int(a) for a in sys.argv[1:]] or [1_000, 10_000]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    print(
        f"{'annotations':>11} {'sidecar':>9} {'open':>7} {'save':>7} {'save*':>7} "
        f"{'save py peak':>12} {'rss peak':>8}"
    )
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            home = Path(tmp) / "home"
            env_n = {
                **env,
                "HOME": str(home),
                "XDG_DATA_HOME": str(home / "data"),
                "XDG_CACHE_HOME": str(home / "cache"),
            }
            art = Path(tmp) / "article.txt"
            runs = []
            for _ in range(RUNS):
                subprocess.run(
                    [sys.executable, "-c", SETUP, str(art), str(n)], env=env_n, check=True, cwd=ROOT
                )
                out = subprocess.run(
                    [sys.executable, "-c", CHILD, str(art)],
                    env=env_n,
                    cwd=ROOT,  # `python -c` imports from the current folder first
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout
                runs.append(json.loads(out))
            size = Path(str(art) + ".annotations.toml").stat().st_size
            best = {k: min(r[k] for r in runs) for k in runs[0]}
            print(
                f"{n:>11,} {size / 1e6:>7.1f}MB {best['open']:>6.2f}s {best['save']:>6.2f}s "
                f"{best['changed']:>6.2f}s "
                f"{best['traced'] / 1e6:>10.0f}MB "
                f"{best['rss'] / 1e6:>6.0f}MB"
            )
    print(f"(best of {RUNS} runs, each in a fresh process; target: 10,000 save < 1 s;")
    print(" save*: a save after another store added one to the file since this one read it)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
