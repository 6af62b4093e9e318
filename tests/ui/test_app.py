"""Drive the app by keys as a user does, and check the screen and the disk."""

from pathlib import Path
from typing import Any

from textual.app import App
from textual.pilot import Pilot

from reader.ui.app import make_app
from reader.ui.widgets.reading_pane import ReadingPane

from ..conftest import HUAWEI, XIAOMI


def screen_text(app: App[Any]) -> str:
    """Everything visible, as plain text."""
    return "\n".join(
        "".join(seg.text for seg in strip) for strip in app.screen._compositor.render_strips()
    )


def pane_text(app: App[Any]) -> str:
    """The reading pane's visible rows."""
    pane = app.screen.query_one(ReadingPane)
    return "\n".join(
        "".join(seg.text for seg in pane.render_line(y))
        for y in range(pane.scrollable_content_region.height)
    )


def told(app: App[Any]) -> list[str]:
    """Every message the app shows the user from now on (toasts wrap, so not read off
    the screen)."""
    seen: list[str] = []
    real = app.notify

    def notify(message: str, *args: Any, **kwargs: Any) -> None:
        seen.append(message)
        real(message, *args, **kwargs)

    app.notify = notify  # type: ignore[method-assign]
    return seen


async def settle(app: App[Any], pilot: Pilot[Any]) -> None:
    """Let the app finish what it started (workers: reading, saving) and redraw."""
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_library_lists_articles_and_enter_opens_one(seeds_copy: Path) -> None:
    app = make_app([seeds_copy])
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        text = screen_text(app)
        assert "China’s big" in text and "Xiaomi Corp" in text  # one row each
        await pilot.press("j", "enter")
        await settle(app, pilot)
        assert isinstance(app.focused, ReadingPane)
        assert "Xiaomi Corp founder Lei Jun" in screen_text(app)
        assert XIAOMI in screen_text(app)


async def test_less_keys_scroll_and_position_is_remembered(seeds_copy: Path) -> None:
    app = make_app([seeds_copy])
    async with app.run_test(size=(100, 20)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        pane = app.screen.query_one(ReadingPane)
        assert "China’s biggest" in pane_text(app)
        await pilot.press("space")
        assert pane.scroll_offset.y > 5 and "China’s biggest tech" not in pane_text(app)
        await pilot.press("G")
        assert "Source link" in pane_text(app)
        await pilot.press("g")
        assert pane.scroll_offset.y == 0
        await pilot.press("ctrl+d", "ctrl+d", "j")
        y = pane.scroll_offset.y
        assert y > 0
        await pilot.press("k")
        assert pane.scroll_offset.y == y - 1
        top = pane.top_offset
    app2 = make_app([seeds_copy])
    async with app2.run_test(size=(100, 20)) as pilot:
        await settle(app2, pilot)
        assert app2.screen.query_one(ReadingPane).top_offset == top


async def test_hostile_text_is_shown_inert(tmp_path: Path) -> None:
    p = tmp_path / "evil.txt"
    p.write_bytes(
        b"[bold red]x[/] [link=file:///etc/passwd]z[/link] [@click=app.quit]y[/]\n"
        b"\x1b]0;pwned\x07 \x1b[2J done\n"
    )
    app = make_app([p])
    async with app.run_test(size=(200, 20)) as pilot:
        await settle(app, pilot)
        text = pane_text(app)
        assert "[bold red]x[/] [link=file:///etc/passwd]z[/link] [@click=app.quit]y[/]" in text
        assert "\x1b" not in text and "␛]0;pwned␇" in text
        assert app.is_running


async def test_only_bad_files_at_80_columns_say_why_in_the_pane(tmp_path: Path) -> None:
    """At 80x24 the library is folded: the pane itself says why nothing opens."""
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02binary\x00" * 50)
    app = make_app([tmp_path / "bin.txt"])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        text = " ".join(screen_text(app).split())
        assert "No article here can be opened as text. bin.txt: binary file" in text


async def test_bad_files_are_listed_with_a_reason(tmp_path: Path) -> None:
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02binary\x00" * 50)
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "ok.md").write_text("# Title here\n\nSome *text*.\n")
    app = make_app([tmp_path, tmp_path / "missing"])
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        await settle(app, pilot)
        text = screen_text(app)
        assert "bin.txt: binary file" in text  # the name, then why
        assert "missing: no such file or folder" in text
        assert "Title here" in text
        await pilot.press("g", "enter")  # the binary one is first: a message, no crash
        await settle(app, pilot)
        assert "Cannot open" in screen_text(app) and "bin.txt" in screen_text(app)
        await pilot.press("j", "enter")
        await settle(app, pilot)
        assert "empty.txt is empty" in pane_text(app)


