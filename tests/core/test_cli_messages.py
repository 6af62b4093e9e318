"""The command line says what happened: a line on stderr where a silent result misleads a
person, while stdout and the exit code stay what scripts read."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from reader.cli import main
from reader.core.store import sidecar_beside

from ..conftest import HUAWEI, XIAOMI, annotate

HINT = "(--occurrence N picks another; -1 is the last)"


def test_an_ambiguous_quote_says_which_occurrence_was_annotated(
    seeds_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    art = seeds_copy / XIAOMI
    text = art.read_text()
    places = [i for i in range(len(text)) if text.startswith("TSMC", i)]
    assert main(["annotate", str(art), "--quote", "TSMC"]) == 0
    out, err = capsys.readouterr()
    ident = out.strip()  # stdout is still the new annotation's id alone
    assert err == f"reader: {art}: the quote occurs 4 times; annotated occurrence 1 of 4 {HINT}\n"
    assert main(["annotate", str(art), "--quote", "TSMC", "--occurrence", "-2"]) == 0
    err = capsys.readouterr().err
    assert err == f"reader: {art}: the quote occurs 4 times; annotated occurrence 3 of 4 {HINT}\n"
    assert main(["notes", str(art), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    # The first by default, as scripts rely on; the one the message names otherwise.
    assert [r["start"] for r in rows] == [places[0], places[2]] and rows[0]["id"] == ident


def test_a_unique_quote_annotates_quietly(
    seeds_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["annotate", str(seeds_copy / XIAOMI), "--quote", "Lei Jun"]) == 0
    out, err = capsys.readouterr()
    assert err == "" and len(out.strip()) == 36


def test_overlapping_occurrences_are_counted_as_occurrence_picks_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    art = tmp_path / "a.txt"
    art.write_text("aaa\n")
    assert main(["annotate", str(art), "--quote", "aa", "--occurrence", "2"]) == 0
    err = capsys.readouterr().err
    assert err == f"reader: {art}: the quote occurs 2 times; annotated occurrence 2 of 2 {HINT}\n"


def test_importing_another_articles_sidecar_says_why_nothing_was_added(
    seeds_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    huawei, xiaomi = seeds_copy / HUAWEI, seeds_copy / XIAOMI
    annotate(huawei, "Huawei and Xiaomi", "--note", "both")
    annotate(huawei, "U.S. policymakers")
    capsys.readouterr()
    theirs = sidecar_beside(huawei)
    assert main(["import", str(theirs), "--into", str(xiaomi)]) == 0  # exit code as before
    out, err = capsys.readouterr()
    assert out == f"{theirs} -> {xiaomi}: 0 added, 0 already there (nothing written)\n"
    assert err.splitlines()[-1] == (
        f"reader: {theirs}: nothing imported: all 2 of its annotations mark passages not found "
        f"in {XIAOMI} (skipped, not added as orphans); the file is about {HUAWEI}"
    )
    assert not sidecar_beside(xiaomi).exists()


def test_importing_into_a_rewritten_article_says_its_quotes_are_gone(
    seeds_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    art = seeds_copy / XIAOMI
    annotate(art, "Xring O1 chip")
    shared = seeds_copy / "shared.toml"
    sidecar_beside(art).rename(shared)
    art.write_text("An entirely different text now.\n")
    capsys.readouterr()
    assert main(["import", str(shared), "--into", str(art)]) == 0
    err = capsys.readouterr().err
    # The file is about this article: no other article to name.
    assert err.splitlines()[-1] == (
        f"reader: {shared}: nothing imported: its annotation marks a passage not found in "
        f"{XIAOMI} (skipped, not added as orphans)"
    )


def test_the_other_articles_name_is_shown_inert(
    seeds_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    art = seeds_copy / XIAOMI
    annotate(art, "Xring O1 chip")
    side = sidecar_beside(art)
    shared = seeds_copy / "shared.toml"
    shared.write_text(side.read_text().replace(XIAOMI, "evil\\u001b[2J.txt"))
    side.unlink()
    art.write_text("An entirely different text now.\n")
    capsys.readouterr()
    assert main(["import", str(shared), "--into", str(art)]) == 0
    err = capsys.readouterr().err
    assert "\x1b" not in err and err.endswith("; the file is about evil␛[2J.txt\n")


def test_notes_on_an_article_without_annotations_says_so_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    art = tmp_path / "plain\x1b[31m.txt"
    art.write_text("Nothing marked here.\n")
    assert main(["notes", str(art)]) == 0
    out, err = capsys.readouterr()
    assert out == "" and err == f"reader: {tmp_path}/plain␛[31m.txt has no annotations\n"
    assert main(["notes", str(art), "--json"]) == 0  # JSON's [] says it already
    assert capsys.readouterr() == ("[]\n", "")
    annotate(art, "Nothing")
    capsys.readouterr()
    assert main(["notes", str(art)]) == 0
    out, err = capsys.readouterr()
    assert "“Nothing”" in out and err == ""


def test_notes_with_only_colleagues_layers_names_them_and_how_to_see_them(
    seeds_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Ben has no marks on the article, Ana's and Sam's layers hold some: "no annotations"
    alone would read as "nobody marked it"."""
    art = seeds_copy / XIAOMI
    for who, quotes in (("Ana", ["Xring O1 chip", "political publicity stunt"]), ("sam", ["Lei"])):
        for quote in quotes:
            annotate(art, quote, "--author", who)
        layer = seeds_copy / "annotations" / who / sidecar_beside(art).name
        layer.parent.mkdir(parents=True)
        sidecar_beside(art).rename(layer)
    capsys.readouterr()
    assert main(["notes", str(art)]) == 0
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        f"reader: {art} has no annotations\n"
        f"reader: {art}: in colleagues' layers: Ana (2 marks), sam (1 mark); "
        f"`reader export --format md {art}` lists them\n"
    )
    assert main(["export", "--format", "md", str(art)]) == 0  # as it says: they are there
    digest = capsys.readouterr().out
    assert "### Ana's layer" in digest and "> political publicity stunt" in digest
    assert "### sam's layer" in digest


def test_search_with_unquoted_words_hints_at_quoting(
    seeds_copy: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    quote = "to search for several words, quote them: reader search"
    assert main(["search", "a", "b"]) == 2
    assert capsys.readouterr() == ("", f'reader: b: no such file or folder; {quote} "a b"\n')
    # Every word-like missing PATH joins the query; real PATHs stay where they were.
    assert main(["search", "lighthouse", str(seeds_copy), "keeper", "light"]) == 2
    err = capsys.readouterr().err
    assert err == (
        f'reader: keeper: no such file or folder; {quote} "lighthouse keeper light" {seeds_copy}\n'
    )
    # What the shell would read inside double quotes is quoted with single ones.
    assert main(["search", "costs", "$5"]) == 2
    assert capsys.readouterr().err == f"reader: $5: no such file or folder; {quote} 'costs $5'\n"


@pytest.mark.parametrize("path", ["gone.txt", "lib/gone", "./b"])
def test_a_missing_path_that_looks_like_a_path_gets_no_hint(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, path: str
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["search", "a", path]) == 2
    assert capsys.readouterr() == ("", f"reader: {path}: no such file or folder\n")


def test_search_hint_as_a_user_runs_it(tmp_path: Path) -> None:
    r = subprocess.run(
        [sys.executable, "-m", "reader", "search", "xiaomi", "chip"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])},
    )
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr == (
        "reader: chip: no such file or folder; to search for several words, quote them: "
        'reader search "xiaomi chip"\n'
    )
