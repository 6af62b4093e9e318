"""An 80x24 terminal stays readable: messages keep off the article's text."""

from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.geometry import Region
from textual.widget import Widget

from reader.ui.app import make_app
from reader.ui.widgets.reading_pane import ReadingPane

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
