"""Export annotations (Markdown digest, W3C Web Annotation JSON, reader JSON) and read W3C back.

W3C output follows the Web Annotation Data Model (and passes the MUST assertions of the W3C
test suite): each annotation targets the article (`source`: its file:// URI, with the path
relative to the library in `reader:path`) with a TextQuoteSelector (exact, prefix, suffix)
and a TextPositionSelector (start, end in characters of the normalized text). Notes are
TextualBody with purpose "commenting", tags "tagging", the colour's label "classifying"; the
colour is a CSS class on the target (`styleClass`) with its rule in the annotation's
`stylesheet`. annotations/README.md describes what each format keeps.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.core.anchoring import ANCHORED, Resolution
from reader.core.annotation import Annotation

if TYPE_CHECKING:
    from reader.core.session import ResolvedLayer
    from reader.core.store import ArticleStore

W3C_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
# reader's own terms (reader:path, reader:id, reader:color): a namespace, not a web page.
READER_NS = "https://reader.invalid/ns#"
CONTEXT: list[Any] = [W3C_CONTEXT, {"reader": READER_NS}]
# Background of each palette colour in the exported stylesheet (other tools' web pages).
CSS_BACKGROUND = {
    "yellow": "rgba(255, 221, 0, 0.45)",
    "green": "rgba(46, 158, 68, 0.35)",
    "blue": "rgba(47, 111, 214, 0.3)",
    "pink": "rgba(210, 63, 138, 0.3)",
    "orange": "rgba(217, 121, 26, 0.35)",
    "purple": "rgba(138, 79, 208, 0.3)",
}
CSS_UNKNOWN = "rgba(128, 128, 128, 0.3)"  # a colour outside the palette, kept by name
_CSS_CLASS = re.compile(r"-?[A-Za-z_][A-Za-z0-9_-]*\Z")
# An absolute IRI: a scheme, a colon, no spaces (what the W3C suite checks ids against).
_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s]*\Z")
_UUID = re.compile(r"[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}\Z")


@dataclass(frozen=True)
class ArticleMarks:
    """One article's annotations, resolved, for export."""

    path: Path
    title: str
    text: str
    annotations: list[Annotation]
    resolutions: dict[str, Resolution]
    rel: str = ""  # the article's path relative to its library ("" = work it out)
    layers: list[ResolvedLayer] = field(default_factory=list)  # colleagues' (md, html)


def _place(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def to_markdown(articles: list[ArticleMarks]) -> str:
    """A digest people read: each article's annotations, then each colleague's layer."""
    out: list[str] = ["# Annotations", ""]
    for art in articles:
        shared = "".join(
            f" · {rl.author}'s layer: {len(rl.layer.annotations)}" for rl in art.layers
        )
        out += [
            f"## {art.title}",
            "",
            f"`{art.path.name}` · {len(art.annotations)} annotation(s){shared}",
            "",
        ]
        out += _marks_markdown(art.text, art.annotations, art.resolutions, by=True)
        for rl in art.layers:
            out += [f"### {rl.author}'s layer", ""]
            out += _marks_markdown(art.text, rl.layer.annotations, rl.resolutions, by=False)
    return "\n".join(out).rstrip("\n") + "\n"


def _marks_markdown(
    text: str, annotations: list[Annotation], resolutions: dict[str, Resolution], by: bool
) -> list[str]:
    """The Markdown of some annotations of one text (by: name each one's author)."""
    out: list[str] = []
    for a in annotations:
        r = resolutions.get(a.id)
        if r is not None and r.found:
            line, col = _place(text, r.start)
            where = f"line {line}, col {col}" + ("" if r.status == ANCHORED else f" ({r.status})")
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
        if by and a.author:
            meta.append(f"by {a.author}")
        out += ["*" + " · ".join(meta) + "*", "", "---", ""]
    return out


def w3c_id(ident: str) -> str:
    """An annotation's W3C id: urn:uuid: for reader's UUIDs, a foreign IRI (a Hypothesis
    link, another tool's id) as it is, and a stable urn:uuid for anything else."""
    if _UUID.match(ident):
        return f"urn:uuid:{ident.lower()}"
    if _IRI.match(ident) and not ident.lower().startswith("urn:uuid:"):
        return ident
    if ident.lower().startswith("urn:uuid:") and _UUID.match(ident[9:]):
        return ident
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, ident)}"


def reader_id(w3c: str) -> str:
    """The sidecar id of a W3C id (the inverse of w3c_id for ids reader minted)."""
    if w3c.lower().startswith("urn:uuid:") and _UUID.match(w3c[9:]):
        return w3c[9:]
    return w3c


def stylesheet(colors: Iterable[str]) -> str:
    """CSS giving each colour's class its background."""
    return " ".join(
        f".{c} {{ background-color: {CSS_BACKGROUND.get(c, CSS_UNKNOWN)}; }}"
        for c in dict.fromkeys(colors)
        if _CSS_CLASS.match(c)
    )


