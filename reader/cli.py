"""Command line: `reader [PATH ...]` opens the app; subcommands serve scripts.

The UI is imported only when the app is launched, so scripted commands start fast.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING

from reader import __version__

if TYPE_CHECKING:
    import argparse

COMMANDS = ("annotate", "notes", "search", "import", "export", "merge-driver", "git-setup")


class CliError(Exception):
    """Bad input: printed as one line, exit code 2."""


def _app_parser() -> argparse.ArgumentParser:
    import argparse

    p = argparse.ArgumentParser(
        prog="reader",
        description="Read a library of articles (.txt, .md) and annotate them in the terminal.",
        epilog="commands (reader COMMAND --help for each):\n"
        "  annotate   add an annotation by quote\n"
        "  notes      list an article's annotations\n"
        "  search     find passages across a library (typo-tolerant)\n"
        "  import     merge a colleague's annotations (sidecar or W3C JSON), or file a layer\n"
        "  export     annotations as a Markdown digest, W3C Web Annotation JSON or JSON\n"
        "  merge-driver  git merge driver for annotation files (see git-setup)\n"
        "  git-setup  install the merge driver into a git repository\n"
        "With no PATH, reader opens the bundled sample articles.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="articles or folders to open (searched recursively)",
    )
    p.add_argument("--version", action="version", version=f"reader {__version__}")
    return p


def _command_parser(name: str) -> argparse.ArgumentParser:
    import argparse

    p = argparse.ArgumentParser(prog=f"reader {name}")
    if name == "annotate":
        p.description = "Add an annotation to PATH, anchored on the quoted text."
        p.add_argument("path", type=Path, metavar="PATH")
        p.add_argument("--quote", required=True, help="exact text to annotate")
        p.add_argument(
            "--occurrence",
            type=int,
            default=1,
            metavar="N",
            help="which occurrence of the quote (1 = first)",
        )
        p.add_argument("--note", default="", help="note text")
        p.add_argument("--tag", action="append", default=[], metavar="T", help="a tag (repeat)")
        p.add_argument("--color", default="yellow", metavar="C", help="highlight colour")
        p.add_argument("--author", default=None, help="author name (default: from config/git)")
    elif name == "search":
        p.description = (
            "Find passages across the articles under PATH (default: the sample articles), "
            "printed as path:line:col: snippet. Typos are tolerated."
        )
        p.add_argument("query", metavar="QUERY")
        p.add_argument("paths", nargs="*", type=Path, metavar="PATH")
        p.add_argument("--json", action="store_true", help="print JSON")
        p.add_argument("--limit", type=int, default=20, metavar="N", help="at most N results")
    elif name == "import":
        p.description = (
            "Import a colleague's annotations (a reader sidecar or W3C Web Annotation JSON), "
            "re-anchored on your copy of the text, into your sidecar or as a layer."
        )
        p.add_argument("files", nargs="+", type=Path, metavar="FILE")
        p.add_argument(
            "--into",
            type=Path,
            metavar="PATH",
            help="your article (default: the one the file names, beside it or here)",
        )
        p.add_argument(
            "--as-layer",
            metavar="AUTHOR",
            help="file it as AUTHOR's layer instead of merging into yours",
        )
    elif name == "export":
        p.description = "Export the annotations of PATH (articles or folders)."
        p.add_argument("paths", nargs="+", type=Path, metavar="PATH")
        p.add_argument("--format", choices=("md", "w3c", "json"), default="md")
        p.add_argument(
            "-o",
            "--output",
            type=Path,
            metavar="FILE",
            help="write to FILE (default: standard output)",
        )
    elif name == "merge-driver":
        p.description = "git merge driver: merge OURS and THEIRS (from BASE) by annotation id."
        p.add_argument("base", type=Path, metavar="BASE")
        p.add_argument("ours", type=Path, metavar="OURS")
        p.add_argument("theirs", type=Path, metavar="THEIRS")
    elif name == "git-setup":
        p.description = (
            "Install reader's merge driver for *.annotations.toml into a git repository."
        )
        p.add_argument("repo", nargs="?", type=Path, default=Path("."), metavar="REPO")
    elif name == "notes":
        p.description = "List PATH's annotations, resolved against its current text."
        p.add_argument("path", type=Path, metavar="PATH")
        p.add_argument("--json", action="store_true", help="print JSON")
    return p


def entry() -> None:
    """The `reader` program (and `python -m reader`): main(), then exit.

    `reader search` runs once per query, so it ends with os._exit once its output is
    flushed: tearing down every imported module one by one would add a tenth to its time,
    and it holds nothing that needs closing by then (its index is closed, and it writes
    no other file).
    """
    rc = main()
    if sys.argv[1:2] == ["search"]:
        import os

        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except BrokenPipeError:
            pass
        os._exit(rc)
    sys.exit(rc)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv and argv[0] in COMMANDS:
            args = _quick_search_args(argv[1:]) if argv[0] == "search" else None
            if args is None:
                args = _command_parser(argv[0]).parse_args(argv[1:])
            with _gc_paused():
                return int(globals()[f"cmd_{argv[0].replace('-', '_')}"](args))
        args = _app_parser().parse_args(argv)
        return run_app(args.paths)
    except CliError as err:
        print(f"reader: {err}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0


def _quick_search_args(argv: list[str]) -> SimpleNamespace | None:
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


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off, then back as it was. Start-up and short
    commands allocate much and free little (reference counting frees the rest), so its
    passes over freshly imported modules are wasted: a quarter of the app's time to its
    first frame, a fifth of a `reader search`. Long work (indexing, the app once drawn)
    turns it back on."""
    import gc

    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def run_app(paths: list[Path]) -> int:
    with _gc_paused():  # the app turns it back on after its first frame (ReaderApp.on_mount)
        from reader.ui.app import make_app  # the UI loads only for the app

        app = make_app(paths)
        app.run()
    if app.crash_log is not None:
        print(
            f"reader: an unexpected error stopped the app; the details are in {app.crash_log}.\n"
            "Your annotations are safe: each change was saved when you made it.",
            file=sys.stderr,
        )
        return 1
    return app.return_code or 0


