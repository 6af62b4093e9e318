"""Markdown styling as spans over the source text, and what rendering hides.

The reading pane shows a .md file's own characters (so offsets stay those of
the source) and styles them: headings, emphasis, code, links, list and quote
markers. Markers are their own spans so the UI can dim them.

Rendered ("concealed", as vim calls it), each line also has substitutions:
offset -> what is drawn there instead ("" hides the character, "•" stands for a
list's "-"). Nothing is removed from the text, so every offset (selection,
highlight, find hit) still counts in the source. Front matter is folded: its
lines after the first take no rows at all.
"""

from __future__ import annotations

import bisect
import re
import threading
from collections.abc import Mapping
from typing import NamedTuple

from rich.cells import cell_len

from reader.core.document import Document


class Span(NamedTuple):
    start: int
    end: int
    kind: str  # heading, strong, em, code, link, url, marker, quote, fence


_FENCE = re.compile(r"^[ ]{0,3}(```|~~~)", re.M)
_FENCE_LINE = re.compile(r"[ ]{0,3}(`{3,}|~{3,})[ \t]*([\w+#.-]*)")
_RULE = re.compile(r"[ ]{0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_TABLE = re.compile(r"[ ]{0,3}\|")
_FRONT_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.M)
FRONT_MATTER_LINES = 200  # front matter longer than this is not folded (it is no header)
_BULLETS = {"-": "•", "*": "•", "+": "◦"}
_CACHE_LINES = 4096
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
        self._front: int | None = None  # last line of the front matter, -1 for none
        self._subs: dict[int, dict[int, str]] = {}
        self._blocks: dict[int, tuple[list[int], list[str]]] = {}
        self._tables: dict[int, list[int]] = {}  # column widths by the table's first line
        self._lock = threading.Lock()  # the layout wraps in a worker thread too

    def _fence_lines(self) -> list[int]:
        if self._fences is None:
            self._fences = [self.doc.line_of(m.start()) for m in _FENCE.finditer(self.doc.text)]
        return self._fences

    def _is_fence(self, line: int) -> bool:
        fences = self._fence_lines()
        k = bisect.bisect_left(fences, line)
        return k < len(fences) and fences[k] == line

    def in_code_block(self, line: int) -> bool:
        fences = self._fence_lines()
        before = bisect.bisect_left(fences, line)
        return before % 2 == 1 or (before < len(fences) and fences[before] == line)

    def line_spans(self, line: int) -> list[Span]:
        return self._parse(line)[0]

    # --- rendering (conceal) ---------------------------------------------------
    def front_matter_end(self) -> int:
        """Last line of a YAML/TOML-style front matter at the top, or -1 for none."""
        if self._front is None:
            self._front = -1
            text = self.doc.text
            if text.startswith(("---\n", "+++\n")):
                end = "+++" if text.startswith("+") else None
                for m in (re.compile(r"^\+\+\+[ \t]*$", re.M) if end else _FRONT_END).finditer(
                    text, 4
                ):
                    line = self.doc.line_of(m.start())
                    if line <= FRONT_MATTER_LINES:
                        self._front = line
                    break
        return self._front

    def folded(self, line: int) -> bool:
        """The line takes no rows when rendered (front matter after its first line)."""
        return 0 < line <= self.front_matter_end()

    def subs(self, line: int) -> Mapping[int, str] | None:
        """What rendering draws instead of some characters of the line ("" hides one)."""
        got = self._subs.get(line)
        if got is None:
            got = self._parse(line)[1]
            with self._lock:
                if len(self._subs) >= _CACHE_LINES:
                    self._subs.clear()
                self._subs[line] = got
        return got or None

    def hidden(self, offset: int) -> bool:
        """Rendering shows nothing at offset (a marker, a folded line)."""
        line = self.doc.line_of(offset)
        if self.folded(line):
            return True
        subs = self.subs(line)
        return subs is not None and subs.get(offset) == ""

    def code_tokens(self, line: int) -> list[Span]:
        """Pygments token spans of a fenced code line (kind: the token type's name),
        from lexing the whole block once in the fence's language; [] if it names none."""
        fences = self._fence_lines()
        k = bisect.bisect_right(fences, line)
        if k % 2 == 0 or fences[k - 1] == line:
            return []  # not inside a block (or the opening fence itself)
        opening = fences[k - 1]
        block = self._blocks.get(opening)
        if block is None:
            block = self._lex_block(opening, fences[k] if k < len(fences) else None)
            with self._lock:
                self._blocks[opening] = block
        starts, kinds = block
        a, b = self.doc.line_range(line)
        out: list[Span] = []
        i = max(0, bisect.bisect_right(starts, a) - 1)
        while i < len(kinds) and starts[i] < b:
            end = starts[i + 1] if i + 1 < len(starts) else b
            if kinds[i] and end > a:
                out.append(Span(max(a, starts[i]), min(b, end), kinds[i]))
            i += 1
        return out

    def _lex_block(self, opening: int, closing: int | None) -> tuple[list[int], list[str]]:
        text = self.doc.text
        a, b = self.doc.line_range(opening)
        m = _FENCE_LINE.match(text, a, b)
        lang = m.group(2) if m else ""
        if not lang:
            return [], []
        from pygments.lexers import get_lexer_by_name
        from pygments.util import ClassNotFound

        try:
            lexer = get_lexer_by_name(lang, stripnl=False, stripall=False, ensurenl=False)
        except ClassNotFound:
            return [], []
        start = b + 1
        end = self.doc.line_range(closing).start if closing is not None else len(text)
        starts: list[int] = []
        kinds: list[str] = []
        for index, token, _value in lexer.get_tokens_unprocessed(text[start:end]):
            starts.append(start + index)
            kinds.append("" if str(token).startswith("Token.Text") else str(token))
        return starts, kinds

    def _parse(self, line: int, align: bool = True) -> tuple[list[Span], dict[int, str]]:
        """The line's style spans and its substitutions when rendered (a table row's
        cells padded to its columns' widths unless align is False)."""
        start, end = self.doc.line_range(line)
        text = self.doc.text
        s = text[start:end]
        subs: dict[int, str] = {}
        if line <= self.front_matter_end():
            if line == 0:
                n = self.front_matter_end() + 1
                subs[start] = f"▸ front matter ({n} lines)"
                subs.update((o, "") for o in range(start + 1, end))
            return [Span(start, end, "marker")], subs
        if self.in_code_block(line):
            m = _FENCE_LINE.match(s)
            if m and self._is_fence(line):
                subs.update((start + i, "─") for i in range(m.start(1), m.end(1)))
                return [Span(start, end, "marker")], subs
            return [Span(start, end, "code")], subs
        spans: list[Span] = []
        m = _HEADING.match(s)
        if m:
            level = len(m.group(1).strip())
            subs.update((o, "") for o in range(start, start + m.end(2)))
            spans.append(Span(start, start + m.end(1), "marker"))
            spans.append(Span(start + m.start(3), end, "heading"))
            if level <= 3:
                spans.append(Span(start + m.start(3), end, f"h{level}"))
            _inline(s, start, m.start(3), spans, subs)
            return spans, subs
        if line + 1 < len(self.doc.line_starts) and s.strip():
            nxt = text[slice(*self.doc.line_range(line + 1))]
            u = _SETEXT.match(nxt)
            if u and not _LIST.match(s):
                level = 1 if u.group(1)[0] == "=" else 2
                return [Span(start, end, "heading"), Span(start, end, f"h{level}")], subs
        if _SETEXT.match(s) and line > 0 and text[slice(*self.doc.line_range(line - 1))].strip():
            rule = "═" if s.strip()[0] == "=" else "─"
            subs.update((start + i, rule) for i, c in enumerate(s) if c in "=-")
            return [Span(start, end, "marker")], subs
        if _RULE.match(s):
            subs.update((start + i, "─") for i, c in enumerate(s) if not c.isspace())
            return [Span(start, end, "marker")], subs
        pos = 0
        m = _QUOTE.match(s)
        if m:
            spans.append(Span(start, start + m.end(), "marker"))
            spans.append(Span(start + m.end(), end, "quote"))
            subs.update((start + i, "▌") for i in range(m.end()) if s[i] == ">")
            pos = m.end()
        m = _LIST.match(s, pos)
        if m:
            spans.append(Span(start + m.start(1), start + m.end(1), "marker"))
            bullet = _BULLETS.get(m.group(1))
            if bullet:
                subs[start + m.start(1)] = bullet
            pos = m.end()
        _inline(s, start, pos, spans, subs)
        if _TABLE.match(s):
            self._table_row(line, subs, align)
        return spans, subs

    # --- tables ----------------------------------------------------------------
    def _is_table(self, line: int) -> bool:
        a, b = self.doc.line_range(line)
        return _TABLE.match(self.doc.text, a, b) is not None and not self.in_code_block(line)

    def _table_row(self, line: int, subs: dict[int, str], align: bool) -> None:
        """Pipes drawn as rules; with align, each cell padded (before its closing pipe)
        to the widest cell of its column in the table, so columns line up."""
        a, b = self.doc.line_range(line)
        s = self.doc.text[a:b]
        sep = set(s.strip()) <= set("|-: \t")
        pipes = _pipes(s)
        widths = self._column_widths(line) if align else []
        last = len(s.rstrip()) - 1
        for k, i in enumerate(pipes):
            pad = ""
            if k > 0 and k - 1 < len(widths):
                drawn = _drawn_width(s, a, pipes[k - 1] + 1, i, subs)
                pad = ("─" if sep else " ") * max(0, widths[k - 1] - drawn)
            if sep:
                rule = "├" if k == 0 else "┤" if i == last else "┼"
            else:
                rule = "│"
            subs[a + i] = pad + rule
        if sep:
            subs.update((a + i, "─") for i, c in enumerate(s) if c in "-:")

    def _column_widths(self, line: int) -> list[int]:
        first = line
        while first > 0 and self._is_table(first - 1):
            first -= 1
        cached = self._tables.get(first)
        if cached is not None:
            return cached
        widths: list[int] = []
        n = len(self.doc.line_starts)
        row = first
        while row < n and self._is_table(row):
            a, b = self.doc.line_range(row)
            s = self.doc.text[a:b]
            if not set(s.strip()) <= set("|-: \t"):  # the rule fits whatever the cells are
                subs = self._parse(row, align=False)[1]
                pipes = _pipes(s)
                for k in range(len(pipes) - 1):
                    w = _drawn_width(s, a, pipes[k] + 1, pipes[k + 1], subs)
                    if k < len(widths):
                        widths[k] = max(widths[k], w)
                    else:
                        widths.append(w)
            row += 1
        with self._lock:
            self._tables[first] = widths
        return widths


