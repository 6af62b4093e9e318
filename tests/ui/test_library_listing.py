"""A folder of saved pages and books opens at once: their titles (read from each file's
metadata, milliseconds apiece) are read after the first frame, each row redrawn as it comes."""

import threading
from pathlib import Path

import pytest

import reader.core.formats as formats
from reader.ui.app import make_app
from reader.ui.widgets import library_list
from reader.ui.widgets.library_list import LibraryList

from ..core.epubs import make_epub, make_page
from .test_app import screen_text, told


async def until(app: object, pilot: object, done: object) -> None:
    """Let the app run until done() (titles are read a moment after the first frame)."""
    for _ in range(250):
        await pilot.pause(0.02)  # type: ignore[attr-defined]
        if done():  # type: ignore[operator]
            return


def library_text(app: object) -> str:
    pane = app.screen.query_one(LibraryList)  # type: ignore[attr-defined]
    return "\n".join(
        "".join(seg.text for seg in pane.render_line(y))
        for y in range(pane.scrollable_content_region.height)
    )


async def test_titles_of_pages_and_books_come_after_the_first_frame(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lib = tmp_path / "saved"
    lib.mkdir()
    for i in range(3):
        make_page(
            lib / f"page-{i}.html",
            f"<html><head><title>Harbour report {i}</title></head>"
            f"<body><article><p>Tides and ships, part {i}.</p></article></body></html>",
        )
    make_epub(lib / "novel.epub")
    read: list[Path] = []
    real_listing = formats.listing
    monkeypatch.setattr(formats, "listing", lambda p: read.append(p) or real_listing(p))
    go = threading.Event()
    real_list = library_list.list_article

    def slow(article):  # type: ignore[no-untyped-def]
        go.wait(10)
        return real_list(article)

    monkeypatch.setattr(library_list, "list_article", slow)
    app = make_app([lib])
    assert read == []  # start-up read no page's or book's metadata
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        shown = library_text(app)
        assert "page-1" in shown and "Harbour report 1" not in shown
        go.set()
        await until(app, pilot, lambda: library_text(app).count("Harbour report") == 3)
        shown = library_text(app)
        assert "Harbour report 0" in shown and "Harbour report 2" in shown
        assert "Nineteen Eighty-Four" in shown
        await pilot.press("q")


async def test_a_broken_book_listed_late_makes_way_for_the_next_article(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "a-broken.epub").write_bytes(b"this is not a zip archive")
    (lib / "b-notes.txt").write_text("Notes on the harbour tides.\n")
    app = make_app([lib])
    async with app.run_test(size=(120, 30)) as pilot:
        messages = told(app)
        await until(app, pilot, lambda: "a-broken.epub: not an EP" in library_text(app))
        assert "Notes on the harbour tides." in screen_text(app)  # the next one opened
        assert "a-broken.epub: not an EP" in library_text(app)  # the row says why (cut)
        [broken, _] = app.screen.query_one(LibraryList).library.articles
        assert broken.problem == "not an EPUB: not a zip archive"
        assert not [m for m in messages if "b-notes" in m]
        await pilot.press("q")


async def test_a_big_library_lists_titles_and_counts_after_the_first_frame(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reader.core.library as library
    from reader.core.store import sidecar_beside

    monkeypatch.setattr(library, "LIST_AT_ONCE", 2)  # (a big library, in miniature)
    lib = tmp_path / "notes"
    lib.mkdir()
    for i in range(4):
        (lib / f"n{i}.md").write_text(f"# Field notes {i}\n\nOtters at dawn, day {i}.\n")
    sidecar_beside(lib / "n2.md").write_text(
        '[source]\npath = "n2.md"\n\n[[annotation]]\nid = "a1"\ncolor = "yellow"\n'
        '[annotation.target]\nquote = "Otters"\nstart = 17\nend = 23\n'
    )
    go = threading.Event()
    real_list = library_list.list_article

    def slow(article):  # type: ignore[no-untyped-def]
        if article.path.name != "n0.md":  # the open one comes first, at once
            go.wait(10)
        return real_list(article)

    monkeypatch.setattr(library_list, "list_article", slow)
    app = make_app([lib])
    async with app.run_test(size=(120, 30)) as pilot:
        await until(app, pilot, lambda: "Field notes 0" in library_text(app))
        shown = library_text(app)  # the open article's title came first
        assert "n3" in shown and "Field notes 3" not in shown  # by file name for now
        go.set()
        await until(app, pilot, lambda: "Field notes 3" in library_text(app))
        shown = library_text(app)
        assert "Field notes 1" in shown and "Field notes 3" in shown
        listed = app.screen.query_one(LibraryList).library.articles
        assert [a.title for a in listed] == [f"Field notes {i}" for i in range(4)]
        assert "1 ✎" in shown  # n2's annotation, counted after the first frame
        await pilot.press("q")
