"""Annotations from JSON other tools (and other readers) wrote, one annotation at a time.

Understood: W3C Web Annotation JSON-LD from any tool (one annotation, a list, an
AnnotationPage or an AnnotationCollection; TextQuoteSelector and TextPositionSelector, other
selectors ignored with a note), Hypothesis (its API's JSON: one annotation, a list, a search
reply `{"rows": [...]}`; the client's export file `{"export_date": ..., "annotations":
[...]}`) and reader's own `export --format json`. An annotation that cannot be used is
reported by its number and id and left out; the others still come in. Nothing here recurses,
so a deeply nested file costs no more than a flat one (json.loads itself is guarded by the
caller).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

from reader.core.annotation import (
    Annotation,
    InvalidAnnotation,
    Target,
    annotation_from_dict,
    now_rfc3339,
)
from reader.core.export import READER_NS, reader_id
from reader.core.inert import inert_name

# Selectors that locate a passage in a web page's DOM or a media file: nothing reader can
# use in a text file, so they are skipped with a note when a quote comes with them.
_KNOWN_FOREIGN = (
    "RangeSelector",
    "XPathSelector",
    "CssSelector",
    "FragmentSelector",
    "DataPositionSelector",
    "SvgSelector",
)
# Keys only a Hypothesis annotation has (a W3C one has "type": "Annotation").
_HYPOTHESIS_KEYS = ("user", "uri", "links", "permissions", "group", "document")
_SHORT_ID = 60
DEFAULT_COLOR = "yellow"
# Any colour name is kept (reader shows one it does not know in a neutral colour), but not
# text that is no name at all: control characters, line breaks, a paragraph.
_COLOR_NAME = re.compile(r"[^\x00-\x1f\x7f-\x9f]{1,40}\Z")


@dataclass
class Incoming:
    """What a shared JSON file holds: (source, annotation) pairs, the annotations left out
    (one line each: which and why) and parts ignored (one line each)."""

    kind: str
    pairs: list[tuple[str, Annotation]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class _Bad(Exception):
    """Why one annotation cannot be used."""


def from_json(data: Any) -> Incoming:
    """The annotations in parsed JSON. Raises InvalidAnnotation when the whole shape is
    none of the formats understood (the message says what it is)."""
    kind, items = _items(data)
    out = Incoming(kind)
    for n, item in enumerate(items, 1):
        label = f"annotation {n}"
        if isinstance(item, dict) and isinstance(item.get("id"), str) and item["id"]:
            label += f" ({inert_name(item['id'][:_SHORT_ID])})"
        try:
            source, a, notes = _one(item)
        except _Bad as err:
            out.skipped.append(f"{label}: {err}")
            continue
        out.pairs.append((source, a))
        out.notes += [f"{label}: {note}" for note in notes]
    return out


def _items(data: Any) -> tuple[str, list[Any]]:
    if isinstance(data, list):
        return "a list of annotations", data
    if not isinstance(data, dict):
        raise InvalidAnnotation(
            f"a JSON {_kind(data)}, not annotations (W3C, Hypothesis or reader JSON)"
        )
    kind = data.get("type")
    if kind == "AnnotationCollection":
        first = data.get("first")
        items = first.get("items") if isinstance(first, dict) else None
        if not isinstance(items, list):
            raise InvalidAnnotation(
                "a W3C AnnotationCollection without an embedded first page of items"
            )
        return "W3C AnnotationCollection", items
    if kind == "AnnotationPage":
        if not isinstance(data.get("items"), list):
            raise InvalidAnnotation("a W3C AnnotationPage whose 'items' is not a list")
        return "W3C AnnotationPage", data["items"]
    if isinstance(data.get("annotations"), list) and (
        "export_date" in data or "client_version" in data or "export_userid" in data
    ):
        return "Hypothesis export file", data["annotations"]
    if "rows" in data:
        if not isinstance(data["rows"], list):
            raise InvalidAnnotation("a Hypothesis search reply whose 'rows' is not a list")
        return "Hypothesis search reply", data["rows"]
    return "one annotation", [data]


def _kind(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, (int, float)):
        return "number"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "list"
    return "object"


def _one(item: Any) -> tuple[str, Annotation, list[str]]:
    if not isinstance(item, dict):
        raise _Bad(f"a {_kind(item)}, not an annotation object")
    t = item.get("type")
    if t == "Annotation" or (isinstance(t, list) and "Annotation" in t):
        return _w3c(item)
    target = item.get("target")
    if isinstance(target, dict) and "quote" in target:
        return _reader(item)
    if any(k in item for k in _HYPOTHESIS_KEYS) or isinstance(target, list):
        return _hypothesis(item)
    raise _Bad('not an annotation: no "type": "Annotation" and no Hypothesis or reader fields')


# -- the pieces all formats share -----------------------------------------------------------


def _str(item: dict[str, Any], key: str, default: str = "") -> str:
    v = item.get(key, default)
    if v is None:
        return default
    if not isinstance(v, str):
        raise _Bad(f"'{key}' is a {_kind(v)}, not a string")
    return v


def _target(selectors: Any) -> tuple[Target, list[str]]:
    """A Target from a W3C/Hypothesis selector value, and notes on what was ignored."""
    if selectors is None:
        raise _Bad("no selector: nothing says which text it marks")
    if isinstance(selectors, dict):
        selectors = [selectors]
    if not isinstance(selectors, list):
        raise _Bad(f"its selector is a {_kind(selectors)}, not an object or a list of objects")
    quote: dict[str, Any] | None = None
    pos: dict[str, Any] | None = None
    ignored: list[str] = []
    for i, s in enumerate(selectors, 1):
        if not isinstance(s, dict):
            raise _Bad(f"selector {i} is a {_kind(s)}, not an object")
        kind = s.get("type")
        if not isinstance(kind, str):
            raise _Bad(f"selector {i} has no 'type'")
        if kind == "TextQuoteSelector":
            quote = quote or s
        elif kind == "TextPositionSelector":
            _check_position(s)
            pos = pos or s
        else:
            ignored.append(inert_name(kind[:40]))
    if quote is None:
        if ignored:
            raise _Bad(
                f"only {', '.join(dict.fromkeys(ignored))} (a place in a web page, not a "
                "quote): no TextQuoteSelector to find it by"
            )
        raise _Bad("no TextQuoteSelector: nothing says which text it marks")
    exact = quote.get("exact")
    if not isinstance(exact, str) or not exact:
        raise _Bad("its TextQuoteSelector has no 'exact' text")
    prefix, suffix = quote.get("prefix") or "", quote.get("suffix") or ""
    if not isinstance(prefix, str) or not isinstance(suffix, str):
        raise _Bad("its TextQuoteSelector's prefix and suffix must be strings")
    start, end = (pos["start"], pos["end"]) if pos is not None else (0, len(exact))
    notes = [f"{k} ignored (reader finds text by its quote)" for k in dict.fromkeys(ignored)]
    return Target(exact, prefix, suffix, start, end), notes


def _check_position(pos: dict[str, Any]) -> None:
    """A TextPositionSelector's start and end: non-negative integers, start <= end."""
    for name in ("start", "end"):
        v = pos.get(name)
        if not isinstance(v, int) or isinstance(v, bool) or v < 0:
            raise _Bad(
                f"its TextPositionSelector '{name}' is a {_kind(v)}"
                + (f" ({v})" if isinstance(v, int) and not isinstance(v, bool) else "")
                + ", not a non-negative integer"
            )
    if pos["end"] < pos["start"]:
        raise _Bad(
            f"its TextPositionSelector ends ({pos['end']}) before it starts ({pos['start']})"
        )


