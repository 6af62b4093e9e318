"""Point reader at a hostile folder: everything opens inert or is listed with a reason."""

import os
import threading
from pathlib import Path
from typing import Any

import pytest

from reader.core.library import scan
from reader.ui import opening
from reader.ui.app import make_app
from reader.ui.widgets.library_list import LibraryList
from reader.ui.widgets.reading_pane import ReadingPane

from .. import hostile
from .test_app import pane_text, screen_text, settle


@pytest.fixture
def hostile_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "hostile"
    hostile.build(root)
    if os.geteuid() == 0:  # root reads mode-000 files: make that one fail as it would for a user
        import builtins

        real_open = builtins.open

        def guarded(file: Any, *a: Any, **k: Any) -> Any:
            if str(file).endswith("unreadable.txt"):
                raise PermissionError(13, "Permission denied", str(file))
            return real_open(file, *a, **k)

        monkeypatch.setattr(builtins, "open", guarded)
        import pathlib

        real_read = pathlib.Path.read_bytes
        monkeypatch.setattr(
            pathlib.Path,
            "read_bytes",
            lambda self: guarded(self) if self.name == "unreadable.txt" else real_read(self),
        )
    return root


def test_library_lists_every_file_or_a_reason(hostile_dir: Path) -> None:
    lib = scan([hostile_dir])
    by_name = {a.path.name: a for a in lib.articles}
    assert by_name["binary.txt"].problem and "binary" in by_name["binary.txt"].problem
    assert by_name["unreadable.txt"].problem == "permission denied"
    for ok in (
        "escapes.txt",
        "markup.md",
        "latin1.txt",
        "utf16.txt",
        "invalid-utf8.txt",
        "empty.txt",
        "one-mb-line.txt",
        "mixed.txt",
        "crlf.txt",
        "name with spaces.txt",
        "ñame-ünïcode-中文.txt",
    ):
        assert by_name[ok].problem is None, ok
    assert any("dangling.txt" in p for p in lib.problems)
    assert "[bold red]x[/]" in by_name["markup.md"].title


async def test_every_hostile_file_opens_or_says_why(hostile_dir: Path) -> None:
    app = make_app([hostile_dir])
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(app, pilot)
        library = app.screen.query_one(LibraryList)
        pane = app.screen.query_one(ReadingPane)
        shown = {}
        for i, article in enumerate(library.library.articles):
            library.focus()
            library.highlighted = i
            await pilot.press("enter")
            await settle(app, pilot)
            assert app.is_running
            text = pane_text(app)
            assert "\x1b" not in text and "\x07" not in text
            screen = screen_text(app)  # names too: the library, the pane's border
            assert "\x1b" not in screen and "\x07" not in screen, article.path.name
            shown[article.path.name] = (text, screen_text(app))
            await pilot.press("G", "g", "j", "space")  # scrolling never crashes
            assert app.is_running
        assert "␛[2J" in shown["escapes.txt"][0] and "␇" in shown["escapes.txt"][0]
        assert "[@click=app.quit]y[/]" in shown["markup.md"][0]
        assert "Café crème" in shown["latin1.txt"][0]
        assert "decoded as" in shown["latin1.txt"][1] or "cp1252" in shown["latin1.txt"][1]
        assert "UTF-16 text: 中文" in shown["utf16.txt"][0]
        assert "Windows line two." in shown["crlf.txt"][0] and "Old Mac" in shown["crlf.txt"][0]
        assert "Cannot open" in shown["binary.txt"][1]
        assert "empty" in shown["empty.txt"][0]
        assert "word word" in shown["one-mb-line.txt"][0]
        assert pane.doc.path is not None


async def test_one_mb_line_wraps_and_scrolls(hostile_dir: Path) -> None:
    app = make_app([hostile_dir / "one-mb-line.txt"])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        pane = app.screen.query_one(ReadingPane)
        assert pane.virtual_size.height > 10_000
        await pilot.press("G")
        assert pane.scroll_offset.y > 10_000 and "word" in pane_text(app)


