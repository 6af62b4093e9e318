"""An article's outline: its headings, for the `t` table of contents and the status line.

Markdown has headings (`#` lines and underlined ones, outside code blocks). Plain text has
none, so lines that look like headings are taken: short, no closing punctuation, in title
case or capitals, standing between paragraphs (a blank line after them, or long lines on
both sides, as in articles saved with one paragraph per line), or underlined (`====`).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from reader.core.document import Document

_ATX = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.+?)[ \t#]*$", re.M)
_FENCE = re.compile(r"^ {0,3}(?:```|~~~)", re.M)
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$", re.M)
_RULE = re.compile(r"^\s*([=\-~^*#+])\1{2,}\s*$")
_LIST_OR_QUOTE = re.compile(r"^\s*(?:[-*+>•]|\d{1,9}[.)])\s")
# A heading is short; a paragraph line beside it is long.
MAX_HEADING_CHARS = 80
MAX_HEADING_WORDS = 12
LONG_LINE = 100
_SMALL_WORDS = frozenset(
    "a an and as at but by for from in into nor of on or over per the to up via vs with".split()
)


@dataclass(frozen=True)
class Heading:
    """A heading: its level (1 is the top), its text, and where its line starts."""

    level: int
    title: str
    offset: int


def outline(doc: Document) -> list[Heading]:
    """The headings of the document, in order."""
    if doc.is_markdown:
        return _markdown(doc)
    return _plain(doc)


def section_at(headings: list[Heading], offset: int) -> Heading | None:
    """The heading of the section holding offset (None before the first)."""
    i = bisect.bisect_right([h.offset for h in headings], offset) - 1
    return headings[i] if i >= 0 else None


def _markdown(doc: Document) -> list[Heading]:
    text = doc.text
    fences = [doc.line_of(m.start()) for m in _FENCE.finditer(text)]

    def in_code(line: int) -> bool:
        before = bisect.bisect_left(fences, line)
        return before % 2 == 1 or (before < len(fences) and fences[before] == line)

    out: list[Heading] = []
    for m in _ATX.finditer(text):
        if not in_code(doc.line_of(m.start())):
            out.append(Heading(len(m.group(1)), _clean(m.group(2)), m.start()))
    # (Underlines found by one search, not a match per line: a book's first look has
    # thousands of lines, and its outline names the section in the first frame.)
    for m in _SETEXT.finditer(text):
        line = doc.line_of(m.start())
        if line == 0 or in_code(line):
            continue
        s, e = doc.line_range(line)
        ps, pe = doc.line_range(line - 1)
        title = text[ps:pe].strip()
        if title and not _ATX.match(text[ps:pe]) and not _LIST_OR_QUOTE.match(title):
            level = 1 if text[s:e].strip().startswith("=") else 2
            out.append(Heading(level, _clean(title), ps))
    out.sort(key=lambda h: h.offset)
    return out


def _plain(doc: Document) -> list[Heading]:
    text = doc.text
    n = len(doc.line_starts)
    lines = [doc.line_range(i) for i in range(n)]

    def line(i: int) -> str:
        return text[lines[i].start : lines[i].end] if 0 <= i < n else ""

    out: list[Heading] = []
    skip_until = -1
    for i in range(n):
        if i <= skip_until:
            continue
        s = line(i).strip()
        if not s or _RULE.match(s):
            continue
        below = line(i + 1).strip()
        if _RULE.match(below) and len(below) >= len(s) * 0.6 and len(s) <= MAX_HEADING_CHARS:
            out.append(Heading(1 if below[0] in "=#*" else 2, _clean(s), lines[i].start))
            skip_until = i + 1
            continue
        kind = _looks_like_heading(s)
        if kind == 0:
            continue
        above = line(i - 1).strip()
        between = (not below and i + 1 < n) or (
            (not above or len(above) >= LONG_LINE or _RULE.match(above)) and len(below) >= LONG_LINE
        )
        if between and i > 0 or (i == 0 and not below and n > 2):
            out.append(Heading(kind, _clean(s), lines[i].start))
    return out


def _looks_like_heading(s: str) -> int:
    """1 for a line in capitals, 2 for one in title case, 0 for neither."""
    if len(s) > MAX_HEADING_CHARS or s[-1] in ".,;:" or _LIST_OR_QUOTE.match(s):
        return 0
    words = s.split()
    if len(words) > MAX_HEADING_WORDS:
        return 0
    letters = [c for c in s if c.isalpha()]
    if len(letters) < 2 or not all(c.isascii() or c.isupper() or c.islower() for c in letters):
        return 0  # no case to go by (CJK): never guess
    if all(c.isupper() for c in letters):
        return 1
    if not words[0][:1].isupper():
        return 0
    big = [w for w in words if w.lower().strip("’'\"“”()") not in _SMALL_WORDS]
    capitalised = [w for w in big if w[:1].isupper() or w[:1].isdigit()]
    return 2 if big and len(capitalised) >= 0.75 * len(big) else 0


def _clean(s: str) -> str:
    return " ".join(s.replace("**", "").replace("__", "").split())
