"""`reader import` and `reader export`: annotations in and out."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from reader.cli.common import load, missing_reason
from reader.cli.export_html import html_page
from reader.cli.output import (
    SHAPE_ERRORS,
    CliError,
    json_inert,
    os_problem,
    printable,
    say,
    shape_problem,
    text_arg,
    warn,
)

if TYPE_CHECKING:
    import argparse

    from reader.core.annotation import Annotation
    from reader.core.export import ArticleMarks
    from reader.core.library import Article, Library
    from reader.core.sharing import ImportReport, SharedFile


def configure_import(p: argparse.ArgumentParser) -> None:
    p.description = (
        "Import a colleague's annotations (a reader sidecar or W3C Web Annotation JSON), "
        "re-anchored on your copy of the text, into your sidecar or as a layer."
    )
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument(
        "--into",
        type=Path,
        metavar="PATH",
        help="your article, or your library folder for a file about several articles "
        "(default: each article the file names, here or in the folder beside it, whichever "
        "holds more of them; here when both hold them)",
    )
    p.add_argument(
        "--as-layer",
        metavar="AUTHOR",
        help="file it as AUTHOR's layer instead of merging into yours",
    )


def run_import(args: argparse.Namespace) -> int:
    from reader.core.sharing import (
        ShareError,
        import_into,
        library_folder,
        read_shared_file,
        source_for,
    )

    if args.as_layer is not None:
        layer_name(args.as_layer)
    failed = False
    for file in args.files:
        try:
            shared = read_shared_file(file)
        except ShareError as err:
            warn(f"{err}; nothing imported from it")
            failed = True
            continue
        except SHAPE_ERRORS as err:
            warn(f"{shape_problem(file, err)}; nothing imported from it")
            failed = True
            continue
        # What could be read is imported; each annotation left out (a page note, a reply,
        # a bad selector) and each part ignored is named in a line of its own. A file from
        # which nothing at all can be imported is a failure (exit 2).
        for problem in shared.problems:
            warn(problem)
        pairs = shared.pairs
        if not pairs and shared.skipped:  # each one was named above
            failed = True
            continue
        into_dir = args.into if args.into is not None and args.into.is_dir() else None
        folders = library_folder(file, [source for source, _ in pairs], into_dir)
        groups: dict[Path, list[Annotation]] = {}
        sources: dict[Path, list[str]] = {}  # what the file says each group was made on
        for source, a in pairs:
            article = (
                args.into
                if args.into is not None and into_dir is None
                else source_for(file, source, folders)
            )
            if article is None:
                warn(
                    f"{file}: which article is it for? It names {source or 'none'}; use --into PATH"
                )
                failed = True
                break
            groups.setdefault(article, []).append(a)
            if source not in sources.setdefault(article, []):
                sources[article].append(source)
        else:
            if not pairs:
                warn(f"{file}: no annotations in it")
                # Their sidecar, emptied: what you imported from it was deleted (and goes).
                emptied = emptied_article(file, shared, args.into)
                if emptied is not None:
                    groups[emptied] = []
            for article, marks in groups.items():
                doc = load(article)
                try:
                    report = import_into(
                        file, marks, article, doc.text, args.as_layer, shared.whole, shared.emptied
                    )
                except ShareError as err:
                    warn(str(err))
                    failed = True
                    continue
                except SHAPE_ERRORS as err:  # in the layer or sidecar it merges into
                    warn(f"{file} -> {article}: not imported: {shape_problem('a file', err)}")
                    failed = True
                    continue
                except OSError as err:  # a full disk: the old file is kept
                    warn(f"{file} -> {article}: not imported: {os_problem(err)}")
                    failed = True
                    continue
                for problem in report.problems:
                    warn(problem)
                where = report.written_to or "nothing written"
                say(
                    f"{file} -> {article}: {report.added} added, {report.already} already there"
                    f"{changes(report)} ({where})"
                )
                if not report.added and not report.already and report.not_found:
                    warn(nothing_placed(file, article, len(marks), report.not_found, sources))
    return 2 if failed else 0


def emptied_article(file: Path, shared: SharedFile, into: Path | None) -> Path | None:
    """The article an emptied reader sidecar (SharedFile.emptied) was about, found as the
    article of a sidecar with annotations is (--into, or the name it records); None when it
    is no such file, or the article is not found (nothing then came from it here)."""
    from reader.core.sharing import library_folder, source_for

    if not shared.emptied:
        return None
    if into is not None and not into.is_dir():
        return into
    return source_for(file, shared.named, library_folder(file, [shared.named], into))


def changes(report: ImportReport) -> str:
    """What a re-import changed, for the import's line ("" when it only added)."""
    from reader.core.inert import inert_name

    out = ""
    if report.updated:
        out += f", {report.updated} updated"
    if report.merged:
        flagged = f" ({report.flagged} flagged as a conflict)" if report.flagged else ""
        out += f", {report.merged} merged with your edits{flagged}"
    if report.removed:
        authors = list(dict.fromkeys(inert_name(a.author) for a in report.removed if a.author))
        by = f"deleted by {', '.join(authors)}" if authors else "deleted from the file"
        out += f", removed {len(report.removed)}: {by}"
    return out


