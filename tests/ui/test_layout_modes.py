"""The article gets the screen: side panes fold below [layout] fold_below and come back by
key, focus mode, the text's measure centred, the focused pane marked, whole Footer keys."""

from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from textual.app import App
from textual.widget import Widget

from reader.core.config import load_config
from reader.ui.app import make_app
from reader.ui.widgets.annotation_list import AnnotationList
from reader.ui.widgets.library_list import LibraryList
from reader.ui.widgets.mark_strip import STRIP_CELLS
from reader.ui.widgets.reading_pane import ReadingPane

from ..conftest import HUAWEI, XIAOMI, annotate
from .test_app import pane_text, screen_text, settle

if TYPE_CHECKING:
    from textual.widgets._footer import FooterKey  # (not exported: for its type only)

FIRST_LINE = "China’s biggest tech giants, Huawei and Xiaomi"


def write_config(home: Path, text: str) -> None:
    cfg = home / ".config" / "reader" / "config.toml"
    cfg.parent.mkdir(parents=True, exist_ok=True)
    cfg.write_text(text)
    load_config.cache_clear()


def titled(app: App[Any], title: str) -> bool:
    """Whether a pane titled so is on screen (its border title, round or heavy; the
    library's title goes on with its order, "Library · path")."""
    text = screen_text(app)
    return any(f"{rule} {title} {end}" in text for rule in "─━" for end in (rule, "·"))


def focused(app: App[Any]) -> Widget | None:
    """The focused widget, read afresh after each key (typed as any widget can be)."""
    return app.focused


def shown(widget: Widget) -> bool:
    """Whether the widget takes a place on the screen now."""
    return widget.display and widget.region.width > 0


async def test_at_80x24_the_article_takes_the_screen(seeds_copy: Path) -> None:
    annotate(seeds_copy / HUAWEI, "Huawei and Xiaomi", "--color", "green")
    app = make_app([seeds_copy])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        pane = app.screen.query_one(ReadingPane)
        assert pane.text_width >= 70
        assert max(len(row.rstrip()) for row in pane_text(app).splitlines()) >= 70
        assert not shown(app.screen.query_one(LibraryList))
        assert not shown(app.screen.query_one(AnnotationList))
        assert not titled(app, "Library") and not titled(app, "Annotations")
        assert app.focused is pane


async def test_keys_bring_folded_panes_back_over_the_article(seeds_copy: Path) -> None:
    annotate(seeds_copy / HUAWEI, "Huawei and Xiaomi", "--color", "green")
    app = make_app([seeds_copy])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        pane = app.screen.query_one(ReadingPane)
        width = pane.text_width
        await pilot.press("f2")
        await settle(app, pilot)
        library = app.screen.query_one(LibraryList)
        assert shown(library) and focused(app) is library
        assert titled(app, "Library")
        assert pane.text_width == width  # an overlay: the article is not re-wrapped
        await pilot.press("f3")  # one overlay at a time
        await settle(app, pilot)
        notes = app.screen.query_one(AnnotationList)
        assert shown(notes) and not shown(library) and focused(app) is notes
        assert "“Huawei and Xiaomi”" in screen_text(app)
        await pilot.press("f3")
        await settle(app, pilot)
        assert not shown(notes) and focused(app) is pane
        assert "“Huawei and Xiaomi”" not in screen_text(app)
        await pilot.press("f2", "j", "enter")  # choosing an article folds the library again
        await settle(app, pilot)
        assert not shown(library) and focused(app) is pane
        assert "Xiaomi Corp founder Lei Jun" in pane_text(app)


async def test_keys_hide_and_show_side_panes_on_a_wide_terminal(seeds_copy: Path) -> None:
    app = make_app([seeds_copy])
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        library = app.screen.query_one(LibraryList)
        notes = app.screen.query_one(AnnotationList)
        assert shown(library) and shown(notes)
        reading = app.screen.query_one("#reading").region.width
        await pilot.press("f2")
        await settle(app, pilot)
        assert not shown(library) and shown(notes)
        assert not titled(app, "Library")
        assert app.screen.query_one("#reading").region.width > reading  # beside, not over
        await pilot.press("f3")
        await settle(app, pilot)
        assert not shown(notes) and not titled(app, "Annotations")
        await pilot.press("f2")
        await settle(app, pilot)
        assert shown(library) and app.focused is library


