"""Three-way merge of sidecars by annotation id (the git merge driver's core).

Annotations are matched by id only, never by passage: two marks of one passage are two
annotations, and both stay. Additions from both sides are kept; an edit on one side wins
over no change; a deletion on one side is honoured unless the other side edited the
annotation; a field both sides changed differently keeps both values and is flagged in
`conflict`. Only conflicts this merge made are reported; editing a flagged field clears
its flag (annotation.resolve_conflict_on_edit).
"""

from __future__ import annotations

import errno
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from reader.core.annotation import Annotation, conflict_entries, join_conflicts

_FIELDS = [f.name for f in fields(Annotation) if f.name not in ("id", "created", "conflict")]


class MergeRefused(Exception):
    """An input the merge cannot use; str() is one line naming the file. Nothing was
    written."""


@dataclass
class MergeResult:
    annotations: list[Annotation]
    source: dict[str, Any] = field(default_factory=dict)
    # Ids of the annotations this merge flagged (not ones flagged before it).
    new_conflicts: list[str] = field(default_factory=list)


def merge_one(
    base: Annotation | None, ours: Annotation, theirs: Annotation, whose: str = ""
) -> tuple[Annotation, bool]:
    """The merged annotation, and whether this merge flagged a new conflict in it. whose:
    the other side's author when it is known; a note both sides edited then keeps theirs
    as `[Ana's version] ...` (else `[other version] ...`, as notes merged before say)."""
    if ours == theirs:
        return ours, False
    changes: dict[str, object] = {}
    conflicts: list[str] = []
    for name in _FIELDS:
        o, t = getattr(ours, name), getattr(theirs, name)
        b = getattr(base, name) if base is not None else None
        if o == t or t == b:
            continue
        if o == b:
            changes[name] = t
            continue
        # Both changed it, differently: keep both where that makes sense, and say so.
        if name in ("modified", "imported"):  # the later one (an import record starts with it)
            changes[name] = max(o, t)
        elif name == "tags":
            changes[name] = tuple(dict.fromkeys([*o, *t]))
        elif name == "note":
            changes[name] = f"{o}\n\n{version_label(whose)} {t}" if o and t else (o or t)
            conflicts.append("note: both sides edited it; both versions are kept")
        elif name == "target":
            keep = ours if ours.modified >= theirs.modified else theirs
            changes[name] = keep.target
            conflicts.append("target: both sides moved it; the later edit is kept")
        else:
            conflicts.append(f"{name}: ours={o!r} theirs={t!r}")
    # The flags already there merge like any field: one side clearing them (by fixing the
    # field) wins over the other leaving them as they were.
    old = _merge_flags(base.conflict if base is not None else "", ours.conflict, theirs.conflict)
    merged = replace(ours, **changes)  # type: ignore[arg-type]
    conflict = join_conflicts(conflict_entries(old) + conflicts)
    if conflict != merged.conflict:
        merged = replace(merged, conflict=conflict)
    return merged, bool(conflicts)


def version_label(whose: str) -> str:
    """What precedes the other side's note in a merged one: `[Ana's version]`, or
    `[other version]` when whose it is is not known."""
    name = " ".join(whose.split())[:60]  # one line, short: it is read inside a note
    return f"[{name}'s version]" if name else "[other version]"


def _merge_flags(base: str, ours: str, theirs: str) -> str:
    if ours == theirs or theirs == base:
        return ours
    if ours == base:
        return theirs
    return join_conflicts(conflict_entries(ours) + conflict_entries(theirs))


def merge_annotations(
    base: list[Annotation], ours: list[Annotation], theirs: list[Annotation], you: str = ""
) -> tuple[list[Annotation], list[str]]:
    """The merged annotations, and the ids of those this merge flagged as conflicts.

    you: the name of whoever merges (the config's author, or git's). A note both sides
    edited names the other side's version by the mark's author when that is someone else
    (`[Ana's version]`); a mark of yours, edited on the other side by whoever it was, keeps
    `[other version]`. With you unknown, nobody is named."""
    b = {a.id: a for a in base}
    o = {a.id: a for a in ours}
    t = {a.id: a for a in theirs}
    out: list[Annotation] = []
    flagged: list[str] = []
    for ident in dict.fromkeys([*o, *t, *b]):
        ba, oa, ta = b.get(ident), o.get(ident), t.get(ident)
        if oa is not None and ta is not None:
            whose = ta.author if you and ta.author != you else ""
            merged, new_conflict = merge_one(ba, oa, ta, whose)
            out.append(merged)
            if new_conflict:
                flagged.append(ident)
        elif oa is not None:  # theirs deleted it, or ours added it
            if ba is None or oa != ba:
                out.append(oa)
        elif ta is not None:
            if ba is None or ta != ba:
                out.append(ta)
    return out, flagged


def merge_sets(
    base: list[Annotation], ours: list[Annotation], theirs: list[Annotation]
) -> list[Annotation]:
    return merge_annotations(base, ours, theirs)[0]


def merge_files(base: Path, ours: Path, theirs: Path, you: str = "") -> MergeResult:
    """Merge three sidecars (git's %O %A %B) and write the result over ours, atomically
    (you: as merge_annotations takes it).

    Raises MergeRefused, with ours untouched, when an input is missing, unreadable, not a
    regular file or not a valid sidecar, or when the result cannot be written (a full
    disk): the old file is left as it was.
    """
    from reader.core.atomic import write_atomic
    from reader.core.inert import inert_name
    from reader.core.sidecar import SidecarError, dump_annotations, read_sidecar

    sides = []
    for path in (base, ours, theirs):
        if not path.exists():  # read_sidecar takes a missing file for an empty one
            raise MergeRefused(f"{inert_name(str(path))}: no such file; nothing merged")
        try:
            sides.append(read_sidecar(path))
        except SidecarError as err:
            raise MergeRefused(f"{inert_name(str(err))}; nothing merged") from None
    b, o, t = sides
    merged, flagged = merge_annotations(b.annotations, o.annotations, t.annotations, you)
    result = MergeResult(merged, o.source or t.source, flagged)
    data = dump_annotations(result.source, merged).encode("utf-8", "surrogatepass")
    try:
        write_atomic(ours, data)
    except OSError as err:
        why = "the disk is full" if err.errno == errno.ENOSPC else (err.strerror or str(err))
        raise MergeRefused(
            f"{inert_name(str(ours))}: cannot write the merge: {why}; the file is unchanged"
        ) from None
    return result
