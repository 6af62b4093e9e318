"""Opening an article's shared layers, and redrawing the library after a change: prints
seconds, not pass/fail.

    python benchmarks/session.py

1. Thirty layer annotations on a 5 MB article whose text was re-spaced since the layer
   was written (so each quote is found only after folding the text): one Anchorer per
   annotation (as the main screen did) against `resolve_layers` (one for all).
   Target: < 0.5 s, off the UI thread.
2. One annotation change on a 2,000-article library: rebuilding the whole list (as the
   main screen did) against `LibraryList.update_count` (that article's row).
"""

from __future__ import annotations

import asyncio
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.anchoring import sample_text  # noqa: E402
from reader.core.anchoring import Anchorer, FoldedText  # noqa: E402
from reader.core.annotation import Annotation, make_target  # noqa: E402
from reader.core.session import resolve_layers  # noqa: E402
from reader.core.sharing import Layer  # noqa: E402


def layers_timing() -> None:
    written = sample_text(5_000_000)
    rng = random.Random(3)
    marks = []
    for _ in range(30):
        start = written.index(" the ", rng.randrange(len(written) - 10_000)) + 1
        marks.append(Annotation(make_target(written, start, start + rng.randrange(30, 90))))
    now = written.replace(" the ", "  the ")  # re-spaced: no quote is found as it was
    layer = Layer("sam", Path("sam.toml"), marks)
    print(f"article: {len(now):,} characters; layer: {len(marks)} annotations")

    t0 = time.perf_counter()
    before = {a.id: Anchorer(now).resolve(a.target) for a in marks}
    t1 = time.perf_counter()
    [after] = resolve_layers(now, [layer])
    t2 = time.perf_counter()
    assert before == after.resolutions
    found = sum(r.found for r in after.resolutions.values())
    print(f"  one Anchorer per annotation (before): {t1 - t0:.2f} s")
    print(
        f"  one Anchorer for the layer (now):     {t2 - t1:.2f} s  ({found} found; target < 0.5 s)"
    )
    t0 = time.perf_counter()
    FoldedText(now)
    print(f"  of which folding the text once:       {time.perf_counter() - t0:.2f} s")


def library_timing(n: int = 2000, runs: int = 15) -> None:
    from reader.core.library import Article, Library
    from reader.ui.widgets.library_list import LibraryList

    articles = [
        Article(Path(f"/lib/a{i:04}.txt"), f"Article number {i}", 4000 + i) for i in range(n)
    ]
    library = Library(articles, [], [Path("/lib")])

    from textual.app import App, ComposeResult

    class Bench(App[None]):
        CSS = "LibraryList { width: 30; height: 1fr; }"  # as in reader.tcss

        def compose(self) -> ComposeResult:
            yield LibraryList(library)

    async def run() -> dict[str, float]:
        app = Bench()
        times: dict[str, list[float]] = {"whole": [], "row": [], "nothing": []}
        async with app.run_test(size=(120, 40)) as pilot:
            lst = app.query_one(LibraryList)
            await pilot.pause()
            changes = {
                "whole": lst.refresh_articles,
                "row": lambda: lst.update_count(articles[500]),
                "nothing": lambda: None,
            }
            for i in range(runs):
                for name, change in changes.items():
                    articles[500].annotation_count = i * 3 + len(times[name])
                    t0 = time.perf_counter()
                    change()
                    await pilot.pause()  # the next frame: the list lays out what changed
                    times[name].append(time.perf_counter() - t0)
        return {name: statistics.median(ts) * 1000 for name, ts in times.items()}

    ms = asyncio.run(run())
    print(f"library of {n:,} articles, one annotation count changed (median of {runs}):")
    print(f"  whole list rebuilt (before): {ms['whole']:.1f} ms")
    print(f"  that row only (now):         {ms['row']:.1f} ms")
    print(f"  (a frame with nothing changed: {ms['nothing']:.1f} ms)")


if __name__ == "__main__":
    layers_timing()
    library_timing()
