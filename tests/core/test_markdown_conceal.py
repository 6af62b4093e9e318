"""Rendered Markdown: what is hidden or replaced, and how rows wrap around it."""

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from reader.core.document import Document
from reader.core.layout import Layout, display_row, offset_at_x, x_of
from reader.core.markdown import MarkdownStyler


def rendered(text: str) -> list[str]:
    """Each line as rendering draws it (None for a folded line)."""
    doc = Document(text)
    st_ = MarkdownStyler(doc)
    out = []
    for line in range(len(doc.line_starts)):
        if st_.folded(line):
            continue
        a, b = doc.line_range(line)
        subs = st_.subs(line) or {}
        out.append("".join(subs.get(o, text[o]) for o in range(a, b)))
    return out


def test_markers_are_hidden_and_blocks_drawn() -> None:
    text = (
        "---\ntitle: x\n---\n# Title *one*\n### Third\nSome **bold**, _em_, `code` and "
        "[a link](http://x/y) or ![alt](i.png).\n\n- dash\n* star\n+ plus\n1. first\n"
        "> quoted\n>> deeper\n\n***\nSetext\n======\n| a | b |\n|---|:-:|\n"
    )
    assert rendered(text) == [
        "▸ front matter (3 lines)",
        "Title one",
        "Third",
        "Some bold, em, code and a link or alt.",
        "",
        "• dash",
        "• star",
        "◦ plus",
        "1. first",
        "▌ quoted",
        "▌▌ deeper",
        "",
        "───",
        "Setext",
        "══════",
        "│ a │ b │",
        "├───┼───┤",
        "",
    ]


def test_code_blocks_keep_their_markers_and_are_lexed_by_language() -> None:
    text = '```python\nx = "*not em*"  # `no`\n```\n```\nplain **x**\n```\n'
    doc = Document(text)
    styler = MarkdownStyler(doc)
    assert rendered(text)[:3] == ["───python", 'x = "*not em*"  # `no`', "───"]
    assert rendered(text)[4] == "plain **x**"
    kinds = {text[s.start : s.end]: s.kind for s in styler.code_tokens(1)}
    assert kinds["*not em*"].startswith("Token.Literal.String")
    assert kinds["# `no`"].startswith("Token.Comment")
    assert styler.code_tokens(4) == []  # no language named: not coloured
    assert styler.code_tokens(0) == []


def test_front_matter_needs_its_closing_line() -> None:
    assert rendered("---\nnot closed\n")[:2] == ["───", "not closed"]


def test_hidden_offsets_are_the_markers() -> None:
    text = "a **b** c\n"
    styler = MarkdownStyler(Document(text))
    assert [o for o in range(len(text)) if styler.hidden(o)] == [2, 3, 5, 6]


def test_layout_wraps_by_drawn_cells_and_folds_front_matter() -> None:
    text = "---\nk: v\n---\n" + " ".join(f"**w{i}**" for i in range(30)) + "\n"
    doc = Document(text)
    styler = MarkdownStyler(doc)
    layout = Layout(text, doc.line_starts, 20, styler)
    layout.complete()
    rows = [layout.row(i) for i in range(layout.row_count)]
    assert rows[0] == (0, 3)  # the folded lines take no rows
    assert layout.row_of(text.index("k: v")) == 0
    body = [r for r in rows[1:] if r is not None and r[0] < r[1]]
    drawn = [display_row(text, a, b, 20, styler.subs(3))[0] for a, b in body]
    assert all(cell_len(d) <= 20 for d in drawn)
    assert " ".join(d.strip() for d in drawn) == " ".join(f"w{i}" for i in range(30))
    assert cell_len(drawn[0].rstrip()) > 15  # filled by what is drawn, not by the source


def test_cells_map_to_visible_characters() -> None:
    text = "a **bold** [x](http://y) end"
    styler = MarkdownStyler(Document(text))
    subs = styler.subs(0)
    assert display_row(text, 0, len(text), 80, subs)[0] == "a bold x end"
    assert offset_at_x(text, 0, len(text), 2, 80, subs) == text.index("bold")
    assert offset_at_x(text, 0, len(text), 7, 80, subs) == text.index("x]")
    assert offset_at_x(text, 0, len(text), 9, 80, subs) == text.index("end")
    assert x_of(text, 0, len(text), text.index("end"), 80, subs) == 9


WORDS = st.sampled_from(
    ["word", "**bold**", "_em_", "`code`", "[link](http://example.com)", "中文", "😀", "\t", "-"]
)
LINE = st.lists(WORDS, max_size=25).map(" ".join)


@settings(max_examples=300)
@given(LINE, st.integers(min_value=2, max_value=40))
def test_rendered_rows_fit_and_every_offset_maps_back(line: str, width: int) -> None:
    doc = Document(line)
    styler = MarkdownStyler(doc)
    subs = styler.subs(0)
    layout = Layout(line, doc.line_starts, width, styler)
    layout.complete()
    for i in range(layout.row_count):
        row = layout.row(i)
        assert row is not None
        a, b = row
        shown, _ = display_row(line, a, b, width, subs)
        assert cell_len(shown) <= max(width, 2)  # one wide character may stand alone
        for o in range(a, b):
            if not styler.hidden(o):  # a drawn character is found where it is drawn
                x = x_of(line, a, b, o, width, subs)
                assert offset_at_x(line, a, b, x, width, subs) == o


def test_table_columns_line_up_by_what_is_drawn() -> None:
    text = "| Name | **Score** |\n|:--|--:|\n| Alice Longname | 3 |\n| `a|b` | 12 |\n"
    assert rendered(text) == [
        "│ Name           │ Score │",
        "├────────────────┼───────┤",
        "│ Alice Longname │ 3     │",
        "│ a|b            │ 12    │",
        "",
    ]
