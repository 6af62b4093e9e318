"""Getting about an article with less/vim keys: counts, marks, jumps, annotations, outline."""

import os
import signal
import tomllib
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.app import App

from reader.core.store import sidecar_beside
from reader.ui.app import make_app
from reader.ui.screens.outline import OutlineScreen
from reader.ui.widgets.annotation_list import AnnotationList
from reader.ui.widgets.reading_pane import ReadingPane
from reader.ui.widgets.status_bar import StatusBar

from ..conftest import annotate
from .test_app import pane_text, screen_text, settle, told

CHAPTERS = ["Chapter One", "Chapter Two", "Chapter Three"]


@pytest.fixture
def story(tmp_path: Path) -> Path:
    """A plain-text article of 309 lines: three chapters of 100 numbered rows each."""
    lines: list[str] = []
    for c, name in enumerate(CHAPTERS):
        lines += [name, ""]
        lines += [f"Row {c * 100 + i + 1:03d} tells of ships." for i in range(100)]
        lines.append("")
    art = tmp_path / "story.txt"
    art.write_text("\n".join(lines) + "\n")
    return art


def line_of(art: Path, n: int) -> str:
    return art.read_text().split("\n")[n - 1]


def status(app: App[Any]) -> str:
    return app.screen.query_one(StatusBar).render().plain


def listed(app: App[Any]) -> list[str]:
    """The quotes the annotations pane lists."""
    return [e.annotation.target.quote for e in app.screen.query_one(AnnotationList).entries]


async def test_a_count_before_G_goes_to_that_line_and_esc_drops_it(story: Path) -> None:
    app = make_app([story])
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("1", "2", "0")
        assert status(app).startswith("120…")
        await pilot.press("G")
        assert "line 120/" in status(app) and "120…" not in status(app)
        assert line_of(story, 120) == "Row 115 tells of ships." and "Row 115" in pane_text(app)
        await pilot.press("G")  # no count: the bottom
        assert "line 310/310" in status(app)  # the empty line after the last newline
        await pilot.press("g", "4", "2", "escape")
        assert "42…" not in status(app)
        await pilot.press("j")  # the count is gone: j moves one row, not 42
        assert "line 2/" in status(app)
        await pilot.press("7", "j")  # any other key drops the count and acts as usual
        assert "line 3/" in status(app) and "7…" not in status(app)