def _load(path: Path):  # type: ignore[no-untyped-def]
    from reader.core.document import Document
    from reader.core.text import UnreadableFile

    try:
        return Document.load(path)
    except UnreadableFile as err:
        raise CliError(f"{path}: {err}") from None


def cmd_annotate(args: argparse.Namespace) -> int:
    from reader.core.annotation import COLORS, Annotation, make_target
    from reader.core.config import load_config
    from reader.core.store import ArticleStore, SidecarError

    doc = _load(args.path)
    if args.color not in COLORS:
        raise CliError(f"unknown colour {args.color!r}; choose one of {', '.join(COLORS)}")
    if not args.quote:
        raise CliError("--quote is empty")
    from reader.core.text import normalize

    quote = normalize(args.quote)
    pos = -1
    for _ in range(max(1, args.occurrence)):
        pos = doc.text.find(quote, pos + 1)
        if pos == -1:
            break
    if pos == -1:
        n = doc.text.count(quote)
        raise CliError(
            f"{args.path}: quote not found in the text"
            if n == 0
            else f"{args.path}: the quote occurs {n} time(s), not {args.occurrence}"
        )
    store = ArticleStore(args.path, doc.text)
    a = Annotation(
        make_target(doc.text, pos, pos + len(quote)),
        note=args.note,
        tags=tuple(dict.fromkeys(args.tag)),
        color=args.color,
        author=args.author if args.author is not None else load_config().author,
    )
    try:
        store.add(a)
    except SidecarError as err:
        raise CliError(f"not saved: {err}") from None
    except OSError as err:
        raise CliError(f"not saved: {store.path}: {err.strerror or err}") from None
    if store.message:
        print(f"reader: {store.message}", file=sys.stderr)
    print(a.id)
    return 0