async def test_focus_mode_shows_the_article_alone(seeds_copy: Path) -> None:
    app = make_app([seeds_copy])
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("tab")  # from the library to the article
        await pilot.press("z")
        await settle(app, pilot)
        assert not titled(app, "Library") and not titled(app, "Annotations")
        assert "Highlight" not in screen_text(app)  # no Footer either
        assert FIRST_LINE in screen_text(app) and isinstance(app.focused, ReadingPane)
        await pilot.press("z")
        await settle(app, pilot)
        assert titled(app, "Library") and titled(app, "Annotations")
        assert "Highlight" in screen_text(app)


async def test_focus_mode_sends_the_focus_back_to_the_article(seeds_copy: Path) -> None:
    app = make_app([seeds_copy])
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.focused, LibraryList)  # a first run starts in the library
        await pilot.press("z")
        await settle(app, pilot)
        assert isinstance(app.focused, ReadingPane)
        await pilot.press("f3")  # a side pane's key leaves focus mode, showing that pane
        await settle(app, pilot)
        assert isinstance(app.focused, AnnotationList) and titled(app, "Library")


async def test_the_reopened_article_has_the_focus(seeds_copy: Path) -> None:
    app = make_app([seeds_copy])
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("j", "enter", "tab")  # the second article; then the focus moves on
        await settle(app, pilot)
    app2 = make_app([seeds_copy])
    async with app2.run_test(size=(120, 30)) as pilot:
        await settle(app2, pilot)
        assert isinstance(app2.focused, ReadingPane)
        assert app2.focused.doc.path is not None and app2.focused.doc.path.name == XIAOMI
        await pilot.press("j")  # the keys read the article, not the library
        assert app2.focused.scroll_offset.y == 1
        assert app2.screen.query_one(LibraryList).has_focus is False


async def test_the_focused_pane_is_marked(seeds_copy: Path) -> None:
    app = make_app([seeds_copy])
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        assert "┏━ Library · " in screen_text(app) and "╭─ Annotations ─" in screen_text(app)
        await pilot.press("tab")
        await settle(app, pilot)
        assert "╭─ Library · " in screen_text(app) and "┏━ China’s biggest" in screen_text(app)


async def test_text_is_capped_and_centred_on_a_wide_terminal(seeds_copy: Path) -> None:
    app = make_app([seeds_copy / HUAWEI])
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(app, pilot)
        await pilot.press("z")  # the article alone: the reading pane is the screen's width
        await settle(app, pilot)
        pane = app.screen.query_one(ReadingPane)
        assert pane.text_width == 80
        # The text rows between the pane's side borders, less the scrollbar's blocks.
        rows = [r[1:-1].rstrip("▁▂▃▄▅▆▇█ ") for r in screen_text(app).splitlines()[1:]]
        rows = [r for r in rows if r.strip() and "━" not in r][:40]
        assert len(rows) >= 20 and FIRST_LINE in rows[0]
        left = min(len(r) - len(r.lstrip()) for r in rows)
        right = max(len(r) for r in rows)
        assert 70 <= right - left <= 80  # lines of about 80 columns, never more
        assert abs(left - (198 - right)) <= 4  # as much room on each side


async def test_layout_settings_come_from_config(seeds_copy: Path, isolated_home: Path) -> None:
    write_config(isolated_home, "[layout]\nwidth = 50\nfold_below = 70\n")
    app = make_app([seeds_copy / HUAWEI])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert shown(app.screen.query_one(AnnotationList))  # 80 is not below 70
        await pilot.press("z")
        await settle(app, pilot)
        assert app.screen.query_one(ReadingPane).text_width == 50


def test_bad_layout_settings_are_named_with_their_line(isolated_home: Path) -> None:
    write_config(isolated_home, '[layout]\nwidth = "wide"\nfold_below = -1\ncolumns = 3\n')
    config = load_config()
    assert (config.text_width, config.fold_below) == (80, 120)
    problems = config.problem
    assert "config.toml:2: [layout] width must be a whole number from 20 to 1000" in problems
    assert "config.toml:3: [layout] fold_below must be a whole number" in problems
    assert "config.toml:4: unknown setting [layout] 'columns'" in problems


