"""The article on screen is the one on disk: edited, it is reloaded and its marks
re-anchored; deleted, it says so and keeps its annotations."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reader.core.store import read_sidecar, sidecar_beside
from reader.ui.app import make_app
from reader.ui.widgets.reading_pane import ReadingPane

from ..conftest import HUAWEI, annotate
from .test_app import pane_text, screen_text, settle, told

MOVE = "Huawei’s Game-Changing Move"
STUNNED = "Huawei stunned the tech world"


async def wait_until(app: Any, pilot: Any, done: Callable[[], bool]) -> None:
    """Let the app's once-a-second check of the file run until done() (10 s at most)."""
    for _ in range(100):
        if done():
            break
        await pilot.pause(0.1)
    await settle(app, pilot)


def sidecar_matches(article: Path) -> list[str]:
    """The sidecar's quotes, after checking each sits at its offsets in the text on disk
    and the recorded hash is that text's."""
    text = article.read_text("utf-8")
    side = read_sidecar(sidecar_beside(article))
    assert side.source["sha256"] == hashlib.sha256(text.encode()).hexdigest()
    for a in side.annotations:
        assert text[a.target.start : a.target.end] == a.target.quote
    return sorted(a.target.quote for a in side.annotations)


async def test_an_edited_article_is_reloaded_with_its_marks_moved(seeds_copy: Path) -> None:
    art = seeds_copy / HUAWEI
    annotate(art, MOVE, "--color", "green")
    first_line = art.read_text().split("\n", 1)[0]
    app = make_app([art])
    messages = told(app)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        pane = app.screen.query_one(ReadingPane)
        pane.caret = pane.doc.text.index(STUNNED)
        assert "China’s biggest tech giants" in pane_text(app)
        art.write_text(art.read_text().split("\n", 1)[1])  # sed -i 1d
        await wait_until(app, pilot, lambda: "China’s biggest" not in pane_text(app))
        assert pane.doc.text == art.read_text()
        assert pane_text(app).startswith(MOVE)  # the new first line, at the top
        assert pane.doc.text[pane.caret :].startswith(STUNNED)  # the caret stayed on it
        assert f"{HUAWEI} changed on disk and was reloaded." in messages
        assert f"━ {MOVE} ━" in screen_text(app)  # its new first line names it (focused: heavy)
        # The green mark is drawn on the moved heading, on the first row now.
        styles = [seg.style for seg in pane.render_line(0) if seg.text.startswith("Huawei")]
        assert styles and styles[0] is not None and styles[0].bgcolor is not None
        # A new mark is saved with the mark that moved, both against the text on disk.
        pane.caret = pane.doc.text.index("smartphone")
        await pilot.press("a")
        await settle(app, pilot)
    assert sidecar_matches(art) == [MOVE, "smartphone"]
    assert first_line not in art.read_text()


async def test_a_mark_whose_text_went_becomes_an_orphan_with_a_message(seeds_copy: Path) -> None:
    art = seeds_copy / HUAWEI
    annotate(art, MOVE, "--note", "the heading")
    app = make_app([art])
    messages = told(app)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        art.write_text(art.read_text().replace(MOVE + "\n", ""))
        await wait_until(app, pilot, lambda: "Orphans (1)" in screen_text(app))
        assert "the heading" in screen_text(app)
        assert any("1 annotation(s) no longer found" in m for m in messages)
    [a] = read_sidecar(sidecar_beside(art)).annotations
    assert a.note == "the heading"  # kept, to re-attach


async def test_a_change_made_before_the_reload_is_saved_against_the_new_text(
    seeds_copy: Path,
) -> None:
    art = seeds_copy / HUAWEI
    app = make_app([art])
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        pane = app.screen.query_one(ReadingPane)
        art.write_text("A new first line.\n" + art.read_text())
        # At once, before the app looked at the file again: the mark is made on the
        # text shown, and saved only once the article is read again.
        pane.caret = pane.doc.text.index("smartphone")
        await pilot.press("a")
        await wait_until(app, pilot, lambda: pane.doc.text.startswith("A new first line."))
        await wait_until(app, pilot, lambda: sidecar_beside(art).exists())
    assert sidecar_matches(art) == ["smartphone"]


async def test_a_deleted_article_says_so_and_keeps_its_annotations(seeds_copy: Path) -> None:
    art = seeds_copy / HUAWEI
    annotate(art, MOVE, "--note", "keep me")
    before = sidecar_beside(art).read_bytes()
    app = make_app([art])
    messages = told(app)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        art.unlink()
        await wait_until(app, pilot, lambda: any("was deleted" in m for m in messages))
        assert MOVE in pane_text(app)  # the text stays on screen
        pane = app.screen.query_one(ReadingPane)
        pane.caret = pane.doc.text.index("smartphone")
        await pilot.press("a")
        await settle(app, pilot)
        assert any(m.startswith("Not saved") and "was deleted" in m for m in messages)
    assert sidecar_beside(art).read_bytes() == before
