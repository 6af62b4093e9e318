import json
import os
import subprocess
import sys
from pathlib import Path

from reader.cli import main

from ..conftest import XIAOMI
from ..terminal import on_a_terminal


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
    assert rows[0]["target"]["quote"] == "Xring O1 chip" and rows[0]["tags"] == ["chips", "xiaomi"]
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


def test_search_prints_ranked_passages_like_ripgrep(seeds_copy: Path) -> None:
    r = run("search", "xiaomy 3 nm chipp", str(seeds_copy), "--limit", "2")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert len(lines) == 2
    path, line, col, snippet = lines[0].split(":", 3)
    assert Path(path).name == XIAOMI and "Xiaomi" in snippet
    text_line = (seeds_copy / XIAOMI).read_text().splitlines()[int(line) - 1]
    assert text_line[int(col) - 1 :].lower().startswith(("xiaomi", "3", "nm", "chip"))


def test_search_json_and_no_match(seeds_copy: Path, tmp_path: Path) -> None:
    r = run("search", "Kirin 9000S", str(seeds_copy), "--json", "--limit", "5")
    rows = json.loads(r.stdout)
    assert rows and rows[0]["text"].count("Kirin 9000S") >= 1
    assert {"path", "line", "col", "start", "end", "score", "text"} <= set(rows[0])
    text = Path(rows[0]["path"]).read_text()
    assert "Kirin 9000S" in text[rows[0]["start"] : rows[0]["end"]]
    r = run("search", "zanzibar marmalade", str(seeds_copy))
    assert r.returncode == 1 and r.stdout == ""