def _big_article(folder: Path) -> Path:
    """A 2 MB article: big enough to be shown from a preview while it is read in full."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "big.txt"
    paras = [
        f"Paragraph {i} of the long report says something about item {i}." for i in range(32_000)
    ]
    paras[-1] = "The very last paragraph of the long report."
    path.write_text("\n\n".join(paras) + "\n")
    assert path.stat().st_size > 2_000_000
    return path


async def test_a_big_file_shows_its_first_lines_at_once_then_all_of_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = _big_article(tmp_path / "lib")
    slow_disk = threading.Event()  # the full read waits for it, as on a slow network share
    real_read = opening.read_session

    def read(path, progress=None):  # type: ignore[no-untyped-def]
        slow_disk.wait(10)
        return real_read(path, progress)

    monkeypatch.setattr(opening, "read_session", read)
    app = make_app([big])
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        pane = app.screen.query_one(ReadingPane)
        assert "Paragraph 0 of the long report" in pane_text(app)
        await pilot.press("j", "j")  # it can be read while the rest loads
        assert "Paragraph 0 of" not in pane_text(app)
        slow_disk.set()
        await settle(app, pilot)
        assert len(pane.doc.text) == big.stat().st_size
        assert "Paragraph 1 of" in pane_text(app)  # still where the reader got to
        await pilot.press("G")
        assert "The very last paragraph" in pane_text(app)


async def test_choosing_another_article_while_a_big_one_loads_keeps_the_choice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lib = tmp_path / "lib"
    big = _big_article(lib)
    (lib / "small.txt").write_text("A small note about something else.\n")
    slow_disk = threading.Event()
    real_read = opening.read_session

    def read(path, progress=None):  # type: ignore[no-untyped-def]
        if path == big:
            slow_disk.wait(10)
        return real_read(path, progress)

    monkeypatch.setattr(opening, "read_session", read)
    app = make_app([big, lib / "small.txt"])
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "Paragraph 0" in pane_text(app)  # the big one is still loading
        app.screen.query_one(LibraryList).focus()
        await pilot.press("j", "enter")
        await pilot.pause()
        assert "A small note" in pane_text(app)
        slow_disk.set()  # the big read ends after the reader moved on
        await settle(app, pilot)
        assert "A small note" in pane_text(app)
        assert "Paragraph 0" not in pane_text(app)


async def test_hostile_annotation_files_are_shown_inert(tmp_path: Path) -> None:
    """Someone's annotation file or layer folder with escape sequences: shown as symbols."""
    lib = tmp_path / "lib"
    lib.mkdir()
    art = lib / "a.txt"
    art.write_text("Some plain words here.\n\nAnother paragraph of words.\n")
    evil = "\\u001b[31m"  # as TOML writes ESC
    mark = (
        "[[annotation]]\n"
        f'id = "x1"\nauthor = "{evil}mallory\\u0007"\ncolor = "yellow"\n'
        f'tags = ["t{evil}ag"]\nnote = "{evil}red note\\u0007"\n'
        '[annotation.target]\nquote = "plain words"\nprefix = "Some "\nsuffix = " here"\n'
        "start = 5\nend = 16\n"
    )
    (lib / "a.txt.annotations.toml").write_text(f"format = 1\n\n{mark}")
    layer = lib / "annotations" / "eve\x1b]0;pwned\x07"
    layer.mkdir(parents=True)
    (layer / "a.txt.annotations.toml").write_text(f"format = 1\n\n{mark}".replace("x1", "x2"))
    app = make_app([lib])
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        screen = screen_text(app)
        assert "\x1b" not in screen and "\x07" not in screen
        assert "␛[31mred note␇" in screen
        await pilot.press("L")  # the layers list names the folder, inert
        await settle(app, pilot)
        screen = screen_text(app)
        assert "\x1b" not in screen and "eve␛]0;pwned␇" in screen


async def test_layer_folders_named_like_markup_show_as_named(tmp_path: Path) -> None:
    """A colleague's layer folder called `[b]bob` is listed as `[b]bob`, not a bold "bob"."""
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "a.txt").write_text("Some plain words here.\n")
    mark = (
        'format = 1\n\n[[annotation]]\nid = "x1"\nauthor = "someone"\ncolor = "yellow"\n'
        '[annotation.target]\nquote = "plain words"\nprefix = "Some "\nsuffix = " here"\n'
        "start = 5\nend = 16\n"
    )
    for folder in ("[b]bob", "[@click=app.quit]eve"):
        (lib / "annotations" / folder).mkdir(parents=True)
        (lib / "annotations" / folder / "a.txt.annotations.toml").write_text(mark)
    app = make_app([lib])
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("L")
        await settle(app, pilot)
        screen = screen_text(app)
        assert "[b]bob (1)" in screen and "[@click=app.quit]eve (1)" in screen
        await pilot.click("SelectionList", offset=(8, 1))  # a click on a markup action does nothing
        await pilot.pause()
        assert app.is_running


