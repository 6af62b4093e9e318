"""The search index shared by every library: results of the library asked about only,
processes that index at once, and passages read back from the files (no copy kept)."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reader.core.document import Document
from reader.core.search import SearchIndex

from ..conftest import REPO, XIAOMI


def big_library(root: Path, files: int = 150, paras: int = 3) -> list[Path]:
    """A library where every file talks of chips: many more passages than a query fetches."""
    root.mkdir()
    out = []
    for i in range(files):
        p = root / f"snack-{i:03}.txt"
        p.write_text(
            "\n\n".join(
                f"Potato chips number {i}-{k}: salted chips, crisp chips, chips by the bag."
                for k in range(paras)
            )
        )
        out.append(p)
    return out


def test_a_small_library_finds_its_passages_beside_a_big_one(
    seeds_copy: Path, tmp_path: Path
) -> None:
    big = big_library(tmp_path / "big")
    small = sorted(seeds_copy.glob("*.txt"))
    idx = SearchIndex(tmp_path / "index.sqlite")
    idx.update(big)  # indexed first, as when reader once opened a big library
    idx.update(small)
    hits = idx.search("chips", small, limit=20)
    assert len(hits) >= 10
    assert {h.path.parent for h in hits} == {seeds_copy}
    assert any(h.path.name == XIAOMI and "capable of designing chips" in h.text for h in hits)
    # And the big library's own results are all its own.
    assert {h.path.parent for h in idx.search("chips", big)} == {tmp_path / "big"}
    # The same from a fresh process's point of view (a second SearchIndex on the file).
    again = SearchIndex(tmp_path / "index.sqlite").search("chipps", small, limit=5)
    assert again and {h.path.parent for h in again} == {seeds_copy}


@pytest.mark.parametrize("max_ranges", [64, 1])
def test_libraries_indexed_in_turn_keep_to_their_own_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, max_ranges: int
) -> None:
    """Two libraries' files indexed in turn (their ids interleave): a query of one finds
    only its files, whether its ids are written into the query as runs or, when there
    are too many runs, put in a table; and again once the other library's files change."""
    from reader.core.search import query

    monkeypatch.setattr(query, "MAX_RANGES", max_ranges)
    mine = big_library(tmp_path / "mine", files=12, paras=1)
    theirs = big_library(tmp_path / "theirs", files=12, paras=1)
    idx = SearchIndex(tmp_path / "index.sqlite")
    for a, b in zip(mine, theirs, strict=True):
        idx.update([a])
        idx.update([b])
    hits = idx.search("potato chips", mine, limit=40)
    assert len(hits) == 12
    assert {h.path.parent for h in hits} == {tmp_path / "mine"}
    assert {h.path.parent for h in idx.search("salted chips", theirs, limit=40)} == {
        tmp_path / "theirs"
    }
    theirs[0].write_text("Potato chips from the other shelf, bag zero.")
    idx.update([theirs[0]])  # indexed again: a new id, after every other
    fresh = SearchIndex(tmp_path / "index.sqlite")  # (as the next `reader search`)
    assert {h.path.parent for h in fresh.search("potato chips", mine, limit=40)} == {
        tmp_path / "mine"
    }
    assert "other shelf" in fresh.search("other shelf chips", theirs)[0].text


def test_a_word_in_very_many_passages_is_ranked_from_a_sample_of_all_of_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A common word (in millions of passages at 1 GB) is scored by bm25 in a sample
    taken across the whole index: the results still hold the word, as many as asked,
    and come from every part of the library, not only from the files indexed first."""
    from reader.core.search import query

    monkeypatch.setattr(query, "BM25_SAMPLE", 40)
    files = big_library(tmp_path / "lib", files=150, paras=3)  # 450 passages with chips
    idx = SearchIndex(tmp_path / "index.sqlite")
    idx.update(files)
    hits = idx.search("chips", files, limit=30)
    assert len(hits) == 30
    assert all("chips" in h.text.lower() for h in hits)
    numbers = sorted(int(h.path.stem.split("-")[1]) for h in hits)
    assert numbers[0] < 50 and numbers[-1] >= 100  # from the start and the end alike


def test_a_small_library_beside_a_big_one_is_not_sampled_away(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sample is sized by the library asked about, not by the whole index: a common
    word in a small library beside a big one still gives as many results as asked."""
    from reader.core.search import query

    monkeypatch.setattr(query, "BM25_SAMPLE", 40)
    monkeypatch.setattr(query, "CANDIDATES", 10)  # (bm25 picks when more than this match)
    big = big_library(tmp_path / "big", files=150, paras=3)  # 450 passages with chips
    small = big_library(tmp_path / "small", files=10, paras=3)  # 30
    idx = SearchIndex(tmp_path / "index.sqlite")
    idx.update(big)
    idx.update(small)
    hits = SearchIndex(tmp_path / "index.sqlite").search("chips", small, limit=10)
    assert len(hits) == 10
    assert {h.path.parent for h in hits} == {tmp_path / "small"}


