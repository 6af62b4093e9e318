import os
import time
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.find import find_all
from reader.core.search import SearchIndex, match_titles
from reader.core.search.query import TOKEN, Query, plain

from ..conftest import HUAWEI, XIAOMI


def index_of(tmp_path: Path, files: list[Path]) -> SearchIndex:
    idx = SearchIndex(tmp_path / "index.sqlite")
    idx.update(files)
    return idx


def test_typo_phrase_finds_the_xring_passage(seeds_copy: Path, tmp_path: Path) -> None:
    files = sorted(seeds_copy.glob("*.txt"))
    hits = index_of(tmp_path, files).search("xiaomy 3 nm chipp", files, limit=3)
    assert hits[0].path.name == XIAOMI
    assert "Xring O1" in hits[0].text


def test_exact_phrase_ranks_above_fuzzy(tmp_path: Path) -> None:
    a = tmp_path / "a.txt"
    b = tmp_path / "b.txt"
    a.write_text("The semiconductor race is on.\n\nUnrelated words here.\n")
    b.write_text("A semiconducter racing team won.\n")
    idx = index_of(tmp_path, [a, b])
    hits = idx.search("semiconductor race", [a, b])
    assert [h.path.name for h in hits[:2]] == ["a.txt", "b.txt"]
    assert hits[0].score > hits[1].score


def test_changed_file_is_found_by_its_new_text(seeds_copy: Path, tmp_path: Path) -> None:
    art = seeds_copy / HUAWEI
    idx = index_of(tmp_path, [art])
    assert not idx.search("zanzibar marmalade", [art])
    time.sleep(0.01)
    art.write_text(art.read_text() + "\nA note on zanzibar marmalade exports.\n")
    os.utime(art)
    assert idx.stale([art]) == [art]
    idx.update([art])
    hits = idx.search("zanzibar marmalade", [art])
    assert hits and "zanzibar marmalade" in hits[0].text
    assert not idx.search("Kirin 9000S", [art]) == []  # old text still there, once
    assert len(idx.search("Kirin 9000S", [art])) == 1


def test_results_report_line_and_column_of_first_match(seeds_copy: Path, tmp_path: Path) -> None:
    art = seeds_copy / HUAWEI
    hits = index_of(tmp_path, [art]).search("Kirin 9000S", [art])
    lines = art.read_text().splitlines()
    assert lines[hits[0].line - 1][hits[0].col - 1 :].startswith("Kirin")


def test_find_in_article_smart_case_and_typos() -> None:
    text = "Huawei and huawei and HUAWEI; also Huawai once."
    assert find_all(text, "huawei").exact == 3
    assert find_all(text, "Huawei").exact == 1
    r = find_all(text, "huawei")
    assert text[slice(*r.hits[-1])] == "Huawai"  # close match after exact ones


def test_title_match_tolerates_typos() -> None:
    names = ["China’s biggest tech giants  000.txt", "Xiaomi Corp founder Lei Jun  002.txt"]
    assert match_titles("xiaomy", names)[0][1] == 1


def test_cjk_words_are_found_inside_runs_of_text(tmp_path: Path) -> None:
    """Chinese and Japanese have no spaces: a word is found inside a longer run."""
    zh = tmp_path / "zh.txt"
    ja = tmp_path / "ja.txt"
    zh.write_text("引言。\n\n中国半导体产业在制裁下仍在发展，华为发布了新芯片。\n\n其他内容。\n")
    ja.write_text("東京の天気は晴れです。\n\n半導体の輸出規制が強化された。\n")
    idx = index_of(tmp_path, [zh, ja])
    [hit] = idx.search("半导体", [zh, ja])
    assert hit.path == zh and "中国半导体产业" in hit.text
    assert hit.text[slice(*hit.marks[0])] == "半导体"
    lines = zh.read_text().splitlines()
    assert lines[hit.line - 1][hit.col - 1 :].startswith("半导体")
    assert idx.search("輸出規制", [zh, ja])[0].path == ja
    assert idx.search("华为 芯片", [zh, ja])[0].path == zh  # two words, apart in the text
    assert not idx.search("导半体", [zh, ja])  # the characters, but not in that order


def _age(folder: Path) -> None:
    """Date a folder and all under it an hour back, as a library that sat for a while."""
    past = time.time() - 3600
    for p in [folder, *folder.rglob("*")]:
        os.utime(p, (past, past))


