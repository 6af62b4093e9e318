"""Rendered Markdown in the reading pane: markers hidden, offsets still the source's."""

import tomllib
from pathlib import Path
from typing import Any

from reader.core.store import sidecar_beside
from reader.ui.app import make_app
from reader.ui.widgets.reading_pane import ReadingPane

from .test_app import pane_text, settle

ARTICLE = """---
title: A test
tags: [x]
---
# Heading **one**

Some **bold** text and a [link](http://example.com/x) then more words.

- first item
> a quoted line

```python
def f(x):
    return 1
```
"""


def sidecar(path: Path) -> dict[str, Any]:
    return tomllib.loads(sidecar_beside(path).read_text("utf-8"))


def write(tmp_path: Path, text: str = ARTICLE, name: str = "a.md") -> Path:
    p = tmp_path / name
    p.write_text(text, "utf-8")
    return p


async def open_pane(app: Any, pilot: Any) -> ReadingPane:
    await settle(app, pilot)
    pane: ReadingPane = app.screen.query_one(ReadingPane)
    pane.focus()
    await pilot.pause()
    return pane


def cell_of(pane: ReadingPane, word: str) -> tuple[int, int]:
    """Where word is drawn in the pane (x, y in the pane's own cells)."""
    for y in range(pane.scrollable_content_region.height):
        row = "".join(seg.text for seg in pane.render_line(y))
        if word in row:
            return pane.gutter.left + row.index(word), y + pane.gutter.top
    raise AssertionError(f"{word!r} is not on screen")


async def test_markers_are_hidden_and_ctrl_t_shows_the_source(tmp_path: Path) -> None:
    app = make_app([write(tmp_path)])
    async with app.run_test(size=(120, 30)) as pilot:
        pane = await open_pane(app, pilot)
        shown = pane_text(app)
        assert "▸ front matter (4 lines)" in shown and "title: A test" not in shown
        assert "Heading one" in shown and "#" not in shown and "**" not in shown
        assert "Some bold text and a link then more words." in shown
        assert "example.com" not in shown
        assert "• first item" in shown and "▌ a quoted line" in shown
        assert "───python" in shown and "def f(x):" in shown
        await pilot.press("ctrl+t")
        await pilot.pause()
        source = pane_text(app)
        assert pane.show_source
        assert "title: A test" in source and "# Heading **one**" in source
        assert "[link](http://example.com/x)" in source
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert pane_text(app) == shown


async def test_selecting_a_rendered_word_saves_its_source_range(tmp_path: Path) -> None:
    art = write(tmp_path)
    text = art.read_text("utf-8")
    app = make_app([art])
    async with app.run_test(size=(120, 30)) as pilot:
        pane = await open_pane(app, pilot)
        # "then" comes after the hidden link target: the click maps past hidden cells.
        for word in ("bold", "then"):
            await pilot.click(ReadingPane, offset=cell_of(pane, word))
            await pilot.press("v", "e", "a")
            await settle(app, pilot)
        marks = sorted(sidecar(art)["annotation"], key=lambda a: a["target"]["start"])
        assert [(a["target"]["start"], a["target"]["end"]) for a in marks] == [
            (text.index("bold"), text.index("bold") + 4),
            (text.index("then"), text.index("then") + 4),
        ]
        assert [a["target"]["quote"] for a in marks] == ["bold", "then"]
        # The highlight is drawn on the rendered word, markers still hidden.
        _, y = cell_of(pane, "bold")
        row = list(pane.render_line(y - pane.gutter.top))
        assert "**" not in "".join(seg.text for seg in row)
        # The highlight covers the word alone: not the space before it, nor hidden markers.
        [bold] = [seg for seg in row if "bold" in seg.text]
        before = row[row.index(bold) - 1]
        assert bold.text == "bold" and before.text.endswith("Some ")
        assert bold.style is not None and before.style is not None
        assert bold.style.bgcolor != before.style.bgcolor


async def test_the_caret_steps_over_hidden_markers(tmp_path: Path) -> None:
    art = write(tmp_path, "Some **bold** end.\n")
    text = art.read_text("utf-8")
    app = make_app([art])
    async with app.run_test(size=(80, 20)) as pilot:
        pane = await open_pane(app, pilot)
        pane.caret = text.index(" **")
        await pilot.press("l")
        assert pane.caret == text.index("bold")  # not on the hidden "**"
        await pilot.press("h")
        assert pane.caret == text.index(" **")
        pane.caret = text.index("d**")
        await pilot.press("l")
        assert pane.caret == text.index(" end")
        await pilot.press("ctrl+t")  # in the source view every character is a stop
        await pilot.pause()
        await pilot.press("h")
        assert pane.caret == text.index("** end") + 1


async def test_fenced_code_is_coloured_by_its_language(tmp_path: Path) -> None:
    app = make_app([write(tmp_path)])
    async with app.run_test(size=(120, 30)) as pilot:
        pane = await open_pane(app, pilot)
        _, y = cell_of(pane, "def f(x):")
        styles = {seg.text: seg.style for seg in pane.render_line(y - pane.gutter.top)}
        assert styles["def"] is not None and styles["f"] is not None
        assert styles["def"].color != styles["f"].color


async def test_long_rendered_lines_wrap_by_what_is_drawn(tmp_path: Path) -> None:
    words = " ".join(f"**w{i}**" for i in range(60))
    app = make_app([write(tmp_path, words + "\n")])
    async with app.run_test(size=(80, 20)) as pilot:
        pane = await open_pane(app, pilot)
        rows = [r.rstrip() for r in pane_text(app).split("\n") if r.strip()]
        width = pane.text_width
        assert all(len(r) <= width for r in rows)
        assert " ".join(rows) == " ".join(f"w{i}" for i in range(60))
        # Rows are filled by drawn width, not by source length (which has 4 more per word).
        assert len(rows) == sum(1 for s in pane.layout_rows.starts if s < len(words))
        assert len(rows[0]) > width - 5


async def test_plain_text_is_never_concealed(tmp_path: Path) -> None:
    app = make_app([write(tmp_path, "Some **bold** and # not a heading\n", "a.txt")])
    async with app.run_test(size=(80, 20)) as pilot:
        pane = await open_pane(app, pilot)
        assert "Some **bold** and # not a heading" in pane_text(app)
        assert pane.concealer is None


async def test_a_web_page_is_rendered_as_markdown_is(tmp_path: Path) -> None:
    from ..core.epubs import make_page

    page = make_page(tmp_path / "page.html")
    app = make_app([page])
    async with app.run_test(size=(160, 40)) as pilot:
        pane = await open_pane(app, pilot)
        shown = pane_text(app)
        assert "The Long Read" in shown and "# The Long Read" not in shown
        assert "strong words" in shown and "**strong words**" not in shown
        assert "• First item of the list" in shown
        assert "https://example.org/x" not in shown
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert "**strong words**" in pane_text(app) and pane.show_source
