"""The command line fails fast and loud: one line on stderr, exit 2, and never the app by
mistake."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from reader.cli import app as cli_app
from reader.cli import main
from reader.core.store import sidecar_beside

from ..conftest import XIAOMI


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reader", *args],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
        cwd=cwd,
    )


@pytest.fixture
def app_runs(monkeypatch: pytest.MonkeyPatch) -> list[list[Path]]:
    """Stand-in for the full-screen app, on a terminal: records what it was asked to open."""
    opened: list[list[Path]] = []

    def fake_run_app(paths: list[Path]) -> int:
        opened.append(list(paths))
        return 0

    monkeypatch.setattr(cli_app, "run_app", fake_run_app)
    monkeypatch.setattr(cli_app, "has_terminal", lambda: True)
    return opened


def test_a_mistyped_command_says_so_and_never_starts_the_app(
    app_runs: list[list[Path]], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["notse", "x.txt"]) == 2
    assert main(["frobnicate"]) == 2
    assert app_runs == []
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "reader: unknown command 'notse' (did you mean 'notes'?)",
        "reader: unknown command 'frobnicate' and no such file or folder (commands: annotate, "
        "notes, search, import, export, merge-driver, git-setup, serve, format)",
    ]


def test_a_mistyped_command_from_a_script_exits_at_once() -> None:
    r = run("exprot", "--format", "md")
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr == "reader: unknown command 'exprot' (did you mean 'export'?)\n"


def test_a_file_named_like_a_command_is_opened(
    app_runs: list[list[Path]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "frobnicate").mkdir()
    (tmp_path / "notes").write_text("not the command: a file\n")
    assert main(["frobnicate"]) == 0
    assert main(["--", "notes"]) == 0  # `--` says: a path, whatever its name
    assert app_runs == [[Path("frobnicate")], [Path("notes")]]


def test_missing_paths_are_named_and_nothing_left_is_exit_2(
    app_runs: list[list[Path]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gone = tmp_path / "nope.txt"
    link = tmp_path / "dangling.txt"
    link.symlink_to(tmp_path / "elsewhere.txt")
    assert main([str(gone), str(link)]) == 2
    assert app_runs == []
    assert capsys.readouterr().err.splitlines() == [
        f"reader: {gone}: no such file or folder",
        f"reader: {link}: broken symbolic link (its target {tmp_path}/elsewhere.txt does not "
        "exist)",
    ]


def test_the_app_opens_what_exists_and_names_the_rest(
    app_runs: list[list[Path]], seeds_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    art = seeds_copy / XIAOMI
    gone = seeds_copy / "nope.txt"
    assert main([str(art), str(gone)]) == 0
    assert app_runs == [[art, gone]]  # the app lists the missing one in its own way too
    assert capsys.readouterr().err == f"reader: {gone}: no such file or folder\n"


def test_the_app_never_draws_into_a_pipe(seeds_copy: Path) -> None:
    r = run(str(seeds_copy))
    assert r.returncode == 2 and r.stdout == ""
    usage, message = r.stderr.splitlines()
    assert usage == "usage: reader [-h] [--version] [PATH ...]"
    assert message.startswith("reader: the app needs a terminal")
    assert run("--version").stdout.startswith("reader ")  # help and version still print


def test_export_names_a_missing_path_or_a_broken_sidecar(
    seeds_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gone = seeds_copy / "nope.txt"
    assert main(["export", str(seeds_copy), str(gone), "--format", "md"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err == f"reader: {gone}: no such file or folder\n"

    art = seeds_copy / XIAOMI
    side = sidecar_beside(art)
    side.write_text('format = 1\n[[annotation]]\nid = "x"\nnote = "unterminated\n')
    out_file = seeds_copy / "digest.md"
    for fmt in ("md", "json"):
        assert main(["export", str(art), "--format", fmt, "-o", str(out_file)]) == 2
        out, err = capsys.readouterr()
        assert out == "" and err.count("\n") == 1
        assert err.startswith("reader: ") and f"{side}:4" in err and "nothing exported" in err
    assert not out_file.exists()
    assert main(["export", str(seeds_copy)]) == 2  # inside a folder too
    assert f"{side}:4" in capsys.readouterr().err


def test_export_of_a_file_that_is_no_article_says_why_as_notes_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    binary = tmp_path / "data.txt"
    binary.write_bytes(b"\x00\x01 not text \x00")
    for command in ("export", "notes"):
        assert main([command, str(binary)]) == 2
        out, err = capsys.readouterr()
        assert (
            out == "" and err == f"reader: {binary}: binary file (contains NUL bytes), not text\n"
        )
    assert main(["export", "/dev/null"]) == 2
    assert capsys.readouterr() == ("", "reader: /dev/null: not a regular file or folder\n")
    (tmp_path / "fine.txt").write_text("Some text.\n")
    assert main(["export", str(tmp_path)]) == 0  # in a folder: skipped, the rest exported
    assert capsys.readouterr().out.startswith("# Annotations")


def test_search_refuses_a_missing_path_or_an_empty_query(
    seeds_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gone = seeds_copy / "nope"
    assert main(["search", "chip", str(seeds_copy), str(gone)]) == 2
    assert capsys.readouterr() == ("", f"reader: {gone}: no such file or folder\n")
    for query in ("", "   "):
        assert main(["search", query, str(seeds_copy)]) == 2
        out, err = capsys.readouterr()
        assert out == "" and err == "reader: the query is empty; give a few words to search for\n"


@pytest.mark.parametrize(
    ("occurrence", "expected"),
    [
        ("1", 0),
        ("2", 1),
        ("4", 3),
        ("-1", 3),
        ("-4", 0),
        ("0", "counts from 1 (or from the end: -1 is the last), not 0"),
        ("5", "the quote occurs 4 time(s); occurrence 5 is out of range"),
        ("-5", "the quote occurs 4 time(s); occurrence -5 is out of range"),
        ("-50", "the quote occurs 4 time(s); occurrence -50 is out of range"),
    ],
)
def test_occurrence_counts_from_the_start_or_from_the_end(
    seeds_copy: Path, capsys: pytest.CaptureFixture[str], occurrence: str, expected: int | str
) -> None:
    art = seeds_copy / XIAOMI
    text = art.read_text()
    places = [i for i in range(len(text)) if text.startswith("TSMC", i)]
    assert len(places) == 4
    rc = main(["annotate", str(art), "--quote", "TSMC", "--occurrence", occurrence])
    out, err = capsys.readouterr()
    if isinstance(expected, str):
        assert rc == 2 and out == "" and err.count("\n") == 1 and expected in err
        assert not sidecar_beside(art).exists()
        return
    assert rc == 0
    assert main(["notes", str(art), "--json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert row["start"] == places[expected]


def test_broken_links_and_link_loops_in_a_folder_are_listed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lib = tmp_path / "lib"
    (lib / "sub").mkdir(parents=True)
    (lib / "ok.txt").write_text("An article with words.\n")
    sidecar_beside(lib / "ok.txt").write_text("format = 1\n")
    (lib / "dangling.txt").symlink_to("gone.txt")
    (lib / "self.md").symlink_to("self.md")
    (lib / "sub" / "up").symlink_to("..")
    (lib / "folder-link").symlink_to(tmp_path / "no-such-folder")
    (lib / "picture.png").symlink_to("gone.png")  # not an article: not ours to mention
    assert main(["export", str(lib), "--format", "json"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out) == []
    assert sorted(err.splitlines()) == [
        f"reader: {lib}/dangling.txt: broken symbolic link (its target gone.txt does not exist)",
        f"reader: {lib}/folder-link: broken symbolic link (its target {tmp_path}/no-such-folder "
        "does not exist)",
        f"reader: {lib}/self.md: symbolic link loop",
        f"reader: {lib}/sub/up: symbolic link loop (leads back to a folder above it); not followed",
    ]


def test_problems_are_printed_inert(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "evil\x1b]0;pwned\x07"
    assert main(["search", "word", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err and "evil␛]0;pwned␇: no such file" in err
    assert main(["export", str(tmp_path / "a\nb.txt")]) == 2
    assert capsys.readouterr().err == f"reader: {tmp_path}/a␤b.txt: no such file or folder\n"
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("folder", [".", "/"])
@pytest.mark.parametrize("command", [["notes"], ["annotate", "--quote", "x"]])
def test_a_folder_without_a_name_is_refused_in_one_line(
    folder: str,
    command: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`reader notes .` (and `/`) said a traceback ending in "has an empty name"."""
    monkeypatch.chdir(tmp_path)
    assert main([command[0], folder, *command[1:]]) == 2
    assert capsys.readouterr().err == f"reader: {folder}: is a folder, not a file\n"
