"""A self-contained web page of annotated articles, for colleagues without a terminal.

One HTML file holds everything: the article's text (Markdown styled, markers hidden), every
highlight in its colour, notes and tags beside their passage (in the margin on wide screens,
under the passage on narrow ones), each shared layer in its author's colour with a toggle, a
list of annotations that jumps to each, and the orphans at the end.

The page runs no script and fetches nothing: layer toggles are checkboxes styled with CSS,
jumps are plain `#anchors`, and a Content-Security-Policy of `default-src 'none'` makes sure
of it. Every piece of file-derived text (article, names, notes, tags) is escaped, so a
`<script>` in an article is shown as text.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from reader.core.anchoring import ORPHAN, Resolution
from reader.core.annotation import COLORS, Annotation
from reader.core.document import Document
from reader.core.inert import make_inert
from reader.core.markdown import MarkdownStyler
from reader.core.outline import outline

# Authors' layer colours (light, dark), in the order layers are listed.
LAYER_COLORS = (
    ("#2a9d8f", "#4fd1c5"),
    ("#e76f51", "#f4a37e"),
    ("#6a4c93", "#b39ddb"),
    ("#588157", "#a3c585"),
    ("#b5838d", "#e5b3bd"),
    ("#3a86ff", "#8ab4ff"),
)
_QUOTE_CHARS = 80
_LIST_ITEM = re.compile(r"[ \t]*([-*+]|\d{1,9}[.)])[ \t]+")


@dataclass(frozen=True)
class Placed:
    """An annotation and where it was found in the current text."""

    annotation: Annotation
    resolution: Resolution


@dataclass(frozen=True)
class Layer:
    """Someone's annotations of an article (yours are the layer with author "")."""

    author: str
    marks: list[Placed]


@dataclass(frozen=True)
class HtmlArticle:
    """One article to put on the page."""

    path: Path
    shown_path: str  # as the reader knows it (relative to the library)
    title: str
    text: str
    mine: list[Placed]
    layers: list[Layer] = field(default_factory=list)

    @property
    def markdown(self) -> bool:
        """Markdown, or a web page's or e-book's text (extracted as Markdown)."""
        return Document("", self.path).is_markdown


@dataclass
class _Mark:
    """A highlight as drawn: its range, the classes that colour it, its anchor id."""

    start: int
    end: int
    anchor: str
    classes: str
    title: str


def _text(s: str) -> str:
    """File-derived text as HTML text: escaped, control characters made visible."""
    return escape(make_inert(s), quote=True)


def _color_class(color: str) -> str:
    return f"hl-{color}" if color in COLORS else "hl-other"


def _short(s: str, n: int = _QUOTE_CHARS) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


