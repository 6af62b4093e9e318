"""The strip beside the scrollbar: every mark of the article at its place in the whole text,
in its colour, and a click there goes to it."""

import shutil
from pathlib import Path
from typing import Any

import pytest
from rich.style import Style
from textual.app import App

from reader.ui.app import make_app
from reader.ui.palette import HIGHLIGHT
from reader.ui.widgets.mark_strip import GLYPH
from reader.ui.widgets.reading_pane import ReadingPane

from ..conftest import annotate
from .test_app import pane_text, settle
from .test_navigation import status


@pytest.fixture
def story(tmp_path: Path) -> Path:
    """A plain-text article of 310 lines, far longer than a screen."""
    lines = ["Chapter One", ""] + [f"Row {i:03d} tells of ships." for i in range(1, 301)]
    art = tmp_path / "story.txt"
    art.write_text("\n".join(lines) + "\n")
    return art


def add_layer(article: Path, author: str, quote: str) -> None:
    """A colleague's layer for article: their sidecar in annotations/<author>/ beside it."""
    theirs = article.parent / "theirs"
    theirs.mkdir(exist_ok=True)
    copy = theirs / article.name
    shutil.copy(article, copy)
    annotate(copy, quote, "--color", "blue", "--author", author)
    folder = article.parent / "annotations" / author
    folder.mkdir(parents=True)
    sidecar = copy.name + ".annotations.toml"
    shutil.move(theirs / sidecar, folder / sidecar)
    shutil.rmtree(theirs)


def strip_x(pane: ReadingPane) -> int:
    """The strip's column, from the pane's left edge: the last before the scrollbar."""
    return pane.scrollable_content_region.right - 1 - pane.region.x


def strip_cells(app: App[Any]) -> list[tuple[str, Style]]:
    """The strip as drawn on the screen, top to bottom: each cell's character and style."""
    pane = app.screen.query_one(ReadingPane)
    x = pane.region.x + strip_x(pane)
    top = pane.region.y + pane.gutter.top
    rows = app.screen._compositor.render_strips()[top : top + pane.scrollable_content_region.height]
    cells = []
    for row in rows:
        [seg] = [s for s in row.crop(x, x + 1) if s.text]
        cells.append((seg.text, seg.style or Style()))
    return cells


def marked(app: App[Any]) -> list[tuple[int, str]]:
    """(row of the strip, colour) of each cell that shows a mark."""
    return [
        (y, style.color.triplet.hex if style.color and style.color.triplet else "?")
        for y, (text, style) in enumerate(strip_cells(app))
        if text.strip()
    ]


def text_background(app: App[Any], word: str) -> str:
    """The background colour `word` is drawn on in the reading pane (a highlight's)."""
    pane = app.screen.query_one(ReadingPane)
    for y in range(pane.scrollable_content_region.height):
        for seg in pane.render_line(y):
            if seg.text == word and seg.style and seg.style.bgcolor:
                triplet = seg.style.bgcolor.triplet
                assert triplet is not None
                return triplet.hex
    raise AssertionError(f"{word!r} is not on the screen as a piece of its own")


async def test_marks_near_the_start_and_the_end_show_at_the_top_and_bottom(story: Path) -> None:
    annotate(story, "Row 003", "--color", "green")
    annotate(story, "Row 298", "--color", "pink")
    app = make_app([story])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        pane = app.screen.query_one(ReadingPane)
        height = pane.scrollable_content_region.height
        assert "Row 298" not in pane_text(app)  # the end is far below the screen
        green, pink = HIGHLIGHT["green"], HIGHLIGHT["pink"]
        assert marked(app) == [(0, green), (height - 1, pink)]
        # The same colour as the highlight over the text.
        assert text_background(app, "Row 003") == green
        assert pane.text_width >= 70  # the strip leaves the article its room at 80x24


async def test_a_click_on_the_strip_goes_to_the_mark_and_ctrl_o_comes_back(story: Path) -> None:
    annotate(story, "Row 003", "--color", "green")
    annotate(story, "Row 298", "--color", "pink")
    app = make_app([story])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        pane = app.screen.query_one(ReadingPane)
        [_, (bottom, _)] = marked(app)
        await pilot.click(ReadingPane, offset=(strip_x(pane), pane.gutter.top + bottom))
        await settle(app, pilot)
        assert "Row 298 tells of ships." in pane_text(app)
        assert "line 300/" in status(app) and "■ pink" in status(app)  # the caret is on it
        await pilot.press("ctrl+o")
        assert "line 1/" in status(app)


