"""Rows and cells as the terminal draws them: wide emoji, Indic scripts, marks, tabs."""

from rich.cells import cell_len

from reader.core.layout import Layout, display_row, offset_at_x, wrap_line, x_of


def rows_of(text: str, width: int) -> list[str]:
    return [text[a:b] for a, b in wrap_line(text, 0, len(text), width)]


def test_thirty_stars_take_sixty_cells_and_wrap() -> None:
    text = "Rated " + "⭐" * 30 + " by readers"
    rows = rows_of(text, 33)
    assert sum(r.count("⭐") for r in rows) == 30
    assert rows[0] == "Rated " + "⭐" * 13  # 6 + 26 cells; a 14th star would not fit
    assert all(cell_len(r) <= 33 for r in rows)
    assert rows[-1].endswith("by readers")


def test_wide_squares_and_tangut_are_two_cells() -> None:
    for ch in ("⬛", "⭕", "\U00017000"):
        assert x_of(ch * 3, 0, 3, 3) == 6


def test_hindi_fills_the_row_its_vowel_signs_take_no_cell() -> None:
    text = "हिन्दी भाषा भारत की राजभाषा है और यह बहुत सुंदर भाषा है।"
    rows = rows_of(text, 20)
    # 28 characters of the first words are 19 cells: they share one row.
    assert rows[0] == "हिन्दी भाषा भारत की राजभाषा है"
    assert all(cell_len(r) <= 20 for r in rows)
    assert " ".join(rows) == text


def test_combining_marks_stay_with_their_letter() -> None:
    text = "e\u0301" * 10  # é written as e + combining acute: 10 cells
    assert rows_of(text, 10) == [text]
    assert rows_of(text, 4) == ["e\u0301" * 4, "e\u0301" * 4, "e\u0301" * 2]


def test_emoji_sequences_measure_as_rich_draws_them() -> None:
    family = "👨\u200d👩\u200d👧"  # one glyph, two cells
    heart = "❤\ufe0f"  # the emoji presentation: two cells
    for s in (family, heart, "a" + family + heart + "b"):
        _, cells = display_row(s, 0, len(s))
        assert cells is not None and cells[-1] == cell_len(s)
    text = (family + " ") * 6
    assert all(cell_len(r) <= 7 for r in rows_of(text, 7))
    assert all(r.startswith("👨") for r in rows_of(text, 7))


def test_mouse_on_a_row_of_stars_finds_the_star_under_it() -> None:
    text = "ab" + "⭐" * 5 + "cd"
    assert offset_at_x(text, 0, len(text), 0) == 0
    assert offset_at_x(text, 0, len(text), 2) == 2  # first star, left cell
    assert offset_at_x(text, 0, len(text), 3) == 2  # first star, right cell
    assert offset_at_x(text, 0, len(text), 11) == 6  # fifth star
    assert offset_at_x(text, 0, len(text), 12) == 7  # c, after 10 cells of stars
    hindi = "हिन्दी"  # ह ि न ् द ी: 3 cells, the signs sit on their consonants
    assert [offset_at_x(hindi, 0, 6, x) for x in range(4)] == [0, 2, 4, 6]


def test_tab_stops_at_the_row_end_in_a_narrow_pane() -> None:
    text = "abc\tdef"
    assert [text[a:b] for a, b in wrap_line(text, 0, len(text), 5)] == ["abc\t", "def"]
    shown, _ = display_row(text, 0, 4, width=5)
    assert shown == "abc  "
    shown, _ = display_row(text, 0, 4)
    assert shown == "abc     "  # without a width, to the next tab stop


def test_layout_of_wide_lines_is_the_same_lazily_and_at_once() -> None:
    text = "\n".join(("⭐ 中文 " * (i % 9)) + "hindi हिन्दी" for i in range(2000))
    starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    full = Layout(text, starts, 30)
    full.complete()
    lazy = Layout(text, starts, 30)
    assert lazy.row(500) == full.row(500)
