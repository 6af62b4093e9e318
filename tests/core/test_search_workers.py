"""A threaded process (the app) indexes a big library in worker processes of its own:
the same index as one process makes, no process left behind, and a worker that dies
leaves its files to the writer."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from reader.core.search import SearchIndex
from reader.core.search.indexer import CHILD_NICE, IndexReport

from .test_search_index import big_library


@pytest.fixture
def few_files_spawn(monkeypatch: pytest.MonkeyPatch) -> None:
    """Worker processes from a threaded process for 80 files (a real build: 200), and
    files written (and progress told) as they come, 10 at a time (a real build: 200)."""
    from reader.core.search import indexer

    monkeypatch.setattr(indexer, "SPAWN_FROM", 64)
    monkeypatch.setattr(indexer, "COMMIT_EVERY", 10)


def in_a_thread(
    index: SearchIndex,
    files: list[Path],
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> IndexReport:
    """Index files from a second thread, as the app does (not the one the tests run in)."""
    reports: list[IndexReport] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            reports.append(index.update(files, progress=progress, cancelled=cancelled))
        except BaseException as err:  # (shown by the test)
            errors.append(err)

    t = threading.Thread(target=run)
    t.start()
    t.join()
    if errors:
        raise errors[0]
    return reports[0]


def workers_now() -> list[multiprocessing.process.BaseProcess]:
    return multiprocessing.active_children()


def alive(pid: int) -> bool:
    return Path(f"/proc/{pid}").exists()


def no_child_process() -> bool:
    """Whether this process has no child at all, running or unreaped (multiprocessing's
    resource tracker too). (From /proc: waiting for one would reap it.)"""
    me = str(os.getpid())
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # (ended meanwhile)
        if fields[1] == me:
            return False
    return True


def table(path: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as conn:
        return conn.execute(sql).fetchall()


def test_a_threaded_process_indexes_in_lower_priority_workers_the_same_index(
    tmp_path: Path, few_files_spawn: None
) -> None:
    files = big_library(tmp_path / "lib", files=80, paras=3)
    files[41].write_text("A bowl of pomegranate seeds beside the crisps.\n\nAnd nothing more.")
    seen: list[tuple[int, int]] = []  # (pid, niceness) of the workers as files are written

    def progress(done: int, total: int) -> None:
        seen.extend(
            (p.pid or 0, os.getpriority(os.PRIO_PROCESS, p.pid or 0)) for p in workers_now()
        )

    pooled = SearchIndex(tmp_path / "pooled.sqlite")
    report = in_a_thread(pooled, files, progress)
    assert report.indexed == 80 and not report.problems
    mine = os.getpriority(os.PRIO_PROCESS, 0)
    # (A worker seen as it starts has yet to lower its priority.)
    assert min(mine + CHILD_NICE, 19) in {nice for _, nice in seen} <= {mine, mine + CHILD_NICE}
    assert not workers_now() and not any(alive(pid) for pid, _ in seen)
    assert no_child_process()

    alone = SearchIndex(tmp_path / "alone.sqlite")
    alone.update(files, workers=1)
    for query in ("crisp chips 42-1", "crips chisp 33-2", "pomegrnate", "salted chips"):
        got = [(h.path, h.line, h.col, h.text) for h in pooled.search(query, files, limit=30)]
        assert got == [(h.path, h.line, h.col, h.text) for h in alone.search(query, files, 30)]
        assert got
    for sql in (
        "SELECT path, size, mtime_ns, first_pid, passages FROM files ORDER BY path",
        "SELECT * FROM passages ORDER BY id",
        "SELECT * FROM vocab ORDER BY word",
    ):
        assert table(tmp_path / "pooled.sqlite", sql) == table(tmp_path / "alone.sqlite", sql)


def test_cancelling_a_threaded_build_stops_its_workers(
    tmp_path: Path, few_files_spawn: None
) -> None:
    files = big_library(tmp_path / "lib", files=200, paras=2)
    pids: set[int] = set()

    def progress(done: int, total: int) -> None:
        pids.update(p.pid or 0 for p in workers_now())

    idx = SearchIndex(tmp_path / "index.sqlite")
    # Cancelled (the app quits) once workers are seen at work.
    report = in_a_thread(idx, files, progress, cancelled=lambda: bool(pids))
    assert pids and 0 < report.indexed < 200
    assert not workers_now() and not any(alive(pid) for pid in pids)
    assert no_child_process()
    in_a_thread(idx, files)  # the next start indexes the rest
    assert idx.stale(files) == []


def test_a_worker_killed_mid_build_leaves_its_files_to_the_writer(
    tmp_path: Path, few_files_spawn: None
) -> None:
    files = big_library(tmp_path / "lib", files=150, paras=2)
    killed: list[int] = []

    def progress(done: int, total: int) -> None:
        if not killed and (workers := workers_now()):
            killed.append(workers[0].pid or 0)
            os.kill(killed[0], signal.SIGKILL)  # (the kernel's out-of-memory killer, say)

    idx = SearchIndex(tmp_path / "index.sqlite")
    report = in_a_thread(idx, files, progress)
    assert killed and report.indexed == 150 and not report.problems
    assert idx.stale(files) == []
    alone = SearchIndex(tmp_path / "alone.sqlite")
    alone.update(files, workers=1)
    for sql in ("SELECT path, passages FROM files ORDER BY path", "SELECT * FROM passages"):
        assert table(tmp_path / "index.sqlite", sql) == table(tmp_path / "alone.sqlite", sql)
    [hit] = idx.search("crisp chips 142-1", files, limit=1)
    assert hit.path.name == "snack-142.txt"
    assert not workers_now()


def test_a_threaded_process_that_cannot_start_workers_indexes_in_its_own(
    tmp_path: Path, few_files_spawn: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.core.search import indexer

    def no_more_processes() -> None:
        raise BlockingIOError(11, "Resource temporarily unavailable")  # (fork: EAGAIN)

    monkeypatch.setattr(indexer, "_start_resource_tracker", no_more_processes)
    files = big_library(tmp_path / "lib", files=80, paras=2)
    idx = SearchIndex(tmp_path / "index.sqlite")
    report = in_a_thread(idx, files)
    assert report.indexed == 80 and not report.problems
    [hit] = idx.search("crisp chips 42-1", files, limit=1)
    assert hit.path.name == "snack-042.txt"
