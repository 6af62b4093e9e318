"""An unexpected error: a traceback in the state folder, annotations already on disk."""

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reader.core.store import read_sidecar, sidecar_beside
from reader.ui.app import make_app
from reader.ui.screens.main import MainScreen

from ..conftest import HUAWEI, XIAOMI
from .test_app import settle


async def test_unexpected_error_writes_a_log_and_loses_no_annotation(
    seeds_copy: Path, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: MainScreen) -> None:
        raise RuntimeError("something nobody expected")

    monkeypatch.setattr(MainScreen, "action_export", broken)
    app = make_app([seeds_copy / HUAWEI])
    with pytest.raises(RuntimeError):
        async with app.run_test(size=(120, 30)) as pilot:
            await settle(app, pilot)
            await pilot.press("W", "a")  # a highlight, saved at once
            await pilot.pause()
            await pilot.press("E")
            await pilot.pause()
    assert app.crash_log is not None and app.crash_log.is_relative_to(isolated_home)
    assert "something nobody expected" in app.crash_log.read_text()
    [a] = read_sidecar(sidecar_beside(seeds_copy / HUAWEI)).annotations
    assert a.target.quote == "China’s"


def test_sigkill_during_saves_never_breaks_the_sidecar(seeds_copy: Path) -> None:
    """Kill `reader annotate` at random moments: the file always parses and holds every
    annotation whose id was printed (confirmed) before the kill."""
    art = seeds_copy / XIAOMI
    words = sorted(set(w for w in art.read_text().split() if w.isalpha() and len(w) > 6))
    rng = random.Random(5)
    confirmed: set[str] = set()
    for i in range(24):
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "reader",
                "annotate",
                str(art),
                "--quote",
                words[i % len(words)],
                "--note",
                f"n{i}",
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        time.sleep(rng.uniform(0.05, 0.35))
        os.kill(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate()
        confirmed |= set(out.split())
        side = sidecar_beside(art)
        if side.exists():
            ids = {a.id for a in read_sidecar(side).annotations}
            assert confirmed <= ids
    assert confirmed  # some runs finished before their kill
