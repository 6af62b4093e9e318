"""The reading pane as a user sees it: wide characters, the strip cache, colours, copy."""

from collections.abc import Callable
from pathlib import Path

import pytest
from rich.style import Style

from reader.core.document import Document
from reader.core.store import sidecar_beside
from reader.ui.app import make_app
from reader.ui.widgets.reading_pane import ReadingPane

from ..conftest import annotate
from .test_app import pane_text, screen_text, settle

STARS = "Rated " + "⭐" * 30 + " by readers."


async def test_thirty_stars_all_draw_wrapped_not_cropped(tmp_path: Path) -> None:
    p = tmp_path / "stars.txt"
    p.write_text(f"A review\n\n{STARS}\n\nThe end.\n")
    app = make_app([p])
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(app, pilot)
        rows = pane_text(app).splitlines()
        assert sum(r.count("⭐") for r in rows) == 30
        assert screen_text(app).count("⭐") == 30
        assert "by readers." in pane_text(app)
        star_rows = [r for r in rows if "⭐" in r]
        assert len(star_rows) > 1  # wrapped, since 60 cells do not fit the pane


async def test_click_on_a_row_of_stars_puts_the_caret_on_that_star(tmp_path: Path) -> None:
    p = tmp_path / "stars.txt"
    p.write_text("ab" + "⭐" * 10 + "cd\n")
    app = make_app([p])
    async with app.run_test(size=(80, 20)) as pilot:
        await settle(app, pilot)
        pane = app.screen.query_one(ReadingPane)
        left = pane.gutter.left
        top = pane.gutter.top
        await pilot.click(ReadingPane, offset=(left + 2 + 2 * 4 + 1, top))  # 5th star, 2nd cell
        assert pane.caret == 2 + 4
        await pilot.click(ReadingPane, offset=(left + 2 + 20, top))  # c, after the stars
        assert pane.caret == 12


def long_article(tmp_path: Path) -> Path:
    p = tmp_path / "long.txt"
    paras = [f"Paragraph {i}: " + "the reader scrolls through this text " * 4 for i in range(80)]
    p.write_text("A long article\n\n" + "\n\n".join(paras) + "\n")
    return p


def cols_where(pane: ReadingPane, y: int, drawn: Callable[[Style], bool]) -> list[int]:
    """The cells of visible row y whose style passes drawn."""
    cols: list[int] = []
    x = 0
    for seg in pane.render_line(y):
        if seg.style is not None and drawn(seg.style):
            cols += range(x, x + seg.cell_length)
        x += seg.cell_length
    return cols


def caret_cells(pane: ReadingPane) -> list[tuple[int, int]]:
    """(row, x) of every cell drawn in the caret's style (reverse)."""
    rows = range(pane.scrollable_content_region.height)
    return [(y, x) for y in rows for x in cols_where(pane, y, lambda s: bool(s.reverse))]


async def test_scrolling_back_and_forth_draws_rows_from_the_cache(tmp_path: Path) -> None:
    app = make_app([long_article(tmp_path)])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        pane = app.screen.query_one(ReadingPane)
        pane.focus()
        await pilot.pause()
        r = pane.renderer
        hits, misses = r.hits, r.misses
        await pilot.press(*"j" * 40)
        await pilot.press(*"k" * 40)
        await pilot.pause()
        new_hits, new_misses = r.hits - hits, r.misses - misses
        print(f"80 keystrokes: {new_hits} hits, {new_misses} fresh renders")
        assert new_hits > 4 * new_misses  # most rows come from the cache
        assert pane.scroll_offset.y == 0
        # The screen is still right: the caret is drawn once, where it is.
        row = pane.layout_rows.row_of(pane.caret) - int(pane.scroll_offset.y)
        assert caret_cells(pane) == [(row, 0)]
        await pilot.press("l", "l", "l")
        assert caret_cells(pane) == [(row, 3)]  # moved, and the old place is clean
        await pilot.press("v", "l", "l")
        sel = pane.get_component_rich_style("reading-pane--selection", partial=True).bgcolor
        assert cols_where(pane, row, lambda s: s.bgcolor == sel) == [3, 4, 5]


