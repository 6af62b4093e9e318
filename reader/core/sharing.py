"""Other people's annotations: layers you can show, and imports into your own sidecar.

A layer is someone's sidecar for an article, kept in an `annotations/` folder
near the library, one folder per author, mirroring the articles' relative
paths: `annotations/ada/notes/article.txt.annotations.toml`. Layers are read
only; your own sidecar is the only file reader writes for an article, except
when you file an import as a layer on purpose (`--as-layer`).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from reader.core.anchoring import Anchorer
from reader.core.annotation import MAX_NOTE, Annotation, InvalidAnnotation, make_target
from reader.core.atomic import lock_file, write_atomic
from reader.core.inert import inert_name
from reader.core.reimport import Plan, keep_bases, plan_import, read_bases
from reader.core.store import (
    SUFFIX,
    ArticleStore,
    SidecarError,
    dump_sidecar,
    parse_sidecar,
    read_sidecar,
    sidecar_places,
)

if TYPE_CHECKING:
    from reader.core.library import Library

LAYERS_DIR = "annotations"
# A shared file bigger than this is refused before it is parsed.
MAX_SHARED_BYTES = 20_000_000


class ShareError(Exception):
    """A shared file that cannot be used at all; str() names the file."""


@dataclass
class Layer:
    author: str  # its folder's name: shown, so made inert (see __post_init__)
    path: Path
    annotations: list[Annotation] = field(default_factory=list)
    error: str = ""

    def __post_init__(self) -> None:
        # Someone else's folder names and files are data, never terminal control.
        self.author = inert_name(self.author)
        self.error = inert_name(self.error)


def _layer_folders(article: Path, roots: list[Path]) -> list[tuple[Path, Path]]:
    """(annotations folder, folder the article's path is relative to) pairs that may hold
    layers for article: annotations/ in its folder and each one up to the library root,
    and annotations/ beside the library folder (as seeds/ and annotations/ in this project)."""
    art = Path(os.path.abspath(article))
    out: list[tuple[Path, Path]] = []
    for root in roots or [art.parent]:
        r = Path(os.path.abspath(root))
        if r == art or not r.is_dir():
            r = art.parent
        if r != art.parent and r not in art.parents:
            continue
        d = art.parent
        while True:
            out.append((d / LAYERS_DIR, d))
            if d == r or d == d.parent:
                break
            d = d.parent
        out.append((r.parent / LAYERS_DIR, r))
    if not out:
        out = [(art.parent / LAYERS_DIR, art.parent)]
    return list(dict.fromkeys(out))


def find_layers(article: Path, roots: list[Path]) -> list[Layer]:
    """Every author's layer for article, read (errors kept as messages, not raised)."""
    art = Path(os.path.abspath(article))
    layers: list[Layer] = []
    for folder, base in _layer_folders(art, roots):
        if not folder.is_dir():
            continue
        rel = art.relative_to(base)
        try:
            authors = sorted(
                p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")
            )
        except OSError:
            continue
        for author_dir in authors:
            path = author_dir / (str(rel) + SUFFIX)
            if not path.is_file():
                continue
            try:
                if path.stat().st_size > MAX_SHARED_BYTES:
                    raise SidecarError(path, f"larger than {MAX_SHARED_BYTES:,} bytes; not read")
                # A layer is shown, never re-imported: what it was imported as is not kept
                # (y copies one into yours as yours).
                marks = [
                    replace(a, imported="") if a.imported else a
                    for a in read_sidecar(path).annotations
                ]
                big = [a for a in marks if len(a.note) > MAX_NOTE]
                marks = [a for a in marks if len(a.note) <= MAX_NOTE]
                err = ""
                if big:
                    err = f"{path}: {len(big)} annotation(s) with a note over {MAX_NOTE:,} "
                    err += "characters left out"
                layers.append(Layer(author_dir.name, path, marks, err))
            except SidecarError as e:
                layers.append(Layer(author_dir.name, path, [], str(e)))
    return layers


def annotation_sets(library: Library) -> list[tuple[Path, str, list[Annotation]]]:
    """(article, layer author or "" for yours, annotations) for every set in the library."""
    from reader.core.store import read_annotations

    sets: list[tuple[Path, str, list[Annotation]]] = []
    for a in library.articles:
        if a.problem is not None:
            continue
        if a.annotation_count:
            try:
                sets.append((a.path, "", read_annotations(a.path).annotations))
            except SidecarError:
                pass  # the article's own view reports it, naming the line
        for layer in find_layers(a.path, library.roots):
            sets.append((a.path, layer.author, layer.annotations))
    return sets


def layer_path(article: Path, author: str) -> Path:
    """Where `reader import --as-layer AUTHOR` files a layer for article."""
    if not author.strip() or "/" in author or "\\" in author or author in (".", ".."):
        raise ShareError(f"{author!r} cannot be an author folder name")
    layers = article.parent / LAYERS_DIR
    # "Ana" and "ana" are one colleague: a folder there already, in any case, is hers.
    try:
        same = [
            e.name for e in os.scandir(layers) if e.is_dir() and e.name.lower() == author.lower()
        ]
    except OSError:
        same = []
    folder = author if author in same or not same else sorted(same)[0]
    return layers / folder / (article.name + SUFFIX)


@dataclass
class SharedFile:
    """What a shared file holds, read one annotation at a time."""

    file: Path
    kind: str  # what it was read as: "reader sidecar", "Hypothesis export file"...
    pairs: list[tuple[str, Annotation]]  # (the article it names, annotation)
    skipped: list[str] = field(default_factory=list)  # annotations left out: which and why
    notes: list[str] = field(default_factory=list)  # parts ignored, one line each
    # Whether it may be its author's whole set (see _whole); with annotations left out, not.
    complete: bool = True
    named: str = ""  # a reader sidecar's article (its [source] name), even with no marks

    @property
    def whole(self) -> bool:
        return self.complete and not self.skipped

    @property
    def emptied(self) -> bool:
        """A reader sidecar with no annotations: its author's whole set for the article it
        names, now empty (they deleted their last mark). JSON says less: an empty page of a
        W3C or Hypothesis list is no such thing."""
        return self.kind == "reader sidecar" and not self.pairs and self.whole

    @property
    def problems(self) -> list[str]:
        """Every line to show the user, each naming the file."""
        shown = inert_name(str(self.file))
        return [f"{shown}: {line}: skipped" for line in self.skipped] + [
            f"{shown}: {line}" for line in self.notes
        ]


def read_shared_file(file: Path) -> SharedFile:
    """A colleague's sidecar, W3C JSON from any tool, Hypothesis JSON (API, search reply,
    client export) or reader's own JSON export, read without trusting it.

    Raises ShareError (naming the file) when the file cannot be read at all: missing, not a
    regular file, too big, not UTF-8, not JSON/TOML, nested too deeply, or of no shape
    understood. An annotation that cannot be used is left out and named in .skipped.
    """
    from reader.core.incoming import from_json
    from reader.core.safe_read import RefusedFile, read_regular

    shown = inert_name(str(file))  # a file name is data: never terminal control

    try:
        raw = read_regular(file, MAX_SHARED_BYTES)
    except FileNotFoundError:
        raise ShareError(f"{shown}: no such file") from None
    except RefusedFile as err:
        raise ShareError(inert_name(str(err))) from None
    except OSError as err:
        raise ShareError(f"{shown}: cannot read: {err.strerror or err}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ShareError(f"{shown}: not UTF-8 text (neither a sidecar nor JSON)") from None
    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped.startswith(("{", "[")) or file.suffix.lower() in (".json", ".jsonld"):
        try:
            data = json.loads(stripped)
        except json.JSONDecodeError as err:
            raise ShareError(f"{shown}:{err.lineno}: not valid JSON: {err.msg}") from None
        except RecursionError:
            raise ShareError(f"{shown}: JSON nested too deeply to be annotations") from None
        try:
            got = from_json(data)
        except InvalidAnnotation as err:
            raise ShareError(f"{shown}: {err}") from None
        return SharedFile(file, got.kind, got.pairs, got.skipped, got.notes, _whole(data, got.kind))
    try:
        sidecar = parse_sidecar(file, text)
    except SidecarError as err:
        raise ShareError(str(err)) from None
    except RecursionError:
        raise ShareError(f"{shown}: TOML nested too deeply to be annotations") from None
    name = sidecar.source.get("name", "")
    name = name if isinstance(name, str) else ""
    pairs = [(name, a) for a in sidecar.annotations]
    return SharedFile(file, "reader sidecar", pairs, named=name)


@dataclass
class ImportReport:
    into: Path
    written_to: Path | None = None
    added: int = 0
    already: int = 0
    updated: int = 0  # changed in the file since the last import, not by you: theirs taken
    merged: int = 0  # changed on both sides: merged (flagged ones counted in .flagged)
    flagged: int = 0
    removed: list[Annotation] = field(default_factory=list)  # deleted from the file
    not_found: int = 0  # annotations whose quote is not in the text: skipped
    problems: list[str] = field(default_factory=list)


def _placed(
    file: Path, incoming: list[Annotation], text: str, report: ImportReport
) -> list[Annotation]:
    """Re-anchor incoming annotations on our text; skip (and say) what cannot be placed."""
    anchorer = Anchorer(text)
    out = []
    for a in incoming:
        short = inert_name(" ".join(a.target.quote.split())[:50])
        ident = inert_name(a.id[:60])
        if len(a.note) > MAX_NOTE:
            report.problems.append(
                f"{inert_name(str(file))}: annotation {ident}: note of {len(a.note):,} characters "
                f"(limit {MAX_NOTE:,}): skipped"
            )
            continue
        r = anchorer.resolve(a.target)
        if not r.found:
            report.not_found += 1
            report.problems.append(
                f"{inert_name(str(file))}: annotation {ident}: quote “{short}” is not in "
                f"{inert_name(report.into.name)}: skipped"
            )
            continue
        out.append(replace(a, target=make_target(text, r.start, r.end)))
    return out


def import_into(
    file: Path,
    incoming: list[Annotation],
    article: Path,
    text: str,
    as_layer: str | None = None,
    whole: bool = True,
    emptied: bool = False,
) -> ImportReport:
    """Merge incoming annotations (all that file holds for article) into your sidecar of
    article (or file them as a layer).

    Importing the same file twice changes nothing; an annotation whose passage and note
    you already have is not added again; an id that collides with a different one of
    yours is skipped. A file imported before and changed since brings its edits and
    deletions, never undoing yours (reader.core.reimport); whole=False (SharedFile.whole, or
    annotations of it left out) takes nothing it lacks for deleted; emptied=True
    (SharedFile.emptied: no incoming at all) takes all it held for deleted. Nothing is
    written when nothing changes.
    """
    report = ImportReport(article)
    placed = _placed(file, incoming, text, report)
    if as_layer is not None:
        target = layer_path(article, as_layer)
        with lock_file(target):
            try:
                existing = read_sidecar(target).annotations
            except SidecarError as err:
                raise ShareError(f"the layer file {err}; not changed") from None
            bases = read_bases(target)
            plan = _plan(
                file, article, incoming, placed, existing, bases, whole, report, True, emptied
            )
            if not plan.empty:
                result = plan.apply(existing)
                write_atomic(target, dump_sidecar(article, text, result).encode("utf-8"))
                report.written_to = target
                keep_bases(target, bases, plan, result)
        return report
    store = ArticleStore(article, text)
    if store.error is not None:
        raise ShareError(f"your annotations are read-only until this is fixed: {store.error}")
    yours = sidecar_places(article)[0]
    bases = read_bases(yours)
    plan = _plan(
        file, article, incoming, placed, store.annotations, bases, whole, report, False, emptied
    )
    if not plan.empty:
        store.update(plan.apply)
        report.written_to = store.path
        keep_bases(yours, bases, plan, store.annotations)
        if store.message:
            report.problems.append(store.message)
    return report


def _plan(
    file: Path,
    article: Path,
    incoming: list[Annotation],
    placed: list[Annotation],
    existing: list[Annotation],
    bases: dict[str, Annotation],
    whole: bool,
    report: ImportReport,
    layer: bool = False,
    emptied: bool = False,
) -> Plan:
    plan = plan_import(file, article, incoming, placed, existing, bases, whole, layer, emptied)
    shown = inert_name(str(file))

    def say(about: str, what: str) -> None:
        report.problems.append(f"{shown}: annotation {about}: {what}")

    for a in plan.skipped:
        say(_ident(a), "its id is already used by a different annotation of yours: skipped")
    for a in plan.kept:
        say(_quoted(a), f"deleted {_by(a)} since you imported it, but you changed your copy: kept")
    for a in plan.twice:
        say(_ident(a), "its id is in the file more than once: skipped (the first one is imported)")
    for a in plan.older:
        said = f"an older version (modified {inert_name(a.modified)})"
        say(_quoted(a), f"{said} than the one you imported before: kept yours")
    for a in plan.yours_deleted:
        said = "you deleted it since you imported it, and it is unchanged in the file"
        say(_quoted(a), f"{said}: not added again")
    for a in plan.back:
        said = f"you deleted it since you imported it, but it was changed {_by(a)} since"
        say(_quoted(a), f"{said}: added again")
    for a, came in plan.elsewhere:
        say(
            f"{_quoted(a)} {_by(a)} is not in this file",
            f"kept (it came from {inert_name(came)}; a deletion is taken only from the file "
            "it came from)",
        )
    for a, why in plan.unsure:
        say(_quoted(a), f"no longer in it, but {inert_name(why)}: kept")
    report.added = len(plan.add)
    report.already += plan.already
    report.updated, report.merged, report.flagged = plan.updated, plan.merged, plan.flagged
    report.removed = list(plan.remove.values())
    return plan


def _ident(a: Annotation) -> str:
    return inert_name(a.id[:60])


def _quoted(a: Annotation) -> str:
    return f"“{inert_name(' '.join(a.target.quote.split())[:50])}”"


def _by(a: Annotation) -> str:
    return f"by {inert_name(a.author)}" if a.author else "by its author"


def _whole(data: object, kind: str) -> bool:
    """Whether a JSON file holds its author's whole set, as far as it says: not one
    annotation, not a page of a longer search reply or collection."""
    if kind == "one annotation":
        return False
    if not isinstance(data, dict):  # a list: reader's JSON export, or another tool's
        return True
    if kind == "Hypothesis search reply":
        total = data.get("total")
        return isinstance(total, int) and total <= len(data["rows"])
    page = data.get("first") if kind == "W3C AnnotationCollection" else data
    if not isinstance(page, dict) or page.get("next") or page.get("prev"):
        return False
    total = data.get("total")
    items = page.get("items")
    return not (isinstance(total, int) and isinstance(items, list) and total > len(items))


def source_for(file: Path, source_name: str, folders: list[Path] | None = None) -> Path | None:
    """The article a shared file is about, by the source it records (a path relative to
    the library, a file path or URI, a web address): that relative path, then that file
    name, looked for in folders (by default: beside the shared file, then the current
    folder; see library_folder for one folder for every annotation of a file)."""
    if not source_name:
        return None
    from urllib.parse import unquote, urlsplit

    if "://" in source_name or source_name.startswith("file:"):
        source_name = unquote(urlsplit(source_name).path)
    path = Path(source_name)
    tries: list[Path] = []
    if not path.is_absolute() and ".." not in path.parts:
        tries.append(path)
    if path.name:
        tries.append(Path(path.name))
    for folder in folders if folders is not None else [file.parent, Path.cwd()]:
        for rel in tries:
            candidate = folder / rel
            if candidate.is_file() and not _is_same_file(candidate, file):
                return candidate
    return None


def library_folder(file: Path, sources: list[str], into: Path | None = None) -> list[Path]:
    """The one folder in which every article a shared file names is looked for: --into
    when it is a folder; else, of the current folder and the shared file's folder, the one
    under which most of them are found (run from the library, or an export kept in it);
    the current folder when both hold them (a colleague's file read from their copy of the
    articles is imported into yours, not theirs). One folder for the whole file: an
    annotation never lands on a same-named file elsewhere (such as a web page exported
    beside the JSON)."""
    if into is not None:
        return [into]
    choices = list(dict.fromkeys([Path.cwd().resolve(), file.parent.resolve()]))
    names = list(dict.fromkeys(sources))

    def found(folder: Path) -> int:
        return sum(source_for(file, name, [folder]) is not None for name in names)

    return [max(choices, key=found)]  # max keeps the first of equals: here


def _is_same_file(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:
        return False
