"""`reader annotate` and `reader notes`: one article's annotations."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from reader.cli.common import load
from reader.cli.output import (
    SHAPE_ERRORS,
    CliError,
    os_problem,
    say,
    say_json,
    shape_problem,
    text_arg,
    warn,
)

if TYPE_CHECKING:
    import argparse


def configure_annotate(p: argparse.ArgumentParser) -> None:
    p.description = "Add an annotation to PATH, anchored on the quoted text."
    p.add_argument("path", type=Path, metavar="PATH")
    p.add_argument("--quote", required=True, help="exact text to annotate")
    p.add_argument(
        "--occurrence",
        type=int,
        default=1,
        metavar="N",
        help="which occurrence of the quote: 1 = first, 2 = second; -1 = last, -2 = the one "
        "before (default: 1)",
    )
    p.add_argument("--note", default="", help="note text")
    p.add_argument("--tag", action="append", default=[], metavar="T", help="a tag (repeat)")
    p.add_argument("--color", default="yellow", metavar="C", help="highlight colour")
    p.add_argument("--author", default=None, help="author name (default: from config/git)")


def run_annotate(args: argparse.Namespace) -> int:
    from reader.core.annotation import COLORS, Annotation, make_target
    from reader.core.config import load_config
    from reader.core.store import ArticleStore, SidecarError
    from reader.core.text import normalize

    for option in ("quote", "note", "color", "author"):
        if getattr(args, option) is not None:
            text_arg(f"--{option}", getattr(args, option))
    for tag in args.tag:
        text_arg("--tag", tag)
    doc = load(args.path)
    if args.color not in COLORS:
        raise CliError(f"unknown colour {args.color!r}; choose one of {', '.join(COLORS)}")
    if not args.quote:
        raise CliError("--quote is empty")
    quote = normalize(args.quote)
    pos = _occurrence(doc.text, quote, args.occurrence, args.path)
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
    except OSError as err:  # a full disk, a folder gone read-only: the old file is kept
        raise CliError(f"not saved: {os_problem(err, store.path)}") from None
    if store.message:
        warn(store.message)
    say(a.id)
    return 0


def _occurrence(text: str, quote: str, n: int, path: Path) -> int:
    """Where the n-th occurrence of quote starts: n >= 1 counts from the start, n <= -1 from
    the end (as Python indexes a list). Occurrences may overlap ("aa" twice in "aaa")."""
    if n == 0:
        raise CliError("--occurrence counts from 1 (or from the end: -1 is the last), not 0")
    found: list[int] = []
    pos = text.find(quote)
    while pos != -1 and (n < 0 or len(found) < n):
        found.append(pos)
        pos = text.find(quote, pos + 1)
    if not found:
        raise CliError(f"{path}: quote not found in the text")
    if n > len(found) or -n > len(found):
        count = len(found) if n < 0 else text.count(quote)  # (n > 0 stopped early: none)
        raise CliError(
            f"{path}: the quote occurs {count} time(s); --occurrence {n} is out of range"
        )
    return found[n - 1] if n > 0 else found[n]


def configure_notes(p: argparse.ArgumentParser) -> None:
    p.description = "List PATH's annotations, resolved against its current text."
    p.add_argument("path", type=Path, metavar="PATH")
    p.add_argument("--json", action="store_true", help="print JSON")


def run_notes(args: argparse.Namespace) -> int:
    from reader.core.export import ArticleMarks, to_json
    from reader.core.store import ArticleStore, find_sidecar

    doc = load(args.path)
    try:
        store = ArticleStore(args.path, doc.text)
    except SHAPE_ERRORS as err:
        raise CliError(shape_problem(find_sidecar(args.path), err)) from None
    if store.error is not None:
        raise CliError(str(store.error))
    if args.json:
        # One shape for an annotation: export --format json's, plus how well it was found.
        marks = ArticleMarks(
            args.path, args.path.name, doc.text, store.annotations, store.resolutions
        )
        rows = to_json([marks])
        for row in rows:
            row["score"] = store.resolutions[row["id"]].score
        say_json(rows)
        return 0
    for a in store.annotations:  # annotation files are data: say() makes them inert
        r = store.resolutions[a.id]
        quote = " ".join(a.target.quote.split())
        line = f"{a.id}  {r.status:<8} {r.start}-{r.end}  {a.color}  “{quote[:60]}”"
        if a.note:
            line += "  ✎ " + " ".join(a.note.split())[:60]
        if a.tags:
            line += "  " + " ".join("#" + t for t in a.tags)
        say(line)
    return 0
