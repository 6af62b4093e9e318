"""The document model: normalized text and its ranges.

Every selection, search hit and anchor in reader is a Range of character
offsets into Document.text; this is the only coordinate system.
"""

from __future__ import annotations

import bisect
import re
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import NamedTuple

from reader.core.text import UnreadableFile, read_text
from reader.core.walk import MHTML_SUFFIXES


class Range(NamedTuple):
    """A half-open span [start, end) of character offsets."""

    start: int
    end: int

    @property
    def length(self) -> int:
        return self.end - self.start


_MARKDOWN_SUFFIXES = (".md", ".markdown", ".html", ".htm", ".xhtml", ".epub", *MHTML_SUFFIXES)
_NEWLINE = re.compile("\n")
_BLANK_LINES = re.compile(r"\n[ \t]*\n\s*")


@cache
def _sentence_end() -> re.Pattern[str]:
    """Sentence ends: terminal punctuation, closing quotes/brackets, then space and a likely
    start. Compiled when first asked for, not at start-up (the costliest pattern here)."""
    return re.compile(
        r"[.!?…]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9\u00C0-\u024F\u0400-\u04FF])|[。！？]+[」』”’）]*"
    )


_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof st jr sr vs etc e.g i.e no fig co corp inc ltd gen col lt sgt rev"
    " jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k".split()
)


@dataclass(eq=False)
class Document:
    """An article's normalized text with lazily computed structure.

    A web page's or e-book's text is what its extractor made of it (Markdown-like), and
    `extractor` names that extractor and its version ("" for a text file): offsets count in
    that text, so annotations are anchored to it.
    """

    text: str
    path: Path | None = None
    encoding: str = "utf-8"
    notes: tuple[str, ...] = ()
    format: str = "text"  # "text", "markdown", "html" or "epub"
    title: str = ""  # from the file's metadata (web pages, e-books)
    author: str = ""
    outline: tuple[tuple[str, int], ...] = ()  # an e-book's table of contents: (title, offset)
    extractor: str = ""

    @classmethod
    def load(cls, path: Path, progress: Callable[[int, int], None] | None = None) -> Document:
        """Read an article by its kind (suffix). Raises UnreadableFile with a clear reason.
        progress hears how far an e-book's extraction got (see formats.extract)."""
        from reader.core.formats import format_of

        if not path.name:  # "." or "/": no file name (nor a sidecar beside it)
            raise UnreadableFile("is a folder, not a file")
        fmt = format_of(path)
        if fmt in ("html", "epub"):
            from reader.core.formats import extract

            ex = extract(path, progress)
            return cls(
                ex.text,
                path,
                ex.encoding,
                ex.notes,
                fmt,
                ex.title,
                ex.author,
                ex.outline,
                ex.extractor,
            )
        from reader.core.formats.encoding import sidecar_encoding

        loaded = read_text(path, sidecar_encoding(path))
        return cls(loaded.text, path, loaded.encoding, loaded.notes, fmt)

    @property
    def is_markdown(self) -> bool:
        """Whether Markdown styling applies: .md files and extracted (Markdown-like) text."""
        if self.format != "text":
            return True
        # By suffix too: a preview Document made from a path alone is styled as the whole.
        return self.path is not None and self.path.suffix.lower() in _MARKDOWN_SUFFIXES

    @cached_property
    def line_starts(self) -> Sequence[int]:
        # An array, not a list of ints: a fifth of the memory on a 20 MB file.
        starts = array("q", [0])
        starts.extend(m.end() for m in _NEWLINE.finditer(self.text))
        return starts

    def line_of(self, offset: int) -> int:
        """0-based line number holding the offset."""
        return bisect.bisect_right(self.line_starts, offset) - 1

    def line_range(self, line: int) -> Range:
        starts = self.line_starts
        start = starts[line]
        end = starts[line + 1] - 1 if line + 1 < len(starts) else len(self.text)
        return Range(start, end)

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column, as editors and ripgrep print them."""
        line = self.line_of(offset)
        return line + 1, offset - self.line_starts[line] + 1

    @cached_property
    def paragraphs(self) -> list[Range]:
        """Paragraphs: blocks between blank lines, or single lines when the text has none."""
        text = self.text
        out: list[Range] = []
        if "\n\n" not in text and not _BLANK_LINES.search(text):
            for i in range(len(self.line_starts)):
                r = self.line_range(i)
                r = _strip(text, r)
                if r.end > r.start:
                    out.append(r)
            return out
        pos = 0
        for m in _BLANK_LINES.finditer(text):
            r = _strip(text, Range(pos, m.start()))
            if r.end > r.start:
                out.append(r)
            pos = m.end()
        r = _strip(text, Range(pos, len(text)))
        if r.end > r.start:
            out.append(r)
        return out

    @cached_property
    def paragraph_starts(self) -> list[int]:
        return [p.start for p in self.paragraphs]

    def paragraph_index(self, offset: int) -> int:
        """Index of the paragraph holding (or last starting before) offset; -1 before all."""
        return bisect.bisect_right(self.paragraph_starts, offset) - 1

    def paragraph_at(self, offset: int) -> Range | None:
        paras = self.paragraphs
        i = self.paragraph_index(offset)
        if i < 0:
            return paras[0] if paras else None
        return paras[i]

    @cached_property
    def sentences(self) -> list[Range]:
        out: list[Range] = []
        for para in self.paragraphs:
            out.extend(split_sentences(self.text, para))
        return out

    def sentence_at(self, offset: int) -> Range | None:
        para = self.paragraph_at(offset)
        if para is None:
            return None
        best = None
        for s in split_sentences(self.text, para):
            if s.start <= offset:
                best = s
            else:
                break
        return best


WORD = re.compile(r"\w+(?:['’]\w+)*|[^\w\s]")


def _strip(text: str, r: Range) -> Range:
    start, end = r
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Range(start, end)


def split_sentences(text: str, para: Range) -> list[Range]:
    """Sentences of one paragraph, as ranges that cover its non-space text."""
    out: list[Range] = []
    pos = para.start
    for m in _sentence_end().finditer(text, para.start, para.end):
        end = m.end()
        if text[m.start()] == "." and _is_abbreviation(text, para.start, m.start()):
            continue
        r = _strip(text, Range(pos, end))
        if r.end > r.start:
            out.append(r)
        pos = end
    r = _strip(text, Range(pos, para.end))
    if r.end > r.start:
        out.append(r)
    return out


def _is_abbreviation(text: str, floor: int, dot: int) -> bool:
    """Whether the full stop at dot ends an abbreviation (Dr., U.S., e.g.) or an initial
    (J. Smith), not a sentence. A letter stuck to digits is a model name (Kirin 9000S.)."""
    i = dot
    while i > floor and (text[i - 1].isalpha() or text[i - 1] == "."):
        i -= 1
    if i > floor and text[i - 1].isdigit():
        return False
    word = text[i:dot].lower()
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())