def test_two_searches_started_together_both_index_the_library(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    big_library(lib, files=300, paras=4)
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "PYTHONPATH": str(REPO)}
    cmd = [sys.executable, "-m", "reader", "search", "crisp chips 17-2", str(lib), "--limit", "1"]
    procs = [
        subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        for _ in range(2)
    ]
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        assert err == ""
        assert "snack-017.txt" in out and "17-2" in out
    idx = SearchIndex(tmp_path / "cache" / "reader" / "search.sqlite")
    assert idx.db.execute("SELECT count(*) FROM files").fetchone()[0] == 300
    assert idx.stale(sorted(lib.glob("*.txt"))) == []


def test_the_index_keeps_no_copy_of_the_text(tmp_path: Path) -> None:
    a = tmp_path / "a.txt"
    sentence = "Quietly the lighthouse keeper counted ninety-seven herons over the estuary."
    a.write_text(f"Intro.\n\n{sentence}\n")
    idx = SearchIndex(tmp_path / "index.sqlite")
    idx.update([a])
    [hit] = idx.search("lighthose keeper herons", [a])
    assert hit.text == sentence
    idx.close()
    stored = b"".join(p.read_bytes() for p in tmp_path.glob("index.sqlite*"))
    assert b"lighthouse keeper" not in stored and b"counted ninety" not in stored


def test_passages_of_any_encoding_read_back_as_the_article_shows_them(tmp_path: Path) -> None:
    files = {
        "crlf.txt": "Première ligne.\r\n\r\nLe café des sœurs ferme à minuit.\r\n".encode(),
        "bom.txt": "\ufeffIntro.\n\nLe café des sœurs ferme à minuit.\n".encode(),
        "latin1.txt": "Intro.\n\nLe café des sœurs ferme à minuit.\n".replace("œ", "oe").encode(
            "latin-1"
        ),
        "controls.txt": b"Intro \x1b[31m.\n\nLe caf\xc3\xa9 des s\xc5\x93urs ferme \x07 minuit.\n",
    }
    paths = []
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
        paths.append(tmp_path / name)
    idx = SearchIndex(tmp_path / "index.sqlite")
    idx.update(paths)
    hits = idx.search("cafe des soeurs minuit", paths)
    assert {h.path.name for h in hits} == set(files)
    for h in hits:
        text = Document.load(h.path).text
        assert h.text == text[h.start : h.end]
        assert "minuit" in h.text


def test_a_result_file_edited_since_indexing_is_indexed_again(tmp_path: Path) -> None:
    a = tmp_path / "a.txt"
    a.write_text("Old opening.\n\nThe harbour seals sleep on the rocks.\n")
    idx = SearchIndex(tmp_path / "index.sqlite")
    idx.update([a])
    # Edited in place: new words before the passage move its offsets.
    a.write_text("A much longer opening paragraph.\n\nThe harbour seals sleep on the sand.\n")
    os.utime(a, (time.time() + 5, time.time() + 5))
    [hit] = idx.search("harbour seals", [a])
    assert hit.text == "The harbour seals sleep on the sand."
    assert a.read_text()[hit.start : hit.end] == hit.text
    assert idx.stale([a]) == []


def test_a_big_update_reads_files_in_worker_processes_with_progress(tmp_path: Path) -> None:
    files = big_library(tmp_path / "lib", files=90, paras=2)
    (tmp_path / "lib" / "bad.txt").write_bytes(b"\x00\x01binary\x00" * 100)
    files.append(tmp_path / "lib" / "bad.txt")
    seen: list[tuple[int, int]] = []
    idx = SearchIndex(tmp_path / "index.sqlite")
    report = idx.update(files, progress=lambda d, t: seen.append((d, t)), workers=2)
    assert report.indexed == 90 and len(report.problems) == 1 and "bad.txt" in report.problems[0]
    assert seen[-1] == (91, 91) and [d for d, _ in seen] == sorted(d for d, _ in seen)
    [hit] = idx.search("crisp chips 42-1", files, limit=1)
    assert hit.path.name == "snack-042.txt" and "42-1" in hit.text
    assert idx.stale(files[:-1]) == []