@pytest.mark.parametrize("color", ["red", "[b]x"])
async def test_a_colour_outside_the_palette_is_drawn_neutrally(tmp_path: Path, color: str) -> None:
    art = tmp_path / "article.txt"
    art.write_text("A title\n\nSome plain words and a marked passage here.\n")
    annotate(art, "marked passage")
    side = sidecar_beside(art)
    side.write_text(side.read_text().replace('color = "yellow"', f"color = {color!r}"))
    assert f"color = {color!r}" in side.read_text()
    app = make_app([art])
    async with app.run_test(size=(100, 20)) as pilot:
        await settle(app, pilot)
        pane = app.screen.query_one(ReadingPane)
        assert "marked passage" in pane_text(app)
        [mark] = [m for m in pane.marks if "hl" in m.component]
        assert pane.doc.text[mark.start : mark.end] == "marked passage"
        neutral = pane.get_component_rich_style("reading-pane--hl-other", partial=True)
        row = pane.layout_rows.row_of(mark.start) - int(pane.scroll_offset.y)
        start = pane.layout_rows.row(row + int(pane.scroll_offset.y))
        assert start is not None
        x = mark.start - start[0]
        drawn = cols_where(pane, row, lambda s: s.bgcolor == neutral.bgcolor and bool(s.underline))
        assert drawn == list(range(x, x + len("marked passage")))
        # and readable: its letters in another colour than the background under them
        readable = cols_where(pane, row, lambda s: s.color is not None and s.color != s.bgcolor)
        assert set(drawn) <= set(readable)


async def test_ctrl_c_copies_the_selection_and_y_copies_it_as_a_quote(tmp_path: Path) -> None:
    art = tmp_path / "essay.txt"
    art.write_text("On Reading\n\nFirst line.\nA quotable sentence lives here.\n")
    app = make_app([art])
    async with app.run_test(size=(100, 20)) as pilot:
        await settle(app, pilot)
        pane = app.screen.query_one(ReadingPane)
        pane.focus()
        pane.caret = pane.doc.text.index("quotable")
        await pilot.press("W")  # select the word
        await pilot.press("ctrl+c")
        assert app.clipboard == "quotable"
        await pilot.press("Y")
        assert app.clipboard == "> quotable\n— On Reading (essay.txt, line 4)"
        assert isinstance(app.screen.focused, ReadingPane)  # the app goes on


async def test_y_on_a_highlight_quotes_the_whole_mark(tmp_path: Path) -> None:
    art = tmp_path / "essay.txt"
    art.write_text("On Reading\n\nA quotable sentence lives here.\n")
    annotate(art, "quotable sentence")
    app = make_app([art])
    async with app.run_test(size=(100, 20)) as pilot:
        await settle(app, pilot)
        pane = app.screen.query_one(ReadingPane)
        pane.focus()
        pane.caret = pane.doc.text.index("sentence")
        await pilot.pause()
        await pilot.press("Y")
        assert app.clipboard == "> quotable sentence\n— On Reading (essay.txt, line 3)"


async def test_caret_inside_an_emoji_sequence_keeps_the_row_whole(tmp_path: Path) -> None:
    """The caret on the joiner of 👨‍👩‍👧 covers the whole glyph; no text is pushed off."""
    family = "👨\u200d👩\u200d👧"
    app = make_app([long_article(tmp_path)])
    async with app.run_test(size=(80, 20)) as pilot:
        await settle(app, pilot)
        pane = app.screen.query_one(ReadingPane)
        pane.focus()
        xs = pane.text_width - 2  # the glyph takes two cells, x's the rest of the row
        pane.show(Document(family + "x" * xs + "\nnext line\n"))
        await pilot.pause()
        assert pane.layout_rows.row(0) == (0, len(family) + xs)
        for offset in range(len(family)):  # on each part of the sequence
            pane.caret = offset
            await pilot.pause()
            assert "".join(s.text for s in pane.render_line(0)).count("x") == xs
            assert cols_where(pane, 0, lambda s: bool(s.reverse)) == [0, 1]  # the whole glyph