def to_w3c_annotation(
    a: Annotation, source: str, rel: str = "", colour_label: str = ""
) -> dict[str, Any]:
    """One annotation as a W3C Annotation; source is the article's IRI, rel its path
    relative to the library, colour_label what its colour means (when it has no label)."""
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
    label = a.label or colour_label
    if label:
        body.append({"type": "TextualBody", "value": label, "purpose": "classifying"})
    ident = w3c_id(a.id)
    d: dict[str, Any] = {
        "@context": CONTEXT,
        "id": ident,
        "type": "Annotation",
        "motivation": "commenting" if a.note else "highlighting",
        "created": a.created,
        "modified": a.modified,
    }
    if reader_id(ident) != a.id:
        d["reader:id"] = a.id
    if a.author:
        d["creator"] = {"type": "Person", "name": a.author}
    if body:
        d["body"] = body
    target: dict[str, Any] = {"source": source}
    if rel:
        target["reader:path"] = rel
    if _CSS_CLASS.match(a.color):
        target["styleClass"] = a.color
        d["stylesheet"] = {"type": "CssStylesheet", "value": stylesheet([a.color])}
    else:  # not a CSS class name: kept for reader, other tools see no colour
        d["reader:color"] = a.color
    target["selector"] = [
        {
            "type": "TextQuoteSelector",
            "exact": a.target.quote,
            "prefix": a.target.prefix,
            "suffix": a.target.suffix,
        },
        {"type": "TextPositionSelector", "start": a.target.start, "end": a.target.end},
    ]
    d["target"] = target
    return d


def relative_path(path: Path, roots: Iterable[Path]) -> str:
    """path relative to the first root (a folder) it is under, else its name; with /."""
    p = Path(os.path.abspath(path))
    for root in roots:
        r = Path(os.path.abspath(root))
        if r == p:
            return p.name
        if r in p.parents:
            return p.relative_to(r).as_posix()
    return p.name


def to_w3c(
    articles: list[ArticleMarks],
    roots: Iterable[Path] | None = None,
    labels: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """An AnnotationCollection with one embedded AnnotationPage holding every annotation.

    Each target's reader:path is relative to the root (of roots) the article is under;
    without roots, to the folder the articles have in common. An annotation without a
    label gets its colour's label from labels (default: [highlight.labels] of the config),
    so a colleague learns what the colours meant."""
    if labels is None:
        from reader.core.config import load_config

        labels = load_config().labels
    paths = [Path(os.path.abspath(art.path)) for art in articles]
    if roots is None:
        common = os.path.commonpath([str(p.parent) for p in paths]) if paths else ""
        roots = [Path(common)] if common else []
    root_list = list(roots)
    items = []
    for art, p in zip(articles, paths, strict=True):
        rel = art.rel or relative_path(p, root_list)
        items += [
            to_w3c_annotation(a, p.as_uri(), rel, labels.get(a.color, "")) for a in art.annotations
        ]
    # Stable ids: the same annotations give the same collection (diffs stay small).
    digest = hashlib.sha256("\n".join(sorted(str(i["id"]) for i in items)).encode("utf-8"))
    coll = f"urn:uuid:{uuid.UUID(bytes=digest.digest()[:16], version=5)}"
    page = f"urn:uuid:{uuid.uuid5(uuid.UUID(coll[9:]), 'page-1')}"
    return {
        "@context": CONTEXT,
        "id": coll,
        "type": "AnnotationCollection",
        "label": "reader export",
        "total": len(items),
        "first": {
            "id": page,
            "type": "AnnotationPage",
            "partOf": coll,
            "startIndex": 0,
            "items": items,
        },
        "last": page,
    }


def to_json(articles: list[ArticleMarks]) -> list[dict[str, Any]]:
    out = []
    for art in articles:
        for a in art.annotations:
            r = art.resolutions.get(a.id)
            d = a.to_dict()
            d.pop("imported", None)  # your import bookkeeping (its file's path), not shared
            d["path"] = str(art.path)
            if r is not None:
                d["status"], d["start"], d["end"] = str(r.status), r.start, r.end
            out.append(d)
    return out


def dumps_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def write_digest(
    path: Path,
    title: str,
    text: str,
    store: ArticleStore,
    layers: list[ResolvedLayer] | None = None,
) -> Path:
    """Write article.txt.annotations.md beside the article (a bundled sample's in the user
    data folder, never in the installed package; if the folder is read-only, in the user
    data folder's exports/); return where it went. Raises OSError."""
    from reader.core.atomic import write_atomic
    from reader.core.paths import data_dir, digest_path

    marks = ArticleMarks(
        path, title, text, store.annotations, store.resolutions, layers=list(layers or [])
    )
    data = to_markdown([marks])
    target = digest_path(path)
    try:
        write_atomic(target, data.encode("utf-8"))
    except OSError:
        target = data_dir() / "exports" / target.name
        write_atomic(target, data.encode("utf-8"))
    return target
