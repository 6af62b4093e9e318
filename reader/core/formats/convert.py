"""HTML to Markdown-like text: the text offsets count in for web pages and e-books.

Headings become `#`, lists `-`, quotes `>`, code is fenced and links are [text](url), so
the Markdown styling of the reading pane applies to extracted text as to a .md file.
html-to-markdown does the conversion (maintained, fast: written in Rust); here the tree
is prepared for it: scripts dropped, images replaced by their alt text, and a marker put
where each table-of-contents target is, to find its offset in the text afterwards.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from reader.core.text import UnreadableFile, normalize

# Never shown: their text is code or styling, not the article's.
_DROP = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "head")
_FENCED = re.compile(r"^(```|~~~).*?^\1[ \t]*$", re.M | re.S)
_QUOTE_AFTER_TEXT = re.compile(r"^([^>\n][^\n]*)\n(?=>)", re.M)
_MARKERS = re.compile(r"[ \t#>*+-]*")
_BLANKS = re.compile(r"\n[ \t]*(?:\n[ \t]*){2,}")


def html_to_text(root: Any, anchors: frozenset[str] = frozenset()) -> tuple[str, dict[str, int]]:
    """Markdown-like text of an lxml.html tree, and the offset of each element whose id
    is in anchors (those found). The tree is changed."""
    import html_to_markdown
    import lxml.html

    for el in list(root.iter(*_DROP)):
        if el.getparent() is not None:
            el.drop_tree()  # keeps the text that follows it
    for img in list(root.iter("img")):
        alt = " ".join((img.get("alt") or "").split())
        if img.getparent() is None:
            continue
        if alt:
            span = lxml.html.Element("span")
            span.text = f"[image: {alt}]"
            span.tail = img.tail
            img.getparent().replace(img, span)
        else:
            img.drop_tree()
    for pre in list(root.iter("pre")):  # trafilatura nests <pre> in <pre>: one fence
        for inner in pre.findall(".//pre"):
            inner.drop_tag()
    token = "RDRANCHOR" + secrets.token_hex(4)
    names: list[str] = []
    if anchors:
        for el in root.iter():
            ident = el.get("id") if isinstance(el.tag, str) else None
            if ident in anchors and ident not in names:
                el.text = f"{token}{len(names)}Z{el.text or ''}"
                names.append(ident)
    html = lxml.html.tostring(root, encoding="unicode")
    options = html_to_markdown.ConversionOptions(
        extract_metadata=False,
        autolinks=False,
        escape_asterisks=False,
        escape_underscores=False,
        escape_misc=False,
        newline_style="spaces",  # a <br> ends its line with two spaces: nothing to see
    )
    try:
        converted = html_to_markdown.convert(html, options).content or ""
    except Exception as err:  # its own error types (parse, panic): one clear line, no traceback
        raise UnreadableFile(f"cannot convert this HTML to text ({type(err).__name__})") from None
    text = _space_quotes(normalize(converted))
    text = _BLANKS.sub("\n\n", text).strip("\n")
    offsets: dict[str, int] = {}
    if names:
        pieces: list[str] = []
        pos = removed = 0
        for m in re.finditer(token + r"(\d+)Z", text):
            pieces.append(text[pos : m.start()])
            offsets[names[int(m.group(1))]] = m.start() - removed
            removed += m.end() - m.start()
            pos = m.end()
        pieces.append(text[pos:])
        text = "".join(pieces)
        for name, off in offsets.items():  # a heading's place is its line, "## " and all
            line = text.rfind("\n", 0, off) + 1
            if _MARKERS.fullmatch(text[line:off]):
                offsets[name] = line
    return text, offsets


def _space_quotes(text: str) -> str:
    """A blank line between a paragraph and the quote after it (html-to-markdown gives one
    newline), outside code blocks: the quote reads as its own block, as on the page."""
    out: list[str] = []
    pos = 0
    for m in _FENCED.finditer(text):
        out.append(_QUOTE_AFTER_TEXT.sub("\\1\n\n", text[pos : m.start()]))
        out.append(m.group())
        pos = m.end()
    out.append(_QUOTE_AFTER_TEXT.sub("\\1\n\n", text[pos:]))
    return "".join(out)
