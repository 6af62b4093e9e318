"""`reader annotate` and `reader notes`: one article's annotations."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from reader.cli.common import load, missing_reason
from reader.cli.output import (
    SHAPE_ERRORS,
    CliError,
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
    """Through the same ArticleSession as the app: the same rules, the same save."""
    from reader.core.annotation import COLORS
    from reader.core.config import load_config
    from reader.core.session import ArticleSession, OccurrenceError, find_occurrence
    from reader.core.text import UnreadableFile

    for option in ("quote", "note", "color", "author"):
        if getattr(args, option) is not None:
            text_arg(f"--{option}", getattr(args, option))
    for tag in args.tag:
        text_arg("--tag", tag)
    missing = missing_reason(args.path)
    if missing is not None:
        raise CliError(missing)
    if args.color not in COLORS:
        raise CliError(f"unknown colour {args.color!r}; choose one of {', '.join(COLORS)}")
    try:
        session = ArticleSession.open(args.path, load_config())
    except UnreadableFile as err:
        raise CliError(f"{args.path}: {err}") from None
    try:
        where = find_occurrence(session.text, args.quote, args.occurrence)
    except OccurrenceError as err:
        raise CliError(f"{args.path}: {err}") from None
    done = session.add(where, color=args.color, note=args.note, tags=args.tag, author=args.author)
    if done.error:
        raise CliError(done.message)
    report = session.save_now()
    for message in report.messages:
        warn(message)
    if report.errors:
        raise CliError(report.errors[0])
    say(str(done.keep))
    # A script relies on the first occurrence by default; a person needs to hear that the
    # quote was ambiguous, which one was marked, and how to mark another.
    count = occurrences(session.text, args.quote)
    if count > 1:
        nth = args.occurrence if args.occurrence > 0 else count + args.occurrence + 1
        warn(
            f"{args.path}: the quote occurs {count} times; annotated occurrence {nth} of "
            f"{count} (--occurrence N picks another; -1 is the last)"
        )
    return 0


def occurrences(text: str, quote: str) -> int:
    """How many times quote occurs in text, counted as find_occurrence counts: the quote
    normalized as article text is, overlapping occurrences each counted ("aa" twice in
    "aaa")."""
    from reader.core.text import normalize

    quote = normalize(quote)
    if not any(quote[:k] == quote[-k:] for k in range(1, len(quote))):
        return text.count(quote)  # no overlap possible: str.count is exact, and 30x faster
    count, pos = 0, text.find(quote)
    while pos != -1:
        count += 1
        pos = text.find(quote, pos + 1)
    return count


def configure_notes(p: argparse.ArgumentParser) -> None:
    p.description = "List PATH's annotations, resolved against its current text."
    p.add_argument("path", type=Path, metavar="PATH")
    p.add_argument("--json", action="store_true", help="print JSON")


def _cut(text: str, chars: int = 60) -> str:
    """text on one line of a listing: cut to chars, saying so with "…" (--json has it all)."""
    return text if len(text) <= chars else text[: chars - 1] + "…"


def run_notes(args: argparse.Namespace) -> int:
    from reader.core.config import load_config
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
    if not store.annotations:  # stdout stays empty for scripts; a person hears why
        warn(f"{args.path} has no annotations")
        layers_held(args.path)
    for a in store.annotations:  # annotation files are data: say() makes them inert
        r = store.resolutions[a.id]
        quote = " ".join(a.target.quote.split())
        line = f"{a.id}  {r.status:<8} {r.start}-{r.end}  {a.color}  “{_cut(quote)}”"
        if a.note:
            line += "  ✎ " + _cut(" ".join(a.note.split()))
        if a.tags:
            line += "  " + " ".join("#" + t for t in a.tags)
        # Someone else's (imported, or copied): your name (config, git, the OS) is asked
        # only then, and once (both are cached).
        if a.author and a.author != load_config().author:
            line += "  by " + _cut(a.author)
        if a.conflict:  # (left by the merge driver: both sides changed it)
            line += "  conflict: " + _cut(a.conflict)
        say(line)
    return 0


def layers_held(path: Path) -> None:
    """Say which colleagues' layers hold marks on path, and how to see them: with none of
    your own, "no annotations" alone reads as "nobody marked it". Layers are found as the
    export finds them for this one article."""
    import shlex

    from reader.core.sharing import find_layers

    held = [ly for ly in find_layers(path, [path]) if ly.annotations]
    if held:
        counts = ", ".join(f"{ly.author} ({_marks(len(ly.annotations))})" for ly in held)
        command = f"reader export --format md {shlex.quote(str(path))}"
        warn(f"{path}: in colleagues' layers: {counts}; `{command}` lists them")


def _marks(n: int) -> str:
    return f"{n} mark" if n == 1 else f"{n} marks"
