"""Annotation flows driven by keys, checked on screen and in the sidecar on disk."""

import tomllib
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.app import App
from textual.pilot import Pilot

from reader.core.store import sidecar_beside
from reader.ui.app import make_app
from reader.ui.widgets.annotation_list import AnnotationList
from reader.ui.widgets.reading_pane import ReadingPane

from ..conftest import HUAWEI
from .test_app import pane_text, screen_text, settle, told

SECOND_SENTENCE = "Despite the intense sanctions imposed by Washington"


def sidecar(path: Path) -> dict[str, Any]:
    return tomllib.loads(sidecar_beside(path).read_text("utf-8"))


async def open_huawei(app: App[Any], pilot: Pilot[Any]) -> ReadingPane:
    await settle(app, pilot)
    pane = app.screen.query_one(ReadingPane)
    pane.focus()
    await pilot.pause()
    return pane


async def test_select_sentence_highlight_and_note_then_quit(seeds_copy: Path) -> None:
    art = seeds_copy / HUAWEI
    app = make_app([art])
    async with app.run_test(size=(120, 30)) as pilot:
        pane = await open_huawei(app, pilot)
        await pilot.press("right_parenthesis")  # caret to the next sentence
        assert pane.doc.text[pane.caret :].startswith(SECOND_SENTENCE)
        await pilot.press("S", "2")  # select that sentence, highlight it green
        await settle(app, pilot)  # saved in a thread
        data = sidecar(art)
        [a] = data["annotation"]
        assert a["target"]["quote"].startswith(SECOND_SENTENCE)
        assert a["target"]["quote"].endswith("slow them down.")
        assert a["color"] == "green"
        # The caret is inside the mark: c edits its note.
        await pilot.press("c")
        await pilot.pause()
        await pilot.press(*"Key claim", "enter", *"second line")
        await pilot.press("tab")
        await pilot.press(*"sanctions policy")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Key claim" in screen_text(app)  # annotations pane shows the note
        await pilot.press("q")
    [a] = sidecar(art)["annotation"]
    assert a["note"] == "Key claim\nsecond line"
    assert a["tags"] == ["sanctions", "policy"]
    assert a["kind"] == "note"


async def test_visual_mode_extends_by_word_and_b_goes_back(seeds_copy: Path) -> None:
    art = seeds_copy / HUAWEI
    app = make_app([art])
    async with app.run_test(size=(120, 30)) as pilot:
        pane = await open_huawei(app, pilot)
        await pilot.press("v", "w", "w", "e")
        assert pane.selection is not None
        assert pane.doc.text[slice(*pane.selection)] == "China’s biggest tech"
        await pilot.press("b")  # vim: back a word while selecting, not page up
        assert pane.selection is not None
        # The caret is on the start of "tech": the selection ends with the word before.
        assert pane.doc.text[slice(*pane.selection)] == "China’s biggest"
        await pilot.press("a")
        await settle(app, pilot)  # saved in a thread
        assert sidecar(art)["annotation"][0]["target"]["quote"] == "China’s biggest"


PROSE = "Reading keys work like vim. They should, surely.\n\nA second paragraph follows.\n"


@pytest.mark.parametrize(
    ("keys", "quote"),
    [
        (("w", "w", "w"), "Reading keys work"),
        (("w", "w", "w", "w", "w", "w"), "Reading keys work like vim."),
        (("right_parenthesis",), "Reading keys work like vim."),
        (("right_curly_bracket",), "Reading keys work like vim. They should, surely."),
        (("w", "w", "w", "B"), "Reading keys"),
    ],
)
async def test_a_selection_grown_to_the_next_word_holds_whole_words(
    tmp_path: Path, keys: tuple[str, ...], quote: str
) -> None:
    """w (and ), }) lands on the next word's first letter: the highlight ends before it,
    with no stray letter and no trailing space."""
    art = tmp_path / "prose.txt"
    art.write_text(PROSE)
    app = make_app([art])
    async with app.run_test(size=(100, 24)) as pilot:
        pane = await open_huawei(app, pilot)
        await pilot.press("v", *keys)
        assert f"VISUAL {len(quote)} chars" in screen_text(app)
        await pilot.press("1")  # yellow
        await settle(app, pilot)  # saved in a thread
        assert pane.selection is None
    [a] = sidecar(art)["annotation"]
    assert (a["target"]["quote"], a["color"]) == (quote, "yellow")