def _account_name(user: str) -> str:
    """ "acct:ada@hypothes.is" -> "ada"; anything else unchanged."""
    if user.startswith("acct:"):
        return user[5:].split("@", 1)[0]
    return user


def _minted_id(*parts: str) -> str:
    """A stable id for an annotation that came without one: importing it twice is a no-op."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, READER_NS + "\x1f".join(parts)))


def _source_of(target: dict[str, Any]) -> str:
    """The article a target names: reader's relative path if given, else its source IRI
    (a file:// URI as the path it names)."""
    rel = target.get("reader:path")
    if isinstance(rel, str) and rel:
        return rel
    src = target.get("source")
    if isinstance(src, dict):
        src = src.get("id")
    if isinstance(src, list):
        src = next((x for x in src if isinstance(x, str)), "")
    if not isinstance(src, str):
        return ""
    if src.startswith("file:"):
        return unquote(urlsplit(src).path)
    return src


# RFC 3339 date-time, as the W3C model wants created/modified (anything else is replaced,
# so a re-export stays valid).
_DATE_TIME = re.compile(
    r"\d{4}-[01]\d-[0-3]\d[Tt ][0-2]\d:[0-5]\d:[0-6]\d(\.\d+)?([Zz]|[+-][0-2]\d:[0-5]\d)\Z"
)


def _times(item: dict[str, Any], modified_key: str) -> tuple[str, str]:
    created = item.get("created")
    if not isinstance(created, str) or not _DATE_TIME.match(created):
        created = now_rfc3339()
    modified = item.get(modified_key)
    if not isinstance(modified, str) or not _DATE_TIME.match(modified):
        modified = created
    return created, modified


# -- each format ----------------------------------------------------------------------------


def _w3c(item: dict[str, Any]) -> tuple[str, Annotation, list[str]]:
    target = item.get("target")
    if isinstance(target, list):
        dicts = [t for t in target if isinstance(t, dict)]
        target = next((t for t in dicts if "selector" in t), dicts[0] if dicts else target)
    if isinstance(target, str):
        raise _Bad("its target is a bare IRI with no selector: nothing says which text it marks")
    if not isinstance(target, dict):
        raise _Bad("no target")
    t, notes = _target(target.get("selector"))
    note_parts: list[str] = []
    tags: list[str] = []
    label = ""
    bodies = item.get("body", [])
    if isinstance(bodies, (dict, str)):
        bodies = [bodies]
    for b in bodies if isinstance(bodies, list) else []:
        if isinstance(b, str):
            note_parts.append(b)
        elif isinstance(b, dict) and isinstance(b.get("value"), str):
            purpose = b.get("purpose")
            if purpose == "tagging":
                tags.append(b["value"])
            elif purpose == "classifying" and not label:
                label = b["value"]
            elif b["value"]:
                note_parts.append(b["value"])
    body_value = item.get("bodyValue")
    if isinstance(body_value, str) and body_value:
        note_parts.append(body_value)
    ident = item.get("reader:id") or item.get("id")
    created, modified = _times(item, "modified")
    if not isinstance(ident, str) or not ident:
        ident = _minted_id(t.quote, t.prefix, str(item.get("created")), "\n".join(note_parts))
    creator = item.get("creator", "")
    if isinstance(creator, list):
        creator = creator[0] if creator else ""
    if isinstance(creator, dict):
        creator = creator.get("name") or creator.get("nickname") or creator.get("id") or ""
    color = item.get("reader:color") or target.get("styleClass") or DEFAULT_COLOR
    if isinstance(color, list):
        color = next((c for c in color if isinstance(c, str)), DEFAULT_COLOR)
    if not isinstance(color, str) or not _COLOR_NAME.match(color):
        notes.append(f"colour {inert_name(str(color)[:40])!r} is not a colour name: kept as yellow")
        color = DEFAULT_COLOR
    a = Annotation(
        target=t,
        id=reader_id(ident),
        created=created,
        modified=modified,
        author=_account_name(creator) if isinstance(creator, str) else "",
        color=color,
        label=label,
        tags=tuple(dict.fromkeys(tags)),
        note="\n\n".join(note_parts),
    )
    return _source_of(target), a, notes


def _hypothesis(item: dict[str, Any]) -> tuple[str, Annotation, list[str]]:
    targets = item.get("target")
    if isinstance(targets, dict):
        targets = [targets]
    if not isinstance(targets, list):
        raise _Bad(f"its target is a {_kind(targets)}, not a list")
    target = next((x for x in targets if isinstance(x, dict) and "selector" in x), None)
    if target is None:
        what = "a reply" if item.get("references") else "a page note"
        raise _Bad(f"{what}, with no quoted text to place")
    t, notes = _target(target.get("selector"))
    tags = item.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(x, str) for x in tags):
        raise _Bad("'tags' must be a list of strings")
    links = item.get("links")
    link = links.get("html") if isinstance(links, dict) else None
    # Its web address is its id everywhere (the JSON-LD form uses the same one).
    ident = link if isinstance(link, str) and link.startswith("http") else _str(item, "id")
    created, modified = _times(item, "updated")
    note = _str(item, "text")
    if not ident:
        ident = _minted_id(t.quote, t.prefix, str(item.get("created")), note)
    source = target.get("source") if isinstance(target.get("source"), str) else None
    a = Annotation(
        target=t,
        id=ident,
        created=created,
        modified=modified,
        author=_account_name(_str(item, "user")),
        tags=tuple(dict.fromkeys(tags)),
        note=note,
    )
    return source or _str(item, "uri"), a, notes


def _reader(item: dict[str, Any]) -> tuple[str, Annotation, list[str]]:
    try:
        a = annotation_from_dict(item)
    except InvalidAnnotation as err:
        raise _Bad(str(err)) from None
    path = item.get("path")
    return (path if isinstance(path, str) else ""), a, []
