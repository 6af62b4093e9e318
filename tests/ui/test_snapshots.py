"""Layout snapshots: review tests/__snapshots__/ SVGs when they change."""

from collections.abc import Callable
from pathlib import Path

import pytest

from reader.ui.app import make_app

from ..conftest import HUAWEI, annotate

# pytest-textual-snapshot's fixture: an app, a size and keys in; whether it matched out.
SnapCompare = Callable[..., bool]


@pytest.fixture(autouse=True)
def you_are_test(isolated_home: Path) -> None:
    """The marks below are "test"'s, and so is the config: no `by` in the annotations pane,
    and no git asked (whose answer would race the screenshot)."""
    cfg = isolated_home / ".config" / "reader" / "config.toml"
    cfg.parent.mkdir(parents=True, exist_ok=True)
    cfg.write_text('author = "test"\n')


def annotated_copy(seeds_copy: Path) -> Path:
    art = seeds_copy / HUAWEI
    annotate(art, "Huawei and Xiaomi", "--color", "green", "--author", "test")
    annotate(
        art,
        "Despite the intense sanctions imposed by Washington",
        "--note",
        "The core claim",
        "--tag",
        "sanctions",
        "--author",
        "test",
    )
    annotate(art, "Huawei’s Game-Changing Move", "--color", "pink", "--author", "test")
    return art


def test_reading_pane_with_highlights(
    snap_compare: SnapCompare, seeds_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    art = annotated_copy(seeds_copy)
    assert snap_compare(make_app([art]), terminal_size=(120, 30))


def test_annotations_pane_with_orphan(
    snap_compare: SnapCompare, seeds_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    art = annotated_copy(seeds_copy)
    art.write_text(art.read_text().replace("Game-Changing Move", "Bold New Step"))
    assert snap_compare(make_app([art]), terminal_size=(120, 30), press=["tab"])


def test_library_layout(snap_compare: SnapCompare, seeds_copy: Path) -> None:
    assert snap_compare(make_app([seeds_copy]), terminal_size=(120, 30))


MARKDOWN_ARTICLE = """---
title: Rendering test
---
# A rendered article

Some **bold** words, some _emphasis_, `inline code` and a [link](https://example.com/page).

## A list and a quote

- first point, with a highlight on it
- second point

> A quoted line that is long enough to wrap on a narrow terminal, so the bar shows twice.

```python
def greet(name: str) -> str:
    return f"hello {name}"  # a comment
```

| Column | Other |
|--------|-------|
| a      | b     |
"""


def rendered_markdown(tmp_path: Path) -> Path:
    art = tmp_path / "rendered.md"
    art.write_text(MARKDOWN_ARTICLE, "utf-8")
    annotate(art, "highlight on it", "--color", "yellow", "--author", "test")
    annotate(art, "bold", "--color", "green", "--author", "test")
    return art


def test_rendered_markdown_with_highlight_80x24(
    snap_compare: SnapCompare, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert snap_compare(make_app([rendered_markdown(tmp_path)]), terminal_size=(80, 24))


def test_rendered_markdown_with_highlight_120x40(
    snap_compare: SnapCompare, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert snap_compare(make_app([rendered_markdown(tmp_path)]), terminal_size=(120, 40))


def test_rendered_markdown_with_highlight_200x50(
    snap_compare: SnapCompare, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert snap_compare(make_app([rendered_markdown(tmp_path)]), terminal_size=(200, 50))


def test_outline_screen(snap_compare: SnapCompare, seeds_copy: Path) -> None:
    """t lists the article's headings over the reading pane, at 80×24."""
    art = seeds_copy / HUAWEI
    assert snap_compare(make_app([art]), terminal_size=(80, 24), press=["t"])


# The main screen at the sizes people have: at 80 columns the side panes fold away and the
# article takes the screen; at 200 its text keeps an 80-column measure, centred.
def test_main_screen_80x24(snap_compare: SnapCompare, seeds_copy: Path) -> None:
    annotated_copy(seeds_copy)
    assert snap_compare(make_app([seeds_copy]), terminal_size=(80, 24))


def test_main_screen_120x40(snap_compare: SnapCompare, seeds_copy: Path) -> None:
    annotated_copy(seeds_copy)
    assert snap_compare(make_app([seeds_copy]), terminal_size=(120, 40))


def test_main_screen_200x50(snap_compare: SnapCompare, seeds_copy: Path) -> None:
    annotated_copy(seeds_copy)
    assert snap_compare(make_app([seeds_copy]), terminal_size=(200, 50))


def test_help_screen_80x24(snap_compare: SnapCompare, seeds_copy: Path) -> None:
    """? at 80x24: keys, descriptions and their ids in columns (an id too long for the
    line goes under its description)."""
    assert snap_compare(make_app([seeds_copy]), terminal_size=(80, 24), press=["question_mark"])


def test_help_screen_80x24_long_rows(snap_compare: SnapCompare, seeds_copy: Path) -> None:
    """? then a page down at 80x24: keys as long as 0-9's get their own line, and a long
    description goes on under itself, in its column."""
    press = ["question_mark", "space"]
    assert snap_compare(make_app([seeds_copy]), terminal_size=(80, 24), press=press)


def test_help_screen_120x40(snap_compare: SnapCompare, seeds_copy: Path) -> None:
    assert snap_compare(make_app([seeds_copy]), terminal_size=(120, 40), press=["question_mark"])


def test_help_screen_200x50(snap_compare: SnapCompare, seeds_copy: Path) -> None:
    assert snap_compare(make_app([seeds_copy]), terminal_size=(200, 50), press=["question_mark"])


def test_outline_screen_120x40(snap_compare: SnapCompare, seeds_copy: Path) -> None:
    assert snap_compare(make_app([seeds_copy / HUAWEI]), terminal_size=(120, 40), press=["t"])


def test_outline_screen_200x50(snap_compare: SnapCompare, seeds_copy: Path) -> None:
    assert snap_compare(make_app([seeds_copy / HUAWEI]), terminal_size=(200, 50), press=["t"])
