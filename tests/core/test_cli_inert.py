"""Every line the command line prints is inert: ids, quotes, notes, file names and messages
from files never reach the terminal as control sequences."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reader.cli import main

from ..conftest import REPO, SEEDS, XIAOMI
from ..terminal import on_a_terminal

EVIL = "\x1b]0;pwned\x07\x1b[31m\x9b2J"  # a title change, a colour, a C1 CSI


@pytest.fixture
def annotated(tmp_path: Path) -> Path:
    lib = tmp_path / "lib"
    lib.mkdir()
    art = lib / XIAOMI
    shutil.copy(SEEDS / XIAOMI, art)
    assert main(["annotate", str(art), "--quote", "Xring O1 chip", "--note", f"see {EVIL}"]) == 0
    return art


def test_import_prints_file_names_and_problems_inert(
    annotated: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    theirs = tmp_path / f"from bo {EVIL}.annotations.toml"
    shutil.copy(annotated.with_name(annotated.name + ".annotations.toml"), theirs)
    escaped = json.dumps(EVIL)[1:-1]  # as TOML writes it too: \u001b...
    text = theirs.read_text().replace("Xring O1 chip", f"nowhere{escaped}")  # cannot be placed
    theirs.write_text(text)
    mine = tmp_path / "mine.txt"
    shutil.copy(SEEDS / XIAOMI, mine)
    assert main(["import", str(theirs), "--into", str(mine)]) == 0
    out, err = capsys.readouterr()
    for stream in (out, err):
        assert not any(c in stream for c in "\x1b\x07\x9b"), stream
    assert "from bo ␛]0;pwned␇␛[31m\ufffd2J.annotations.toml -> " in out
    skipped, summary = err.splitlines()  # the annotation, then why nothing was added
    assert "nowhere␛]0;pwned" in skipped and "skipped" in skipped
    assert "from bo ␛]0;pwned␇␛[31m\ufffd2J.annotations.toml: nothing imported" in summary


def test_notes_json_escapes_controls_and_keeps_the_note_exact(
    annotated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["notes", str(annotated), "--json"]) == 0
    out = capsys.readouterr().out
    assert not any(c in out for c in "\x1b\x07\x9b")
    assert "\\u001b]0;pwned\\u0007" in out and "\\u009b2J" in out
    assert json.loads(out)[0]["note"] == f"see {EVIL}"


def test_export_markdown_is_inert_on_a_terminal_and_exact_in_a_pipe(annotated: Path) -> None:
    shown = on_a_terminal("export", str(annotated), "--format", "md", cwd=REPO)
    assert "see ␛]0;pwned␇␛[31m\ufffd2J" in shown
    assert not any(c in shown for c in "\x1b\x07\x9b")
    piped = subprocess.run(
        [sys.executable, "-m", "reader", "export", str(annotated), "--format", "md"],
        capture_output=True,
        text=True,
        cwd=REPO,
    ).stdout
    assert f"see {EVIL}" in piped  # for a file or a program: the note as written
    for fmt in ("json", "w3c"):
        out = on_a_terminal("export", str(annotated), "--format", fmt, cwd=REPO)
        assert not any(c in out for c in "\x1b\x07\x9b")