def test_library_listing_is_kept_until_a_folder_changes(
    seeds_copy: Path, tmp_path: Path, monkeypatch
) -> None:
    import reader.core.walk as walk

    (seeds_copy / "older").mkdir()
    (seeds_copy / "older" / "kept.md").write_text("# Kept\n\nAn older piece.\n")
    _age(seeds_copy)
    idx = SearchIndex(tmp_path / "index.sqlite")
    first, problems = idx.articles([str(seeds_copy)])
    assert not problems and str(seeds_copy / "older" / "kept.md") in first

    walks = []
    real_walk = walk.article_files
    monkeypatch.setattr(walk, "article_files", lambda *a: walks.append(a) or real_walk(*a))
    assert SearchIndex(tmp_path / "index.sqlite").articles([str(seeds_copy)])[0] == first
    assert walks == []  # nothing changed: no folder was read again

    # Added in a subfolder, removed at the top: each changes its own folder's mtime.
    (seeds_copy / "older" / "new.txt").write_text("Fresh words.\n")
    (seeds_copy / XIAOMI).unlink()
    files, _ = SearchIndex(tmp_path / "index.sqlite").articles([str(seeds_copy)])
    assert len(walks) == 1
    assert str(seeds_copy / "older" / "new.txt") in files
    assert str(seeds_copy / XIAOMI) not in files


def test_a_kept_listing_whose_files_were_let_go_is_walked_again(tmp_path: Path) -> None:
    """A search names its library by the kept listing's digest and reads the list of files
    only when it needs it; if that list was let go meanwhile, the folder is read again."""
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "a.txt").write_text("Tidal charts of the northern coast.\n")
    (lib / "b.md").write_text("# Bread\n\nNotes on sourdough.\n")
    _age(lib)
    idx = SearchIndex(tmp_path / "index.sqlite")
    files, _ = idx.refresh([str(lib)])
    assert [h.path.name for h in idx.search("tidal charts", files)] == ["a.txt"]
    idx.db.execute("DELETE FROM kept WHERE name LIKE 'files-of:%'")
    idx.db.commit()
    again = SearchIndex(tmp_path / "index.sqlite")
    files, _ = again.refresh([str(lib)])
    assert sorted(files) == [str(lib / "a.txt"), str(lib / "b.md")]
    assert [h.path.name for h in again.search("sourdough", files)] == ["b.md"]