def test_typos_in_accented_and_cyrillic_words_find_them(tmp_path: Path) -> None:
    a = tmp_path / "a.txt"
    a.write_text("Le garçon mange.\n\nПривет из Москвы, сказал он.\n\nA plain line.\n")
    idx = SearchIndex(tmp_path / "index.sqlite")
    idx.update([a])
    assert "garçon" in idx.search("garçin", [a])[0].text  # a letter changed
    assert "Москвы" in idx.search("Моксвы", [a])[0].text  # two letters swapped


def test_an_accent_left_out_still_finds_and_marks_the_word(tmp_path: Path) -> None:
    a = tmp_path / "a.txt"
    a.write_text("We met at the café on the corner.\n\nNothing here.\n")
    idx = SearchIndex(tmp_path / "index.sqlite")
    idx.update([a])
    for query in ("cafe corner", "café corner", "cfae corner"):
        [hit, *_] = idx.search(query, [a])
        s, e = hit.marks[0]
        assert hit.text[s:e] == "café", query


def test_a_big_build_counts_its_words_even_when_cut_short(tmp_path: Path, monkeypatch) -> None:
    from reader.core.search import indexer

    monkeypatch.setattr(indexer, "RECOUNT_FROM", 10)  # (a real build: 200 files or more)
    files = big_library(tmp_path / "lib", files=40, paras=2)
    (tmp_path / "lib" / "snack-007.txt").write_text("A lone pomegranate sat in the bowl.")
    idx = SearchIndex(tmp_path / "index.sqlite")
    done: list[int] = []
    # Cut short after the first batch is written (the app quitting mid-build).
    monkeypatch.setattr(indexer, "COMMIT_EVERY", 10)
    idx.update(files, progress=lambda d, t: done.append(d), cancelled=lambda: len(done) >= 1)
    assert 0 < len(files) - len(idx.stale(files)) < len(files)
    # The typo is found only through the vocabulary: counted though the build stopped.
    [hit, *_] = idx.search("pomegrnate", files)
    assert hit.path.name == "snack-007.txt"
    idx.update(files)  # the rest
    assert idx.stale(files) == []
    assert idx.search("crips chisp 33-1", files)[0].path.name == "snack-033.txt"


def _age(folder: Path) -> None:
    """Date a folder and all under it an hour back, as a library that sat for a while."""
    past = time.time() - 3600
    for p in [folder, *folder.rglob("*")]:
        os.utime(p, (past, past))


def test_a_search_checks_each_file_only_when_the_library_changed(
    tmp_path: Path, monkeypatch
) -> None:
    import reader.core.search.indexer as indexer

    lib = tmp_path / "lib"
    big_library(lib, files=5, paras=1)
    _age(lib)
    idx = SearchIndex(tmp_path / "index.sqlite")
    files, _ = idx.refresh([str(lib)])
    assert len(files) == 5 and len(idx.search("potato chips", files)) == 5

    checks: list[int] = []
    real_stale = indexer.stale
    monkeypatch.setattr(
        indexer, "stale", lambda db, fs: checks.append(len(fs)) or real_stale(db, fs)
    )
    assert SearchIndex(tmp_path / "index.sqlite").refresh([str(lib)])[0] == files
    assert checks == []  # nothing added, removed or renamed: no file was looked at

    # Edited in place (the folder's mtime stays): found once among the results.
    (lib / "snack-002.txt").write_text("Salted chips, and now a note on pickled walnuts.\n")
    idx = SearchIndex(tmp_path / "index.sqlite")
    idx.refresh([str(lib)])
    [hit] = idx.search("salted chips pickled walnuts", files, limit=1)
    assert hit.path.name == "snack-002.txt" and "pickled walnuts" in hit.text
    assert checks == [1]  # that file alone, indexed again
    checks.clear()

    # A new file changes the folder: every file is checked, and the new one is indexed.
    (lib / "new.txt").write_text("Roasted chestnuts by the river.\n")
    files, _ = SearchIndex(tmp_path / "index.sqlite").refresh([str(lib)])
    assert checks == [6]
    assert SearchIndex(tmp_path / "index.sqlite").search("rosted chestnuts", files)


