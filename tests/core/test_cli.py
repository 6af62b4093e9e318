import json
import subprocess
import sys
from pathlib import Path

from reader.cli import main

from ..conftest import XIAOMI


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reader", *args], capture_output=True, text=True, timeout=60
    )


def test_annotate_then_notes_json(seeds_copy: Path, capsys) -> None:
    art = seeds_copy / XIAOMI
    assert (
        main(
            [
                "annotate",
                str(art),
                "--quote",
                "Xring O1 chip",
                "--note",
                "the claim",
                "--tag",
                "chips",
                "--tag",
                "xiaomi",
                "--color",
                "green",
            ]
        )
        == 0
    )
    ident = capsys.readouterr().out.strip()
    assert main(["notes", str(art), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["id"] == ident and rows[0]["status"] == "anchored"
    assert rows[0]["quote"] == "Xring O1 chip" and rows[0]["tags"] == ["chips", "xiaomi"]
    assert rows[0]["color"] == "green" and rows[0]["note"] == "the claim"
    start = rows[0]["start"]
    assert art.read_text()[start : rows[0]["end"]] == "Xring O1 chip"


def test_occurrence_picks_the_nth(seeds_copy: Path, capsys) -> None:
    art = seeds_copy / XIAOMI
    text = art.read_text()
    second = text.index("TSMC", text.index("TSMC") + 1)
    assert main(["annotate", str(art), "--quote", "TSMC", "--occurrence", "2"]) == 0
    capsys.readouterr()
    main(["notes", str(art), "--json"])
    assert json.loads(capsys.readouterr().out)[0]["start"] == second


def test_bad_input_is_one_line_and_nonzero(seeds_copy: Path) -> None:
    r = run("annotate", str(seeds_copy / XIAOMI), "--quote", "not in this text at all")
    assert r.returncode != 0 and r.stderr.strip().count("\n") == 0
    assert "quote not found" in r.stderr
    r = run("notes", str(seeds_copy / "missing.txt"))
    assert r.returncode != 0 and "no such file" in r.stderr


def test_version_and_help() -> None:
    assert run("--version").stdout.startswith("reader ")
    assert "annotate" in run("--help").stdout
