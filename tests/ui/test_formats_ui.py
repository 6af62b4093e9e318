"""Web pages and e-books open in the app, show their text and take annotations that are
saved beside the source file."""

import tomllib
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.pilot import Pilot

from reader.core.document import Document
from reader.core.store import sidecar_beside
from reader.ui.app import make_app
from reader.ui.widgets.reading_pane import ReadingPane

from ..core.archives import PAGE_1251, make_archive
from ..core.epubs import make_epub, make_page
from .test_app import pane_text, screen_text, settle


def sidecar(path: Path) -> dict[str, Any]:
    return tomllib.loads(sidecar_beside(path).read_text("utf-8"))


async def annotate_word(app: App[Any], pilot: Pilot[Any], word: str) -> ReadingPane:
    await settle(app, pilot)
    pane = app.screen.query_one(ReadingPane)
    pane.focus()
    await pilot.pause()
    pane.caret = pane.doc.text.index(word) + 1
    await pilot.press("W", "a")  # select the word under the caret, highlight it
    await pilot.pause()
    return pane


async def test_web_page_opens_shows_its_text_and_is_annotated(tmp_path: Path) -> None:
    page = make_page(tmp_path / "page.html")
    app = make_app([page])
    async with app.run_test(size=(120, 30)) as pilot:
        pane = await annotate_word(app, pilot, "emphasis")
        shown = pane_text(app)
        assert "The Long Read" in shown and "first paragraph of the article" in shown
        assert "SCRIPT RAN" not in screen_text(app) and "<p>" not in shown
        await pilot.press("q")
    [a] = sidecar(page)["annotation"]
    assert a["target"]["quote"] == "emphasis"
    assert pane.doc.text[a["target"]["start"] : a["target"]["end"]] == "emphasis"


async def test_epub_opens_shows_its_text_and_is_annotated(tmp_path: Path) -> None:
    book = make_epub(tmp_path / "1984.epub")
    app = make_app([tmp_path])
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        assert "Nineteen Eighty-Four" in screen_text(app)  # the library shows its title
        await pilot.press("enter")
        pane = await annotate_word(app, pilot, "cabbage")
        shown = pane_text(app)
        assert "Chapter One" in shown and "bright cold day in April" in shown
        assert "[image: A map of the city]" in shown
        await pilot.press("q")
    [a] = sidecar(book)["annotation"]
    assert a["target"]["quote"] == "cabbage"
    assert pane.doc.text[a["target"]["start"] : a["target"]["end"]] == "cabbage"


async def test_web_archive_is_listed_opens_as_its_html_page_and_is_annotated(
    tmp_path: Path,
) -> None:
    library = tmp_path / "library"
    library.mkdir()
    saved = make_archive(library / "page.mhtml")
    same = tmp_path / "page.html"
    same.write_bytes(PAGE_1251.encode("windows-1251"))
    app = make_app([library])
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        assert "Новости дня" in screen_text(app)  # the library row: the page's title
        await pilot.press("enter")
        pane = await annotate_word(app, pilot, "музеев")
        shown = pane_text(app)
        assert "крупнейший город страны" in shown and "[image: Кошка на окне]" in shown
        assert "=3D" not in shown and "Content-Type" not in shown
        assert "SCRIPT RAN" not in screen_text(app)
        assert pane.doc.text == Document.load(same).text
        await pilot.press("q")
    assert sidecar_beside(saved) == library / "page.mhtml.annotations.toml"
    [a] = sidecar(saved)["annotation"]
    assert a["target"]["quote"] == "музеев"


async def test_status_line_names_a_legacy_encoding(tmp_path: Path) -> None:
    art = tmp_path / "news.txt"
    sentence = "日本語のテキストです。これは文字コードの検出をテストするための文章です。\n"
    art.write_bytes((sentence * 4).encode("shift_jis"))
    app = make_app([art])
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        app.screen.query_one(ReadingPane).focus()
        await pilot.pause()
        assert "日本語のテキスト" in pane_text(app)
        assert "Shift-JIS" in screen_text(app)


async def test_a_lone_book_opens_with_its_first_look_extracted_ahead(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`reader BOOK.epub` (the CLI) has a child process extract the first chapters while
    the app starts: the app shows those, without extracting them again."""
    import os
    import random
    import threading
    import time

    import reader.ui.opening as opening
    from reader.core.formats.ahead import first_look_ahead
    from reader.core.text import PREVIEW_BYTES

    picture = random.Random(3).randbytes(1_200_000)
    book = make_epub(tmp_path / "big.epub", extra={"OEBPS/images/cover.jpg": picture})
    # The CLI forks before any thread exists; an earlier test's file watcher (a daemon
    # thread) ends within half a second of its app.
    for _ in range(60):
        if threading.active_count() == 1:
            break
        time.sleep(0.05)
    ahead = first_look_ahead([book], PREVIEW_BYTES)
    assert ahead is not None
    made = []
    monkeypatch.setattr(opening, "read_preview", lambda *a: made.append(a))
    app = make_app([book], ahead)
    async with app.run_test(size=(120, 30)) as pilot:
        pane = await annotate_word(app, pilot, "hallway")
        assert "bright cold day in April" in pane_text(app)
        assert pane.doc.format == "epub" and pane.doc.outline
        await pilot.press("q")
    assert made == []  # the first look came from the child
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # which is gone: taken and reaped
    [a] = sidecar(book)["annotation"]
    assert a["target"]["quote"] == "hallway"


async def test_big_epub_opens_through_its_preview_and_is_annotated(tmp_path: Path) -> None:
    import random

    # Over 1 MB on disk (an image): the app shows the first chapters at once, then the rest.
    picture = random.Random(3).randbytes(1_200_000)
    book = make_epub(tmp_path / "big.epub", extra={"OEBPS/images/cover.jpg": picture})
    app = make_app([book])
    async with app.run_test(size=(120, 30)) as pilot:
        pane = await annotate_word(app, pilot, "hallway")
        assert "bright cold day in April" in pane_text(app)
        assert pane.doc.format == "epub" and pane.doc.outline  # the whole book, not the preview
        await pilot.press("q")
    [a] = sidecar(book)["annotation"]
    assert a["target"]["quote"] == "hallway"