async def test_a_click_on_an_empty_part_of_the_strip_goes_that_far_through(story: Path) -> None:
    app = make_app([story])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        pane = app.screen.query_one(ReadingPane)
        assert marked(app) == []  # no annotations: nothing drawn
        half = pane.scrollable_content_region.height // 2
        await pilot.click(ReadingPane, offset=(strip_x(pane), pane.gutter.top + half))
        await settle(app, pilot)
        line = int(status(app).split("line ")[1].split("/")[0])
        assert 140 <= line <= 170  # about halfway through 310 lines
        assert f"Row {line - 2:03d}" in pane_text(app)


async def test_a_shared_layers_mark_shows_in_the_layers_colour(story: Path) -> None:
    add_layer(story, "ada", "Row 150")
    annotate(story, "Row 003", "--color", "green")
    app = make_app([story])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        pane = app.screen.query_one(ReadingPane)
        height = pane.scrollable_content_region.height
        [(top, green), (middle, colour)] = marked(app)
        assert (top, green) == (0, HIGHLIGHT["green"])
        assert 0.4 * height <= middle <= 0.6 * height  # line 152 of 310
        # Drawn as the layer's marks are over the text: in its colour, not a highlight's.
        layer = pane.get_component_rich_style("reading-pane--layer", partial=True).color
        assert layer is not None and layer.triplet is not None
        assert colour == layer.triplet.hex and colour not in HIGHLIGHT.values()
        await pilot.click(ReadingPane, offset=(strip_x(pane), pane.gutter.top + middle))
        await settle(app, pilot)
        assert "line 152/" in status(app)


async def test_a_short_articles_marks_sit_beside_their_rows(tmp_path: Path) -> None:
    art = tmp_path / "short.txt"
    art.write_text("First line.\n\nSecond line.\n\nThird line, marked.\n")
    annotate(art, "marked", "--color", "purple")
    app = make_app([art])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        rows = pane_text(app).splitlines()
        [(y, colour)] = marked(app)
        assert "Third line" in rows[y] and colour == HIGHLIGHT["purple"]


async def test_the_strip_follows_new_and_deleted_marks(story: Path) -> None:
    annotate(story, "Row 003", "--color", "green")
    app = make_app([story])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert [c for _, c in marked(app)] == [HIGHLIGHT["green"]]
        await pilot.press("2", "5", "0", "G", "W", "3")  # line 250: select a word, blue
        await settle(app, pilot)
        assert [c for _, c in marked(app)] == [HIGHLIGHT["green"], HIGHLIGHT["blue"]]
        await pilot.press("x")  # delete the blue mark under the caret
        await settle(app, pilot)
        assert [c for _, c in marked(app)] == [HIGHLIGHT["green"]]


async def test_on_a_wide_terminal_the_strip_stays_beside_the_scrollbar(story: Path) -> None:
    """The text is centred at its measure; the strip stays at the pane's right edge, where
    it reads as the whole article's, not a column next to the lines as if it marked them."""
    annotate(story, "Row 003", "--color", "green")
    annotate(story, "Row 150", "--color", "pink")
    app = make_app([story])
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(app, pilot)
        await pilot.press("z")  # the article alone: a pane 200 columns wide
        await settle(app, pilot)
        pane = app.screen.query_one(ReadingPane)
        # The screen column left of the scrollbar (inside the pane's right border).
        edge = pane.region.right - 1 - pane.styles.scrollbar_size_vertical - 1
        top = pane.region.y + pane.gutter.top
        rows = app.screen._compositor.render_strips()[top : top + 45]
        drawn = ["".join(s.text for s in row.crop(edge, edge + 1)) for row in rows]
        assert drawn.count(GLYPH) == 2  # both marks, at the edge
        measure_end = pane.content_region.x + pane.text_width
        assert pane.text_width == 80 and edge - measure_end >= 20  # blank between them
