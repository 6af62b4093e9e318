"""A web page seen for the first time is extracted in a worker, never on the UI thread
(trafilatura's import and extraction block it for about a second), small as it may be."""

import threading
from pathlib import Path

import pytest

import reader.core.formats as formats
from reader.ui.app import make_app

from ..core.epubs import make_page
from .test_app import pane_text, settle


async def test_small_web_page_is_extracted_off_the_ui_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = make_page(tmp_path / "page.html")
    threads: list[threading.Thread] = []
    real = formats._extract

    def extract(*args: object) -> formats.Extracted:
        threads.append(threading.current_thread())
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(formats, "_extract", extract)
    app = make_app([page])
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        assert "first paragraph of the article" in pane_text(app)  # it did open
    assert threads, "the page was never extracted"
    assert threading.main_thread() not in threads
