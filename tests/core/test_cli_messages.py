"""The command line says what happened: a line on stderr where a silent result misleads a
person, while stdout and the exit code stay what scripts read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.cli import main

from ..conftest import XIAOMI, annotate

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
