from pathlib import Path

from reader.core.document import Document, Range
from reader.core.layout import Layout, offset_at_x, wrap_line, x_of
from reader.core.motion import move, unit_at

from ..conftest import HUAWEI, SEEDS


def test_paragraphs_are_lines_when_text_has_no_blank_lines() -> None:
    doc = Document.load(SEEDS / HUAWEI)
    first = doc.paragraphs[0]
    assert doc.text[first.start : first.end].startswith("China’s biggest tech giants")
    assert doc.text[slice(*doc.paragraphs[1])] == "Huawei’s Game-Changing Move"


def test_paragraphs_between_blank_lines() -> None:
    doc = Document("One line\nsame para.\n\n  Second para.\n\n\nThird.")
    assert [doc.text[a:b] for a, b in doc.paragraphs] == [
        "One line\nsame para.",
        "Second para.",
        "Third.",
    ]


def test_sentences_respect_abbreviations() -> None:
    doc = Document("Leaving U.S. policymakers puzzled. Dr. Smith agreed! Then? Yes.")
    assert [doc.text[a:b] for a, b in doc.sentences] == [
        "Leaving U.S. policymakers puzzled.",
        "Dr. Smith agreed!",
        "Then?",
        "Yes.",
    ]


def test_cjk_sentences() -> None:
    doc = Document("我们走吧。你好吗？好的")
    assert [doc.text[a:b] for a, b in doc.sentences] == ["我们走吧。", "你好吗？", "好的"]


def test_offsets_are_one_coordinate_system(tmp_path: Path) -> None:
    p = tmp_path / "a.txt"
    p.write_bytes(b"line one\r\nline\ttwo \x1b[31mred\r\n")
    doc = Document.load(p)
    assert doc.text == "line one\nline\ttwo \u241b[31mred\n"
    assert doc.line_col(doc.text.index("two")) == (2, 6)


def test_wrap_keeps_offsets_and_cells() -> None:
    text = "hello world again"
    rows = wrap_line(text, 0, len(text), 11)
    assert [text[a:b] for a, b in rows] == ["hello world", "again"]
    cjk = "中文字符测试"
    rows = wrap_line(cjk, 0, len(cjk), 5)
    assert [cjk[a:b] for a, b in rows] == ["中文", "字符", "测试"]


def test_tab_and_wide_cell_mapping() -> None:
    text = "a\tb中c"
    assert x_of(text, 0, len(text), 2) == 8  # after the tab
    assert x_of(text, 0, len(text), 4) == 11  # after b and the 2-cell 中
    assert offset_at_x(text, 0, len(text), 10) == 3  # either cell of 中 is 中
    assert offset_at_x(text, 0, len(text), 9) == 3


def test_lazy_layout_matches_full_layout() -> None:
    text = "\n".join(f"line {i} " + "word " * (i % 30) for i in range(3000))
    doc = Document(text)
    full = Layout(doc.text, doc.line_starts, 40)
    full.complete()
    lazy = Layout(doc.text, doc.line_starts, 40)
    assert lazy.row(10) == full.row(10)
    assert not lazy.done
    assert lazy.row_of(len(text) - 3) == full.row_of(len(text) - 3)


def test_motions() -> None:
    doc = Document("First one. Second two.\n\nNext para here.")
    assert doc.text[move(doc, 0, "word", 1) :].startswith("one.")
    assert doc.text[move(doc, 0, "sentence", 1) :].startswith("Second")
    assert doc.text[move(doc, 0, "paragraph", 1) :].startswith("Next")
    assert move(doc, doc.text.index("Next"), "paragraph", -1) == 0
    assert unit_at(doc, 2, "word") == Range(0, 5)
    assert unit_at(doc, 13, "sentence") == Range(11, 22)


def test_a_model_name_before_a_full_stop_ends_the_sentence() -> None:
    doc = Document("It runs the Kirin 9000S. Few expected it. Dr. Li and the U.S. agreed.")
    assert [doc.text[a:b] for a, b in doc.sentences] == [
        "It runs the Kirin 9000S.",
        "Few expected it.",
        "Dr. Li and the U.S. agreed.",
    ]


def test_titles_skip_licence_tags_rules_and_empty_front_matter() -> None:
    from reader.core.library import title_from

    rst = ".. SPDX-License-Identifier: GPL-2.0\n\n=============\nMemory Barriers\n=============\n"
    assert title_from(rst, Path("memory-barriers.txt")) == "Memory Barriers"
    assert title_from("---\ntags: [a]\n---\n\nReal first line\n", Path("a.md")) == (
        "Real first line"
    )
    assert title_from("Copyright (C) 2020 Someone\n\nThe Title\n", Path("b.txt")) == "The Title"
    assert title_from("==\n..\n", Path("empty-ish.txt")) == "empty-ish"


def test_a_line_number_and_a_percentage_are_places_in_the_text() -> None:
    from reader.core.motion import line_start, percent_offset

    doc = Document("one\ntwo\nthree\nfour\n")
    assert doc.text[line_start(doc, 3) :].startswith("three")
    assert line_start(doc, 0) == 0 and doc.text[line_start(doc, 99) :] == ""
    assert doc.text[percent_offset(doc, 50) :].startswith("three")
    assert percent_offset(doc, 0) == 0 and percent_offset(doc, 100) == len(doc.text)