class _Page:
    """Builds the page; ids are counters, never taken from the files."""

    def __init__(self, labels: dict[str, str]) -> None:
        self.labels = labels
        self.n = 0
        self.layer_css: list[str] = []
        self.toggles: list[str] = []

    def next_id(self, prefix: str) -> str:
        self.n += 1
        return f"{prefix}{self.n}"

    def article(self, art: HtmlArticle, index: int) -> str:
        """One article's section: header with toggles, text with notes, lists."""
        layers = [Layer("", art.mine), *art.layers]
        marks: list[_Mark] = []
        notes_at: dict[int, list[str]] = {}  # block start -> notes shown beside that block
        listing: list[str] = []
        orphans: list[str] = []
        toggle_labels: list[str] = []
        doc = Document(art.text, art.path)
        blocks = _blocks(doc, art.markdown)
        block_starts = [b[0] for b in blocks]
        for k, layer in enumerate(layers):
            layer_class = f"layer-{index}-{k}"
            toggle = f"toggle-{index}-{k}"
            who = "yours" if not layer.author else _text(layer.author)
            self.toggles.append(
                f'<input type="checkbox" class="toggle" id="{toggle}" checked '
                f'aria-label="show {who}">'
            )
            toggle_labels.append(
                f'<label for="{toggle}" class="toggle-label {layer_class}-key">'
                f"{who} ({len(layer.marks)})</label>"
            )
            self.layer_css.append(
                f"#{toggle}:not(:checked) ~ .page .{layer_class} "
                "{ background: transparent !important; border-bottom-color: transparent; }\n"
                f"#{toggle}:not(:checked) ~ .page .note.{layer_class},"
                f" #{toggle}:not(:checked) ~ .page li.{layer_class} {{ display: none; }}\n"
                f"#{toggle}:checked ~ .page .{layer_class}-key {{ font-weight: bold; }}"
            )
            if k:
                light, dark = LAYER_COLORS[(k - 1) % len(LAYER_COLORS)]
                self.layer_css.append(
                    f".{layer_class} {{ --layer: {light}; }}\n"
                    "@media (prefers-color-scheme: dark) "
                    f"{{ .{layer_class} {{ --layer: {dark}; }} }}"
                )
            for p in sorted(layer.marks, key=lambda p: (p.resolution.start, p.annotation.id)):
                a, r = p.annotation, p.resolution
                anchor = self.next_id("a")
                colour = _color_class(a.color)
                kind = "layer" if layer.author else "mine"
                classes = f"hl {colour} {kind} {layer_class}"
                label = self.labels.get(a.color, "")
                colour_name = _text(a.color) + (f" ({_text(label)})" if label else "")
                if layer.author:  # drawn in the layer's colour: theirs is named as theirs
                    colour_name = f"{_text(layer.author)} · {_text(a.color)} in their copy"
                if not r.found or r.end <= r.start:
                    orphans.append(
                        f'<li class="{layer_class}"><blockquote>{_text(_short(a.target.quote))}'
                        f"</blockquote>{_note_html(a)}"
                        f'<p class="meta">{colour_name}</p></li>'
                    )
                    continue
                title = f"{layer.author} · {a.color} in their copy" if layer.author else a.color
                marks.append(_Mark(r.start, r.end, anchor, classes, title))
                listing.append(
                    f'<li class="{layer_class}"><a href="#{anchor}">'
                    f'<span class="swatch {colour} {kind}"></span>'
                    f"{_text(_short(art.text[r.start : r.end]))}</a>"
                    + (
                        f' <span class="preview">{_text(_short(a.note, 60))}</span>'
                        if a.note
                        else ""
                    )
                    + f'<span class="meta">{colour_name}</span></li>'
                )
                if a.note or a.tags:
                    block = block_starts[max(0, bisect.bisect_right(block_starts, r.start) - 1)]
                    notes_at.setdefault(block, []).append(
                        f'<aside class="note {colour} {kind} {layer_class}">'
                        f'<a class="back" href="#{anchor}">{_text(_short(a.target.quote, 40))}'
                        f"</a>{_note_html(a)}"
                        + (f'<p class="meta">{_text(layer.author)}</p>' if layer.author else "")
                        + "</aside>"
                    )
        body = [self._block(doc, b, marks, notes_at.get(b[0], []), art.markdown) for b in blocks]
        head = (
            f'<header><h1 class="title">{_text(art.title)}</h1>'
            f'<p class="source">{_text(art.shown_path)}</p>'
            f'<p class="toggles">Show: {" ".join(toggle_labels)}</p></header>'
        )
        parts = [f'<section class="article" id="article-{index}">', head]
        parts.append(f'<nav class="annotations"><h2>Annotations ({len(listing)})</h2>')
        parts.append(f"<ol>{''.join(listing)}</ol></nav>" if listing else "<p>None.</p></nav>")
        parts.append(
            f'<div class="text{" md" if art.markdown else " plain"}">{"".join(body)}</div>'
        )
        if orphans:
            parts.append(
                '<section class="orphans"><h2>Not found in the current text</h2>'
                f"<ol>{''.join(orphans)}</ol></section>"
            )
        parts.append("</section>")
        return "\n".join(parts)

    def _block(
        self,
        doc: Document,
        block: tuple[int, int, str],
        marks: list[_Mark],
        notes: list[str],
        markdown: bool,
    ) -> str:
        start, end, kind = block
        styler = MarkdownStyler(doc) if markdown else None
        hidden: list[tuple[int, int, str]] = []
        if kind == "code":  # the fence lines are markers: hidden, as in the reading pane
            for line in (doc.line_of(start), doc.line_of(max(start, end - 1))):
                ls, le = doc.line_range(line)
                if doc.text[ls:le].lstrip().startswith(("```", "~~~")):
                    hidden.append((ls, min(le + 1, end), "marker"))
        if kind == "list":  # a list item's own marker stays (a bullet or its number)
            for line in range(doc.line_of(start), doc.line_of(max(start, end - 1)) + 1):
                ls, le = doc.line_range(line)
                m = _LIST_ITEM.match(doc.text, ls, le)
                if m:
                    hidden.append((m.start(1), m.end(1), "bullet"))
        if kind == "front":
            inner = _inline(doc, start, end, marks, None)
            return (
                '<div class="row"><details class="front"><summary>front matter</summary>'
                f"<pre>{inner}</pre></details></div>"
            )
        # Lines of a list, a quote or a table stay lines; elsewhere a break reads as a space.
        breaks = kind in ("list", "quote", "table")
        inner = _inline(doc, start, end, marks, styler, breaks=breaks, extra=hidden)
        tag, cls = {
            "h1": ("h2", "h h1"),
            "h2": ("h3", "h h2"),
            "h3": ("h4", "h h3"),
            "h4": ("h5", "h h4"),
            "h5": ("h6", "h h5"),
            "h6": ("h6", "h h6"),
            "code": ("pre", "code"),
            "quote": ("blockquote", "quote"),
            "list": ("div", "list"),
            "table": ("div", "table"),
        }.get(kind, ("p", "p"))
        text = f'<{tag} class="{cls}">{inner}</{tag}>'
        notes_html = f'<div class="notes">{"".join(notes)}</div>' if notes else ""
        return f'<div class="row">{text}{notes_html}</div>'


