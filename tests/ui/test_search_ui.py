from pathlib import Path

from reader.ui.app import make_app
from reader.ui.widgets.reading_pane import ReadingPane

from ..conftest import HUAWEI, XIAOMI, annotate
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


async def search_and_open(app, pilot, key: str, query: str, expect: str) -> ReadingPane:
    """Open a search screen with key, type query, see expect listed, press enter."""
    await settle(app, pilot)
    await pilot.press(key, *query)
    await settle(app, pilot)
    assert expect in screen_text(app)
    await pilot.press("enter")
    await settle(app, pilot)
    return app.screen.query_one(ReadingPane)


async def test_library_search_opens_the_passage(seeds_copy: Path) -> None:
    app = make_app([seeds_copy])
    async with app.run_test(size=(120, 30)) as pilot:
        pane = await search_and_open(app, pilot, "F", "xiaomy 3 nm chipp", "Xring O1")
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
    annotate(
        seeds_copy / XIAOMI,
        "political publicity stunt",
        "--note",
        "propaganda angle",
        "--tag",
        "politics",
    )
    app = make_app([seeds_copy])
    async with app.run_test(size=(120, 30)) as pilot:
        pane = await search_and_open(app, pilot, "M", "propaganda", "political publicity stunt")
        assert pane.doc.text[pane.caret :].startswith("political publicity stunt")


async def test_escape_clears_the_hits_that_enter_kept(seeds_copy: Path) -> None:
    app = make_app([seeds_copy / HUAWEI])
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        await settle(app, pilot)
        pane = app.screen.query_one(ReadingPane)
        await pilot.press("slash", *"xiaomi")
        await settle(app, pilot)
        await pilot.press("enter", "n")
        total = pane.doc.text.lower().count("xiaomi")
        assert f"[2/{total}]" in screen_text(app)
        where = (pane.caret, pane.scroll_offset.y)
        await pilot.press("escape")
        assert f"/{total}]" not in screen_text(app)
        assert not pane.find_hits  # no hit is marked any more
        assert (pane.caret, pane.scroll_offset.y) == where  # and the reader stays put
        await pilot.press("n")
        await settle(app, pilot)
        assert "No search" in screen_text(app)


async def test_library_search_says_while_results_come_from_a_partial_index(
    seeds_copy: Path, monkeypatch
) -> None:
    import threading

    from reader.core.search import SearchIndex

    go_on = threading.Event()
    real_update = SearchIndex.update

    def slow_update(self, files, progress=None, **kw):  # a big library, still indexing
        if progress is not None:
            progress(1, len(files))
        go_on.wait(10)
        return real_update(self, files, progress=progress, **kw)

    monkeypatch.setattr(SearchIndex, "update", slow_update)
    app = make_app([seeds_copy])
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await pilot.press("F", *"xiaomy 3 nm chipp")
        await pilot.pause(0.5)
        assert "indexing 1/" in screen_text(app)
        assert "result(s) so far" in screen_text(app)
        go_on.set()
        await settle(app, pilot)
        assert "indexing" not in screen_text(app)
        assert "Xring O1" in screen_text(app)  # searched again once the index was whole


async def test_library_search_says_why_it_cannot_search(seeds_copy: Path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", "/dev/null")  # no index can be made under a file
    app = make_app([seeds_copy])
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await pilot.press("F", *"xiaomi")
        await settle(app, pilot)
        assert (
            "Cannot search: cannot use the search index /dev/null/reader/search.sqlite: "
            "Not a directory" in screen_text(app)
        )
