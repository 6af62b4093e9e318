"""The reading pane as a user sees it: wide characters, the strip cache, colours, copy."""

from pathlib import Path

from reader.ui.app import make_app
from reader.ui.widgets.reading_pane import ReadingPane

from .test_app import pane_text, screen_text, settle

STARS = "Rated " + "⭐" * 30 + " by readers."


async def test_thirty_stars_all_draw_wrapped_not_cropped(tmp_path: Path) -> None:
    p = tmp_path / "stars.txt"
    p.write_text(f"A review\n\n{STARS}\n\nThe end.\n")
    app = make_app([p])
    async with app.run_test(size=(80, 20)) as pilot:
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
