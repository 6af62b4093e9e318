"""Inputs that used to end in a traceback: each is one line and exit 2, and changes nothing."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reader.cli import main
from reader.core.config import load_config
from reader.core.store import sidecar_beside

from ..conftest import REPO, SEEDS, XIAOMI


@pytest.fixture
def art(tmp_path: Path) -> Path:
    lib = tmp_path / "lib"
    lib.mkdir()
    shutil.copy(SEEDS / XIAOMI, lib / XIAOMI)
    return lib / XIAOMI


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _one_line(capsys: pytest.CaptureFixture[str]) -> str:
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and "Traceback" not in err
    return err


def test_a_note_that_is_not_utf8_from_the_shell(art: Path) -> None:
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "reader",
            "annotate",
            str(art),
            "--quote",
            "TSMC",
            "--note",
            b"caf\xe9",
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert r.returncode == 2
    assert r.stderr == "reader: --note is not UTF-8 text; nothing changed\n"
    assert not sidecar_beside(art).exists()


def test_a_tag_or_quote_that_is_not_utf8(art: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["annotate", str(art), "--quote", "TSMC", "--tag", "x\udce9"]) == 2
    assert _one_line(capsys) == "reader: --tag is not UTF-8 text; nothing changed\n"
    assert main(["annotate", str(art), "--quote", "TS\udce9"]) == 2
    assert _one_line(capsys) == "reader: --quote is not UTF-8 text; nothing changed\n"
    assert not sidecar_beside(art).exists()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("x" * 256, "--as-layer: the name is 256 bytes; a folder name can be at most 255"),
        ("é" * 128, "--as-layer: the name is 256 bytes; a folder name can be at most 255"),
        ("sam/../../etc", "--as-layer 'sam/../../etc': a name, not a path (no / or \\)"),
        ("..", "--as-layer '..': give the author's name"),
        ("  ", "--as-layer '  ': give the author's name"),
        ("sam\udce9", "--as-layer is not UTF-8 text; nothing changed"),
    ],
)
def test_a_layer_name_that_cannot_be_a_folder(
    art: Path, capsys: pytest.CaptureFixture[str], name: str, message: str
) -> None:
    assert main(["annotate", str(art), "--quote", "TSMC"]) == 0
    capsys.readouterr()
    shared = art.parent.parent / "shared.toml"
    shutil.copy(sidecar_beside(art), shared)
    before = _files(art.parent)
    assert main(["import", str(shared), "--into", str(art), "--as-layer", name]) == 2
    assert _one_line(capsys) == f"reader: {message}\n"
    assert _files(art.parent) == before
    assert main(["import", str(shared), "--into", str(art), "--as-layer", "é" * 127]) == 0


def test_a_full_disk_during_annotate_import_and_merge(
    art: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["annotate", str(art), "--quote", "TSMC", "--note", "mine"]) == 0
    side = sidecar_beside(art)
    theirs = tmp_path / "theirs.toml"
    shutil.copy(side, theirs)
    side.unlink()
    assert main(["annotate", str(art), "--quote", "Xring O1 chip", "--note", "also mine"]) == 0
    capsys.readouterr()
    before = _files(tmp_path)

    def no_space(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", no_space)
    assert main(["annotate", str(art), "--quote", "political publicity stunt"]) == 2
    assert "No space left on device" in _one_line(capsys)
    assert main(["import", str(theirs), "--into", str(art)]) == 2
    err = _one_line(capsys)
    assert err.startswith(f"reader: {theirs} -> {art}: not imported: ")
    assert err.endswith("No space left on device\n")
    assert main(["merge-driver", str(theirs), str(side), str(theirs)]) == 2
    err = _one_line(capsys)
    assert err.startswith("reader merge-driver: ") and "the disk is full" in err
    assert _files(tmp_path) == before  # the old files are all there, unchanged
    assert not [p for p in tmp_path.rglob("*.tmp")]


def test_deep_nesting_in_an_import_a_sidecar_or_the_config(
    art: Path, isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deep_json = art.parent.parent / "deep.json"
    deep_json.write_text("[" * 100_000 + "]" * 100_000)
    assert main(["import", str(deep_json), "--into", str(art)]) == 2
    line = _one_line(capsys)
    assert line.startswith(f"reader: {deep_json}: ") and "nested too deeply" in line
    assert line.endswith("; nothing imported from it\n")
    side = sidecar_beside(art)
    side.write_text("format = 1\nx = " + "[" * 100_000 + "]" * 100_000 + "\n")
    assert main(["notes", str(art)]) == 2
    line = _one_line(capsys)
    assert line.startswith(f"reader: {side}") and line.endswith(": nested too deeply\n")
    config = isolated_home / ".config" / "reader" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text("theme = " + "{a=" * 50_000 + "1" + "}" * 50_000 + "\n")
    load_config.cache_clear()
    assert load_config().problem == f"{config}:1: nested too deeply; using default settings"
    side.unlink()
    assert main(["annotate", str(art), "--quote", "TSMC"]) == 0  # with default settings


def test_a_file_name_that_is_not_utf8(tmp_path: Path) -> None:
    """A name whose bytes are not UTF-8 is shown as `ls -b` shows it; where reader cannot
    use such a name, it says so in one line."""
    lib = tmp_path / "lib"
    lib.mkdir()
    odd = os.fsdecode(os.fsencode(lib) + b"/caf\xe9.txt")
    Path(odd).write_text("The lighthouse keeper kept a logbook.\n")
    for args in (
        ["search", "lighthouse keeper", str(lib)],
        ["annotate", odd, "--quote", "lighthouse"],
        ["notes", odd, "--json"],
        ["export", str(lib), "--format", "json"],
        ["search", "lighthouse", os.fsdecode(os.fsencode(lib) + b"/gone\xff")],
    ):
        r = subprocess.run(
            [sys.executable, "-m", "reader", *args], capture_output=True, text=True, cwd=REPO
        )
        assert "Traceback" not in r.stderr, r.stderr
        assert r.returncode in (0, 1, 2), args
        if r.returncode == 2:
            assert r.stderr.count("\n") == 1, r.stderr
        assert "\ufffd" not in r.stdout + r.stderr  # the byte is shown, not lost
        if args[0] == "annotate":  # saved beside it, under a name with the same odd byte
            assert r.returncode == 0, r.stderr
            assert os.path.exists(odd + ".annotations.toml")
        if args[-1].endswith("\udcff"):
            assert r.stderr == f"reader: {lib}/gone\\xff: no such file or folder\n"