async def test_a_percentage_goes_that_far_through(story: Path) -> None:
    app = make_app([story])
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("5", "0", "percent_sign")
        total = len(story.read_text().splitlines())
        line = int(status(app).split("line ")[1].split("/")[0])
        assert abs(line - total // 2) <= 1
        assert pane_text(app).splitlines()[0].strip() == line_of(story, line)  # at the top
        said = told(app)
        await pilot.press("percent_sign")
        assert said == ["Type a number first: 50% goes halfway through."]


async def test_digits_still_colour_a_selection_or_a_mark(story: Path) -> None:
    app = make_app([story])
    async with app.run_test(size=(160, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("v", "e", "3")  # a selection: 3 is blue, not a count
        await settle(app, pilot)
        assert "3…" not in status(app)
        assert "“Chapter”" in screen_text(app)
        await pilot.press("escape", "h", "2")  # the caret on the mark: 2 recolours it
        await settle(app, pilot)
        assert "■ green" in status(app) and "2…" not in status(app)


async def test_marks_are_set_returned_to_and_kept_between_runs(story: Path) -> None:
    app = make_app([story])
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(app, pilot)
        said = told(app)
        await pilot.press("2", "0", "0", "G", "m", "b")
        assert said[-1] == "Mark b set at line 200: ' then b comes back here."
        await pilot.press("g", "apostrophe", "b")
        assert "line 200/" in status(app) and line_of(story, 200) in pane_text(app)
        await pilot.press("apostrophe", "z")
        assert said[-1] == "No mark z in this article: m then z sets it."
    app = make_app([story])
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("g", "apostrophe", "b")
        assert "line 200/" in status(app)


async def test_a_mark_key_and_its_letter_in_one_read_set_the_mark(story: Path) -> None:
    """Keys pasted or sent over a slow link come in one read: `m` then `a` sets mark a (not
    a highlight with a, then a mark with the next key), and `m` then `q` does not quit."""
    from textual import events

    def typed_at_once(app: App[Any], *keys: str) -> None:
        for k in keys:  # queued together, none handled before the next arrives
            char = "'" if k == "apostrophe" else k
            app.post_message(events.Key(k, char))

    app = make_app([story])
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(app, pilot)
        said = told(app)
        await pilot.press("2", "0", "0", "G")
        typed_at_once(app, "m", "a")
        await settle(app, pilot)
        assert said[-1] == "Mark a set at line 200: ' then a comes back here."
        typed_at_once(app, "m", "q")
        await settle(app, pilot)
        assert app.is_running and said[-1].startswith("Mark q set at line 200")
        await pilot.press("g")
        typed_at_once(app, "apostrophe", "a")
        await settle(app, pilot)
        assert "line 200/" in status(app)
    assert not story.with_name(story.name + ".annotations.toml").exists()  # no highlight


async def test_ctrl_o_goes_back_before_each_jump(story: Path) -> None:
    app = make_app([story])
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("3", "0", "G", "2", "5", "0", "G")
        assert "line 250/" in status(app)
        await pilot.press("ctrl+o")
        assert "line 30/" in status(app) and line_of(story, 30) in pane_text(app)
        await pilot.press("ctrl+o")
        assert "line 1/" in status(app)
        await pilot.press("slash", *"Row 150", "enter")  # a search is a jump too
        await settle(app, pilot)
        assert "line 155/" in status(app)
        await pilot.press("ctrl+o")
        assert "line 1/" in status(app)
        said = told(app)
        await pilot.press("ctrl+o")
        assert said and said[-1].startswith("No earlier place")


async def test_brackets_step_through_annotations(story: Path) -> None:
    annotate(story, "Row 040", "--color", "green")
    annotate(story, "Row 210", "--color", "pink")
    app = make_app([story])
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("right_square_bracket")
        assert "line 42/" in status(app) and "■ green" in status(app)
        await pilot.press("right_square_bracket")
        assert "line 218/" in status(app) and "■ pink" in status(app)
        said = told(app)
        await pilot.press("right_square_bracket")
        assert said == ["No annotation after the caret ([ goes back)."]
        await pilot.press("left_square_bracket")
        assert "line 42/" in status(app)
        await pilot.press("ctrl+o")
        assert "line 218/" in status(app)


async def test_outline_lists_headings_and_enter_jumps_to_one(story: Path) -> None:
    app = make_app([story])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("t")
        await settle(app, pilot)
        assert isinstance(app.screen, OutlineScreen)
        text = screen_text(app)
        assert all(name in text for name in CHAPTERS)
        await pilot.press("down", "down", "enter")
        await settle(app, pilot)
        assert not isinstance(app.screen, OutlineScreen)
        assert pane_text(app).splitlines()[0].strip() == "Chapter Three"
        assert "§ Chapter Three" in status(app)
        await pilot.press("t", "escape")
        assert not isinstance(app.screen, OutlineScreen)
        await pilot.press("ctrl+o")
        assert "line 1/" in status(app) and "§ Chapter One" in status(app)


async def test_n_continues_from_the_caret_and_wraps_as_vim_does(story: Path) -> None:
    app = make_app([story])
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"Row 1", "enter")  # Row 100-199
        await settle(app, pilot)
        assert "line 102/" in status(app)  # Row 100: the first after the caret
        await pilot.press("G")
        said = told(app)
        await pilot.press("n")
        assert said == ["search hit BOTTOM, continuing at TOP"]
        assert "line 102/" in status(app)
        await pilot.press("1", "5", "0", "G", "n")  # from the caret, not from the last hit
        assert "line 151/" in status(app) and len(said) == 1
        await pilot.press("N", "N")
        assert "line 149/" in status(app)


async def test_a_find_with_no_match_says_so(story: Path) -> None:
    app = make_app([story])
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(app, pilot)
        said = told(app)
        await pilot.press("slash", *"zebra")
        await settle(app, pilot)
        assert status(app).startswith("no match")
        await pilot.press("enter")
        assert said == ["No match for “zebra”."]
        assert not status(app).startswith("no match")


async def test_the_annotations_pane_shows_an_active_filter(story: Path) -> None:
    annotate(story, "Row 010", "--color", "blue")
    annotate(story, "Row 020", "--color", "green")
    annotate(story, "Row 030", "--color", "blue")
    app = make_app([story])
    async with app.run_test(size=(180, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("f", *"blue")
        await settle(app, pilot)
        assert "2 of 3 marks · filter: blue" in screen_text(app)
        assert listed(app) == ["Row 010", "Row 030"]
        await pilot.press("enter")  # enter keeps the filter
        await settle(app, pilot)
        assert "2 of 3 marks · filter: blue" in screen_text(app)
        await pilot.press("f", "escape")  # esc clears it
        await settle(app, pilot)
        assert "filter:" not in screen_text(app)
        assert listed(app) == ["Row 010", "Row 020", "Row 030"]
        assert app.screen.query_one(AnnotationList).border_title == "Annotations"


async def test_j_and_k_move_the_caret_in_an_article_that_fits_the_pane(tmp_path: Path) -> None:
    """Nothing to scroll: j/k move the caret a line, keeping its column over a short line,
    so a short article can be annotated from the keyboard."""
    art = tmp_path / "short.txt"
    art.write_text("First words here\nNo\nThird line follows\n")
    app = make_app([art])
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("l", "l", "l", "l", "l", "l")
        assert "line 1/4 col 7" in status(app)
        await pilot.press("j")
        assert "line 2/4 col 2" in status(app)  # "No" is shorter: its last letter
        await pilot.press("j")
        assert "line 3/4 col 7" in status(app)  # the column is kept past it
        await pilot.press("k", "k")
        assert "line 1/4 col 7" in status(app)
        await pilot.press("j", "j", "W", "a")  # the word under the caret, on line 3
        await settle(app, pilot)
    [a] = tomllib.loads(sidecar_beside(art).read_text("utf-8"))["annotation"]
    assert a["target"]["quote"] == "line"


async def test_j_and_k_move_the_caret_where_a_long_article_cannot_scroll(story: Path) -> None:
    app = make_app([story])
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("5", "G")  # on the first screen: nothing scrolls
        assert "line 5/" in status(app)
        await pilot.press("k")  # the top shows: the caret goes up a line
        assert "line 4/" in status(app) and "Chapter One" in pane_text(app)
        await pilot.press("G", "3", "0", "0", "G")  # the last screen
        bottom = pane_text(app)
        await pilot.press("j")  # the bottom shows: the caret goes down a line
        assert "line 301/" in status(app) and pane_text(app) == bottom


@pytest.fixture
def wrapped(tmp_path: Path) -> Path:
    """300 numbered lines of 1 to 40 sentences: most wrap over several rows."""
    art = tmp_path / "wrapped.txt"
    lines = [
        f"Line {n} begins. " + " ".join(f"Sentence {n}.{k} goes on." for k in range(n % 40))
        for n in range(1, 301)
    ]
    art.write_text("\n".join(lines) + "\n")
    return art


def top_row(app: App[Any]) -> str:
    return pane_text(app).splitlines()[0]


def caret_place(app: App[Any]) -> str:
    """The status line's "line N/M col C"."""
    return status(app).split(" · ")[0]


async def test_reopening_shows_the_same_top_row_and_caret(wrapped: Path) -> None:
    app = make_app([wrapped])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("2", "0", "0", "G", "ctrl+d", "j", "j", "w", "w", "w")
        top, caret = top_row(app), caret_place(app)
        assert "line 200/" in caret and not caret.endswith(" col 1")
        assert not top.lstrip().startswith("Line 200 ")  # the top: mid-line, above the caret
        app.exit()
    again = make_app([wrapped])
    async with again.run_test(size=(100, 30)) as pilot:
        await settle(again, pilot)
        assert (top_row(again), caret_place(again)) == (top, caret)


async def test_reopening_after_scrolling_with_the_wheel_shows_that_place(wrapped: Path) -> None:
    app = make_app([wrapped])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("1", "5", "0", "G")
        pane = app.screen.query_one(ReadingPane)
        for _ in range(4):
            pane.post_message(events.MouseScrollDown(pane, 5, 5, 0, 0, 0, False, False, False))
        await settle(app, pilot)
        top = top_row(app)
        app.exit()
    again = make_app([wrapped])
    async with again.run_test(size=(100, 30)) as pilot:
        await settle(again, pilot)
        assert top_row(again) == top


async def test_a_resize_keeps_the_top_line_and_resizing_back_the_top_row(wrapped: Path) -> None:
    # At 160 the side panes are beside the article (its rows are 73 columns); at 100 they fold.
    app = make_app([wrapped])
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("1", "5", "0", "G", "ctrl+d")
        top = top_row(app)
        await pilot.resize_terminal(100, 40)
        await settle(app, pilot)
        # Rows are wider (the side panes fold): the top row is of the same line.
        line = next(w for w in top.split() if w[0].isdigit()).split(".")[0]  # 150 of 150.12
        assert f"Sentence {line}." in top_row(app) and top_row(app) != top
        await pilot.resize_terminal(160, 40)
        await settle(app, pilot)
        assert top_row(app) == top


async def test_a_resize_after_reopening_at_the_end_keeps_the_place_read_since(
    wrapped: Path,
) -> None:
    app = make_app([wrapped])
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("G")  # the end, with narrow rows: its top row is not in the
        app.exit()  # last screen of the wider rows below
    again = make_app([wrapped])
    async with again.run_test(size=(100, 40)) as pilot:
        await settle(again, pilot)
        assert "Line 300 begins." in pane_text(again)
        await pilot.press("g", "5", "0", "G")
        assert "Line 50 begins." in pane_text(again)
        line = next(w for w in top_row(again).split() if w[0].isdigit()).split(".")[0]
        await pilot.resize_terminal(160, 40)
        await settle(again, pilot)
        assert f"Sentence {line}." in top_row(again)  # the line read since, not the end


@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="no SIGHUP here")
@pytest.mark.parametrize("sig", ["SIGHUP", "SIGTERM"])
async def test_closing_the_terminal_keeps_the_place_read(wrapped: Path, sig: str) -> None:
    """Closing the terminal window (SIGHUP) or `kill` (SIGTERM) quits as q does: the
    place is there at the next start (they used to end the process before it was kept)."""
    app = make_app([wrapped])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("2", "0", "0", "G")
        caret = caret_place(app)
        assert "line 200/" in caret
        os.kill(os.getpid(), getattr(signal, sig))
        for _ in range(50):
            await pilot.pause(0.02)
            if not app.is_running:
                break
        assert not app.is_running  # it quit (and did not die: this test runs on)
    again = make_app([wrapped])
    async with again.run_test(size=(100, 30)) as pilot:
        await settle(again, pilot)
        assert caret_place(again) == caret
