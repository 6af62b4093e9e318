"""The app indexes a big library in worker processes, and leaves none behind when it quits."""

from __future__ import annotations

import asyncio
import multiprocessing
from pathlib import Path

import pytest

from reader.ui.app import make_app

from ..core.test_search_index import big_library
from ..core.test_search_workers import no_child_process
from .test_app import screen_text, settle


@pytest.fixture
def library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """250 articles, indexed in worker processes (a real build: from 200 files), written
    10 at a time (a real build: 200)."""
    from reader.core.search import indexer

    monkeypatch.setattr(indexer, "SPAWN_FROM", 64)
    monkeypatch.setattr(indexer, "COMMIT_EVERY", 10)
    big_library(tmp_path / "lib", files=250, paras=2)
    return tmp_path / "lib"


def alive(pid: int) -> bool:
    return Path(f"/proc/{pid}").exists()


async def test_the_app_indexes_a_big_library_in_workers_and_finds_its_passages(
    library: Path,
) -> None:
    app = make_app([library])
    workers: set[int] = set()
    async with app.run_test(size=(120, 30)) as pilot:
        app.indexer.start()
        while not app.indexer.watching.is_set() and any(
            w.group == "index" and not w.is_finished for w in app.workers
        ):
            workers.update(p.pid or 0 for p in multiprocessing.active_children())
            await asyncio.sleep(0.02)
        await settle(app, pilot)
        assert workers  # files were read in other processes
        await pilot.press("F", *"crisp chips 142-1")
        await settle(app, pilot)
        text = screen_text(app)
        assert "snack-142.txt" in text and "indexing" not in text
    assert not any(alive(pid) for pid in workers)


async def test_quitting_while_indexing_leaves_no_worker_process(library: Path) -> None:
    app = make_app([library])
    workers: set[int] = set()
    async with app.run_test(size=(120, 30)) as pilot:
        app.indexer.start()
        for _ in range(500):  # (until the workers are seen: spawned, they take a moment)
            workers.update(p.pid or 0 for p in multiprocessing.active_children())
            if workers and app.indexer.progress is not None:
                break
            await pilot.pause(0.02)
        assert workers and app.indexer.progress is not None  # (still indexing: quit now)
    # The app has quit; its indexing thread stops the workers as it notices.
    for _ in range(200):
        if no_child_process():
            break
        await asyncio.sleep(0.05)
    assert not any(alive(pid) for pid in workers)
    assert no_child_process()  # (nor the resource tracker, nor a zombie)
