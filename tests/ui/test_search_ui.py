from pathlib import Path

from reader.cli import main
from reader.ui.app import make_app
from reader.ui.widgets.reading_pane import ReadingPane

from ..conftest import HUAWEI, XIAOMI
from .test_app import pane_text, screen_text, settle


async def test_find_in_article_counts_and_escape_returns(seeds_copy: Path) -> None:
    app = make_app([seeds_copy / HUAWEI])
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        pane = app.screen.query_one(ReadingPane)
        await pilot.press("slash", *"xiaomi")
        await settle(app, pilot)
        total = pane.doc.text.lower().count("xiaomi")
        assert f"[1/{total}]" in screen_text(app)
        await pilot.press("enter", "n")
        assert f"[2/{total}]" in screen_text(app)
        assert pane.doc.text[pane.caret :].lower().startswith("xiaomi")
        before = (pane.caret, pane.scroll_offset.y)
        await pilot.press("slash", *"Source")
        await settle(app, pilot)
        assert "Source link" in pane_text(app)
        await pilot.press("escape")
        assert (pane.caret, pane.scroll_offset.y) == before


async def test_library_search_opens_the_passage(seeds_copy: Path) -> None:
    app = make_app([seeds_copy])
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("F", *"xiaomy 3 nm chipp")
        await settle(app, pilot)
        assert "Xring O1" in screen_text(app)
        await pilot.press("enter")
        await settle(app, pilot)
        pane = app.screen.query_one(ReadingPane)
        assert pane.doc.path is not None and pane.doc.path.name == XIAOMI
        assert pane.find_hits and "Xring O1" in pane.doc.text[slice(*pane.find_hits[0])]


async def test_quick_open_by_a_few_mistyped_letters(seeds_copy: Path) -> None:
    app = make_app([seeds_copy])
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("o", *"xiaomy")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(app, pilot)
        assert "Xiaomi Corp founder Lei Jun" in pane_text(app)


async def test_search_notes_across_the_library(seeds_copy: Path) -> None:
    main(
        [
            "annotate",
            str(seeds_copy / XIAOMI),
            "--quote",
            "political publicity stunt",
            "--note",
            "propaganda angle",
            "--tag",
            "politics",
        ]
    )
    app = make_app([seeds_copy])
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("M", *"propaganda")
        await settle(app, pilot)
        assert "political publicity stunt" in screen_text(app)
        await pilot.press("enter")
        await settle(app, pilot)
        pane = app.screen.query_one(ReadingPane)
        assert pane.doc.text[pane.caret :].startswith("political publicity stunt")
