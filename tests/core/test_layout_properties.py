"""Properties of wrapping and cell mapping on text from many scripts."""

from hypothesis import example, given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from reader.core.layout import char_widths, display_row, offset_at_x, wrap_line, x_of

PIECES = st.sampled_from(
    [
        "a", "b", "z", " ", " ", "  ", "\t", "é", "e\u0301", "\u0308",  # Latin, marks
        "中", "文", "字", "。", "한", "ｶ",  # CJK, Hangul, fullwidth
        "⭐", "⬛", "⭕", "😀", "\U00017000",  # wide emoji, Tangut
        "❤", "❤\ufe0f", "👨\u200d👩\u200d👧", "\u200d", "\ufe0f", "\u200b",  # sequences
        "हि", "न्", "दी", "क",  # Devanagari with vowel signs and virama
        "\x00", "\x1b", "\x07", "\x7f", "\x85",  # control characters
    ]
)  # fmt: skip
TEXT = st.lists(PIECES, max_size=60).map("".join)
WIDTH = st.integers(min_value=2, max_value=40)


def drawn(text: str, a: int, b: int, width: int) -> int:
    """Cells the row takes on screen, measured by rich as Textual draws it."""
    shown, _ = display_row(text, a, b, width)
    return cell_len(shown)


@settings(max_examples=400)
@given(TEXT, WIDTH)
def test_every_row_fits_the_width(text: str, width: int) -> None:
    for a, b in wrap_line(text, 0, len(text), width):
        assert drawn(text, a, b, width) <= width, (text[a:b], width)


@settings(max_examples=400)
@given(TEXT, WIDTH)
def test_rows_keep_all_text_in_order(text: str, width: int) -> None:
    rows = wrap_line(text, 0, len(text), width)
    assert rows[0][0] == 0 and text[rows[-1][1] :].strip(" ") == ""
    for (_, end), (start, _) in zip(rows, rows[1:], strict=False):
        assert end <= start and text[end:start].strip(" ") == ""  # only break spaces dropped


@settings(max_examples=400)
@given(TEXT, WIDTH)
@example("❤\t\ufe0f", 9)  # a tab is drawn as spaces: the selector after it widens nothing
def test_cells_agree_with_rich(text: str, width: int) -> None:
    for a, b in wrap_line(text, 0, len(text), width):
        assert x_of(text, a, b, b, width) == drawn(text, a, b, width)
    no_tabs = text.replace("\t", " ")
    assert sum(char_widths(no_tabs)) == cell_len(no_tabs)


@settings(max_examples=400)
@given(TEXT, WIDTH)
def test_offset_to_cell_to_offset_round_trips(text: str, width: int) -> None:
    for a, b in wrap_line(text, 0, len(text), width):
        cols = [x_of(text, a, b, o, width) for o in range(a, b + 1)]
        for o in range(a, b):
            x = cols[o - a]
            if cols[o - a + 1] > x:  # o draws at least one cell: each of its cells finds o
                for cell in range(x, cols[o - a + 1]):
                    assert offset_at_x(text, a, b, cell, width) == o
            else:  # a zero-width mark: its cell is the next drawn character's
                back = offset_at_x(text, a, b, x, width)
                assert back > o and cols[back - a] == x
        assert offset_at_x(text, a, b, cols[-1], width) == b  # past the end: the row's end