def nothing_placed(
    file: Path, article: Path, count: int, not_found: int, sources: dict[Path, list[str]]
) -> str:
    """Why an import added nothing when passages were not found: "0 added" alone does not
    say that the file may be about another article (the usual cause, with --into). A
    passage is the quote with the text around it, as the anchoring looks for it."""
    if count == 1:
        which = "its annotation marks a passage"
    elif not_found == count:
        which = f"all {count} of its annotations mark passages"
    else:
        which = f"{not_found} of its {count} annotations mark passages"
    line = (
        f"{file}: nothing imported: {which} not found in {article.name} "
        "(skipped, not added as orphans)"
    )
    others = [s for s in sources.get(article, []) if s and _source_name(s) != article.name]
    if others:
        more = f" (and {len(others) - 1} more)" if len(others) > 1 else ""
        line += f"; the file is about {others[0][:120]}{more}"
    return line


def _source_name(source: str) -> str:
    """The file name a shared file's source names (a path, a file: URI or a web address)."""
    from urllib.parse import unquote, urlsplit

    if "://" in source or source.startswith("file:"):
        source = unquote(urlsplit(source).path)
    return Path(source).name


def layer_name(author: str) -> str:
    """An --as-layer AUTHOR that can be a folder's name, or a CliError saying why not."""
    text_arg("--as-layer", author)
    if not author.strip() or author.strip() in (".", ".."):
        raise CliError(f"--as-layer {author!r}: give the author's name")
    if "/" in author or "\\" in author or "\0" in author:
        raise CliError(f"--as-layer {author!r}: a name, not a path (no / or \\)")
    if len(author.encode("utf-8")) > 255:  # a folder's name is at most 255 bytes
        raise CliError(
            f"--as-layer: the name is {len(author.encode('utf-8'))} bytes; a folder name can "
            "be at most 255"
        )
    return author


def configure_export(p: argparse.ArgumentParser) -> None:
    p.description = "Export the annotations of PATH (articles or folders)."
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    p.add_argument(
        "--format",
        choices=("md", "w3c", "json", "html"),
        default="md",
        help="md: a Markdown digest; w3c: W3C Web Annotation JSON-LD; json: reader's JSON; "
        "html: one self-contained web page of the articles with their highlights and notes",
    )
    p.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        help="write to FILE (default: standard output)",
    )


def run_export(args: argparse.Namespace) -> int:
    from reader.core.export import dumps_json, to_json, to_markdown, to_w3c
    from reader.core.library import scan

    for given in args.paths:  # a mistyped PATH must not give an empty digest and exit 0
        missing = missing_reason(given)
        if missing is not None:
            raise CliError(missing)
    lib = scan(args.paths)
    # A file named on its own that cannot be read is an error, as for `notes` (an empty
    # digest and exit 0 read as "no annotations"); in a folder, it is skipped with a word.
    named = {p.resolve() for p in args.paths if not p.is_dir()}
    for a in lib.articles:
        if a.problem is not None and a.path.resolve() in named:
            raise CliError(f"{a.path}: {a.problem}")
    if lib.problems and not lib.articles and len(named) == len(args.paths):
        raise CliError("; ".join(lib.problems))
    for problem in lib.problems:
        warn(problem)
    # A web page and a Markdown digest also show colleagues' layers (and articles that only
    # they have marked); the JSON formats are yours alone, as an import reads them.
    layers = args.format in ("html", "md")
    arts = [marks for a in lib.articles if (marks := _marks(a, lib, layers)) is not None]
    if args.format == "html":
        out = html_page(lib, arts)
    elif args.format == "md":
        out = to_markdown(arts)
    elif args.format == "w3c":
        out = json_inert(dumps_json(to_w3c(arts, roots=lib.roots)))
    else:
        out = json_inert(dumps_json(to_json(arts)))
    if args.output is None:
        # Markdown on a terminal is made inert (notes and quotes are data); to a pipe or a
        # file it is the text as written, for the tools that read it.
        if args.format == "md" and sys.stdout.isatty():
            from reader.core.inert import make_inert

            out = make_inert(out)
        sys.stdout.write(printable(out))
        return 0
    from reader.core.atomic import write_atomic

    try:
        write_atomic(args.output, out.encode("utf-8"))
    except OSError as err:
        raise CliError(f"cannot write {args.output}: {err.strerror or err}") from None
    yours = sum(len(a.annotations) for a in arts)
    theirs = sum(len(rl.layer.annotations) for a in arts for rl in a.layers)
    also = f" ({yours} yours, {theirs} in colleagues' layers)" if theirs else ""
    warn(f"{yours + theirs} annotation(s) written to {args.output}{also}", prefix=None)
    return 0


def _marks(article: Article, lib: Library, layers: bool) -> ArticleMarks | None:
    """An article's annotations to export; None when it has none (nor, with layers, any
    colleague's). A sidecar that cannot be read stops the export (CliError naming it): a
    digest must not silently lack one."""
    from reader.core.export import ArticleMarks
    from reader.core.session import resolve_layers
    from reader.core.sharing import find_layers
    from reader.core.store import ArticleStore, find_sidecar

    if article.problem is not None:
        return None
    # (read once: whether the article is worth a page, then resolved on its text)
    shared = [ly for ly in find_layers(article.path, lib.roots) if ly.annotations] if layers else []
    if not article.annotation_count and not find_sidecar(article.path).exists() and not shared:
        return None
    doc = load(article.path)
    store = ArticleStore(article.path, doc.text)
    if store.error is not None:
        raise CliError(f"{store.error}; nothing exported")
    if not store.annotations and not shared:
        return None
    return ArticleMarks(
        article.path,
        article.title,
        doc.text,
        store.annotations,
        store.resolutions,
        layers=resolve_layers(doc.text, shared) if shared else [],
    )
