"""While a web page or e-book is extracted (in a thread), the app shows what it can and
keeps working, and nothing is annotated until the whole text is there: annotations count
their offsets in that text."""

import threading
from pathlib import Path

import pytest

from reader.core.store import sidecar_beside
from reader.ui import opening
from reader.ui.app import make_app
from reader.ui.screens.outline import OutlineScreen
from reader.ui.widgets.reading_pane import ReadingPane

from ..core.epubs import make_epub, make_page
from .test_app import pane_text, screen_text, settle, told
from .test_formats_ui import annotate_word, sidecar


def hold(
    monkeypatch: pytest.MonkeyPatch, name: str, progress: tuple[int, int] | None = None
) -> threading.Event:
    """Make the opener's `name` step (read_session or sketch) wait until the event is set,
    as a slow extraction does; read_session first says how far it got (progress)."""
    go = threading.Event()
    real = getattr(opening, name)

    def slow(path, *args):  # type: ignore[no-untyped-def]
        if progress is not None and args and args[0] is not None:
            args[0](*progress)
        go.wait(10)
        return real(path, *args)

    monkeypatch.setattr(opening, name, slow)
    return go


async def test_a_web_page_shows_extracting_then_a_sketch_then_its_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = make_page(tmp_path / "page.html")
    sketched = hold(monkeypatch, "sketch")
    extracted = hold(monkeypatch, "read_session")
    app = make_app([page])
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        assert "Extracting the text of page.html…" in screen_text(app)
        assert "annotating waits" in screen_text(app)
        sketched.set()  # the page's raw text, to read meanwhile
        for _ in range(50):
            await pilot.pause(0.02)
            if "first paragraph of the article" in pane_text(app):
                break
        assert "first paragraph of the article" in pane_text(app)
        assert "SCRIPT RAN" not in screen_text(app)  # scripts are dropped here too
        assert "a first look at the page" in screen_text(app)
        pane = app.screen.query_one(ReadingPane)
        pane.focus()
        messages = told(app)
        pane.caret = pane.doc.text.index("emphasis")
        await pilot.press("W", "a")
        await pilot.pause()
        assert any(m.startswith("Not yet: page.html is still being read") for m in messages)
        assert not sidecar_beside(page).exists()  # nothing was annotated on the sketch
        extracted.set()
        pane = await annotate_word(app, pilot, "emphasis")
        assert "annotating waits" not in screen_text(app)
        await pilot.press("q")
    [a] = sidecar(page)["annotation"]
    assert pane.doc.text[a["target"]["start"] : a["target"]["end"]] == "emphasis"


async def test_a_big_e_book_shows_its_first_chapter_and_how_far_the_rest_got(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import random

    # Over 1 MB on disk (an image): its first chapter shows while the rest is extracted.
    picture = random.Random(3).randbytes(1_200_000)
    book = make_epub(tmp_path / "big.epub", extra={"OEBPS/images/cover.jpg": picture})
    extracted = hold(monkeypatch, "read_session", progress=(1, 2))
    app = make_app([book])
    async with app.run_test(size=(120, 30)) as pilot:
        for _ in range(50):
            await pilot.pause(0.02)
            if "1/2 chapters" in screen_text(app):
                break
        assert "bright cold day in April" in pane_text(app)
        assert "extracting the text (1/2 chapters) · annotating waits" in screen_text(app)
        pane = app.screen.query_one(ReadingPane)
        pane.focus()
        messages = told(app)
        pane.caret = pane.doc.text.index("hallway")
        await pilot.press("c")  # a note waits too: no note editor opens
        await pilot.pause()
        assert any(m.startswith("Not yet: big.epub is still being read") for m in messages)
        assert app.screen is app.screen_stack[0] and not sidecar_beside(book).exists()
        extracted.set()
        await settle(app, pilot)
        assert pane.doc.outline  # the whole book now, so annotating works
        pane = await annotate_word(app, pilot, "hallway")
        await pilot.press("q")
    [a] = sidecar(book)["annotation"]
    assert pane.doc.text[a["target"]["start"] : a["target"]["end"]] == "hallway"


async def test_an_outline_opened_on_a_books_first_look_lists_every_chapter_once_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import random

    # Six long chapters and a picture (over 1 MB): the first look holds the first chapter.
    words = "<p>" + "words and more words " * 100 + "</p>"
    chapters = [(f"Chapter {n}", words * 20) for n in range(6)]
    toc = [(f"Chapter {n}", f"text/ch{n}.xhtml") for n in range(6)]
    picture = random.Random(3).randbytes(1_200_000)
    book = make_epub(
        tmp_path / "big.epub", chapters=chapters, toc=toc, extra={"OEBPS/images/c.jpg": picture}
    )
    extracted = hold(monkeypatch, "read_session")
    app = make_app([book])
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(50):
            await pilot.pause(0.02)
            if "Chapter 0" in pane_text(app):
                break
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, OutlineScreen)
        shown = screen_text(app)
        assert "Outline: 1 heading in the first part (all once read)" in shown
        assert "Chapter 1" not in shown
        extracted.set()  # the whole book arrives while the outline is open
        await settle(app, pilot)
        assert isinstance(app.screen, OutlineScreen)
        shown = screen_text(app)
        assert "Outline: 6 headings (" in shown
        assert all(f"Chapter {n}" in shown for n in range(6))
        await pilot.press("down", "down", "down", "enter")
        await settle(app, pilot)
        assert pane_text(app).splitlines()[0].strip() == "Chapter 3"


async def test_a_page_that_cannot_be_extracted_says_so_in_the_pane(tmp_path: Path) -> None:
    page = make_page(tmp_path / "blank.html", "<html><body>   </body></html>")
    app = make_app([page])
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        shown = screen_text(app)
        assert "Cannot open blank.html." in shown and "Extracting" not in shown
