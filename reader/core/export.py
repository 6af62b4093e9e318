"""Export annotations (Markdown digest, W3C Web Annotation JSON, reader JSON) and read W3C back.

W3C output follows the Web Annotation Data Model: each annotation targets the
article with a TextQuoteSelector (exact, prefix, suffix) and a
TextPositionSelector (start, end in characters of the normalized text); notes
are TextualBody with purpose "commenting", tags TextualBody with "tagging".
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.core.anchoring import Resolution
from reader.core.annotation import MAX_NOTE, Annotation, InvalidAnnotation, Target, now_rfc3339

if TYPE_CHECKING:
    from reader.core.store import ArticleStore

W3C_CONTEXT = "http://www.w3.org/ns/anno.jsonld"


@dataclass(frozen=True)
class ArticleMarks:
    """One article's annotations, resolved, for export."""

    path: Path
    title: str
    text: str
    annotations: list[Annotation]
    resolutions: dict[str, Resolution]


def _place(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def to_markdown(articles: list[ArticleMarks]) -> str:
    out: list[str] = ["# Annotations", ""]
    for art in articles:
        out += [
            f"## {art.title}",
            "",
            f"`{art.path.name}` · {len(art.annotations)} annotation(s)",
            "",
        ]
        for a in art.annotations:
            r = art.resolutions.get(a.id)
            if r is not None and r.found:
                line, col = _place(art.text, r.start)
                where = f"line {line}, col {col}" + (
                    "" if r.status == "anchored" else f" ({r.status})"
                )
            else:
                where = "orphan: text not found in the current article"
            quote = " ".join(a.target.quote.split())
            out.append("> " + quote.replace("\n", "\n> "))
            out.append("")
            if a.note:
                out += [a.note, ""]
            meta = [f"colour: {a.color}", where]
            if a.tags:
                meta.insert(0, " ".join(f"#{t}" for t in a.tags))
            if a.author:
                meta.append(f"by {a.author}")
            out += ["*" + " · ".join(meta) + "*", "", "---", ""]
    return "\n".join(out).rstrip("\n") + "\n"


def to_w3c_annotation(a: Annotation, source: str) -> dict[str, Any]:
    body: list[dict[str, Any]] = []
    if a.note:
        body.append(
            {
                "type": "TextualBody",
                "value": a.note,
                "format": "text/plain",
                "purpose": "commenting",
            }
        )
    body += [{"type": "TextualBody", "value": t, "purpose": "tagging"} for t in a.tags]
    d: dict[str, Any] = {
        "@context": W3C_CONTEXT,
        "id": f"urn:uuid:{a.id}",
        "type": "Annotation",
        "motivation": "commenting" if a.note else "highlighting",
        "created": a.created,
        "modified": a.modified,
    }
    if a.author:
        d["creator"] = {"type": "Person", "name": a.author}
    if body:
        d["body"] = body
    d["target"] = {
        "source": source,
        "styleClass": a.color,
        "selector": [
            {
                "type": "TextQuoteSelector",
                "exact": a.target.quote,
                "prefix": a.target.prefix,
                "suffix": a.target.suffix,
            },
            {"type": "TextPositionSelector", "start": a.target.start, "end": a.target.end},
        ],
    }
    return d


def to_w3c(articles: list[ArticleMarks]) -> dict[str, Any]:
    items = [to_w3c_annotation(a, art.path.name) for art in articles for a in art.annotations]
    return {
        "@context": W3C_CONTEXT,
        "type": "AnnotationCollection",
        "label": "reader export",
        "total": len(items),
        "first": {"type": "AnnotationPage", "items": items},
    }


def to_json(articles: list[ArticleMarks]) -> list[dict[str, Any]]:
    out = []
    for art in articles:
        for a in art.annotations:
            r = art.resolutions.get(a.id)
            d = a.to_dict()
            d["path"] = str(art.path)
            if r is not None:
                d["status"], d["start"], d["end"] = r.status, r.start, r.end
            out.append(d)
    return out


def from_w3c(data: Any) -> list[tuple[str, Annotation]]:
    """Annotations from W3C JSON (one, a list, a page or a collection): (source, annotation).

    Raises InvalidAnnotation naming the item that is wrong.
    """
    if isinstance(data, dict) and data.get("type") == "AnnotationCollection":
        first = data.get("first", {})
        items = first.get("items", []) if isinstance(first, dict) else []
    elif isinstance(data, dict) and data.get("type") == "AnnotationPage":
        items = data.get("items", [])
    elif isinstance(data, dict):
        items = [data]
    elif isinstance(data, list):
        items = data
    else:
        raise InvalidAnnotation("not a W3C annotation, page, collection or list")
    if not isinstance(items, list):
        raise InvalidAnnotation("'items' must be a list")
    return [_one_w3c(item, i + 1) for i, item in enumerate(items)]


def _one_w3c(item: Any, n: int) -> tuple[str, Annotation]:
    def bad(why: str) -> InvalidAnnotation:
        return InvalidAnnotation(f"annotation {n}: {why}")

    if not isinstance(item, dict) or item.get("type") not in ("Annotation", ["Annotation"]):
        raise bad("not an Annotation object")
    target = item.get("target")
    if isinstance(target, list):
        target = target[0] if target else None
    if not isinstance(target, dict):
        raise bad("its target has no selectors (a bare URL cannot be anchored)")
    selectors = target.get("selector", [])
    if isinstance(selectors, dict):
        selectors = [selectors]
    quote = next(
        (s for s in selectors if isinstance(s, dict) and s.get("type") == "TextQuoteSelector"), None
    )
    pos = next(
        (s for s in selectors if isinstance(s, dict) and s.get("type") == "TextPositionSelector"),
        None,
    )
    if quote is None or not isinstance(quote.get("exact"), str) or not quote["exact"]:
        raise bad("no TextQuoteSelector with an 'exact' quote")
    start = pos.get("start", 0) if pos else 0
    end = pos.get("end", start + len(quote["exact"])) if pos else len(quote["exact"])
    if not all(isinstance(x, int) and not isinstance(x, bool) and x >= 0 for x in (start, end)):
        raise bad("TextPositionSelector start/end must be non-negative integers")
    prefix, suffix = quote.get("prefix", ""), quote.get("suffix", "")
    if not isinstance(prefix, str) or not isinstance(suffix, str):
        raise bad("prefix and suffix must be strings")
    note_parts: list[str] = []
    tags: list[str] = []
    bodies = item.get("body", [])
    if isinstance(bodies, (dict, str)):
        bodies = [bodies]
    for b in bodies if isinstance(bodies, list) else []:
        if isinstance(b, str):
            note_parts.append(b)
        elif isinstance(b, dict) and isinstance(b.get("value"), str):
            (tags if b.get("purpose") == "tagging" else note_parts).append(b["value"])
    note = "\n\n".join(note_parts)
    if len(note) > MAX_NOTE:
        raise bad(f"its note is {len(note):,} characters (limit {MAX_NOTE:,})")
    ident = item.get("id", "")
    if not isinstance(ident, str) or not ident:
        raise bad("no 'id'")
    ident = ident.removeprefix("urn:uuid:")
    creator = item.get("creator", "")
    author = (
        creator.get("name", "")
        if isinstance(creator, dict)
        else creator
        if isinstance(creator, str)
        else ""
    )
    color = target.get("styleClass", "yellow")
    created = item.get("created")
    created = created if isinstance(created, str) else now_rfc3339()
    modified = item.get("modified")
    modified = modified if isinstance(modified, str) else created
    source = target.get("source", "")
    a = Annotation(
        target=Target(quote["exact"], prefix, suffix, start, end),
        id=ident,
        created=created,
        modified=modified,
        author=str(author),
        color=color if isinstance(color, str) else "yellow",
        tags=tuple(dict.fromkeys(tags)),
        note=note,
    )
    return (source if isinstance(source, str) else "", a)


def dumps_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def write_digest(path: Path, title: str, text: str, store: ArticleStore) -> Path:
    """Write article.txt.annotations.md beside the article (or, if that folder is
    read-only, in the user data folder); return where it went. Raises OSError."""
    from reader.core.atomic import write_atomic
    from reader.core.paths import data_dir

    data = to_markdown([ArticleMarks(path, title, text, store.annotations, store.resolutions)])
    target = path.with_name(path.name + ".annotations.md")
    try:
        write_atomic(target, data.encode("utf-8"))
    except OSError:
        target = data_dir() / "exports" / target.name
        write_atomic(target, data.encode("utf-8"))
    return target
