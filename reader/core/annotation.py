"""The annotation model: what a mark is and where it points."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

# Colours of the highlight palette, in the order of the number keys 1..6.
COLORS = ("yellow", "green", "blue", "pink", "orange", "purple")
KINDS = ("highlight", "note")
CONTEXT_CHARS = 32
# Longest note accepted from someone else's file.
MAX_NOTE = 100_000


def now_rfc3339() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def new_id() -> str:
    return str(uuid.uuid4())


@dataclass(frozen=True)
class Target:
    """W3C-style anchor: exact quote, context either side, and a position hint."""

    quote: str
    prefix: str
    suffix: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "quote": self.quote,
            "prefix": self.prefix,
            "suffix": self.suffix,
            "start": self.start,
            "end": self.end,
        }


@dataclass(frozen=True)
class Annotation:
    target: Target
    id: str = field(default_factory=new_id)
    created: str = field(default_factory=now_rfc3339)
    modified: str = ""
    author: str = ""
    kind: str = "highlight"
    color: str = "yellow"
    label: str = ""
    tags: tuple[str, ...] = ()
    note: str = ""
    # Set by the merge driver when two sides changed one field differently.
    conflict: str = ""
    # Set by `reader import`: the version imported last ("MODIFIED DIGEST FILE"), so the next
    # import of a changed file can tell whose copy changed (reader.core.reimport).
    imported: str = ""

    def __post_init__(self) -> None:
        if not self.modified:
            object.__setattr__(self, "modified", self.created)
        if self.note and self.kind == "highlight":
            object.__setattr__(self, "kind", "note")

    def edited(self, **changes: Any) -> Annotation:
        """A copy with changes and a fresh modified time."""
        if "tags" in changes:
            changes["tags"] = tuple(changes["tags"])
        if "note" in changes:
            kind = "note" if changes["note"] else "highlight"
            changes.setdefault("kind", kind)
        return replace(self, modified=now_rfc3339(), **changes)

    def to_dict(self) -> dict[str, Any]:
        """Plain data in the sidecar's stable key order."""
        d: dict[str, Any] = {
            "id": self.id,
            "created": self.created,
            "modified": self.modified,
            "author": self.author,
            "kind": self.kind,
            "color": self.color,
        }
        if self.label:
            d["label"] = self.label
        d["tags"] = list(self.tags)
        d["note"] = self.note
        if self.conflict:
            d["conflict"] = self.conflict
        if self.imported:
            d["imported"] = self.imported
        d["target"] = self.target.to_dict()
        return d

    def same_content(self, other: Annotation) -> bool:
        """Same passage and same note: two independent marks that are really one."""
        return (
            self.target.quote == other.target.quote
            and self.target.prefix[-8:] == other.target.prefix[-8:]
            and self.target.suffix[:8] == other.target.suffix[:8]
            and self.note.strip() == other.note.strip()
        )


class InvalidAnnotation(ValueError):
    pass


def _str(d: dict[str, Any], key: str, default: str | None = None) -> str:
    v = d.get(key, default)
    if v is None:
        raise InvalidAnnotation(f"missing '{key}'")
    if not isinstance(v, str):
        raise InvalidAnnotation(f"'{key}' must be a string, not {type(v).__name__}")
    return v


def _int(d: dict[str, Any], key: str) -> int:
    v = d.get(key)
    if not isinstance(v, int) or isinstance(v, bool) or v < 0:
        raise InvalidAnnotation(f"'{key}' must be a non-negative integer")
    return v


def annotation_from_dict(d: Any) -> Annotation:
    """Validate plain data (from TOML or JSON) into an Annotation."""
    if not isinstance(d, dict):
        raise InvalidAnnotation("an annotation must be a table")
    t = d.get("target")
    if not isinstance(t, dict):
        raise InvalidAnnotation("missing [target] table")
    target = Target(
        _str(t, "quote"),
        _str(t, "prefix", ""),
        _str(t, "suffix", ""),
        _int(t, "start"),
        _int(t, "end"),
    )
    if target.end < target.start:
        raise InvalidAnnotation("target end is before its start")
    if not target.quote:
        raise InvalidAnnotation("target quote is empty")
    tags = d.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(x, str) for x in tags):
        raise InvalidAnnotation("'tags' must be a list of strings")
    ident = _str(d, "id")
    if not ident.strip():
        raise InvalidAnnotation("'id' is empty")
    created = _str(d, "created", "") or now_rfc3339()
    return Annotation(
        target=target,
        id=ident,
        created=created,
        modified=_str(d, "modified", "") or created,
        author=_str(d, "author", ""),
        kind=_str(d, "kind", "highlight"),
        color=_str(d, "color", "yellow"),
        label=_str(d, "label", ""),
        tags=tuple(tags),
        note=_str(d, "note", ""),
        conflict=_str(d, "conflict", ""),
        imported=_str(d, "imported", ""),
    )


# Entries of the `conflict` field are "FIELD: what happened", joined by "; ".
_CONFLICT_SEP = re.compile(r"; (?=[a-z_]+: )")


def conflict_entries(conflict: str) -> list[str]:
    """The separate entries of a `conflict` field ("note: both sides edited it", ...)."""
    return [c for c in _CONFLICT_SEP.split(conflict) if c.strip()] if conflict else []


def join_conflicts(entries: list[str]) -> str:
    return "; ".join(dict.fromkeys(entries))


def conflict_field(entry: str) -> str:
    """The field a conflict entry is about ("note" for "note: both sides edited it")."""
    return entry.split(":", 1)[0].strip()


def resolve_conflict_on_edit(before: Annotation, after: Annotation) -> Annotation:
    """after, with the conflict entries of the fields that changed since before removed:
    editing a field a merge flagged is the user resolving it. When the edit set the
    conflict field itself (an undo that brings a flag back), it is kept as it is."""
    if not after.conflict or after.conflict != before.conflict:
        return after
    left = [
        c
        for c in conflict_entries(after.conflict)
        if getattr(before, conflict_field(c), None) == getattr(after, conflict_field(c), None)
    ]
    conflict = join_conflicts(left)
    return after if conflict == after.conflict else replace(after, conflict=conflict)


def make_target(text: str, start: int, end: int) -> Target:
    """Anchor [start, end) of text by quote, context and position."""
    return Target(
        text[start:end],
        text[max(0, start - CONTEXT_CHARS) : start],
        text[end : end + CONTEXT_CHARS],
        start,
        end,
    )