def _note_html(a: Annotation) -> str:
    out = ""
    if a.note:
        paras = "".join(f"<p>{_text(p)}</p>" for p in a.note.split("\n\n"))
        out += f'<div class="note-text">{paras}</div>'
    if a.tags:
        out += '<p class="tags">' + " ".join(f"#{_text(t)}" for t in a.tags) + "</p>"
    return out


def _blocks(doc: Document, markdown: bool) -> list[tuple[int, int, str]]:
    """(start, end, kind) of each block: paragraphs between blank lines; in Markdown also
    headings, fenced code (blank lines included), quotes and lists; in plain text, the lines
    the outline takes for headings."""
    text = doc.text
    out: list[tuple[int, int, str]] = []
    styler = MarkdownStyler(doc) if markdown else None
    # Plain text has no heading syntax: the outline's guesses (short title-case lines
    # between paragraphs, underlined lines) are shown as headings, as in the outline (t).
    plain_headings = {} if markdown else {h.offset: h.level for h in outline(doc)}
    n = len(doc.line_starts)
    line = 0
    if markdown and text.startswith("---\n"):  # front matter: folded, as the pane folds it
        close = text.find("\n---", 3)
        if close != -1:
            end_line = doc.line_of(close + 1)
            out.append((0, doc.line_range(end_line)[1], "front"))
            line = end_line + 1
    while line < n:
        s, e = doc.line_range(line)
        if not text[s:e].strip():
            line += 1
            continue
        if s in plain_headings:
            out.append((s, e, f"h{min(plain_headings[s] + 1, 6)}"))
            line += 1
            continue
        if styler is not None and styler.in_code_block(line):
            line += 1
            while line < n and styler.in_code_block(line):
                last_s, last_e = doc.line_range(line)
                line += 1
                if text[last_s:last_e].lstrip().startswith(("```", "~~~")):
                    break
            out.append((s, doc.line_range(line - 1)[1], "code"))
            continue
        if styler is not None:
            stripped = text[s:e].lstrip()
            hashes = len(stripped) - len(stripped.lstrip("#"))
            if 1 <= hashes <= 6 and stripped[hashes : hashes + 1] in (" ", "\t", ""):
                out.append((s, e, f"h{hashes}"))
                line += 1
                continue
        first_line = text[s:e]
        end = e
        line += 1
        while line < n:
            ns, ne = doc.line_range(line)
            nxt = text[ns:ne]
            if not nxt.strip():
                break
            if styler is not None and (styler.in_code_block(line) or nxt.lstrip().startswith("#")):
                break
            if ns in plain_headings:
                break
            end = ne
            line += 1
        kind = "p"
        if styler is not None:
            lead = first_line.lstrip()
            if lead.startswith(">"):
                kind = "quote"
            elif lead[:2] in ("- ", "* ", "+ ") or lead.split(" ", 1)[0].rstrip(".)").isdigit():
                kind = "list"
            elif lead.startswith("|"):
                kind = "table"
        out.append((s, end, kind))
    return out


