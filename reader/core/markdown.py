"""Markdown styling as spans over the source text.

The reading pane shows a .md file's own characters (so offsets stay those of
the source) and styles them: headings, emphasis, code, links, list and quote
markers. Markers are their own spans so the UI can dim them.
"""

from __future__ import annotations

import bisect
import re
from typing import NamedTuple

from reader.core.document import Document


class Span(NamedTuple):
    start: int
    end: int
    kind: str  # heading, strong, em, code, link, url, marker, quote, fence


_FENCE = re.compile(r"^[ ]{0,3}(```|~~~)", re.M)
_HEADING = re.compile(r"([ ]{0,3}#{1,6})([ \t]+)(.*)")
_SETEXT = re.compile(r"[ ]{0,3}(=+|-+)[ \t]*$")
_LIST = re.compile(r"[ \t]*([-*+]|\d{1,9}[.)])[ \t]+")
_QUOTE = re.compile(r"[ ]{0,3}(>[ ]?)+")
_INLINE = re.compile(
    r"(?P<code>`+)(?P<code_body>.+?)(?P=code)"
    r"|(?P<strong>\*\*|__)(?P<strong_body>\S(?:.*?\S)?)(?P=strong)"
    r"|(?<![\w*])(?P<em>\*|_)(?P<em_body>[^\s*_](?:[^*_]*?[^\s*_])?)(?P=em)(?![\w*])"
    r"|(?P<link>!?\[)(?P<link_body>[^\]\n]+)(?P<link_mid>\]\()(?P<url>[^)\s]*)(?P<link_end>\))"
)


class MarkdownStyler:
    """Spans for any line of a Markdown document, computed on demand."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self._fences: list[int] | None = None

    def _fence_lines(self) -> list[int]:
        if self._fences is None:
            self._fences = [self.doc.line_of(m.start()) for m in _FENCE.finditer(self.doc.text)]
        return self._fences

    def in_code_block(self, line: int) -> bool:
        fences = self._fence_lines()
        before = bisect.bisect_left(fences, line)
        return before % 2 == 1 or (before < len(fences) and fences[before] == line)

    def line_spans(self, line: int) -> list[Span]:
        start, end = self.doc.line_range(line)
        text = self.doc.text
        s = text[start:end]
        if self.in_code_block(line):
            return [Span(start, end, "code")]
        spans: list[Span] = []
        m = _HEADING.match(s)
        if m:
            spans.append(Span(start, start + m.end(1), "marker"))
            spans.append(Span(start + m.start(3), end, "heading"))
            return spans
        if line + 1 < len(self.doc.line_starts) and s.strip():
            nxt = text[slice(*self.doc.line_range(line + 1))]
            if _SETEXT.match(nxt) and not _LIST.match(s):
                return [Span(start, end, "heading")]
        if _SETEXT.match(s) and line > 0 and text[slice(*self.doc.line_range(line - 1))].strip():
            return [Span(start, end, "marker")]
        pos = 0
        m = _QUOTE.match(s)
        if m:
            spans.append(Span(start, start + m.end(), "marker"))
            spans.append(Span(start + m.end(), end, "quote"))
            pos = m.end()
        m = _LIST.match(s, pos)
        if m:
            spans.append(Span(start + m.start(1), start + m.end(1), "marker"))
            pos = m.end()
        for m in _INLINE.finditer(s, pos):
            kind = m.lastgroup
            if m.group("code"):
                a, b = m.span("code_body")
                spans += [
                    Span(start + m.start(), start + a, "marker"),
                    Span(start + a, start + b, "code"),
                    Span(start + b, start + m.end(), "marker"),
                ]
            elif m.group("strong"):
                a, b = m.span("strong_body")
                spans += [
                    Span(start + m.start(), start + a, "marker"),
                    Span(start + a, start + b, "strong"),
                    Span(start + b, start + m.end(), "marker"),
                ]
            elif m.group("em"):
                a, b = m.span("em_body")
                spans += [
                    Span(start + m.start(), start + a, "marker"),
                    Span(start + a, start + b, "em"),
                    Span(start + b, start + m.end(), "marker"),
                ]
            elif m.group("link"):
                a, b = m.span("link_body")
                spans += [
                    Span(start + m.start(), start + a, "marker"),
                    Span(start + a, start + b, "link"),
                    Span(start + b, start + m.start("url"), "marker"),
                    Span(start + m.start("url"), start + m.end("url"), "url"),
                    Span(start + m.end("url"), start + m.end(), "marker"),
                ]
            del kind
        return spans