async def test_a_selection_grown_by_w_then_e_or_l_takes_the_caret_letter(tmp_path: Path) -> None:
    art = tmp_path / "prose.txt"
    art.write_text(PROSE)
    app = make_app([art])
    async with app.run_test(size=(100, 24)) as pilot:
        await open_huawei(app, pilot)
        await pilot.press("v", "w", "w", "l", "a")  # l: the letter under the caret counts
        await settle(app, pilot)
    [a] = sidecar(art)["annotation"]
    assert a["target"]["quote"] == "Reading keys wo"


async def test_undo_redo_and_delete(seeds_copy: Path) -> None:
    art = seeds_copy / HUAWEI
    app = make_app([art])
    async with app.run_test(size=(120, 30)) as pilot:
        pane = await open_huawei(app, pilot)
        await pilot.press("W", "a")  # highlight the first word
        await settle(app, pilot)  # saved in a thread
        assert len(sidecar(art)["annotation"]) == 1
        assert "1 ✎" in screen_text(app).split("│")[1]  # the library row counts it
        await pilot.press("u")
        await settle(app, pilot)  # saved in a thread
        assert sidecar(art)["annotation"] == []
        assert "✎" not in screen_text(app).split("│")[1]  # the library row's count is gone
        await pilot.press("ctrl+r")
        await settle(app, pilot)  # saved in a thread
        assert len(sidecar(art)["annotation"]) == 1
        pane.caret = 2  # inside the mark
        await pilot.press("x")
        await settle(app, pilot)  # saved in a thread
        assert sidecar(art)["annotation"] == []
        await pilot.press("u")
        await settle(app, pilot)  # saved in a thread
        [a] = sidecar(art)["annotation"]
        assert a["target"]["quote"] == "China’s"


async def test_orphan_is_listed_and_reattached(seeds_copy: Path) -> None:
    art = seeds_copy / HUAWEI
    from reader.cli import main

    assert main(["annotate", str(art), "--quote", "Source link", "--note", "keep me"]) == 0
    art.write_text(art.read_text().replace("Source link", "Link to the source"))
    app = make_app([art])
    async with app.run_test(size=(120, 30)) as pilot:
        pane = await open_huawei(app, pilot)
        assert "Orphans (1)" in screen_text(app)
        await pilot.press("G", "W")  # select a word on the last line
        assert pane.selection is not None
        notes = app.screen.query_one(AnnotationList)
        notes.focus()
        notes.highlight_annotation(notes.entries[0].annotation.id)
        await pilot.press("R")
        await pilot.pause()
        assert "Orphans" not in screen_text(app)
    [a] = sidecar(art)["annotation"]
    assert a["note"] == "keep me" and a["target"]["quote"] == "Link"


async def test_annotations_pane_enter_jumps_to_passage(seeds_copy: Path) -> None:
    art = seeds_copy / HUAWEI
    from reader.cli import main

    main(["annotate", str(art), "--quote", "Source link", "--note", "end note"])
    app = make_app([art])
    async with app.run_test(size=(120, 30)) as pilot:
        pane = await open_huawei(app, pilot)
        assert "Source link" not in pane_text(app)
        app.screen.query_one(AnnotationList).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert "Source link" in pane_text(app)
        assert pane.doc.text[pane.caret :].startswith("Source link")
        assert "end note" in screen_text(app)  # the note under the caret is shown


async def test_filter_by_tag(seeds_copy: Path) -> None:
    art = seeds_copy / HUAWEI
    from reader.cli import main

    main(["annotate", str(art), "--quote", "Source link", "--tag", "meta"])
    main(["annotate", str(art), "--quote", "Huawei’s Game-Changing Move", "--tag", "heading"])
    app = make_app([art])
    async with app.run_test(size=(120, 30)) as pilot:
        await open_huawei(app, pilot)
        assert "Source link" in screen_text(app) and "Game-Changing" in screen_text(app)
        await pilot.press("f", *"#meta", "enter")
        await pilot.pause()
        text = screen_text(app)
        assert "“Source link”" in text and "“Huawei’s Game-Changing Move”" not in text


async def test_cjk_selection_across_a_wrapped_row(tmp_path: Path) -> None:
    art = tmp_path / "cjk.txt"
    art.write_text("中文字符测试中文字符测试中文字符测试中文字符测试中文字符测试中文字符测试\n")
    app = make_app([art])
    async with app.run_test(size=(60, 20)) as pilot:
        pane = await open_huawei(app, pilot)
        width = pane.text_width
        per_row = width // 2
        assert len(pane.doc.text) > per_row  # the line wraps
        # Select from the 3rd character of row 0 to the 2nd character of row 1.
        pane.caret = 2
        await pilot.press("v")
        pane.caret = per_row + 1
        await pilot.press("a")
        await settle(app, pilot)  # saved in a thread
        [a] = sidecar(art)["annotation"]
        assert a["target"]["quote"] == pane.doc.text[2 : per_row + 2]
        # The highlight is drawn from cell 4 (two wide characters in) on row 0.
        strip = pane.render_line(0)
        x = 0
        for seg in strip:
            if seg.style and seg.style.bgcolor and seg.text.startswith("字"):
                break
            x += seg.cell_length
        assert x == 4