async def test_the_footer_drops_whole_keys_never_half_a_label(seeds_copy: Path) -> None:
    app = make_app([seeds_copy])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.pause(0.2)
        footer = screen_text(app).splitlines()[-1]
        keys = cast(
            "list[FooterKey]", list(app.screen.query("FooterKey").exclude(".-command-palette"))
        )
        assert keys, "the Footer lists keys"
        shown_keys = [k for k in keys if k.display]
        dropped = [k for k in keys if not k.display]
        assert dropped, "80 columns cannot hold every key"
        assert keys[: len(shown_keys)] == shown_keys  # the ones dropped are at the end
        for key in shown_keys:
            assert f"{key.key_display} {key.description}" in footer
        last = shown_keys[-1]  # the row ends with a whole label, then the palette key
        assert footer.split("▏")[0].rstrip().endswith(f"{last.key_display} {last.description}")


async def test_narrowing_the_terminal_folds_the_side_panes(seeds_copy: Path) -> None:
    app = make_app([seeds_copy])
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        assert titled(app, "Library") and titled(app, "Annotations")
        await pilot.resize_terminal(90, 30)
        await settle(app, pilot)
        assert not titled(app, "Library") and not titled(app, "Annotations")
        pane = app.screen.query_one(ReadingPane)
        assert app.focused is pane and pane.text_width >= 80  # the focus left the library
        await pilot.resize_terminal(160, 40)
        await settle(app, pilot)
        assert titled(app, "Library") and titled(app, "Annotations")


def text_columns(app: App[Any]) -> int:
    """The longest row of article text on screen (less the strip of marks at its end)."""
    return max(len(row.rstrip(" █")) for row in pane_text(app).splitlines())


async def test_at_120x40_the_text_has_a_readable_measure_beside_both_panes(
    seeds_copy: Path,
) -> None:
    """Three columns side by side left the text 53 columns and the library 24: the side
    panes are stacked left of the article instead, the library over the annotations."""
    annotate(seeds_copy / HUAWEI, "Huawei and Xiaomi", "--color", "green", "--note", "Two firms")
    app = make_app([seeds_copy])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        pane = app.screen.query_one(ReadingPane)
        assert pane.content_region.width - STRIP_CELLS >= 66 and pane.text_width >= 66
        assert text_columns(app) >= 66
        library = app.screen.query_one(LibraryList)
        notes = app.screen.query_one(AnnotationList)
        assert shown(library) and shown(notes)
        assert library.content_region.width >= 34  # room for a title beside its path
        assert "“Huawei and Xiaomi”" in screen_text(app) and "Two firms" in screen_text(app)
        assert library.region.bottom <= notes.region.y  # one over the other, left of the text
        assert max(library.region.right, notes.region.right) <= pane.region.x


async def test_a_stacked_pane_hidden_gives_the_other_its_rows(seeds_copy: Path) -> None:
    app = make_app([seeds_copy])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        library = app.screen.query_one(LibraryList)
        notes = app.screen.query_one(AnnotationList)
        pane = app.screen.query_one(ReadingPane)
        height = app.screen.query_one("#panes").region.height
        await pilot.press("f3")
        await settle(app, pilot)
        assert not shown(notes) and library.region.height == height
        assert text_columns(app) >= 66
        await pilot.press("f3", "f2")
        await settle(app, pilot)
        assert not shown(library) and shown(notes) and notes.region.height == height
        assert notes.region.x >= pane.region.right  # on the article's right, as when wide
        assert text_columns(app) >= 66
        await pilot.press("f3")  # both hidden: the article has the screen
        await settle(app, pilot)
        assert not shown(notes) and not shown(library)
        assert app.screen.query_one("#reading").region.width == 120
        await pilot.press("f2")
        await settle(app, pilot)
        assert titled(app, "Library") and app.focused is library


async def test_resizing_stacks_the_side_panes_and_sets_them_side_by_side_again(
    seeds_copy: Path,
) -> None:
    app = make_app([seeds_copy])
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        library = app.screen.query_one(LibraryList)
        notes = app.screen.query_one(AnnotationList)
        pane = app.screen.query_one(ReadingPane)
        assert library.region.x < pane.region.x < notes.region.x  # side by side at 160
        await pilot.resize_terminal(120, 40)
        await settle(app, pilot)
        assert library.region.bottom <= notes.region.y and notes.region.right <= pane.region.x
        assert text_columns(app) >= 66
        await pilot.resize_terminal(160, 40)
        await settle(app, pilot)
        assert library.region.x < pane.region.x < notes.region.x
        assert library.region.height == notes.region.height
