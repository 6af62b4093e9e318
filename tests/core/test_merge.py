"""The git merge driver (`reader merge-driver BASE OURS THEIRS`): by id, never by passage;
refuses bad inputs leaving the files alone; reports only the conflicts it made."""

import errno
import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from reader.cli import main
from reader.core.annotation import Annotation, make_target
from reader.core.merge import merge_annotations
from reader.core.store import ArticleStore, dump_sidecar, read_sidecar, sidecar_beside

from ..conftest import REPO

TEXT = "one two three four five six seven eight nine ten\n"
T0, T1, T2 = "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z", "2026-01-03T00:00:00Z"


def mark(quote: str, **kw: object) -> Annotation:
    s = TEXT.index(quote)
    return Annotation(make_target(TEXT, s, s + len(quote)), created=T0, **kw)  # type: ignore[arg-type]


def write(path: Path, annotations: list[Annotation]) -> Path:
    path.write_text(dump_sidecar(Path("a.txt"), TEXT, annotations), "utf-8")
    return path


def sides(tmp_path: Path, base: list, ours: list, theirs: list) -> tuple[Path, Path, Path]:
    return (
        write(tmp_path / "base.toml", base),
        write(tmp_path / "ours.toml", ours),
        write(tmp_path / "theirs.toml", theirs),
    )


def driver(base: Path, ours: Path, theirs: Path) -> int:
    return main(["merge-driver", str(base), str(ours), str(theirs)])


def test_two_marks_of_one_passage_both_stay(tmp_path: Path) -> None:
    yellow, blue = mark("three", color="yellow"), mark("three", color="blue")
    new = mark("five", note="ours")
    b, o, t = sides(tmp_path, [yellow, blue], [yellow, blue, new], [yellow, blue])
    assert driver(b, o, t) == 0
    merged = {a.id: a for a in read_sidecar(o).annotations}
    assert set(merged) == {yellow.id, blue.id, new.id}
    assert merged[blue.id].color == "blue"


def test_two_marks_of_one_passage_added_on_each_side_both_stay(tmp_path: Path) -> None:
    ours_mark, theirs_mark = mark("six", note="same"), mark("six", note="same")
    b, o, t = sides(tmp_path, [], [ours_mark], [theirs_mark])
    assert driver(b, o, t) == 0
    assert {a.id for a in read_sidecar(o).annotations} == {ours_mark.id, theirs_mark.id}


@pytest.mark.parametrize("which", ["base", "ours", "theirs"])
@pytest.mark.parametrize("how", ["missing", "folder", "fifo", "dev-zero", "broken"])
def test_a_bad_input_is_refused_and_nothing_changes(
    tmp_path: Path, which: str, how: str, capsys
) -> None:
    keep = mark("two", note="keep me")
    paths = dict(
        zip(["base", "ours", "theirs"], sides(tmp_path, [keep], [keep], [keep]), strict=True)
    )
    bad = paths[which]
    bad.unlink()
    if how == "folder":
        bad.mkdir()
    elif how == "fifo":
        os.mkfifo(bad)
    elif how == "dev-zero":
        bad.symlink_to("/dev/zero")
    elif how == "broken":
        bad.write_text('format = 1\n[[annotation]]\nid = "x"\nnote = "unterminated\n')
    before = {
        p: (p.read_bytes() if p.is_file() and not p.is_symlink() else None) for p in paths.values()
    }
    assert driver(paths["base"], paths["ours"], paths["theirs"]) != 0
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and str(bad) in err and "Traceback" not in err
    for p, content in before.items():
        if content is not None:
            assert p.read_bytes() == content


def test_a_full_disk_leaves_the_old_file_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    b, o, t = sides(tmp_path, [], [mark("two", note="ours")], [mark("four", note="theirs")])
    before = o.read_bytes()

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    assert driver(b, o, t) != 0
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and str(o) in err
    assert "disk is full" in err and "unchanged" in err
    assert o.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_only_conflicts_this_merge_made_are_reported(tmp_path: Path, capsys) -> None:
    old = mark("seven", note="a\n\n[other version] b", conflict="note: both sides edited it")
    untouched = [old]
    b, o, t = sides(tmp_path, untouched, untouched + [mark("two")], untouched + [mark("four")])
    assert driver(b, o, t) == 0
    assert "changed on both sides" not in capsys.readouterr().err
    assert read_sidecar(o).annotations[-1].conflict == "note: both sides edited it"

    fresh = mark("nine", note="base")
    b, o, t = sides(
        tmp_path,
        untouched + [fresh],
        untouched + [replace(fresh, note="ours", modified=T1)],
        untouched + [replace(fresh, note="theirs", modified=T2)],
    )
    assert driver(b, o, t) == 0
    assert "1 annotation(s) changed on both sides" in capsys.readouterr().err