def _pipes(s: str) -> list[int]:
    """Where a table row's cell separators are (not escaped, not in inline code)."""
    out: list[int] = []
    in_code = False
    for i, c in enumerate(s):
        if c == "`":
            in_code = not in_code
        elif c == "|" and not in_code and (i == 0 or s[i - 1] != "\\"):
            out.append(i)
    return out


def _drawn_width(s: str, base: int, a: int, b: int, subs: Mapping[int, str]) -> int:
    """Cells s[a:b] takes when rendered (hidden markers count none)."""
    return sum(
        cell_len(subs[base + i]) if base + i in subs else cell_len(s[i]) for i in range(a, b)
    )


def _inline(s: str, start: int, pos: int, spans: list[Span], subs: dict[int, str]) -> None:
    """Spans and hidden markers of inline code, emphasis and links in line s from pos."""
    for m in _INLINE.finditer(s, pos):
        if m.group("code"):
            body = "code"
        elif m.group("strong"):
            body = "strong"
        elif m.group("em"):
            body = "em"
        else:
            a, b = m.span("link_body")
            spans += [
                Span(start + m.start(), start + a, "marker"),
                Span(start + a, start + b, "link"),
                Span(start + b, start + m.start("url"), "marker"),
                Span(start + m.start("url"), start + m.end("url"), "url"),
                Span(start + m.end("url"), start + m.end(), "marker"),
            ]
            subs.update((start + i, "") for i in range(m.start(), a))
            subs.update((start + i, "") for i in range(b, m.end()))
            continue
        a, b = m.span(f"{body}_body")
        spans += [
            Span(start + m.start(), start + a, "marker"),
            Span(start + a, start + b, body),
            Span(start + b, start + m.end(), "marker"),
        ]
        subs.update((start + i, "") for i in range(m.start(), a))
        subs.update((start + i, "") for i in range(b, m.end()))


def past_block_marker(doc: Document, offset: int) -> int:
    """offset moved past the heading, quote or list marker it stands on at the start of a
    line (`## `, `> `, `- `, `1. `), outside code blocks: a sentence or paragraph chosen
    to annotate starts with its words, not with markup the pane hides."""
    text = doc.text
    line_start = doc.line_starts[doc.line_of(offset)]
    if text[line_start:offset].strip():
        return offset  # (not at the start of its line)
    pos = line_start
    m = _HEADING.match(text, pos, doc.line_range(doc.line_of(offset)).end)
    if m:
        pos += m.end(2)
    else:
        m = _QUOTE.match(text, pos)
        pos = m.end() if m else pos
        m = _LIST.match(text, pos)
        pos = m.end() if m else pos
    if pos <= offset or _in_code(text, line_start):
        return offset
    return pos


def _in_code(text: str, line_start: int) -> bool:
    """Whether the line starting at line_start is inside a fenced code block."""
    return len(_FENCE.findall(text, 0, line_start)) % 2 == 1