def _inline(
    doc: Document,
    start: int,
    end: int,
    marks: list[_Mark],
    styler: MarkdownStyler | None,
    breaks: bool = False,
    extra: list[tuple[int, int, str]] | None = None,
) -> str:
    """The text of [start, end) with Markdown styles and highlights as nested elements.

    Highlights may overlap each other and the styles, so the range is cut at every edge and
    each piece is wrapped in what covers it; a highlight's first piece carries its anchor."""
    text = doc.text
    styles: list[tuple[int, int, str]] = list(extra or [])
    if styler is not None:
        first, last = doc.line_of(start), doc.line_of(max(start, end - 1))
        for line in range(first, last + 1):
            styles += [(sp.start, sp.end, sp.kind) for sp in styler.line_spans(line)]
        if breaks:
            for line in range(first + 1, last + 1):
                ls = doc.line_starts[line]
                styles.append((ls - 1, ls, "br"))
    here = [m for m in marks if m.start < end and m.end > start]
    cuts = {start, end}
    for a, b, _ in styles:
        cuts.update(x for x in (a, b) if start < x < end)
    for m in here:
        cuts.update(x for x in (m.start, m.end) if start < x < end)
    edges = sorted(cuts)
    opened: set[str] = set()
    out: list[str] = []
    for a, b in zip(edges, edges[1:], strict=False):
        piece = _text(text[a:b])
        kinds = sorted({k for s, e, k in styles if s <= a and b <= e})
        if "br" in kinds:
            kinds.remove("br")
            piece = "<br>"
        if kinds:
            piece = f'<span class="{" ".join("md-" + k for k in kinds)}">{piece}</span>'
        for m in sorted(
            (m for m in here if m.start <= a and b <= m.end), key=lambda m: (-m.start, m.end)
        ):
            anchor = ""
            if m.anchor not in opened:
                opened.add(m.anchor)
                anchor = f' id="{m.anchor}"'
            piece = (
                f'<mark class="{m.classes}" data-for="{m.anchor}" title="{_text(m.title)}"'
                f"{anchor}>{piece}</mark>"
            )
        out.append(piece)
    return "".join(out)