def test_fixing_a_flag_on_one_side_clears_it_in_the_merge() -> None:
    flagged = mark("seven", note="a", conflict="note: both sides edited it")
    fixed = replace(flagged, note="settled", conflict="", modified=T1)
    other = mark("two")
    merged, new = merge_annotations([flagged], [fixed], [flagged, other])
    assert {a.id: a for a in merged}[flagged.id].conflict == ""
    assert new == []


def test_merge_keeps_any_colour(tmp_path: Path) -> None:
    red = mark("three", color="red")
    b, o, t = sides(tmp_path, [], [red], [mark("five", color="chartreuse")])
    assert driver(b, o, t) == 0
    assert {a.color for a in read_sidecar(o).annotations} == {"red", "chartreuse"}


def test_a_note_edited_in_the_store_after_a_git_merge_loses_its_flag(tmp_path: Path) -> None:
    """The whole path: git merges two branches that both edited a note; fixing the note
    clears the flag, and the next merge reports nothing old."""
    repo = tmp_path / "repo"
    repo.mkdir()
    art = repo / "a.txt"
    art.write_text(TEXT)
    env = {**os.environ, "PYTHONPATH": str(REPO)}  # git runs the driver: this checkout's

    def git(*args: str) -> subprocess.CompletedProcess[str]:
        r = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, env=env)
        assert r.returncode == 0, r.stderr
        return r

    git("init", "-q", "-b", "main")
    git("config", "user.email", "t@example.com")
    git("config", "user.name", "Tester")
    r = subprocess.run(
        [sys.executable, "-m", "reader", "git-setup", str(repo)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert r.returncode == 0, r.stderr
    a = mark("four", note="base")
    ArticleStore(art, TEXT).add(a)
    git("add", "-A")
    git("commit", "-qm", "base")
    git("checkout", "-qb", "alice")
    ArticleStore(art, TEXT).put(replace(a, note="alice", modified=T1))
    git("commit", "-qam", "alice")
    git("checkout", "-q", "main")
    ArticleStore(art, TEXT).put(replace(a, note="bob", modified=T2))
    git("commit", "-qam", "bob")
    merged = git("merge", "--no-edit", "alice")
    assert "1 annotation(s) changed on both sides" in merged.stderr + merged.stdout
    store = ArticleStore(art, TEXT)
    [flagged] = store.annotations
    assert flagged.conflict.startswith("note:") and "alice" in flagged.note
    store.put(flagged.edited(note="agreed"))
    assert "conflict" not in sidecar_beside(art).read_text()
    git("commit", "-qam", "fixed")
    shutil.copy(art, repo / "b.txt")  # an unrelated change on a branch, merged back
    git("checkout", "-qb", "carol")
    ArticleStore(art, TEXT).add(mark("nine"))
    git("commit", "-qam", "carol")
    git("checkout", "-q", "main")
    ArticleStore(art, TEXT).add(mark("ten"))
    git("commit", "-qam", "dave")
    again = git("merge", "--no-edit", "carol")
    assert "changed on both sides" not in again.stderr + again.stdout
    assert len(read_sidecar(sidecar_beside(art)).annotations) == 3


def test_reader_notes_shows_what_a_merge_flagged(tmp_path: Path, capsys) -> None:
    """Both sides edited one note: `reader notes` says so on its line (the app does too)."""
    art = tmp_path / "a.txt"
    art.write_text(TEXT)
    both = mark("seven", note="base")
    b, o, t = sides(tmp_path, [both], [replace(both, note="ours")], [replace(both, note="theirs")])
    assert driver(b, o, t) == 0
    shutil.copy(o, sidecar_beside(art))
    capsys.readouterr()
    assert main(["notes", str(art)]) == 0
    [line] = capsys.readouterr().out.splitlines()
    assert line.endswith("conflict: note: both sides edited it; both versions are kept")


def test_a_note_both_edited_names_whose_the_other_version_is(
    tmp_path: Path, isolated_home: Path
) -> None:
    """Ben merges Ana's branch. Ana's note, edited on both: her branch's version is hers. Ben's
    own note, edited on her branch too: who edited it there is not known, so nobody is
    named. A note merged before keeps its `[other version]` as it is."""
    cfg = isolated_home / ".config" / "reader" / "config.toml"
    cfg.parent.mkdir(parents=True)
    cfg.write_text('author = "Ben"\n')
    hers = mark("three", note="base", author="Ana")
    his = mark("five", note="base", author="Ben")
    old = mark("seven", note="a\n\n[other version] b", author="Ana", conflict="note: x")
    b, o, t = sides(
        tmp_path,
        [hers, his, old],
        [replace(hers, note="Ben's"), replace(his, note="Ben's"), old],
        [replace(hers, note="Ana's"), replace(his, note="Ana's"), old],
    )
    assert driver(b, o, t) == 0
    merged = {a.id: a.note for a in read_sidecar(o).annotations}
    assert merged[hers.id] == "Ben's\n\n[Ana's version] Ana's"
    assert merged[his.id] == "Ben's\n\n[other version] Ana's"
    assert merged[old.id] == "a\n\n[other version] b"