def test_an_index_worn_by_many_edits_starts_over(tmp_path: Path, monkeypatch) -> None:
    """Passages of edited files leave rows in the full-text table (it keeps no text to
    delete them by): once those outnumber the live ones, the index is made anew."""
    import reader.core.search.db as db

    monkeypatch.setattr(db, "ORPHANS_AT", 10)
    a = tmp_path / "a.txt"
    idx = SearchIndex(tmp_path / "index.sqlite")

    def rows() -> int:
        return idx.db.execute("SELECT count(*) FROM passages_fts_docsize").fetchone()[0]

    for n in range(4):
        a.write_text("\n\n".join(f"Edition {n}, paragraph {k} on otters." for k in range(6)))
        os.utime(a, (time.time() + n, time.time() + n))
        idx.update([a])
    assert rows() == 6  # started over after the third edit, then indexed once
    hits = idx.search("edition 3 otters", [a], limit=6)
    assert len(hits) == 6 and all(h.text.startswith("Edition 3,") for h in hits)


_PARENT = 0


def _dies_in_a_worker(path: str, doc=None, count_words=True):  # noqa: ANN001, ANN202
    """A worker killed (out of memory, say) on one file; the parent reads it fine."""
    from reader.core.search.indexer import Prepared, prepare

    if os.getpid() != _PARENT and path.endswith("snack-050.txt"):
        os._exit(9)
    result: Prepared = prepare(path, doc, count_words)
    return result


def test_a_worker_process_that_dies_does_not_stop_the_build(tmp_path: Path, monkeypatch) -> None:
    import reader.core.search.indexer as indexer

    files = big_library(tmp_path / "lib", files=80, paras=1)
    monkeypatch.setattr(indexer, "_prepare_or_why", _dies_in_a_worker)
    monkeypatch.setattr(sys.modules[__name__], "_PARENT", os.getpid())
    idx = SearchIndex(tmp_path / "index.sqlite")
    report = idx.update(files, workers=2)
    assert report.indexed == 80 and not report.problems
    assert idx.stale(files) == []
    assert "snack-050.txt" in {h.path.name for h in idx.search("potato chips", files, limit=80)}


def test_an_open_index_finds_files_another_indexed_since(tmp_path: Path) -> None:
    """The app keeps one index open while a search screen is up, and indexes in another
    thread: what that indexes is found by the next keystroke's query."""
    lib = big_library(tmp_path / "lib", files=5, paras=1)
    lib[4].write_text("Chips with a pinch of saffron.")
    other = big_library(tmp_path / "other", files=2, paras=1)  # another library's files
    app_side = SearchIndex(tmp_path / "index.sqlite")
    app_side.update(other + lib[:3])
    assert app_side.search("saffron chips", lib)[0].path.name != "snack-004.txt"
    SearchIndex(tmp_path / "index.sqlite").update(lib)  # the indexing thread
    assert app_side.search("saffron chips", lib)[0].path.name == "snack-004.txt"


def test_typos_are_found_while_the_app_still_indexes(tmp_path: Path, monkeypatch) -> None:
    """The app searches while it indexes a big library: words of the files written so far
    are found by their typos long before the build ends."""
    from reader.core.search import indexer

    monkeypatch.setattr(indexer, "RECOUNT_FROM", 10)  # (a real build: 200 files or more)
    monkeypatch.setattr(indexer, "COMMIT_EVERY", 10)
    files = big_library(tmp_path / "lib", files=60, paras=1)
    files[7].write_text("A lone pomegranate sat in the bowl.")
    found: list[list[str]] = []

    def search_meanwhile(done: int, total: int) -> None:
        if done == 40:
            hits = SearchIndex(tmp_path / "index.sqlite").search("pomegrnate", files)
            found.append([h.path.name for h in hits])

    for meanwhile in (False, True):
        found.clear()
        (tmp_path / "index.sqlite").unlink(missing_ok=True)
        idx = SearchIndex(tmp_path / "index.sqlite")
        idx.update(files, progress=search_meanwhile, searched_meanwhile=meanwhile)
        idx.close()
        assert found == ([["snack-007.txt"]] if meanwhile else [[]])
