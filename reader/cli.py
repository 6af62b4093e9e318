"""Command line: `reader [PATH ...]` opens the app; subcommands serve scripts.

The UI is imported only when the app is launched, so scripted commands start fast.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from reader import __version__

COMMANDS = ("annotate", "notes", "search")


class CliError(Exception):
    """Bad input: printed as one line, exit code 2."""


def _app_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="reader",
        description="Read a library of articles (.txt, .md) and annotate them in the terminal.",
        epilog="commands (reader COMMAND --help for each):\n"
        "  annotate   add an annotation by quote\n"
        "  notes      list an article's annotations\n"
        "  search     find passages across a library (typo-tolerant)\n"
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
    elif name == "notes":
        p.description = "List PATH's annotations, resolved against its current text."
        p.add_argument("path", type=Path, metavar="PATH")
        p.add_argument("--json", action="store_true", help="print JSON")
    return p


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv and argv[0] in COMMANDS:
            args = _command_parser(argv[0]).parse_args(argv[1:])
            return int(globals()[f"cmd_{argv[0].replace('-', '_')}"](args))
        args = _app_parser().parse_args(argv)
        return run_app(args.paths)
    except CliError as err:
        print(f"reader: {err}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0


def run_app(paths: list[Path]) -> int:
    from reader.ui.app import make_app  # the UI loads only for the app

    make_app(paths).run()
    return 0


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
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
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
        print(line)
    return 0


def library_files(paths: list[Path]) -> list[Path]:
    from reader.core.library import article_paths

    if not paths:
        from reader.core.seeds import seeds_dir

        paths = [seeds_dir()]
    files, problems = article_paths(paths)
    for problem in problems:
        print(f"reader: {problem}", file=sys.stderr)
    return files


def cmd_search(args: argparse.Namespace) -> int:
    from reader.core.search import SearchIndex

    if args.limit < 1:
        raise CliError("--limit must be at least 1")
    files = library_files(args.paths)
    index = SearchIndex()
    stale = index.stale(files)
    if stale:
        interactive = sys.stderr.isatty()

        def progress(done: int, total: int) -> None:
            if interactive:
                print(f"\rindexing {done}/{total} files", end="", file=sys.stderr, flush=True)

        index.update(stale, progress=progress)
        if interactive:
            print(file=sys.stderr)
    hits = index.search(args.query, files, limit=args.limit)
    if args.json:
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
        cwd = Path.cwd()
        for h in hits:
            try:
                shown = h.path.relative_to(cwd)
            except ValueError:
                shown = h.path
            print(f"{shown}:{h.line}:{h.col}: {h.snippet()}")
    return 0 if hits else 1
