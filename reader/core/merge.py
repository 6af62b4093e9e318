"""Three-way merge of sidecars by annotation id (the git merge driver's core).

Additions from both sides are kept; an edit on one side wins over no change; a
deletion on one side is honoured unless the other side edited the annotation;
a field both sides changed differently keeps both values and is flagged in
`conflict`. Two annotations added independently of the same passage with the
same note become one.
"""

from __future__ import annotations

from dataclasses import fields, replace

from reader.core.annotation import Annotation

_FIELDS = [f.name for f in fields(Annotation) if f.name not in ("id", "created", "conflict")]


def _merge_one(base: Annotation | None, ours: Annotation, theirs: Annotation) -> Annotation:
    if ours == theirs:
        return ours
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
        if name == "modified":
            changes[name] = max(o, t)
        elif name == "tags":
            changes[name] = tuple(dict.fromkeys([*o, *t]))
        elif name == "note":
            changes[name] = f"{o}\n\n[other version] {t}" if o and t else (o or t)
            conflicts.append("note: both sides edited it; both versions are kept")
        elif name == "target":
            keep = ours if ours.modified >= theirs.modified else theirs
            changes[name] = keep.target
            conflicts.append("target: both sides moved it; the later edit is kept")
        else:
            conflicts.append(f"{name}: ours={o!r} theirs={t!r}")
    merged = replace(ours, **changes)  # type: ignore[arg-type]
    if conflicts:
        old = [c for c in (ours.conflict, theirs.conflict) if c]
        merged = replace(merged, conflict="; ".join(dict.fromkeys(old + conflicts)))
    return merged


def merge_sets(
    base: list[Annotation], ours: list[Annotation], theirs: list[Annotation]
) -> list[Annotation]:
    b = {a.id: a for a in base}
    o = {a.id: a for a in ours}
    t = {a.id: a for a in theirs}
    out: list[Annotation] = []
    for ident in dict.fromkeys([*o, *t, *b]):
        ba, oa, ta = b.get(ident), o.get(ident), t.get(ident)
        if oa is not None and ta is not None:
            out.append(_merge_one(ba, oa, ta))
        elif oa is not None:  # theirs deleted it, or ours added it
            if ba is None or oa != ba:
                out.append(oa)
        elif ta is not None:
            if ba is None or ta != ba:
                out.append(ta)
    return dedupe(out)


def dedupe(annotations: list[Annotation]) -> list[Annotation]:
    """Drop annotations that repeat another's passage and note (the earlier-created one stays)."""
    kept: list[Annotation] = []
    for a in sorted(annotations, key=lambda a: (a.created, a.id)):
        twin = next((k for k in kept if k.same_content(a)), None)
        if twin is None:
            kept.append(a)
        elif set(a.tags) - set(twin.tags):
            kept[kept.index(twin)] = replace(twin, tags=tuple(dict.fromkeys([*twin.tags, *a.tags])))
    return kept
