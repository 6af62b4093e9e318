"""`reader git-setup` and the merge driver it records: only the installed reader runs."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reader.cli import git as cli_git
from reader.cli import main
from reader.core.store import read_sidecar, sidecar_beside

from ..conftest import SEEDS, XIAOMI

HOSTILE = "import pathlib\npathlib.Path({marker!r}).write_text('ran')\n"


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, timeout=60)


def _repo(tmp_path: Path) -> Path:
    repo = tmp_path / "clone with spaces"
    repo.mkdir()
    for args in (
        ("init", "-q", "-b", "main"),
        ("config", "user.email", "t@example.com"),
        ("config", "user.name", "Tester"),
    ):
        assert _git(repo, *args).returncode == 0
    return repo


@pytest.mark.parametrize("form", ["installed script", "python -I -m reader"])
def test_a_merge_in_a_hostile_repository_runs_only_the_installed_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], form: str
) -> None:
    """A cloned repository ships its own `reader/` package; the merge driver git runs in its
    top folder must not import it."""
    if form == "installed script":
        if cli_git.installed_script() is None:
            pytest.skip("no reader script installed beside this Python")
    else:
        monkeypatch.setattr(cli_git, "installed_script", lambda: None)
    repo = _repo(tmp_path)
    marker = tmp_path / "MARKER"
    (repo / "reader").mkdir()
    for name in ("__init__.py", "__main__.py"):
        (repo / "reader" / name).write_text(HOSTILE.format(marker=str(marker)))
    # The hostile package is live: `python -m reader` run in the repository runs it.
    subprocess.run([sys.executable, "-m", "reader", "--version"], cwd=repo, capture_output=True)
    assert marker.exists()
    marker.unlink()

    assert main(["git-setup", str(repo)]) == 0
    capsys.readouterr()
    driver = _git(repo, "config", "merge.reader.driver").stdout.strip()
    assert shlex.split(driver)[-4:] == ["merge-driver", "%O", "%A", "%B"]
    if form != "installed script":
        assert shlex.split(driver)[:4] == [sys.executable, "-I", "-m", "reader"]

    art = repo / XIAOMI
    shutil.copy(SEEDS / XIAOMI, art)
    assert main(["annotate", str(art), "--quote", "Xring O1 chip", "--note", "base"]) == 0
    assert _git(repo, "add", "-A").returncode == 0
    assert _git(repo, "commit", "-qm", "base").returncode == 0
    assert _git(repo, "checkout", "-qb", "alice").returncode == 0
    assert main(["annotate", str(art), "--quote", "political publicity stunt", "--note", "a"]) == 0
    assert _git(repo, "commit", "-qam", "alice").returncode == 0
    assert _git(repo, "checkout", "-q", "main").returncode == 0
    assert main(["annotate", str(art), "--quote", "Elliot Yao is a reviewer.", "--note", "b"]) == 0
    assert _git(repo, "commit", "-qam", "bob").returncode == 0
    merged = _git(repo, "merge", "--no-edit", "alice")

    assert merged.returncode == 0, merged.stdout + merged.stderr
    assert not marker.exists()
    raw = sidecar_beside(art).read_text()
    assert "<<<<<<<" not in raw
    assert {a.note for a in read_sidecar(sidecar_beside(art)).annotations} == {"base", "a", "b"}


def test_the_driver_line_survives_spaces_in_the_python_path(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(cli_git, "installed_script", lambda: None)
    monkeypatch.setattr(sys, "executable", "/opt/my python/bin/python3")
    assert shlex.split(cli_git.driver_command()) == [
        "/opt/my python/bin/python3",
        "-I",
        "-m",
        "reader",
        "merge-driver",
        "%O",
        "%A",
        "%B",
    ]
    # The script beside the Python is used when it is reader's own.
    bindir = tmp_path / "my venv" / "bin"
    bindir.mkdir(parents=True)
    script = bindir / "reader"
    script.write_text("#!/bin/python\nfrom reader.cli import entry\n")
    script.chmod(0o755)
    monkeypatch.undo()
    monkeypatch.setattr(sys, "executable", str(bindir / "python"))
    assert shlex.split(cli_git.driver_command())[0] == str(script)
    script.write_text("#!/bin/python\nfrom feeds import main\n")  # someone else's `reader`
    assert shlex.split(cli_git.driver_command())[:2] == [str(bindir / "python"), "-I"]


def test_git_setup_adds_its_line_once_and_keeps_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = _repo(tmp_path)
    attrs = repo / ".gitattributes"
    attrs.write_text("*.png binary")  # no newline at the end
    assert main(["git-setup", str(repo)]) == 0
    assert main(["git-setup", str(repo)]) == 0
    assert attrs.read_text() == "*.png binary\n*.annotations.toml merge=reader\n"
    assert "merge driver installed" in capsys.readouterr().out


def test_git_setup_never_writes_through_a_symlinked_gitattributes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = _repo(tmp_path)
    outside = tmp_path / "outside.txt"
    outside.write_text("not the repository's\n")
    (repo / ".gitattributes").symlink_to(outside)
    assert main(["git-setup", str(repo)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is a symbolic link; not writing through it" in err
    assert outside.read_text() == "not the repository's\n"


def test_git_setup_reports_a_failing_git_config_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = _repo(tmp_path)
    (repo / ".git" / "config.lock").write_text("")  # another git holds the config
    assert main(["git-setup", str(repo)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("reader: git config merge.reader.name failed: ")
    assert err.count("\n") == 1 and "lock" in err
    assert not (repo / ".gitattributes").exists()


def test_git_setup_outside_a_repository(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["git-setup", str(tmp_path)]) == 2
    assert capsys.readouterr().err == f"reader: {tmp_path}: not inside a git repository\n"
