"""Importing a colleague's file again: what changed since the last import, and on whose side.

Each imported annotation records, in your sidecar, the version it was imported as:
`imported = "MODIFIED DIGEST FILE"` (that version's `modified`, a short digest of its
content, and the shared file's path relative to the article's folder). The next import of
that annotation is a three-way merge (merge.merge_one): base = that version, ours = your
copy, theirs = the incoming one. Your copy unchanged since -> theirs; theirs unchanged ->
yours; both changed -> merged field by field and flagged in `conflict` (a note both changed
keeps theirs after `[Ana's version]`, named for the incoming annotation's author).

A copy of each version imported is also kept in the user data folder
(`imported/` under the annotation file's full path): when both sides changed an annotation
and that copy is the recorded version, the merge knows which fields each side changed. Without
it (another machine, a cleared folder) every field that differs is merged as changed on both
sides (both notes kept, tags joined, flagged): nothing is lost either way.

An annotation you deleted after importing it is not imported again from a file that holds
it as it was (the copy kept in the user data folder says it came before); when they changed
it since, it comes back, and the import says so (as the merge driver honours a deletion
unless the other side edited it).

An annotation you imported from a file that no longer holds it (the same file, at the same
path, still holding annotations by its author, or a reader sidecar now holding none: they
deleted their last mark) is removed when you have not changed it since, and kept (and said)
when you have. An annotation without a record (yours, or imported before records existed) is
never changed or removed by an import.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from reader.core.annotation import KINDS, Annotation
from reader.core.merge import merge_one
from reader.core.paths import data_dir, mirrored

_DIGEST = re.compile(r"[0-9a-f]{12}")


def content_digest(a: Annotation) -> str:
    """12 hex digits of what a person sees of an annotation: passage, note, tags, colour,
    label, kind, author. Not its offsets (your copy's move when your article is edited), its
    times (an edit undone is no change) nor its conflict flags."""
    content = [a.target.quote, a.author, a.kind, a.color, a.label, list(a.tags), a.note]
    data = json.dumps(content, ensure_ascii=False).encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()[:12]


@dataclass(frozen=True)
class Record:
    """What an annotation's `imported` key says: the version last imported, and from where."""

    modified: str
    digest: str
    file: str  # the shared file, relative to the article's folder (or absolute)

    def __str__(self) -> str:
        return f"{self.modified} {self.digest} {self.file}"

    def names(self, file: Path, article: Path) -> bool:
        """Whether the record's file is file (paths compared as written, not resolved)."""
        mine = os.path.normpath(os.path.join(os.path.abspath(article.parent), self.file))
        return mine == os.path.normpath(os.path.abspath(file))


def record_for(a: Annotation, file: Path, article: Path) -> Record:
    modified = "".join(a.modified.split()) or "-"
    here = os.path.abspath(file)
    try:
        where = os.path.relpath(here, os.path.abspath(article.parent))
    except ValueError:  # another drive (Windows)
        where = here
    return Record(modified, content_digest(a), where)


def parse_record(text: str) -> Record | None:
    """The record an `imported` value holds; None when there is none or it is not one (a
    hand edit): the annotation is then treated as your own."""
    parts = text.split(" ", 2)
    if len(parts) != 3 or not _DIGEST.fullmatch(parts[1]) or not parts[2] or not parts[0]:
        return None
    return Record(*parts)


def _older(incoming: str, recorded: str) -> bool:
    """Whether incoming is an earlier time than recorded (False when either is unreadable)."""
    try:
        a = datetime.fromisoformat(incoming)
        b = datetime.fromisoformat(recorded)
        return a < b if (a.tzinfo is None) == (b.tzinfo is None) else False
    except ValueError:
        return False


@dataclass
class Plan:
    """What an import changes in a set of annotations, decided on a snapshot of it."""

    add: list[Annotation] = field(default_factory=list)
    # id -> (the version seen, its replacement): applied only onto that same version.
    change: dict[str, tuple[Annotation, Annotation]] = field(default_factory=dict)
    remove: dict[str, Annotation] = field(default_factory=dict)  # id -> the version seen
    theirs: dict[str, Annotation] = field(default_factory=dict)  # id -> the version imported
    already: int = 0
    updated: int = 0  # changed by them only: their version taken
    merged: int = 0  # changed on both sides: merged
    flagged: int = 0  # of those, how many got a conflict flag
    skipped: list[Annotation] = field(default_factory=list)  # an id used by one of yours
    kept: list[Annotation] = field(default_factory=list)  # deleted by them, changed by you
    # Not in the file, but not surely deleted by its author: (annotation, why), kept.
    unsure: list[tuple[Annotation, str]] = field(default_factory=list)
    older: list[Annotation] = field(default_factory=list)  # older than the version imported
    twice: list[Annotation] = field(default_factory=list)  # an id already met in the file
    # Imported before and deleted by you since (the copy kept says so): not added again.
    yours_deleted: list[Annotation] = field(default_factory=list)
    back: list[Annotation] = field(default_factory=list)  # deleted by you, changed by them
    # Not in the file, but imported from another file of the same author: (it, that file).
    elsewhere: list[tuple[Annotation, str]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.add or self.change or self.remove)

    def apply(self, current: list[Annotation]) -> list[Annotation]:
        """The plan applied onto current (the set as it is on disk now): an annotation that
        changed since the plan was made (another window saved it) is left as it is now."""
        out: list[Annotation] = []
        for a in current:
            if self.remove.get(a.id) == a:
                continue
            seen_new = self.change.get(a.id)
            out.append(seen_new[1] if seen_new is not None and seen_new[0] == a else a)
        have = {a.id for a in current}
        return out + [a for a in self.add if a.id not in have]


def plan_import(
    file: Path,
    article: Path,
    incoming: list[Annotation],
    placed: list[Annotation],
    existing: list[Annotation],
    bases: dict[str, Annotation] | None = None,
    whole: bool = True,
    layer: bool = False,
    emptied: bool = False,
) -> Plan:
    """What importing file (incoming: all it holds for article; placed: those re-anchored on
    your text) does to existing (your set, or the layer's); bases: the copies kept of the
    versions imported before (read_bases); whole: False when the file may hold only part of
    its author's set (a page of a longer list, one annotation, some left unread): then what
    it lacks is never taken for deleted; layer: existing is a layer (the colleague's file
    kept apart, read-only in the app), where one imported before records existed takes
    the new version too; emptied: the file is a reader sidecar holding no annotations, its
    author's whole set now empty (SharedFile.emptied), so what came from it was deleted."""
    bases = bases or {}
    plan = Plan()
    by_id = {a.id: a for a in existing}
    seen: set[str] = set()
    for a in placed:
        if a.id in seen:  # twice in the file: the first one counts
            plan.twice.append(a)
            continue
        seen.add(a.id)
        record = str(record_for(a, file, article))
        mine = by_id.get(a.id)
        kept = bases.get(a.id)
        if mine is None and kept is not None and content_digest(kept) == content_digest(a):
            plan.yours_deleted.append(a)  # imported before, deleted by you since: it stays so
            continue
        if mine is None:
            if kept is not None:  # deleted by you, but they changed it since: it comes back
                plan.back.append(a)
            if any(x.same_content(a) for x in existing + plan.add):
                plan.already += 1
            else:
                plan.add.append(replace(a, imported=record))
                plan.theirs[a.id] = a
            continue
        base = parse_record(mine.imported)
        if base is None and layer and not mine.imported:
            base = record_for(mine, file, article)  # as imported: a layer is not edited
        if base is None:  # yours, or imported before records: as before, never changed
            if mine.same_content(a):
                plan.already += 1
            else:
                plan.skipped.append(a)
            continue
        if content_digest(a) == base.digest:
            plan.already += 1  # nothing new from them
            continue
        if _older(a.modified, base.modified):
            plan.older.append(a)  # (a copy someone else kept of it)
            continue
        ours_changed = content_digest(mine) != base.digest
        whose = a.author  # the version in their file: a note both changed says whose it is
        if not ours_changed:
            merged, flagged = merge_one(mine, mine, a)
        elif kept is not None and content_digest(kept) == base.digest:
            merged, flagged = merge_one(kept, mine, a, whose)
        else:
            merged, flagged = merge_one(None, mine, _beside(mine, a), whose)
        if merged.kind in KINDS:  # the kind follows the merged note
            merged = replace(merged, kind="note" if merged.note else "highlight")
        plan.change[a.id] = (mine, replace(merged, imported=record))
        plan.theirs[a.id] = a
        if ours_changed:
            plan.merged += 1
            plan.flagged += flagged
        else:
            plan.updated += 1
    ids = {a.id for a in incoming}
    authors = {a.author for a in incoming}
    for mine in existing:
        base = parse_record(mine.imported)
        if base is None or mine.id in ids:
            continue
        if not base.names(file, article):
            if mine.author and mine.author in authors:  # theirs, from another of their files
                plan.elsewhere.append((mine, base.file))
            continue
        if not whole:
            plan.unsure.append((mine, "the file holds only part of a set"))
        elif mine.author not in authors and not emptied:
            who = f"by {mine.author}" if mine.author else "by its author"
            plan.unsure.append((mine, f"the file holds nothing {who} now"))
        elif content_digest(mine) != base.digest:
            plan.kept.append(mine)
        else:
            plan.remove[mine.id] = mine
    return plan


def _beside(mine: Annotation, theirs: Annotation) -> Annotation:
    """theirs, made comparable with your copy field by field when there is no base: the same
    passage keeps your copy's anchor (its offsets count in your text as it is now), and the
    kind (which follows the note) is not a change of its own."""
    if theirs.target.quote == mine.target.quote:
        theirs = replace(theirs, target=mine.target)
    if theirs.kind in KINDS and mine.kind in KINDS:
        theirs = replace(theirs, kind=mine.kind)
    return theirs


def bases_file(annotations_file: Path) -> Path:
    """Where the copies of the versions imported into annotations_file are kept."""
    return mirrored(data_dir() / "imported", annotations_file)


def read_bases(annotations_file: Path) -> dict[str, Annotation]:
    """The copies kept for annotations_file, by id; none when there are none or they
    cannot be read (they only make a later merge finer)."""
    from reader.core.sidecar import SidecarError, read_sidecar

    try:
        return {a.id: a for a in read_sidecar(bases_file(annotations_file)).annotations}
    except SidecarError:
        return {}


def keep_bases(
    annotations_file: Path, bases: dict[str, Annotation], plan: Plan, now: list[Annotation]
) -> None:
    """Keep the versions this import brought (of the annotations in now, the set as
    written), atomically. A failure is not reported: the import itself was written, and
    without the copy a later merge only flags more."""
    from reader.core.atomic import write_atomic
    from reader.core.sidecar import dump_annotations

    # (and those you deleted, unchanged in the file: their copy says they came before)
    ids = {a.id for a in now if parse_record(a.imported) is not None}
    ids |= {a.id for a in plan.yours_deleted}
    for ident, a in plan.theirs.items():
        bases[ident] = replace(a, imported="", conflict="")
    kept = [a for ident, a in bases.items() if ident in ids]
    try:
        data = dump_annotations({"name": annotations_file.name}, kept)
        write_atomic(bases_file(annotations_file), data.encode("utf-8", "surrogatepass"))
    except OSError:
        pass
