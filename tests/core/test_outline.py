"""The outline (`t`): the sections a reader can jump to, and the one the caret is in."""

from __future__ import annotations

from pathlib import Path

from reader.core.document import Document
from reader.core.outline import outline, section_at
from tests.conftest import HUAWEI, SEEDS, XIAOMI


def titles(doc: Document) -> list[tuple[int, str]]:
    return [(h.level, h.title) for h in outline(doc)]


def test_markdown_headings_outside_code_blocks() -> None:
    doc = Document(
        "# Title\n\nIntro.\n\n## Part **one**\n\n```\n# not a heading\n```\n\n"
        "Part two\n--------\n\nText.\n",
        Path("a.md"),
    )
    assert titles(doc) == [(1, "Title"), (2, "Part one"), (2, "Part two")]
    h = outline(doc)
    assert doc.text[h[1].offset :].startswith("## Part")
    assert section_at(h, doc.text.index("Text.")).title == "Part two"
    assert section_at(h, 0).title == "Title"


def test_plain_text_sections_of_a_saved_article() -> None:
    doc = Document.load(SEEDS / HUAWEI)
    assert [t for _, t in titles(doc)] == [
        "Huawei’s Game-Changing Move",
        "Xiaomi’s Semiconductor Ambitions",
        "A Nation Rewriting the Rules",
        "The U.S. Is Taking Notice",
    ]


def test_plain_text_headings_need_a_heading_shape_and_place() -> None:
    doc = Document(
        "INTRODUCTION\n\nThis is a paragraph that goes on for a while.\n"
        "Short line of a poem\nand its second line\n\n"
        "Setup\n=====\n\nInstall it.\n\n"
        "Not a heading, ends with a stop.\n\n第一章\n\n正文。\n"
    )
    assert titles(doc) == [(1, "INTRODUCTION"), (1, "Setup")]


def test_an_article_with_no_headings_has_an_empty_outline() -> None:
    doc = Document.load(SEEDS / XIAOMI)
    assert all(len(h.title) <= 80 for h in outline(doc))
    assert section_at(outline(doc), 0) is None