def cmd_notes(args: argparse.Namespace) -> int:
    from reader.core.store import ArticleStore

    doc = _load(args.path)
    store = ArticleStore(args.path, doc.text)
    if store.error is not None:
        raise CliError(str(store.error))
    rows = []
    for a in store.annotations:
        r = store.resolutions[a.id]
        rows.append(
            {
                "id": a.id,
                "status": r.status,
                "score": r.score,
                "start": r.start,
                "end": r.end,
                "quote": a.target.quote,
                "note": a.note,
                "tags": list(a.tags),
                "color": a.color,
                "author": a.author,
            }
        )
    if args.json:
        import json

        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    from reader.core.inert import inert_name  # annotation files are data, not terminal control

    for row in rows:
        quote = " ".join(str(row["quote"]).split())
        line = (
            f"{row['id']}  {row['status']:<8} {row['start']}-{row['end']}  "
            f"{row['color']}  “{quote[:60]}”"
        )
        if row["note"]:
            line += "  ✎ " + " ".join(str(row["note"]).split())[:60]
        if row["tags"]:
            line += "  " + " ".join("#" + t for t in row["tags"])  # type: ignore[attr-defined]
        print(inert_name(line))
    return 0


def _roots(paths: list[Path] | list[str]) -> list[str]:
    """The absolute paths to search under (the bundled samples when none are given)."""
    import os

    if not paths:
        from reader.core.seeds import seeds_dir

        paths = [seeds_dir()]
    return [os.path.abspath(p) for p in paths]


def cmd_search(args: argparse.Namespace | SimpleNamespace) -> int:
    import sqlite3

    from reader.core.search import IndexUnavailable, default_index_path, unavailable

    if args.limit < 1:
        raise CliError("--limit must be at least 1")
    try:
        return _search(args)
    except IndexUnavailable as err:
        raise CliError(str(err)) from None
    except sqlite3.Error as err:  # e.g. a read-only or full disk once it is open
        raise CliError(unavailable(default_index_path(), err)) from None


