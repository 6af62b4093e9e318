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
from reader.ui.screens.error import ErrorScreen
from reader.ui.screens.main import MainScreen
from reader.ui.widgets.reading_pane import ReadingPane

from ..conftest import HUAWEI, XIAOMI
from .test_app import screen_text, settle


async def test_unexpected_error_shows_an_error_screen_logs_and_loses_no_annotation(
    seeds_copy: Path, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: MainScreen) -> None:
        raise RuntimeError("something nobody [bold]expected[/]")

    monkeypatch.setattr(MainScreen, "action_export", broken)
    app = make_app([seeds_copy / HUAWEI])
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("W", "a")  # a highlight, saved at once
        await pilot.pause()
        await pilot.press("E")
        await pilot.pause()
        text = screen_text(app)
        assert "unexpected error" in text
        assert "RuntimeError: something nobody [bold]expected[/]" in text  # shown as text
        assert "annotations are safe" in text
        assert app.crash_log is not None and app.crash_log.is_relative_to(isolated_home)
        assert app.crash_log.name in text
        await pilot.press("j", "x")  # other keys do nothing on the error screen
        assert app.is_running
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 1
    assert "something nobody" in app.crash_log.read_text()
    assert "Traceback" in app.crash_log.read_text()
    [a] = read_sidecar(sidecar_beside(seeds_copy / HUAWEI)).annotations
    assert a.target.quote == "China’s"


async def test_an_error_while_drawing_also_gets_the_error_screen(
    seeds_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure inside a widget (not a key action): drawing the reading pane breaks."""
    app = make_app([seeds_copy / HUAWEI])
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)

        def broken(self: ReadingPane, y: int) -> None:
            raise ValueError("cannot draw this row")

        monkeypatch.setattr(ReadingPane, "render_line", broken)
        await pilot.press("space")
        await pilot.pause()
        assert isinstance(app.screen, ErrorScreen)
        assert "ValueError: cannot draw this row" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
    assert app.return_code == 1
    assert app.crash_log is not None and "cannot draw this row" in app.crash_log.read_text()


def test_the_command_line_says_where_the_log_is(
    seeds_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """After the error screen, `reader` exits 1 and names the log on stderr."""
    from reader import cli
    from reader.ui import app as app_module

    def run_and_fail(self: app_module.ReaderApp) -> None:
        self.crash_log = app_module.write_crash_log(RuntimeError("boom"))

    monkeypatch.setattr(app_module.ReaderApp, "run", run_and_fail)
    monkeypatch.setattr(cli.app, "has_terminal", lambda: True)  # as if run on one
    assert cli.main([str(seeds_copy)]) == 1
    err = capsys.readouterr().err
    assert "unexpected error" in err and "crash-" in err and "annotations are safe" in err


def test_sigkill_during_saves_never_breaks_the_sidecar(seeds_copy: Path) -> None:
    """Kill `reader annotate` at random moments: the file always parses and holds every
    annotation whose id was printed (confirmed) before the kill."""
    art = seeds_copy / XIAOMI
    words = sorted(set(w for w in art.read_text().split() if w.isalpha() and len(w) > 6))
    rng = random.Random(5)
    confirmed: set[str] = set()

    def annotate(i: int) -> subprocess.Popen[str]:
        command = ["annotate", str(art), "--quote", words[i % len(words)], "--note", f"n{i}"]
        return subprocess.Popen(
            [sys.executable, "-m", "reader", *command], stdout=subprocess.PIPE, text=True
        )

    # Kill within the time a whole run takes on this machine now (it varies with its load),
    # so some runs are killed early, some while saving, and some finish.
    started = time.monotonic()
    out, _ = annotate(99).communicate()
    confirmed |= set(out.split())
    whole = time.monotonic() - started
    for i in range(24):
        proc = annotate(i)
        time.sleep(rng.uniform(0.3, 1.3) * whole)
        os.kill(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate()
        confirmed |= set(out.split())
        side = sidecar_beside(art)
        if side.exists():
            ids = {a.id for a in read_sidecar(side).annotations}
            assert confirmed <= ids
    assert len(confirmed) > 1  # some runs finished before their kill
