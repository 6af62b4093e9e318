"""`reader search`: ranked passages across a library, printed as ripgrep prints them.

It runs once per query, so it is kept lean: its arguments are read by hand in the plain
forms (quick_args), and nothing is imported that it does not use (not even pathlib: paths
are strs here, and in the index's query path).
"""

from __future__ import annotations

import sys
from types import SimpleNamespace
from typing import TYPE_CHECKING

from reader.cli.output import CliError, printable, say_json, warn

if TYPE_CHECKING:
    import argparse
    from pathlib import Path


def configure(p: argparse.ArgumentParser) -> None:
    from pathlib import Path

    p.description = (
        "Find passages across the articles under PATH (default: the sample articles), "
        "printed as path:line:col: snippet. Typos are tolerated."
    )
    p.add_argument("query", metavar="QUERY")
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--limit", type=int, default=20, metavar="N", help="at most N results")


def quick_args(argv: list[str]) -> SimpleNamespace | None:
    """`reader search QUERY [PATH ...] [--json] [--limit N]`, read without argparse.

    `reader search` runs once per query, and argparse's first parser costs it 7 ms
    (argparse, shutil and gettext's catalogue lookups). This reads the plain forms only;
    for anything else (help, a mistake, an abbreviation, `--`) it returns None, and
    argparse reads the command and writes every message. tests/core/test_cli.py checks
    that the two agree.
    """
    positional: list[str] = []
    json = False
    limit = 20
    block = 0  # 0: no positional yet, 1: in the run of them, 2: past it
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--json":
            json = True
        elif arg == "--limit" or arg.startswith("--limit="):
            value = arg[len("--limit=") :] if "=" in arg else (argv[i + 1 : i + 2] or [""])[0]
            if not value.isascii() or not value.isdigit():
                return None
            limit = int(value)
            i += 0 if "=" in arg else 1
        elif arg.startswith("-") and arg != "-":
            return None
        else:
            if block == 2:  # argparse takes the positionals as one run
                return None
            block = 1
            positional.append(arg)
            i += 1
            continue
        block = 2 if block else 0
        i += 1
    if not positional:
        return None
    return SimpleNamespace(query=positional[0], paths=positional[1:], json=json, limit=limit)


def _roots(paths: list[Path] | list[str]) -> list[str]:
    """The absolute paths to search under (the bundled samples when none are given)."""
    import os

    if not paths:
        from reader.core.seeds import seeds_dir

        paths = [seeds_dir()]
    return [os.path.abspath(p) for p in paths]


def _check_paths(query: str, paths: list[Path] | list[str]) -> None:
    """Every PATH exists: a mistyped one would otherwise be a silent "nothing found"."""
    import os

    for p in paths:
        if not os.path.exists(p):
            if os.path.islink(p):
                raise CliError(f"{p}: broken or looping symbolic link")
            hint = _quote_hint(query, paths) if _looks_like_a_word(p) else ""
            raise CliError(f"{p}: no such file or folder{hint}")


def _looks_like_a_word(p: Path | str) -> bool:
    """A missing PATH that may be a query word: no folder separator, no suffix."""
    import os

    name = os.fspath(p)
    return (
        not os.path.lexists(p)
        and "/" not in name
        and os.sep not in name
        and not os.path.splitext(name)[1]
    )


def _quote_hint(query: str, paths: list[Path] | list[str]) -> str:
    """`reader search a b` reads b as a PATH: the command that searches for the query and
    every missing word-like PATH together, quoted, with the other PATHs kept."""
    import os
    import shlex

    words = [os.fspath(p) for p in paths if _looks_like_a_word(p)]
    phrase = " ".join([query, *words])
    # Double quotes as people type them, unless the shell would read something inside.
    shown = f'"{phrase}"' if not any(c in phrase for c in '"\\$`!') else shlex.quote(phrase)
    rest = [shlex.quote(os.fspath(p)) for p in paths if not _looks_like_a_word(p)]
    return f"; to search for several words, quote them: reader search {' '.join([shown, *rest])}"


def run(args: argparse.Namespace | SimpleNamespace) -> int:
    import sqlite3

    from reader.core.search import IndexUnavailable, default_index_path, unavailable

    if args.limit < 1:
        raise CliError("--limit must be at least 1")
    if not args.query.strip():
        raise CliError("the query is empty; give a few words to search for")
    _check_paths(args.query, args.paths)
    try:
        return _search(args)
    except IndexUnavailable as err:
        raise CliError(str(err)) from None
    except sqlite3.Error as err:  # e.g. a read-only or full disk once it is open
        raise CliError(unavailable(default_index_path(), err)) from None


def _search(args: argparse.Namespace | SimpleNamespace) -> int:
    import os

    from reader.core.search import SearchIndex
    from reader.core.search.progress import terminal_progress

    index = SearchIndex()
    meter = terminal_progress(sys.stderr)  # files done/total, rate, time left; None if piped

    def progress(done: int, total: int) -> None:
        import gc

        gc.enable()  # indexing can take minutes: collect as usual
        if meter is not None:
            meter(done, total)

    hits, problems = index.search_library(args.query, _roots(args.paths), args.limit, progress)
    if meter is not None:
        meter.finish()
    here = os.path.join(os.getcwd(), "")

    def shown(path: str) -> str:
        """Relative to the current folder when under it, as ripgrep names them."""
        return path[len(here) :] if path.startswith(here) else path

    for problem in problems:  # (named as the results name their files)
        warn(shown(problem))
    index.close()
    if args.json:
        say_json(
            [
                {
                    "path": h.file,
                    "line": h.line,
                    "col": h.col,
                    "start": h.start,
                    "end": h.end,
                    "score": round(h.score, 2),
                    "text": h.text,
                }
                for h in hits
            ]
        )
        return 0 if hits else 1
    from reader.core.inert import inert_name

    # On a terminal, coloured as ripgrep colours its matches (NO_COLOR turns it off).
    color = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    for h in hits:
        # A file's name is data too: no escape sequence or newline reaches the terminal.
        name = inert_name(shown(h.file))
        # The snippet is inert already; once more costs little and holds the rule here.
        # (One character in, one out: the marks' offsets stay right.)
        if not color:
            print(printable(f"{name}:{h.line}:{h.col}: {inert_name(h.snippet())}"))
            continue
        snippet, marks = h.snippet_marks()
        snippet = inert_name(snippet)
        parts, at = [], 0
        for a, b in marks:
            parts += [snippet[at:a], "\x1b[1;31m", snippet[a:b], "\x1b[0m"]
            at = b
        parts.append(snippet[at:])
        line = f"\x1b[35m{name}\x1b[0m:\x1b[32m{h.line}:{h.col}\x1b[0m: {''.join(parts)}"
        print(printable(line))
    return 0 if hits else 1