_CSS = """
:root { color-scheme: light dark; --bg: #fdfcf8; --fg: #222; --dim: #777; --rule: #ddd;
  --hl-yellow: #fff1a8; --hl-green: #c8f0c0; --hl-blue: #c6dcff; --hl-pink: #ffd0e4;
  --hl-orange: #ffd8b0; --hl-purple: #e4d2ff; --hl-other: #e0e0e0; }
@media (prefers-color-scheme: dark) { :root { --bg: #1c1c1e; --fg: #e6e6e6; --dim: #999;
  --rule: #444; --hl-yellow: #6b5d12; --hl-green: #2f5b2a; --hl-blue: #2c4a78;
  --hl-pink: #6e2f4b; --hl-orange: #70461c; --hl-purple: #4d3775; --hl-other: #4a4a4a; } }
html { background: var(--bg); color: var(--fg); }
body { margin: 0; font: 1.05rem/1.6 Georgia, "Iowan Old Style", "Noto Serif", serif; }
.page { max-width: 72rem; margin: 0 auto; padding: 1rem 1.25rem 4rem; }
.toggle { position: absolute; left: -9999px; }
.toggle-label { cursor: pointer; border: 1px solid var(--rule); border-radius: 1rem;
  padding: 0 .6rem; margin-right: .3rem; user-select: none; font-size: .9rem; }
.toggle:focus-visible + * { outline: 2px solid var(--dim); }
header .source, .meta { color: var(--dim); font-size: .85rem; }
.meta { display: block; }
nav.contents, nav.annotations, .orphans { font: .92rem/1.45 system-ui, sans-serif;
  border: 1px solid var(--rule); border-radius: .5rem; padding: .25rem 1rem; margin: 1rem 0; }
nav.annotations li { margin: .2rem 0; }
nav a, .note a.back { color: inherit; }
.swatch { display: inline-block; width: .8em; height: .8em; margin-right: .4em;
  border-radius: .2em; vertical-align: -.05em; }
.row { display: grid; grid-template-columns: minmax(0, 1fr); }
.text.plain p { white-space: pre-wrap; }
.text .p, .text .quote, .text .list, .text .h { margin: 0 0 1em; }
.text pre.code { white-space: pre-wrap; font: .9rem/1.45 ui-monospace, monospace;
  border-left: 3px solid var(--rule); padding-left: .8rem; }
.text .quote { border-left: 3px solid var(--dim); padding-left: .8rem; margin-left: 0; }
.md-marker, .md-url { display: none; }
.md-bullet { display: inline; color: var(--dim); }
.md-bullet.md-marker { display: inline; }
.text .list, .text .table { white-space: pre-wrap; }
.text .table { font: .9rem/1.45 ui-monospace, monospace; overflow-x: auto; }
details.front { color: var(--dim); font: .85rem/1.4 ui-monospace, monospace; margin: 0 0 1em; }
details.front pre { white-space: pre-wrap; margin: .3rem 0; }
.md-strong { font-weight: bold; } .md-em { font-style: italic; }
.md-code { font-family: ui-monospace, monospace; font-size: .9em; }
.md-link { text-decoration: underline; }
.h1 { font-size: 1.7rem; } .h2 { font-size: 1.4rem; } .h3 { font-size: 1.2rem; }
mark.hl { color: inherit; border-radius: .15em; padding: 0 .05em; }
mark.mine.hl-yellow, .swatch.hl-yellow, .note.mine.hl-yellow { background: var(--hl-yellow); }
mark.mine.hl-green, .swatch.hl-green, .note.mine.hl-green { background: var(--hl-green); }
mark.mine.hl-blue, .swatch.hl-blue, .note.mine.hl-blue { background: var(--hl-blue); }
mark.mine.hl-pink, .swatch.hl-pink, .note.mine.hl-pink { background: var(--hl-pink); }
mark.mine.hl-orange, .swatch.hl-orange, .note.mine.hl-orange { background: var(--hl-orange); }
mark.mine.hl-purple, .swatch.hl-purple, .note.mine.hl-purple { background: var(--hl-purple); }
mark.mine.hl-other, .swatch.hl-other, .note.mine.hl-other { background: var(--hl-other); }
mark.layer, .swatch.layer { background: color-mix(in srgb, var(--layer) 28%, transparent);
  border-bottom: 2px solid var(--layer); }
.note { font: .88rem/1.4 system-ui, sans-serif; border-radius: .4rem; padding: .3rem .6rem;
  margin: 0 0 .8rem; }
.note.layer { background: color-mix(in srgb, var(--layer) 18%, transparent);
  border-left: 3px solid var(--layer); }
.note p { margin: .2rem 0; overflow-wrap: anywhere; }
.note .tags { color: var(--dim); }
mark:target, mark.hl:focus { outline: 2px solid var(--fg); }
@media (min-width: 62rem) {
  .row { grid-template-columns: minmax(0, 42rem) 16rem; column-gap: 2rem; }
  .row > :first-child { grid-column: 1; }
  .row > .notes { grid-column: 2; }
}
@media print {
  .toggles, nav.annotations { display: none; }
  mark, .note, .swatch { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .page { max-width: none; }
}
"""


def to_html(articles: list[HtmlArticle], labels: dict[str, str] | None = None) -> str:
    """The whole page for one or more articles (a contents list when there are several)."""
    page = _Page(labels or {})
    sections = [page.article(art, i + 1) for i, art in enumerate(articles)]
    title = articles[0].title if len(articles) == 1 else f"{len(articles)} annotated articles"
    contents = ""
    if len(articles) > 1:
        items = "".join(
            f'<li><a href="#article-{i + 1}">{_text(a.title)}</a> '
            f'<span class="meta">{_text(a.shown_path)} · '
            f"{sum(len(layer.marks) for layer in [Layer('', a.mine), *a.layers])} "
            "annotation(s)</span></li>"
            for i, a in enumerate(articles)
        )
        contents = f'<nav class="contents"><h2>Articles</h2><ol>{items}</ol></nav>'
    csp = (
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; "
        "base-uri 'none'; form-action 'none'"
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="reader">\n'
        f"<title>{_text(title)}</title>\n"
        f"<style>{_CSS}{chr(10).join(page.layer_css)}</style></head>\n<body>\n"
        + "\n".join(page.toggles)
        + f'\n<div class="page">{contents}\n'
        + "\n".join(sections)
        + "\n</div></body></html>\n"
    )


def placed(annotations: list[Annotation], resolutions: dict[str, Resolution]) -> list[Placed]:
    """Annotations paired with their resolutions (those without one are orphans)."""
    orphan = Resolution(ORPHAN, 0, 0, 0.0)
    return [Placed(a, resolutions.get(a.id, orphan)) for a in annotations]
