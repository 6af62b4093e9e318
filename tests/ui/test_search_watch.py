"""The running app indexes library files again as they are edited (a watcher thread)."""

import asyncio
from pathlib import Path

from reader.core.search import SearchIndex
from reader.ui.app import make_app

from ..conftest import HUAWEI
from .test_app import settle


async def test_an_article_edited_while_the_app_runs_is_found_by_its_new_words(
    seeds_copy: Path,
) -> None:
    files = sorted(seeds_copy.glob("*.txt"))
    app = make_app([seeds_copy])
    async with app.run_test(size=(120, 30)) as pilot:
        app.indexer.start()  # (the main screen starts it a second after the first frame)
        await settle(app, pilot)
        for _ in range(100):
            if app.indexer.watching.is_set():
                break
            await asyncio.sleep(0.1)
        assert app.indexer.watching.is_set()
        index = SearchIndex()
        try:
            assert not index.search("zanzibar marmalade", files)
            art = seeds_copy / HUAWEI
            art.write_text(art.read_text() + "\nA note on zanzibar marmalade exports.\n")
            hits = []
            for _ in range(100):  # the watcher waits for the writes to settle
                await asyncio.sleep(0.1)
                hits = index.search("zanzibar marmalade", files)
                if hits:
                    break
            assert hits and hits[0].path.name == HUAWEI
            assert "zanzibar marmalade" in hits[0].text
        finally:
            index.close()
