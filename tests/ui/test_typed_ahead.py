"""Keys that arrive in one read (a paste, a slow link, a fast typist on a busy machine) after
the key that opens a bar go into the bar, not to the article as commands."""

from pathlib import Path

from textual import events
from textual.widgets import Input

from reader.ui.app import make_app
from reader.ui.widgets.find_bar import FindBar

from .test_app import screen_text, settle

ARTICLE = "The hallway smelt of boiled cabbage and old rag mats.\n"


def typed_in_one_read(app: object, keys: list[tuple[str, str | None]]) -> None:
    """Post every key before the app handles any, as the driver does for one read."""
    for key, character in keys:
        app.post_message(events.Key(key, character))  # type: ignore[attr-defined]


def letters(word: str) -> list[tuple[str, str | None]]:
    return [(ch, ch) for ch in word]


async def test_slash_and_a_word_in_one_read_find_the_word(tmp_path: Path) -> None:
    article = tmp_path / "ship.txt"
    article.write_text(ARTICLE)
    app = make_app([article])
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(app, pilot)
        typed_in_one_read(app, [("slash", "/"), *letters("cabbage"), ("enter", None)])
        await settle(app, pilot)
        assert app.screen is app.screen_stack[0]  # no note editor opened at `c`
        assert app.screen.query_one(FindBar).value == "cabbage"
        assert "[1/1]" in screen_text(app)  # the hit is found and kept
        pane = app.screen.pane  # type: ignore[attr-defined]
        assert pane.doc.text[pane.caret :].startswith("cabbage")
        await pilot.press("q")


async def test_the_filter_bar_takes_the_keys_typed_after_it_too(tmp_path: Path) -> None:
    article = tmp_path / "ship.txt"
    article.write_text(ARTICLE)
    app = make_app([article])
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(app, pilot)
        typed_in_one_read(app, [("f", "f"), ("number_sign", "#"), *letters("todo")])
        await settle(app, pilot)
        assert app.screen is app.screen_stack[0]
        assert app.screen.query_one("#filter", Input).value == "#todo"
        await pilot.press("q")


async def test_a_find_key_moved_in_the_settings_moves_the_typing_ahead_too(
    tmp_path: Path, isolated_home: Path
) -> None:
    from .test_keys import write_config

    write_config(isolated_home, '[keys]\n"reader.find" = "ctrl+f"\n')
    article = tmp_path / "ship.txt"
    article.write_text(ARTICLE)
    app = make_app([article])
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(app, pilot)
        typed_in_one_read(app, [("slash", "/")])  # no longer find: nothing opens
        await settle(app, pilot)
        assert not app.screen.query(FindBar)
        await pilot.press("ctrl+f", *"cabbage", "enter")
        await settle(app, pilot)
        assert app.screen.query_one(FindBar).value == "cabbage"
        await pilot.press("q")