async def test_a_file_named_like_markup_shows_as_named_in_the_palette(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "[b]x.txt").write_text("A title for the file\n\nSome words.\n")
    app = make_app([lib])
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p", *"title")
        await settle(app, pilot)
        from textual.command import CommandList

        hits = app.screen.query_one(CommandList)
        shown = "\n".join(
            "".join(seg.text for seg in hits.render_line(y)) for y in range(hits.size.height)
        )
        assert "A title for the file" in shown and "[b]x.txt" in shown


async def test_a_cjk_note_fits_the_status_line(tmp_path: Path) -> None:
    """The note under the caret is cut to the room left, counting wide characters as two."""
    from rich.cells import cell_len

    from reader.ui.widgets.status_bar import StatusBar

    from ..conftest import annotate

    art = tmp_path / "a.txt"
    art.write_text("Alpha beta gamma delta.\n\nMore words follow here.\n")
    annotate(art, "Alpha beta", "--note", "中文笔记" * 12)
    app = make_app([art])
    async with app.run_test(size=(90, 24)) as pilot:
        await settle(app, pilot)
        bar = app.screen.query_one(StatusBar)
        row = "".join(seg.text for seg in bar.render_line(0))
        assert cell_len(row) == bar.size.width
        assert row.strip().startswith("line 1/") and "✎ 中文笔记" in row
        assert row.rstrip().endswith("…")  # cut where the bar ends, and saying so


async def test_library_titles_use_the_panes_width_and_end_with_an_ellipsis(tmp_path: Path) -> None:
    from rich.cells import cell_len

    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "a.txt").write_text("A rather long title that cannot fit in the library pane\n\nText.\n")
    (lib / "b.txt").write_text("中文标题很长很长很长很长很长很长很长很长很长\n\nText.\n")
    app = make_app([lib])
    async with app.run_test(size=(160, 30)) as pilot:
        await settle(app, pilot)
        library = app.screen.query_one(LibraryList)
        rows = ["".join(s.text for s in library.render_line(y)) for y in range(6)]
        width = library.content_region.width
        titles = [r.strip("│ ") for r in rows if "title" in r or "中文" in r]
        assert len(titles) == 2
        for title in titles:  # the title, cut, takes the row: a reader picks by it
            assert title.endswith("…") and width - 1 <= cell_len(title) <= width, title


def test_text_from_files_is_shown_inert_and_literal() -> None:
    from reader.ui.shown import shown, shown_name, shown_summary

    assert shown("[b]bob\x1b[2J\nnext").plain == "[b]bob␛[2J\nnext" and not shown("[b]x").spans
    assert shown_name("two\nlines\tand tab").plain == "two␤lines␉and tab"
    note = "中文 note\x07 " + "word " * 200_000  # a megabyte note gives its first words
    gist = shown_summary(note, 20)
    assert gist.plain.startswith("中文 note␇ word") and gist.plain.endswith("…")
    assert gist.cell_length == 20
    assert shown_summary("start" + " " * 500 + "end", 20).plain == "start…"


async def test_a_broken_annotation_file_is_named_in_the_pane_not_shown_as_empty(
    tmp_path: Path,
) -> None:
    from tests.conftest import annotate

    from .test_app import screen_text, settle

    art = tmp_path / "article.txt"
    art.write_text("Some words worth marking here.\n")
    annotate(art, "worth marking")
    side = art.with_name(art.name + ".annotations.toml")
    side.write_text(side.read_text() + 'broken = = "x\n')
    before = side.read_bytes()
    app = make_app([art])
    async with app.run_test(size=(160, 30)) as pilot:
        await settle(app, pilot)
        text = screen_text(app)
        assert "Annotations cannot be read" in text and "No annotations yet" not in text
    assert side.read_bytes() == before