def test_search_finds_a_changed_file_and_cjk_words(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    lib.mkdir()
    art = lib / "news.txt"
    art.write_text("Nothing to see here.\n")
    assert run("search", "华为", str(lib)).returncode == 1
    art.write_text("Nothing to see here.\n\n中国半导体产业在发展，华为发布了新芯片。\n")
    r = run("search", "华为", str(lib))
    assert r.returncode == 0 and r.stdout.startswith(f"{art}:3:")


def test_search_sees_files_added_and_removed_since_the_last_search(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    (lib / "2025").mkdir(parents=True)
    gone = lib / "gone.txt"
    gone.write_text("The lighthouse keeper kept a logbook.\n")
    past = 1_700_000_000
    for p in (gone, lib / "2025", lib):
        os.utime(p, (past, past))  # a library that sat for a while: its listing is kept
    assert run("search", "lighthouse keeper", str(lib)).stdout.startswith(f"{gone}:1:")
    added = lib / "2025" / "added.md"
    added.write_text("# Notes\n\nAnother lighthouse keeper wrote it down.\n")
    gone.unlink()
    r = run("search", "lighthouse keeper", str(lib))
    assert r.returncode == 0 and r.stdout.startswith(f"{added}:3:")
    assert str(gone) not in r.stdout


def test_search_names_the_files_it_cannot_read(tmp_path: Path) -> None:
    """Files that cannot be read as text are named on stderr when they are tried (the
    first search, and each full check), not on every query; the rest is searched."""
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "good.txt").write_text("The lighthouse keeper kept a logbook.\n")
    (lib / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    (lib / "broken.epub").write_bytes(b"not a zip at all")
    os.utime(lib, (1_700_000_000, 1_700_000_000))  # a folder that sat for a while (as above)
    r = run("search", "lighthouse keeper", str(lib))
    assert r.returncode == 0 and r.stdout.startswith(f"{lib / 'good.txt'}:1:")
    said = r.stderr.splitlines()
    assert len(said) == 2, r.stderr
    assert any(str(lib / "photo.txt") in line and "not searched" in line for line in said)
    assert any(str(lib / "broken.epub") in line and "not a zip" in line for line in said)
    again = run("search", "logbook", str(lib))
    assert again.returncode == 0 and again.stderr == ""  # said once, not on every query


def test_search_reads_its_arguments_as_argparse_does() -> None:
    """`reader search` reads its plain forms by hand (argparse's first parser costs it 7 ms);
    whatever it reads must be what argparse would have read, and the rest goes to argparse."""
    from itertools import permutations

    from reader.cli import command_parser
    from reader.cli.search import quick_args

    parts = [["q"], ["/a"], ["--json"], ["--limit", "3"], ["--limit=05"], ["b c"]]
    forms = [
        [w for part in perm for w in part] for n in (1, 2, 3) for perm in permutations(parts, n)
    ]
    forms += [["q", "-"], ["q", "--limit"], ["q", "--limit", "x"], ["q", "--limit", "-1"]]
    forms += [["-h"], ["q", "--help"], ["q", "--lim", "3"], ["q", "--", "-x"], ["-x"], []]
    read_by_hand = 0
    for argv in forms:
        quick = quick_args(argv)
        try:
            full = vars(command_parser("search").parse_args(argv))
        except SystemExit:
            assert quick is None, argv  # a mistake or help: argparse writes the message
            continue
        if quick is not None:
            read_by_hand += 1
            assert {**vars(quick), "paths": [Path(p) for p in quick.paths]} == full, argv
    assert read_by_hand > 30


def test_search_says_which_index_it_cannot_use(seeds_copy: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    r = subprocess.run(
        [sys.executable, "-m", "reader", "search", "xiaomi", str(seeds_copy)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "XDG_CACHE_HOME": str(blocker)},
    )
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.strip().splitlines() == [
        f"reader: cannot use the search index {blocker}/reader/search.sqlite: Not a directory"
    ]


def test_search_prints_file_names_and_text_inert(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    lib.mkdir()
    art = lib / "evil\x1b]0;pwned\x07\nname.txt"
    art.write_text("The \x1b[31mdanger\x1b[0m word, twice: danger.\n")
    r = run("search", "danger word", str(lib))
    assert r.returncode == 0
    assert "\x1b" not in r.stdout and "\x07" not in r.stdout
    assert r.stdout.count("\n") == 1  # one hit, one line
    assert "evil␛]0;pwned␇␤name.txt:1:" in r.stdout and "␛[31mdanger" in r.stdout


def test_notes_prints_annotation_text_inert(seeds_copy: Path) -> None:
    art = seeds_copy / XIAOMI
    note = "\x1b]0;pwned\x07\x1b[31mred"
    r = run("annotate", str(art), "--quote", "Xring O1", "--note", note, "--tag", "t\x1b[1m")
    assert r.returncode == 0, r.stderr
    r = run("notes", str(art))
    assert "\x1b" not in r.stdout and "\x07" not in r.stdout
    assert "✎ ␛]0;pwned␇␛[31mred" in r.stdout and "#t␛[1m" in r.stdout
    rows = json.loads(run("notes", str(art), "--json").stdout)
    assert rows[0]["note"] == note  # kept as written: only what is shown is made inert


def test_search_colours_matches_on_a_terminal_only(seeds_copy: Path) -> None:
    args = ("search", "Kirin 9000S", str(seeds_copy), "--limit", "1")
    out = on_a_terminal(*args)
    assert "\x1b[1;31mKirin\x1b[0m" in out and "\x1b[1;31m9000S\x1b[0m" in out
    assert out.startswith("\x1b[35m") and out.count("\n") == 1
    assert "\x1b" not in on_a_terminal(*args, env={**os.environ, "NO_COLOR": "1"})
    assert "\x1b" not in run(*args).stdout  # piped: plain, for scripts


def test_notes_json_is_export_json_plus_the_score(seeds_copy: Path, capsys) -> None:
    """One JSON shape for an annotation: `notes --json` is `export --format json`'s, with the
    score of how well it was found again."""
    art = seeds_copy / XIAOMI
    assert (
        main(["annotate", str(art), "--quote", "Xring O1 chip", "--note", "n", "--tag", "t"]) == 0
    )
    assert main(["annotate", str(art), "--quote", "TSMC", "--color", "blue"]) == 0
    art.write_text(art.read_text().replace("Xring O1 chip", "Xring O1 chipset"))  # an edit
    capsys.readouterr()
    assert main(["notes", str(art), "--json"]) == 0
    notes = json.loads(capsys.readouterr().out)
    assert main(["export", str(art), "--format", "json"]) == 0
    exported = json.loads(capsys.readouterr().out)
    assert len(notes) == 2 and all(isinstance(n.pop("score"), float) for n in notes)
    assert sorted(notes, key=lambda n: n["id"]) == sorted(exported, key=lambda n: n["id"])
    row = next(n for n in notes if n["note"] == "n")
    assert row["target"]["quote"] == "Xring O1 chip" and row["path"] == str(art)
    assert row["status"] in ("anchored", "moved", "fuzzy") and row["tags"] == ["t"]
    assert art.read_text()[row["start"] : row["end"]].startswith("Xring O1 chip")


def test_the_readme_usage_lines_say_what_each_command_accepts() -> None:
    """Each command's line in the README's table names every argument, in brackets exactly
    when it may be left out, and the command table and `reader --help` list every command."""
    import re

    from reader.cli import COMMANDS, command_parser
    from reader.cli.app import app_parser

    from ..conftest import REPO

    readme = (REPO / "README.md").read_text()
    lines = {
        m.group(1): m.group(0)
        for m in re.finditer(r"^\| `reader ([a-z-]+)(?: [^`]*)?`", readme, re.M)
    }
    epilog = app_parser().format_help()
    for name in COMMANDS:
        assert f"  {name} " in epilog, name
        synopsis = lines[name]
        for action in command_parser(name)._actions:
            if "-h" in action.option_strings:
                continue
            words = action.option_strings or [str(action.metavar)]
            word = next((w for w in words if re.search(rf"{re.escape(w)}\b", synopsis)), None)
            assert word is not None, (name, words)
            optional = not action.required if action.option_strings else action.nargs in ("?", "*")
            at = synopsis.index(word)
            bracketed = synopsis[:at].count("[") > synopsis[:at].count("]")
            assert bracketed == optional, (name, word)


def test_an_annotation_file_names_the_command_that_describes_it(seeds_copy: Path) -> None:
    """A colleague who receives a sidecar can follow its first line with the installed tool
    (annotations/README.md exists only in a checkout of the sources)."""
    import re

    from reader.core.store import sidecar_beside

    art = seeds_copy / XIAOMI
    assert run("annotate", str(art), "--quote", "Xring O1 chip").returncode == 0
    first = sidecar_beside(art).read_text("utf-8").splitlines()[0]
    said = re.search(r'"reader ([a-z-]+)"', first)
    assert first.startswith("# reader annotations") and said is not None, first
    r = run(said.group(1))
    assert r.returncode == 0 and r.stderr == ""
    assert "## Format (version 1)" in r.stdout and "[annotation.target]" in r.stdout
    assert first in r.stdout  # its example starts as the file does


def test_a_file_with_the_old_first_line_reads_and_is_not_rewritten_for_it(
    seeds_copy: Path,
) -> None:
    from reader.core.store import sidecar_beside

    art = seeds_copy / XIAOMI
    assert run("annotate", str(art), "--quote", "Xring O1 chip", "--note", "old").returncode == 0
    sidecar = sidecar_beside(art)
    body = sidecar.read_text("utf-8").split("\n", 1)[1]
    old = "# reader annotations (the format is described in annotations/README.md)\n" + body
    sidecar.write_text(old, "utf-8")
    r = run("notes", str(art), "--json")
    assert r.returncode == 0 and [n["note"] for n in json.loads(r.stdout)] == ["old"]
    assert run("export", str(art), "--format", "json").returncode == 0
    assert sidecar.read_text("utf-8") == old  # reading it changed nothing
    assert run("annotate", str(art), "--quote", "TSMC", "--note", "new").returncode == 0
    saved = sidecar.read_text("utf-8")
    assert saved.startswith('# reader annotations: "reader format"')  # a save writes today's
    r = run("notes", str(art), "--json")
    assert sorted(n["note"] for n in json.loads(r.stdout)) == ["new", "old"]


def test_notes_says_where_a_long_quote_or_note_is_cut(seeds_copy: Path) -> None:
    art = seeds_copy / XIAOMI
    long_note = "A note that goes on well past what one line of the listing can hold, surely."
    assert run("annotate", str(art), "--quote", "Xring O1", "--note", long_note).returncode == 0
    [line] = run("notes", str(art)).stdout.splitlines()
    assert "“Xring O1”" in line  # whole: nothing cut, no "…"
    assert line.endswith("✎ " + long_note[:59] + "…")


def test_notes_names_who_wrote_an_annotation_of_someone_else(seeds_copy: Path) -> None:
    art = seeds_copy / XIAOMI
    assert run("annotate", str(art), "--quote", "Xring O1", "--author", "Ana").returncode == 0
    assert run("annotate", str(art), "--quote", "Xiaomi", "--note", "mine").returncode == 0
    lines = run("notes", str(art)).stdout.splitlines()
    [ana] = [ln for ln in lines if "“Xring O1”" in ln]
    [mine] = [ln for ln in lines if "“Xiaomi”" in ln]
    assert ana.endswith("  by Ana") and " by " not in mine
