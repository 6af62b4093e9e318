"""Keys as the user sets them in config.toml: every binding can be remapped, help shows the
keys really bound, and a wrong [keys] entry or theme is named with its line."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path
from typing import Any

from textual.binding import Binding
from textual.content import Content
from textual.widgets import OptionList, Static

import reader.ui
from reader.ui.app import make_app
from reader.ui.keys import help_sections
from reader.ui.screens.help import HelpScreen

from ..conftest import HUAWEI
from .test_app import screen_text, settle


def write_config(home: Path, text: str) -> Path:
    p = home / ".config" / "reader" / "config.toml"
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text)
    return p


def widget_text(widget: Any) -> str:
    return "\n".join(
        "".join(seg.text for seg in widget.render_line(y)) for y in range(widget.size.height)
    )


def messages(app: Any) -> str:
    """The text of the notifications on screen, white space removed (toasts wrap lines)."""
    return "".join("".join(widget_text(t) for t in app.screen.query("Toast")).split())


def squeezed(text: str) -> str:
    return "".join(text.split())


def help_rows(app: Any) -> list[str]:
    """The help screen's lines as laid out, before the screen cuts them to its height."""
    assert isinstance(app.screen, HelpScreen)
    rows: list[str] = []
    for static in app.screen.query("VerticalScroll > Static").results(Static):
        content = static.render()
        assert isinstance(content, Content)
        rows += content.plain.splitlines()
    return rows


def help_lines(app: Any) -> list[str]:
    return [line.strip() for line in help_rows(app)]


def test_every_binding_has_an_id_to_remap_it_by() -> None:
    classes = []
    for info in pkgutil.walk_packages(reader.ui.__path__, "reader.ui."):
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == info.name and "BINDINGS" in cls.__dict__:
                classes.append(cls)
    assert len(classes) >= 11  # the panes, the main screen, every dialog, the app
    for cls in classes:
        for b in Binding.make_bindings(cls.__dict__["BINDINGS"]):
            assert b.id and b.id.startswith("reader."), (cls.__name__, b.key, b.action)


async def test_a_remapped_list_key_moves_the_library(isolated_home: Path, seeds_copy: Path) -> None:
    write_config(isolated_home, '[keys]\n"reader.library.down" = "ctrl+n"\n')
    app = make_app([seeds_copy])
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        library = app.screen.query_one("#library", OptionList)
        library.focus()
        assert library.highlighted == 0
        await pilot.press("ctrl+n")
        assert library.highlighted == 1
        await pilot.press("j")  # the old key is free again
        assert library.highlighted == 1


async def test_help_shows_the_keys_the_user_bound(isolated_home: Path, seeds_copy: Path) -> None:
    write_config(isolated_home, '[keys]\n"reader.highlight" = "H"\n"reader.down" = "J,down"\n')
    app = make_app([seeds_copy / HUAWEI])
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(app, pilot)
        assert not messages(app)  # H and J are free: nothing to warn about
        await pilot.press("question_mark")
        await pilot.pause()
        lines = help_lines(app)
        highlight = next(line for line in lines if line.endswith("reader.highlight"))
        assert highlight.split() == ["H", "Highlight", "reader.highlight"]
        down = next(line for line in lines if line.endswith("reader.down"))
        assert down.split()[:2] == ["J,", "down"]
        assert ["esc,", "q,", "?", "Close", "help", "reader.help.close"] in [
            line.split() for line in lines
        ]


async def test_help_at_80_columns_keeps_ids_in_their_column(seeds_copy: Path) -> None:
    """At 80x24 a row whose id does not fit puts it under its description, never at the
    left edge where the keys are."""
    app = make_app([seeds_copy])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        raw = help_rows(app)
        ids = [line for line in raw if "reader." in line]
        assert len(ids) > 30
        assert all(line.index("reader.") >= 20 for line in ids), ids
        width = app.screen.query_one("VerticalScroll").scrollable_content_region.width
        assert [line for line in ids if len(line.rstrip()) > width] == [], width  # ids unbroken
        down = next(line for line in raw if line.endswith("reader.down"))
        # j/k scroll a line, or move the caret where nothing scrolls; it fits on one line
        assert down.split() == ["j,", "down", "Scroll", "or", "caret", "down", "reader.down"]