async def test_mouse_drag_selects_in_document_offsets(seeds_copy: Path) -> None:
    app = make_app([seeds_copy / HUAWEI])
    async with app.run_test(size=(120, 30)) as pilot:
        pane = await open_huawei(app, pilot)
        x0 = pane.region.x + pane.gutter.left
        y0 = pane.region.y + pane.gutter.top
        await pilot.mouse_down(offset=(x0, y0))
        # Pilot has no drag: post a move with the button held, as a terminal does.
        await pilot._post_mouse_events([events.MouseMove], offset=(x0 + 7, y0), button=1)
        await pilot.mouse_up(offset=(x0 + 7, y0))
        await pilot.pause()
        assert pane.selection is not None
        assert pane.doc.text[slice(*pane.selection)] == "China’s "


async def test_note_editor_warns_before_discarding_typed_text(seeds_copy: Path) -> None:
    art = seeds_copy / HUAWEI
    app = make_app([art])
    async with app.run_test(size=(120, 30)) as pilot:
        await open_huawei(app, pilot)
        await pilot.press("S", "c", *"half a thought", "escape")
        await pilot.pause()
        assert "Discard the text you typed?" in screen_text(app)
        await pilot.press("n")  # keep editing
        await pilot.pause()
        assert "half a thought" in screen_text(app)
        await pilot.press("escape", "y")  # now discard
        await pilot.pause()
        assert "half a thought" not in screen_text(app)
    assert not sidecar_beside(art).exists()


async def test_a_slow_save_never_holds_the_screen_and_a_failed_one_says_so(
    seeds_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from reader.core.annotation import Annotation
    from reader.core.store import ArticleStore

    art = seeds_copy / HUAWEI
    disk = threading.Event()  # the sidecar's disk answers when this is set
    real_put = ArticleStore.put

    def slow_put(self: ArticleStore, a: Annotation, create: bool = True) -> None:
        disk.wait(10)
        real_put(self, a, create)

    monkeypatch.setattr(ArticleStore, "put", slow_put)
    app = make_app([art])
    seen = told(app)
    async with app.run_test(size=(120, 30)) as pilot:
        pane = await open_huawei(app, pilot)
        await pilot.press("W", "a")
        await pilot.pause()
        assert "“China’s”" in screen_text(app)  # shown at once, while the disk is slow
        await pilot.press("j", "j")  # and the keys still work
        assert pane.scroll_offset.y == 2
        assert not sidecar_beside(art).exists()
        disk.set()
        await settle(app, pilot)
        assert sidecar(art)["annotation"][0]["target"]["quote"] == "China’s"
        # The sidecar breaks (another program wrote it): the next save says so, and the
        # screen shows what is on disk; the broken file is left as it is.
        sidecar_beside(art).write_text("[[annotation]\n")
        pane.caret = pane.doc.text.index("Huawei")
        await pilot.press("a")
        await settle(app, pilot)
        assert any(m.startswith("Not saved:") and ":1:" in m for m in seen)
        assert "“Huawei”" not in screen_text(app)
    assert sidecar_beside(art).read_text() == "[[annotation]\n"


async def test_editing_a_note_adds_to_it_and_to_its_tags(seeds_copy: Path) -> None:
    """c on a mark with a note: what is typed goes after the note (not before it), and tab
    then typing adds a tag to the ones there (not replaces them all)."""
    art = seeds_copy / HUAWEI
    app = make_app([art])
    async with app.run_test(size=(120, 30)) as pilot:
        await open_huawei(app, pilot)
        await pilot.press("S", "c", *"First thought.", "tab", *"chips", "ctrl+s")
        await settle(app, pilot)
        await pilot.press("c")
        await pilot.pause()
        await pilot.press(*" And a second.", "tab", *" policy", "ctrl+s")
        await settle(app, pilot)
        await pilot.press("q")
    [a] = sidecar(art)["annotation"]
    assert a["note"] == "First thought. And a second."
    assert a["tags"] == ["chips", "policy"]
