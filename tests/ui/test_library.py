"""The library pane on a folder of articles: one row each, paths cut in the middle, the
order `s` cycles (kept for next time), and `o` finding articles by typo'd words."""

from __future__ import annotations

from pathlib import Path

from textual.command import CommandList

from reader.ui.app import make_app
from reader.ui.widgets.library_list import LibraryList

from .test_app import pane_text, screen_text, settle


def make_library(root: Path) -> Path:
    lib = root / "lib"
    files = {
        "linux/Documentation/core-api/memory-barriers.txt": "Linux Kernel Memory Barriers",
        "linux/RCU/rcu-barriers.txt": "RCU and Memory Barriers",
        "linux/cgroup/memory.txt": "Memory Resource Controller",
        "zoo/aardvark.txt": "Aardvarks of the Cape",
        "misc/buildings.txt": "Barrier-free Buildings",
    }
    for rel, title in files.items():
        path = lib / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"{title}\n\nThe body of {title.lower()}, long enough to scroll.\n" * 40)
    (lib / "page.html").write_text(
        "<html><head><title>A Web Page</title><meta name='author' content='Ada Lovelace'>"
        "</head><body><p>Text of the page.</p></body></html>"
    )
    return lib


def library_rows(app: object) -> list[str]:
    library = app.screen.query_one(LibraryList)  # type: ignore[attr-defined]
    return [
        "".join(s.text for s in library.render_line(y)).strip("│ ")
        for y in range(library.option_count)
    ]


async def test_one_row_per_article_its_title_first_then_its_path_cut_in_the_middle(
    tmp_path: Path,
) -> None:
    lib = make_library(tmp_path)
    long = "China’s biggest tech giants, Huawei and Xiaomi, set the stage for a shift"
    (lib / "news" / "2024").mkdir(parents=True)
    (lib / "news" / "2024" / "chips.txt").write_text(f"{long}\n\nThe body.\n" * 40)
    app = make_app([lib])
    async with app.run_test(size=(200, 40)) as pilot:
        await settle(app, pilot)
        rows = library_rows(app)
        assert len(rows) == 7  # seven articles, seven rows: no second line per article
        # A reader picks by title: titles show whole where they fit, and a long one takes
        # the row; the path gets what they leave when that says something.
        assert "Linux Kernel Memory Barriers" in rows and "Aardvarks of the Cape" in rows
        assert next(r for r in rows if r.startswith("China’s biggest tech giants, Huawei"))
        assert any(r.startswith("A Web Page · Ada Lovelace  ") for r in rows)  # the author
        assert "A Web Page · Ada Lovelace  page.html" in rows  # a path that fits, whole
        # A wider pane shows the path too, cut in the middle: its folder and file name.
        app.screen.query_one(LibraryList).styles.max_width = 80
        app.screen.query_one(LibraryList).styles.width = 80
        await pilot.pause()
        barriers = next(r for r in library_rows(app) if r.startswith("Linux Kernel"))
        assert barriers.startswith("Linux Kernel Memory Barriers  ")
        assert barriers.endswith("  linux/…/core-api/memory-barriers.txt")
        chips = next(r for r in library_rows(app) if r.startswith("China’s"))
        assert chips.startswith("China’s biggest tech giants, Huawei and Xiaomi, set")
        assert chips.endswith("  news/2024/chips.txt")


async def test_s_cycles_the_order_and_it_is_kept_for_next_time(tmp_path: Path) -> None:
    lib = make_library(tmp_path)
    app = make_app([lib])
    async with app.run_test(size=(200, 40)) as pilot:
        await settle(app, pilot)
        library = app.screen.query_one(LibraryList)
        assert library.border_title == "Library · path"
        assert library_rows(app)[0].startswith("Memory Resource")  # linux/cgroup/ first
        library.focus()
        await pilot.press("s")
        assert library.border_title == "Library · title"
        assert "Library · title" in screen_text(app)
        assert library_rows(app)[0].startswith("A Web Page")
        assert library_rows(app)[1].startswith("Aardvarks of th")
        # Read "Memory Resource Controller" down a little, then sort by recently read.
        await pilot.press(*"o", *"resource controller", "enter")
        await settle(app, pilot)
        await pilot.press("ctrl+d")
        library.focus()
        await pilot.press("s")
        assert library.border_title == "Library · recent"
        await pilot.press("s")
        assert library.border_title == "Library · progress"
        assert library_rows(app)[0].startswith("Memory Resource")
        assert "%" in library_rows(app)[0]  # how far the reader got
    again = make_app([lib])
    async with again.run_test(size=(200, 40)) as pilot:
        await settle(again, pilot)
        assert "Library · progress" in screen_text(again)
        assert library_rows(again)[0].startswith("Memory Resource")


async def test_recently_read_comes_first(tmp_path: Path) -> None:
    lib = make_library(tmp_path)
    app = make_app([lib])
    async with app.run_test(size=(200, 40)) as pilot:
        await settle(app, pilot)
        for query in ("aardvark", "buildings"):  # read one, then the other
            await pilot.press("o", *query, "enter")
            await settle(app, pilot)
            await pilot.press("o", *"resource", "enter")  # leaving it keeps when it was read
            await settle(app, pilot)
        library = app.screen.query_one(LibraryList)
        library.focus()
        await pilot.press("s", "s")
        assert library.border_title == "Library · recent"
        rows = library_rows(app)
        assert rows[0].startswith("Memory Resource")  # the one open now
        assert rows[1].startswith("Barrier-free Bu")
        assert rows[2].startswith("Aardvarks of th")


async def test_o_finds_articles_by_typod_words(tmp_path: Path) -> None:
    app = make_app([make_library(tmp_path)])
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("o", *"memry barirs")
        await pilot.pause(0.5)
        results = app.screen.query_one(CommandList)
        found = [
            str(results.get_option_at_index(i).prompt).split("\n")[0]
            for i in range(results.option_count)
        ]
        # Both words, typos and all: the two barrier documents, not "Memory Resource
        # Controller" (one word) nor "Barrier-free Buildings" (the other).
        assert sorted(found) == ["Linux Kernel Memory Barriers", "RCU and Memory Barriers"]
        assert "Linux Kernel Memory Barriers" in screen_text(app)
        await pilot.press("enter")
        await settle(app, pilot)
        assert "The body of" in pane_text(app) and "memory barriers" in pane_text(app)
