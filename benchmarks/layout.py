"""Wrapping time: prints numbers, not pass/fail.

    python benchmarks/layout.py [FILE ...]

Loads each file and wraps all of it at 80 and 120 cells (what the reading pane's
background worker does after the first screen), best of 3. With no FILE, builds a
20 MB file from seeds/ and a 20 MB mixed-script one (CJK, Hindi, emoji) in a temp dir.
Times are CPU seconds of this process, so other busy programs on the machine barely
move them.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reader.core.document import Document  # noqa: E402
from reader.core.layout import Layout  # noqa: E402

RUNS = 3


def build(tmp: Path) -> list[Path]:
    seeds = "".join(p.read_text() for p in sorted((ROOT / "seeds").iterdir()))
    mixed = (
        seeds
        + "\n数学的な観点から見ると、この問題は非常に興味深いものです。" * 3
        + "\nहिन्दी भाषा भारत की राजभाषा है और यह बहुत सुंदर भाषा है।" * 3
        + "\nRated "
        + "⭐" * 30
        + " by readers.\n"
    )
    out = []
    for name, text in (("seeds-20mb.txt", seeds), ("mixed-20mb.txt", mixed)):
        path = tmp / name
        path.write_text(text * (20_000_000 // len(text.encode()) + 1))
        out.append(path)
    return out


def main() -> None:
    paths = [Path(a) for a in sys.argv[1:]] or build(Path(tempfile.mkdtemp(prefix="layout-")))
    for path in paths:
        t0 = time.process_time()
        doc = Document.load(path)
        starts = doc.line_starts
        load = time.process_time() - t0
        for width in (80, 120):
            best = float("inf")
            rows = 0
            for _ in range(RUNS):
                t0 = time.process_time()
                layout = Layout(doc.text, starts, width)
                layout.complete()
                best = min(best, time.process_time() - t0)
                rows = layout.row_count
            print(
                f"{path.name} ({path.stat().st_size / 1e6:.1f} MB): load {load:.2f} s; "
                f"wrap all at {width} cells {best:.2f} CPU s ({rows} rows)"
            )


if __name__ == "__main__":
    main()
