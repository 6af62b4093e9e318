"""An 80x24 terminal stays readable: messages keep off the article's text, and the find
count in the status line shows only while the reader is at a hit."""

from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.geometry import Region
from textual.widget import Widget

from reader.ui.app import make_app
from reader.ui.widgets.reading_pane import ReadingPane
from reader.ui.widgets.status_bar import StatusBar

from .test_app import pane_text, screen_text, settle


@pytest.fixture
def story(tmp_path: Path) -> Path:
    """Three hundred numbered rows, each with one "harbour" in it."""
    rows = [
        f"Row {i:03d} tells of ships that sail past the harbour wall at dawn." for i in range(300)
    ]
    art = tmp_path / "story.txt"
    art.write_text("\n".join(rows) + "\n")
    return art


def status(app: App[Any]) -> str:
    return app.screen.query_one(StatusBar).render().plain


def toasts(app: App[Any]) -> list[Widget]:
    return list(app.screen.query("Toast"))


def text_rows(app: App[Any]) -> Region:
    """Where the reading pane draws the article's text, in screen cells."""
    return app.screen.query_one(ReadingPane).scrollable_content_region


async def test_messages_at_80x24_keep_off_the_text_being_read(story: Path) -> None:
    app = make_app([story])
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(app, pilot)
        await pilot.press("n")  # no find yet: says so
        await pilot.press("percent_sign")  # no count: says so; two messages at once
        await pilot.pause()
        shown = toasts(app)
        assert len(shown) == 2
        text = screen_text(app)
        assert "No search: press / to find." in text
        assert "Type a number first: 50% goes halfway through." in text
        for toast in shown:
            assert not toast.region.overlaps(text_rows(app)), toast.region
        last = pane_text(app).splitlines()[-1].strip()  # the pane's lowest row of text
        assert last and last in text.splitlines()[text_rows(app).bottom - 1]  # not covered


async def test_an_error_at_80x24_is_whole_on_screen_and_off_the_text(story: Path) -> None:
    app = make_app([story])
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(app, pilot)
        await pilot.press("m", "1")  # a mark needs a letter
        await pilot.pause()
        (toast,) = toasts(app)
        assert "A mark is a letter: m then a-z or A-Z." in screen_text(app)
        assert not toast.region.overlaps(text_rows(app))
        assert toast.region.width == 80  # the whole width, so a message takes few rows


async def test_a_wide_terminal_keeps_its_corner_messages(story: Path) -> None:
    app = make_app([story])
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await settle(app, pilot)
        await pilot.press("n")
        await pilot.pause()
        (toast,) = toasts(app)
        assert toast.region.width < 80 and toast.region.right > 150  # bottom right, as ever


async def test_the_find_count_shows_at_a_hit_and_goes_when_reading_on(story: Path) -> None:
    app = make_app([story])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"harbour")
        await settle(app, pilot)
        assert status(app).startswith("[1/300] ")
        await pilot.press("enter", "n")
        assert status(app).startswith("[2/300] line 2/")
        await pilot.press("w", "w")  # reading on: the caret leaves the hit
        assert "/300]" not in status(app) and "line 2/" in status(app)
        await pilot.press("n")  # the hits are kept: n goes on, and the count is back
        assert status(app).startswith("[3/300] line 3/")
        await pilot.press("escape")  # esc ends the find
        assert "/300]" not in status(app)
        await pilot.press("n")
        assert "/300]" not in status(app)


async def test_esc_ends_the_find_from_a_side_pane_too(story: Path) -> None:
    app = make_app([story])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        pane = app.screen.query_one(ReadingPane)
        await pilot.press("slash", *"harbour")
        await settle(app, pilot)
        await pilot.press("enter", "f3")  # the annotations pane comes over the article
        assert status(app).startswith("[1/300] ")
        await pilot.press("escape")
        assert not status(app).startswith("[") and not pane.find_hits


async def test_esc_drops_a_selection_before_it_ends_the_find(story: Path) -> None:
    app = make_app([story])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"harbour")
        await settle(app, pilot)
        await pilot.press("enter", "v", "l")
        assert status(app).startswith("[1/300] VISUAL 2 chars")
        await pilot.press("escape")
        assert status(app).startswith("[1/300] line 1/")
        await pilot.press("escape")
        assert status(app).startswith("line 1/")
