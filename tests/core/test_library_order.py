"""The library's order (sorts), paths cut in the middle, and finding articles by typo'd words."""

from __future__ import annotations

from pathlib import Path

from rich.cells import cell_len

from reader.core.article_match import ArticleMatcher
from reader.core.library import Article, middle_cut, sort_articles
from reader.core.positions import Positions

DEEP = "linux/Documentation/driver-api/cxl/cxl.txt"


def test_a_long_path_keeps_its_first_folder_and_file_name() -> None:
    assert middle_cut(DEEP, 100) == DEEP
    assert middle_cut(DEEP, 15) == "linux/…/cxl.txt"
    assert middle_cut(DEEP, 19) == "linux/…/cxl/cxl.txt"  # folders near the name next
    assert middle_cut("foldoc/part-001.txt", 15) == "foldoc/…001.txt"


def test_a_cut_path_fits_its_cells_with_wide_characters() -> None:
    path = "漢字/記事/とても長いファイルの名前.txt"
    for cells in range(3, 40):
        cut = middle_cut(path, cells)
        assert cell_len(cut) <= cells, (cells, cut)
        assert cut.endswith("xt") or cells < 5  # the extension stays
    assert middle_cut(path, 12).startswith("漢字/")


def _article(name: str, title: str, size: int = 100) -> Article:
    return Article(Path("/lib") / name, title, size)


def test_sorts_by_title_path_recently_read_and_progress() -> None:
    a = _article("z/a.txt", "beta")
    b = _article("a/b.txt", "Alpha")
    c = _article("m/c.txt", "gamma")
    arts = [a, b, c]

    def rel(x: Article) -> str:
        return str(x.path.relative_to("/lib"))

    read = {a.path: 5.0, c.path: 9.0}
    progress = {b.path: 0.9, a.path: 0.2}

    def order(by: str) -> list[str]:
        got = sort_articles(
            arts, by, rel, lambda x: read.get(x.path, 0.0), lambda x: progress.get(x.path, 0.0)
        )
        return [x.title for x in got]

    assert order("title") == ["Alpha", "beta", "gamma"]  # case does not split the alphabet
    assert order("path") == ["Alpha", "gamma", "beta"]  # a/, m/, z/
    assert order("recent") == ["gamma", "beta", "Alpha"]  # never read: last
    assert order("progress") == ["Alpha", "beta", "gamma"]


def test_recently_read_progress_and_the_order_are_kept_between_runs(tmp_path: Path) -> None:
    state = tmp_path / "positions.json"
    art = tmp_path / "a.txt"
    art.write_text("x" * 1000)
    pos = Positions(state)
    assert pos.read_at(art) == 0.0 and pos.progress(art, 1000) == 0.0
    pos.set(art, 250)
    pos.set_mark(art, "a", 10)
    pos.library_sort = "recent"
    pos.save()
    again = Positions(state)
    assert again.read_at(art) > 0
    assert again.progress(art, 1000) == 0.25
    assert again.library_sort == "recent"
    assert again.marks(art) == {"a": 10}  # marks are kept alongside


NAMES = [
    "Linux Kernel Memory Barriers  linux/memory-barriers.txt",
    "Memory barriers in RCU  linux/RCU/rcu-barriers.txt",
    "Memory Resource Controller  linux/cgroup/memory.txt",
    "Barrier-free buildings  misc/architecture.txt",
    "The Devil's Dictionary  devils/part-01.md",
]


def test_typod_words_find_the_articles_holding_both_words() -> None:
    found = [NAMES[i] for _, i in ArticleMatcher(NAMES).match("memry barirs")]
    assert sorted(found) == sorted(NAMES[:2])


def test_each_word_may_match_title_or_path_and_exact_text_comes_first() -> None:
    m = ArticleMatcher(NAMES)
    assert [NAMES[i] for _, i in m.match("cgrup memry")] == [NAMES[2]]  # path word + title
    assert NAMES[m.match("devils dictionary")[0][1]] == NAMES[4]
    assert m.match("xyzzy") == []
    assert len(m.match("")) == len(NAMES)  # an empty query lists everything
    # A word found nearer the start of a title ranks first.
    assert [NAMES[i] for _, i in m.match("barrier")] == [NAMES[3], NAMES[1], NAMES[0]]
    typed = m.match("kernel memory barriers")  # as written in one title: ranked above typos
    assert [NAMES[i] for _, i in typed] == [NAMES[0]] and typed[0][0] == 100.0
    ranked = m.match("memory barriers in")
    assert NAMES[ranked[0][1]] == NAMES[1]
