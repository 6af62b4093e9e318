"""Caret motions by character, word, sentence and paragraph, in document offsets."""

from __future__ import annotations

import bisect
from collections.abc import Callable

from reader.core.document import WORD, Document, Range, split_sentences


def _clamp(doc: Document, offset: int) -> int:
    return max(0, min(offset, max(0, len(doc.text) - 1)))


def move(doc: Document, offset: int, unit: str, n: int) -> int:
    """The offset n units away (negative n moves back)."""
    text = doc.text
    if not text:
        return 0
    if unit == "char":
        return _clamp(doc, offset + n)
    if unit in ("word", "word_end"):
        for _ in range(abs(n)):
            offset = _word_step(text, offset, n > 0, unit == "word_end")
        return _clamp(doc, offset)
    if unit == "sentence":
        for _ in range(abs(n)):
            offset = _sentence_step(doc, offset, n > 0)
        return offset
    starts = doc.paragraph_starts
    if not starts:
        return offset
    if n > 0:
        i = bisect.bisect_right(starts, offset) + n - 1
        return starts[min(i, len(starts) - 1)]
    i = bisect.bisect_left(starts, offset) + n
    return starts[max(i, 0)]


def _sentence_step(doc: Document, offset: int, forward: bool) -> int:
    """Start of the next (or previous) sentence, looking only at nearby paragraphs."""
    paras = doc.paragraphs
    if not paras:
        return offset
    i = max(0, doc.paragraph_index(offset))
    near: list[Range] = []
    for j in range(max(0, i - 1), min(len(paras), i + 2)):
        near.extend(split_sentences(doc.text, paras[j]))
    starts = [r.start for r in near]
    if forward:
        k = bisect.bisect_right(starts, offset)
        return starts[k] if k < len(starts) else offset
    k = bisect.bisect_left(starts, offset) - 1
    return starts[k] if k >= 0 else (starts[0] if starts else offset)


def _word_step(text: str, offset: int, forward: bool, to_end: bool) -> int:
    if forward:
        if to_end:
            m = WORD.search(text, offset + 1)
            return m.end() - 1 if m else len(text) - 1
        m = WORD.search(text, offset)
        if m and m.start() <= offset:
            m = WORD.search(text, m.end())
        return m.start() if m else offset
    # Backward: start of the word before offset.
    lo = max(0, offset - 400)
    prev = None
    for m in WORD.finditer(text, lo, offset):
        prev = m
    if prev is None:
        return 0 if lo == 0 else lo
    return prev.start()


def unit_at(doc: Document, offset: int, unit: str) -> Range | None:
    """The word, sentence or paragraph holding offset."""
    if unit == "word":
        line = doc.line_range(doc.line_of(offset))
        for m in WORD.finditer(doc.text, line.start, line.end):
            if m.start() <= offset < m.end():
                return Range(m.start(), m.end())
        return None
    found = doc.sentence_at(offset) if unit == "sentence" else doc.paragraph_at(offset)
    if found is not None and doc.is_markdown:
        from reader.core.markdown import past_block_marker

        start = past_block_marker(doc, found.start)
        if start < found.end:
            found = Range(start, found.end)
    return found


def line_start(doc: Document, line: int) -> int:
    """The start of 1-based line (`120G`), clamped to the first and last lines."""
    starts = doc.line_starts
    return starts[max(1, min(line, len(starts))) - 1]


def percent_offset(doc: Document, percent: int) -> int:
    """The start of the line N percent of the way through the text (`50%`), as less does."""
    percent = max(0, min(percent, 100))
    return doc.line_range(doc.line_of(len(doc.text) * percent // 100)).start


def selected(
    text: str,
    anchor: int,
    caret: int,
    caret_excluded: bool = False,
    hidden: Callable[[int], bool] | None = None,
) -> Range:
    """The passage selected from anchor to caret: both ends' characters, as in vim's
    visual mode. caret_excluded: the caret was moved onto the start of the next word,
    sentence or paragraph (w, ), }); a passage that ends there ends with the word before
    it, without the caret's letter or the spaces (or hidden Markdown markers) before it."""
    lo, hi = min(anchor, caret), max(anchor, caret)
    if not (caret_excluded and caret > anchor):
        return Range(lo, min(len(text), hi + 1))
    end = caret
    while end > lo and (text[end - 1].isspace() or (hidden is not None and hidden(end - 1))):
        end -= 1
    return Range(lo, end if end > lo else min(len(text), lo + 1))
