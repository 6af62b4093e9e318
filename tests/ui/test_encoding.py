"""ctrl+e reads the article in another encoding when the guess (or an earlier choice) was
wrong; the choice is kept in the article's annotation file and named in the status line."""

import tomllib
from pathlib import Path

from textual.widgets import OptionList

from reader.core.store import FORMAT_VERSION, sidecar_beside
from reader.ui.app import make_app
from reader.ui.screens.encoding import ENCODINGS, EncodingScreen
from reader.ui.widgets.reading_pane import ReadingPane
from reader.ui.widgets.status_bar import StatusBar

from .test_app import pane_text, screen_text, settle

RUSSIAN = "Привет, мир. Это статья о чтении и заметках на полях.\n" * 3


async def test_ctrl_e_rereads_a_windows_1251_file_and_keeps_the_choice(tmp_path: Path) -> None:
    art = tmp_path / "news.txt"
    art.write_bytes(RUSSIAN.encode("cp1251"))
    # An earlier, wrong choice: the text shows garbled.
    sidecar_beside(art).write_text(
        f'format = {FORMAT_VERSION}\nannotation = []\n\n[source]\nencoding = "latin-1"\n',
        "utf-8",
    )
    app = make_app([art])
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        app.screen.query_one(ReadingPane).focus()
        await pilot.pause()
        assert "Привет" not in pane_text(app)
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert isinstance(app.screen, EncodingScreen)
        assert "Windows-1251" in screen_text(app) and "Shift-JIS" in screen_text(app)
        options = app.screen.query_one(OptionList)
        assert options.highlighted == ENCODINGS.index("latin-1")  # the one it is read in
        options.highlighted = ENCODINGS.index("cp1251")
        await pilot.press("enter")
        await settle(app, pilot)
        await settle(app, pilot)
        assert "Привет, мир. Это статья" in pane_text(app)
        assert "Windows-1251" in str(app.screen.query_one(StatusBar).render())  # named
    source = tomllib.loads(sidecar_beside(art).read_text("utf-8"))["source"]
    assert source["encoding"] == "cp1251" and source["name"] == "news.txt"


async def test_escape_closes_the_list_and_changes_nothing(tmp_path: Path) -> None:
    art = tmp_path / "news.txt"
    art.write_bytes(RUSSIAN.encode("cp1251"))
    app = make_app([art])
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        app.screen.query_one(ReadingPane).focus()
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert isinstance(app.screen, EncodingScreen)
        await pilot.press("escape")
        await settle(app, pilot)
        assert not isinstance(app.screen, EncodingScreen)
    assert not sidecar_beside(art).exists()