async def test_help_at_80x24_reads_row_by_row_in_its_columns(seeds_copy: Path) -> None:
    """Keys in the first column, what they do in the second, ids under when the row is
    full: keys as long as 0-9's do not run into their description, and a long description
    goes on in its column, not at the box's edge."""
    app = make_app([seeds_copy])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        scroll = app.screen.query_one("VerticalScroll")
        seen: list[str] = []
        while True:  # every row, as drawn, a page at a time
            seen += [
                line[line.index("│") + 2 : line.rindex("│")].rstrip(" ▁▂▃▄▅▆▇█")
                for line in screen_text(app).splitlines()[2:-3]
            ]
            if scroll.scroll_y >= scroll.max_scroll_y:
                break
            await pilot.press("space")
            await pilot.pause()
        titles = {title for title, _ in help_sections(app)}
        assert titles <= set(seen) and len(titles) > 8
        for line in seen:
            indent = len(line) - len(line.lstrip())
            if line and indent != 2:  # a title, or more of the row above, in its column
                assert line in titles or indent >= 20, line
            elif line:  # keys, alone or then what they do in its column
                keys = line[2:].split("  ")[0]
                assert len(line) == 2 + len(keys) or (len(keys) < 18 and line[20] != " "), line
        digits = seen.index("  0, 1, 2, 3, 4, 5, 6, 7, 8, 9")
        assert seen[digits + 1].strip().startswith("Count for G or %")
        quote = next(i for i, line in enumerate(seen) if "Copy the selection (or" in line)
        assert seen[quote + 1].strip().endswith("quote with its source")


async def test_help_scrolls_with_j_k_g_and_G(seeds_copy: Path) -> None:
    app = make_app([seeds_copy])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        scroll = app.screen.query_one("VerticalScroll")
        assert scroll.max_scroll_y > 10 and scroll.scroll_y == 0
        await pilot.press("j", "j", "j")
        await pilot.pause()
        assert scroll.scroll_y == 3
        await pilot.press("k")
        await pilot.pause()
        assert scroll.scroll_y == 2
        await pilot.press("G")
        await pilot.pause()
        assert scroll.scroll_y == scroll.max_scroll_y
        await pilot.press("g")
        await pilot.pause()
        assert scroll.scroll_y == 0
        await pilot.press("q")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)


async def test_wrong_keys_and_theme_are_named_with_their_lines(
    isolated_home: Path, seeds_copy: Path
) -> None:
    p = write_config(
        isolated_home,
        'theme = "solarised"\n'
        "[keys]\n"
        '"reader.hilight" = "H"\n'
        '"reader.note" = "a"\n'
        '"reader.help" = "j"\n'
        "[highlight]\n"
        'shade = "dark"\n',
    )
    app = make_app([seeds_copy])
    async with app.run_test(size=(160, 50), notifications=True) as pilot:
        await settle(app, pilot)
        shown = messages(app)
        assert squeezed(f"{p}:1: unknown theme 'solarised'") in shown
        assert (
            squeezed(
                f"{p}:3: unknown binding id 'reader.hilight'; did you mean 'reader.highlight'?"
            )
            in shown
        )
        assert (
            squeezed(
                f"{p}:4: a is bound twice: to 'reader.note' and to reader.highlight (Highlight)"
            )
            in shown
        )
        assert squeezed(f"{p}:5: j is bound twice: to 'reader.help'") in shown
        assert (
            squeezed("reader.down(Scroll or caret down)") in shown
            and "reader.library.down(Down)" in shown
        )
        assert squeezed(f"{p}:7: unknown setting [highlight] 'shade'") in shown
        assert app.is_running  # and reader started, with defaults for what was wrong


async def test_dialogs_name_the_keys_the_user_bound(isolated_home: Path, seeds_copy: Path) -> None:
    write_config(
        isolated_home, '[keys]\n"reader.confirm.yes" = "Y"\n"reader.note.cancel" = "ctrl+g"\n'
    )
    app = make_app([seeds_copy / HUAWEI])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("v", "e", "c")  # select a word, add a note
        await pilot.pause()
        assert "Note (ctrl+s save · ctrl+g cancel)" in screen_text(app)
        await pilot.press(*"draft", "ctrl+g")
        await pilot.pause()
        assert "Y: yes   n, esc: no" in screen_text(app)
        await pilot.press("y")  # the old key does nothing now
        await pilot.pause()
        assert "Y: yes" in screen_text(app)
        await pilot.press("Y")
        await pilot.pause()
        assert "Note (" not in screen_text(app)


async def test_reader_starts_with_defaults_when_config_is_nested_too_deeply(
    isolated_home: Path, seeds_copy: Path
) -> None:
    p = write_config(isolated_home, 'theme = "textual-light"\nlibrary = ' + "[" * 3000 + "\n")
    app = make_app([seeds_copy])
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await settle(app, pilot)
        assert squeezed(f"{p}:2: nested too deeply; using default settings") in messages(app)
        assert app.theme == "textual-dark"
        assert "China’s biggest tech" in screen_text(app)
