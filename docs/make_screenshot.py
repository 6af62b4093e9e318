"""Make docs/screenshot.svg: reader on the sample articles with a few annotations.

    python docs/make_screenshot.py

Works on a temporary copy of seeds/ and annotations/ with its own user folders, so
nothing of yours is read or written. The annotations are made with `reader annotate`.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = "000_73266b627bb35767.txt"
MARKS = [
    ("Huawei and Xiaomi", ["--color", "green"]),
    (
        "Despite the intense sanctions imposed by Washington",
        ["--note", "The core claim of the piece", "--tag", "sanctions"],
    ),
]


async def shoot(tmp: Path) -> None:
    from reader.cli import main
    from reader.ui.app import make_app

    lib = tmp / "seeds"
    for quote, options in MARKS:
        assert main(["annotate", str(lib / ARTICLE), "--quote", quote, *options]) == 0
    app = make_app([lib])
    async with app.run_test(size=(120, 34)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.press("enter", "j", "j", "w", "w", "w", "w")
        await pilot.pause(0.3)
        app.save_screenshot(str(ROOT / "docs" / "screenshot.svg"))


def main() -> None:
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        shutil.copytree(ROOT / "seeds", tmp / "seeds")
        shutil.copytree(ROOT / "annotations", tmp / "annotations")
        for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
            os.environ[var] = str(tmp / var.lower())
        asyncio.run(shoot(tmp))
    print(ROOT / "docs" / "screenshot.svg")


if __name__ == "__main__":
    main()