def _search(args: argparse.Namespace | SimpleNamespace) -> int:
    import os

    from reader.core.search import SearchIndex

    index = SearchIndex()
    files, problems = index.articles(_roots(args.paths))
    for problem in problems:
        print(f"reader: {problem}", file=sys.stderr)
    stale = index.stale(files)
    if stale:
        import gc

        gc.enable()  # indexing can take minutes: collect as usual
        interactive = sys.stderr.isatty()

        def progress(done: int, total: int) -> None:
            if interactive:
                print(f"\rindexing {done}/{total} files", end="", file=sys.stderr, flush=True)

        index.update(stale, progress=progress)
        if interactive:
            print(file=sys.stderr)
    hits = index.search(args.query, files, limit=args.limit)
    index.close()
    if args.json:
        import json

        print(
            json.dumps(
                [
                    {
                        "path": str(h.path),
                        "line": h.line,
                        "col": h.col,
                        "start": h.start,
                        "end": h.end,
                        "score": round(h.score, 2),
                        "text": h.text,
                    }
                    for h in hits
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        from reader.core.inert import inert_name

        # On a terminal, coloured as ripgrep colours its matches (NO_COLOR turns it off).
        color = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
        cwd = Path.cwd()
        for h in hits:
            try:
                shown = h.path.relative_to(cwd)
            except ValueError:
                shown = h.path
            # A file's name is data too: no escape sequence or newline reaches the terminal.
            name = inert_name(str(shown))
            if not color:
                print(f"{name}:{h.line}:{h.col}: {h.snippet()}")
                continue
            snippet, marks = h.snippet_marks()
            parts, at = [], 0
            for a, b in marks:
                parts += [snippet[at:a], "\x1b[1;31m", snippet[a:b], "\x1b[0m"]
                at = b
            parts.append(snippet[at:])
            print(f"\x1b[35m{name}\x1b[0m:\x1b[32m{h.line}:{h.col}\x1b[0m: {''.join(parts)}")
    return 0 if hits else 1


def cmd_import(args: argparse.Namespace) -> int:
    from reader.core.sharing import ShareError, import_into, read_shared, source_for

    failed = False
    for file in args.files:
        try:
            pairs = read_shared(file)
        except ShareError as err:
            print(f"reader: {err}; nothing imported from it", file=sys.stderr)
            failed = True
            continue
        groups: dict[Path, list] = {}  # type: ignore[type-arg]
        for source, a in pairs:
            article = args.into or source_for(file, source)
            if article is None:
                print(
                    f"reader: {file}: which article is it for? It names {source or 'none'}; "
                    "use --into PATH",
                    file=sys.stderr,
                )
                failed = True
                break
            groups.setdefault(article, []).append(a)
        else:
            if not pairs:
                print(f"reader: {file}: no annotations in it", file=sys.stderr)
            for article, marks in groups.items():
                doc = _load(article)
                try:
                    report = import_into(file, marks, article, doc.text, args.as_layer)
                except ShareError as err:
                    print(f"reader: {err}", file=sys.stderr)
                    failed = True
                    continue
                for problem in report.problems:
                    print(f"reader: {problem}", file=sys.stderr)
                where = report.written_to or "nothing written"
                print(
                    f"{file} -> {article}: {report.added} added, {report.already} already there"
                    f" ({where})"
                )
    return 2 if failed else 0


def cmd_export(args: argparse.Namespace) -> int:
    from reader.core.export import ArticleMarks, dumps_json, to_json, to_markdown, to_w3c
    from reader.core.library import scan
    from reader.core.store import ArticleStore

    lib = scan(args.paths)
    for problem in lib.problems:
        print(f"reader: {problem}", file=sys.stderr)
    arts = []
    for a in lib.articles:
        if a.problem is not None or not a.annotation_count:
            continue
        doc = _load(a.path)
        store = ArticleStore(a.path, doc.text)
        if store.error is not None:
            print(f"reader: {store.error}", file=sys.stderr)
            continue
        arts.append(ArticleMarks(a.path, a.title, doc.text, store.annotations, store.resolutions))
    if args.format == "md":
        out = to_markdown(arts)
    elif args.format == "w3c":
        out = dumps_json(to_w3c(arts))
    else:
        out = dumps_json(to_json(arts))
    if args.output is None:
        sys.stdout.write(out)
    else:
        from reader.core.atomic import write_atomic

        try:
            write_atomic(args.output, out.encode("utf-8"))
        except OSError as err:
            raise CliError(f"cannot write {args.output}: {err.strerror or err}") from None
        print(
            f"{sum(len(a.annotations) for a in arts)} annotation(s) written to {args.output}",
            file=sys.stderr,
        )
    return 0


def cmd_merge_driver(args: argparse.Namespace) -> int:
    from reader.core.merge import MergeRefused, merge_files

    try:
        result = merge_files(args.base, args.ours, args.theirs)
    except MergeRefused as err:
        print(f"reader merge-driver: {err}; left for you to merge by hand", file=sys.stderr)
        return 1
    if result.new_conflicts:
        print(
            f"reader merge-driver: {len(result.new_conflicts)} annotation(s) changed on both "
            "sides; both values kept and flagged in their 'conflict' field",
            file=sys.stderr,
        )
    return 0


def cmd_git_setup(args: argparse.Namespace) -> int:
    import shlex
    import subprocess

    repo = args.repo
    top = subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "--show-toplevel"], capture_output=True, text=True
    )
    if top.returncode != 0:
        raise CliError(f"{repo}: not inside a git repository")
    root = Path(top.stdout.strip())
    driver = f"{shlex.quote(sys.executable)} -m reader merge-driver %O %A %B"
    for key, value in (
        ("merge.reader.name", "reader annotation files"),
        ("merge.reader.driver", driver),
    ):
        subprocess.run(["git", "-C", str(root), "config", key, value], check=True)
    attrs = root / ".gitattributes"
    line = "*.annotations.toml merge=reader"
    existing = attrs.read_text("utf-8") if attrs.exists() else ""
    if line not in existing.splitlines():
        sep = "" if not existing or existing.endswith("\n") else "\n"
        attrs.write_text(existing + sep + line + "\n", "utf-8")
    print(
        f"merge driver installed in {root} (git config merge.reader.*, .gitattributes); "
        "commit .gitattributes so others get it too"
    )
    return 0