async def test_markdown_keeps_source_offsets(tmp_path: Path) -> None:
    p = tmp_path / "a.md"
    p.write_text("# Heading\n\nSome **bold** and a [link](http://x).\n")
    app = make_app([p])
    async with app.run_test(size=(100, 20)) as pilot:
        await settle(app, pilot)
        assert "Some bold and a link." in screen_text(app)  # rendered: markers hidden
        pane = app.screen.query_one(ReadingPane)
        strip = pane.render_line(2)
        styles = {seg.text: seg.style for seg in strip if seg.text.strip() and seg.style}
        assert styles["bold"].bold and not styles["Some "].bold
        assert styles["link"].underline


async def test_selecting_a_rendered_heading_quotes_its_words_not_its_markers(
    tmp_path: Path,
) -> None:
    import tomllib

    p = tmp_path / "a.md"
    p.write_text("# The Quiet Revolution\n\nA line of **bold words**\n")
    app = make_app([p])
    async with app.run_test(size=(100, 20)) as pilot:
        await settle(app, pilot)
        await pilot.press("S", "a")  # the sentence at the caret: the heading
        await pilot.press("right_curly_bracket", "P", "a")  # the paragraph ending in bold
        await settle(app, pilot)
    saved = tomllib.loads((tmp_path / "a.md.annotations.toml").read_text())
    text = p.read_text()
    quotes = []
    for a in saved["annotation"]:
        start = a["target"]["start"]
        quotes.append(text[start : start + len(a["target"]["quote"])])
        assert quotes[-1] == a["target"]["quote"]  # offsets count in the source
    assert sorted(quotes) == ["A line of **bold words", "The Quiet Revolution"]


async def test_help_lists_keys(seeds_copy: Path) -> None:
    app = make_app([seeds_copy / HUAWEI])
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        text = screen_text(app)
        assert "Page down" in text and "Highlight" in text and "Find" in text
        await pilot.press("escape")
        assert "Page down" not in screen_text(app)


async def test_config_theme_and_key_override(seeds_copy: Path, isolated_home: Path) -> None:
    cfg = isolated_home / ".config" / "reader" / "config.toml"
    cfg.parent.mkdir(parents=True)
    cfg.write_text('theme = "textual-light"\n[keys]\n"reader.down" = "n"\n')
    app = make_app([seeds_copy / HUAWEI])
    async with app.run_test(size=(100, 20)) as pilot:
        await settle(app, pilot)
        assert app.theme == "textual-light"
        pane = app.screen.query_one(ReadingPane)
        await pilot.press("n")
        assert pane.scroll_offset.y == 1


async def test_resumes_the_article_read_last(seeds_copy: Path) -> None:
    app = make_app([seeds_copy])
    async with app.run_test(size=(100, 20)) as pilot:
        await settle(app, pilot)
        await pilot.press("f2", "j", "enter")  # the second article, from the folded library
        await settle(app, pilot)
        await pilot.press("j")
    app2 = make_app([seeds_copy])
    async with app2.run_test(size=(100, 20)) as pilot:
        await settle(app2, pilot)
        pane = app2.screen.query_one(ReadingPane)
        assert pane.doc.path is not None and pane.doc.path.name == XIAOMI
        assert pane.scroll_offset.y == 1  # and where it was left


async def test_footer_shows_the_main_keys_from_the_start(seeds_copy: Path) -> None:
    app = make_app([seeds_copy])
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        await pilot.pause(0.2)
        last_row = screen_text(app).splitlines()[-1]
        assert "Find" in last_row and "Highlight" in last_row and "Quit" in last_row


async def test_an_80_column_terminal_still_shows_help_and_quit_keys(seeds_copy: Path) -> None:
    app = make_app([seeds_copy])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        footer = screen_text(app).splitlines()[-1]
        assert "? Help" in footer and "q Quit" in footer and "/ Find" in footer
        await pilot.press("question_mark")
        await settle(app, pilot)
        assert "Keys (esc to close)" in screen_text(app)
