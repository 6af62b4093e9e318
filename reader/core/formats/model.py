"""What an extractor gives: the text offsets count in, and what is known about it."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Extracted:
    text: str  # Markdown-like: headings `#`, lists `-`, quotes `>`, code fenced
    title: str = ""
    author: str = ""
    outline: tuple[tuple[str, int], ...] = ()  # the book's table of contents: (title, offset)
    encoding: str = "utf-8"
    extractor: str = ""  # which extractor made the text, with its version
    notes: tuple[str, ...] = field(default=())
