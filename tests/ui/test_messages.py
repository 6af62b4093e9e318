"""Messages (toasts) as the user sees them pile up, or not."""

from pathlib import Path

from reader.ui.app import make_app
from reader.ui.widgets.reading_pane import ReadingPane

from .test_app import screen_text, settle


async def test_a_message_said_again_while_showing_is_one_row(seeds_copy: Path) -> None:
    app = make_app([seeds_copy])  # a copy of the samples: no colleagues' layers beside it
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await settle(app, pilot)
        for _ in range(5):
            await pilot.press("L")
            await pilot.pause()
        await pilot.pause()
        assert screen_text(app).count("No shared layers") == 1
        assert len(app.screen.query("Toast")) == 1
        app.screen.query_one(ReadingPane).focus()
        await pilot.press("Y")  # nothing selected, no mark at the caret: another message
        await pilot.pause()
        await pilot.pause()
        shown = screen_text(app)
        assert shown.count("No shared layers") == 1 and shown.count("or put the caret") == 1
        assert len(app.screen.query("Toast")) == 2  # a different message still gets its row