def test_a_file_reindexed_by_another_process_is_found_by_its_new_text(tmp_path: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("Tidal charts of the northern coast.\n")
    b.write_text("Notes on bread.\n")
    db = tmp_path / "index.sqlite"
    index_of(tmp_path, [a, b])
    assert SearchIndex(db).search("tidal charts", [a, b])  # a process that searched
    a.write_text("Salt marsh birds, counted at dawn.\n")
    os.utime(a, (time.time() + 5, time.time() + 5))
    SearchIndex(db).update([a, b])  # another that re-indexed a
    hits = SearchIndex(db).search("salt marsh birds", [a, b])  # and the next one
    assert [h.path.name for h in hits] == ["a.txt"]


def test_listings_are_kept_for_the_most_recent_libraries_only(tmp_path: Path, monkeypatch) -> None:
    import reader.core.search.listing as search
    import reader.core.walk as walk

    monkeypatch.setattr(search, "KEPT_LISTINGS", 3)
    idx = SearchIndex(tmp_path / "index.sqlite")
    idx._db.files_table()  # kept too, but of another kind
    libs = []
    for i in range(5):
        lib = tmp_path / f"lib{i}"
        lib.mkdir()
        (lib / "a.txt").write_text("Words.\n")
        _age(lib)
        libs.append(str(lib))
        assert idx.articles([str(lib)])[0] == [str(lib / "a.txt")]
    # Three listings (folders and a digest) and their three lists of files, and the table.
    assert idx.db.execute("SELECT count(*) FROM kept").fetchone()[0] == 3 + 3 + 1

    walks = []
    real_walk = walk.article_files
    monkeypatch.setattr(walk, "article_files", lambda *a: walks.append(a) or real_walk(*a))
    for lib in libs[2:]:
        idx.articles([lib])
    assert walks == []  # the three most recent are kept
    idx.articles([libs[0]])
    assert len(walks) == 1  # the oldest was let go, and is read again


def test_words_inside_snake_case_names_are_words(tmp_path: Path) -> None:
    """The full-text index splits kvm_device_attr into three words; so do the vocabulary
    that typo'd words are matched against, and the ranking."""
    a = tmp_path / "a.txt"
    a.write_text("The attr field of kvm_device_attr encodes two values.\n")
    idx = index_of(tmp_path, [a])
    hits = idx.search("devcie", [a])
    assert hits and "kvm_device_attr" in hits[0].text
    assert hits[0].text[slice(*hits[0].marks[0])] == "device"  # marked as the word found


def test_a_damaged_index_is_made_again(seeds_copy: Path, tmp_path: Path) -> None:
    files = sorted(seeds_copy.glob("*.txt"))
    db = tmp_path / "index.sqlite"
    db.write_bytes(os.urandom(64 * 1024))  # a disk error, or a copy cut short
    idx = index_of(tmp_path, files)
    hits = idx.search("xiaomy 3 nm chipp", files)
    assert hits and "Xring O1" in hits[0].text
    idx.close()
    # Damage inside a real index file (its header intact) is found and mended as well.
    data = bytearray(db.read_bytes())
    data[4096:8192] = os.urandom(4096)
    db.write_bytes(bytes(data))
    for end in ("-wal", "-shm"):
        Path(f"{db}{end}").unlink(missing_ok=True)
    hits = index_of(tmp_path, files).search("xiaomy 3 nm chipp", files)
    assert hits and "Xring O1" in hits[0].text


def test_snippet_marks_point_at_the_matched_words(seeds_copy: Path, tmp_path: Path) -> None:
    files = sorted(seeds_copy.glob("*.txt"))
    for hit in index_of(tmp_path, files).search("Kirin 9000S", files):
        snippet, marks = hit.snippet_marks(60)
        assert marks and len(snippet) <= 62
        assert {snippet[a:b].lower() for a, b in marks} <= {"kirin", "9000s"}


def test_a_query_of_2000_repeated_words_finds_what_the_folded_one_does(
    seeds_copy: Path, tmp_path: Path
) -> None:
    files = sorted(seeds_copy.glob("*.txt"))
    idx = index_of(tmp_path, files)
    pasted = " ".join(["xiaomy 3 nm chipp"] * 500)  # 2,000 words
    assert len(pasted.split()) == 2000
    folded = idx.search("xiaomy 3 nm chipp", files, limit=5)
    long = idx.search(pasted, files, limit=5)
    assert folded and [(h.path, h.start, h.score) for h in long] == [
        (h.path, h.start, h.score) for h in folded
    ]
    assert long[0].path.name == XIAOMI


def test_a_pasted_page_finds_the_passage_it_was_copied_from(
    seeds_copy: Path, tmp_path: Path
) -> None:
    files = sorted(seeds_copy.glob("*.txt"))
    idx = index_of(tmp_path, files)
    text = (seeds_copy / HUAWEI).read_text()
    para = max(text.split("\n\n"), key=len)  # its longest paragraph, pasted twice
    assert len(para.split()) > 40
    hits = idx.search(f"{para}\n\n{para}", files, limit=3)
    assert hits[0].path.name == HUAWEI
    assert hits[0].text.split()[:5] == para.split()[:5]


def test_a_word_with_two_typos_finds_the_word_meant(tmp_path: Path) -> None:
    """`barirs` is one edit from the rare `baris` and two from `barriers`, which the
    library uses more: the memory-barrier passage comes first."""
    a = tmp_path / "boats.txt"
    a.write_text("The baris was an Egyptian rowboat.\n\nNothing of memory here.\n")
    b = tmp_path / "kernel.txt"
    b.write_text(
        "Memory barriers order the loads and stores of a CPU.\n\n"
        "Without barriers, other CPUs may see stores in any order.\n"
    )
    idx = index_of(tmp_path, [a, b])
    [first, *_] = idx.search("memry barirs", [a, b])
    assert first.path == b and first.text.startswith("Memory barriers")
    assert [first.text[slice(*m)] for m in first.marks][:2] == ["Memory", "barriers"]


def test_the_singular_finds_the_plural_and_back(tmp_path: Path) -> None:
    a = tmp_path / "page.txt"
    a.write_text("The quiet revolution in batteries.\n\nStudies of lithium supply.\n")
    idx = index_of(tmp_path, [a])
    for query, word in (("battery", "batteries"), ("study lithium", "Studies")):
        [hit, *_] = idx.search(query, [a])
        assert word in [hit.text[slice(*m)] for m in hit.marks], query


_PIECES = ["cab", "cabs", "abc", "bca", "xcab", "cab_", "_abc", "Cab", "café", "42"]


@settings(max_examples=150)
@given(
    words=st.lists(st.sampled_from(_PIECES), min_size=1, max_size=12),
    gaps=st.lists(st.sampled_from([" ", "-", ". ", "\n", "", "_", "'"]), min_size=12, max_size=12),
    query=st.sampled_from(["cab", "abc", "cabs bca", "cba", "bca 42"]),
)
def test_marked_words_are_whole_words_of_the_passage(words, gaps, query) -> None:
    """The words marked in a passage (a result's highlights) are exactly its whole words
    that are spellings of the query's words: never a piece of a longer word."""
    import tempfile

    text = "".join(w + g for w, g in zip(words, gaps, strict=False))
    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / "page.txt"
        f.write_text(text + "\n")
        idx = index_of(Path(tmp), [f])
        q = Query(idx.db, query)
        _score, marks = q.rank(text)
        idx.close()
    low = text.lower()
    whole = [(m.start(), m.end()) for m in TOKEN.finditer(low) if plain(m.group()) in q.spellings]
    assert list(marks) == whole
