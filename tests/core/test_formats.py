"""Web pages and e-books: their text, title, author and outline; bad files refused clearly."""

import os
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.core.document import Document
from reader.core.formats import article_text, epub, extract
from reader.core.library import scan
from reader.core.paths import cache_dir
from reader.core.store import sidecar_beside
from reader.core.text import UnreadableFile
from reader.core.walk import article_paths

from .epubs import make_epub, make_page


def test_web_page_main_text_keeps_structure_and_drops_the_rest(tmp_path: Path) -> None:
    doc = Document.load(make_page(tmp_path / "page.html"))
    text = doc.text
    assert text.startswith("# The Long Read\n")
    assert "\n## A section heading\n" in text
    assert "*emphasis*" in text and "**strong words**" in text
    assert "[link to elsewhere](https://example.org/x)" in text
    assert "- First item of the list\n- Second item of the list" in text
    assert "> A quoted passage" in text
    assert '```\ndef hello():\n    print("hi")\n```' in text
    assert "[image: A picture of a cat]" in text
    # Navigation, footer, scripts and styles are not the article.
    for gone in ("World news", "Copyright", "SCRIPT RAN", "console.log", "color: red"):
        assert gone not in text
    assert (doc.title, doc.author) == ("The Long Read", "Jane Writer")
    assert doc.format == "html" and doc.is_markdown
    assert doc.extractor.startswith("trafilatura ")


def test_page_in_a_legacy_encoding_declared_in_meta(tmp_path: Path) -> None:
    html = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk">'
        "<title>新闻</title></head><body><article><p>"
        + "中华人民共和国成立于一九四九年，首都北京。这是一段用于测试的中文新闻文本。" * 5
        + "</p></article></body></html>"
    )
    doc = Document.load(make_page(tmp_path / "news.htm", html, "gbk"))
    assert "首都北京" in doc.text and doc.encoding == "GBK" and doc.title == "新闻"


def test_malformed_html_gives_text_or_a_clear_message(tmp_path: Path) -> None:
    broken = "<html><body><div><p>Unclosed <b>bold words <i>here</div></span><p>Second part"
    doc = Document.load(make_page(tmp_path / "broken.html", broken))
    assert "Unclosed" in doc.text and "Second part" in doc.text
    (tmp_path / "empty.html").write_bytes(b"   \n")
    with pytest.raises(UnreadableFile, match="empty web page"):
        Document.load(tmp_path / "empty.html")
    (tmp_path / "tags.html").write_bytes(b"<html><head><script>x()</script></head></html>")
    with pytest.raises(UnreadableFile, match="no readable text"):
        Document.load(tmp_path / "tags.html")
    (tmp_path / "binary.htm").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10)
    with pytest.raises(UnreadableFile, match="binary"):
        Document.load(tmp_path / "binary.htm")


_TAGS = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<div>",
        "</div>",
        "<b>",
        "<a href='x'>",
        "</a>",
        "<table><tr><td>",
        "<li>",
        "<pre>",
        "<!--",
        "-->",
        "<script>",
        "</script>",
        "<img alt='",
        "'>",
        "&amp;",
        "&#0;",
        "<",
    ]
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.one_of(_TAGS, st.text(max_size=30)), max_size=40))
def test_any_markup_gives_text_or_one_clear_message(tmp_path: Path, parts: list[str]) -> None:
    page = make_page(tmp_path / "fuzz.html", "".join(parts), "utf-8")
    try:
        text = Document.load(page).text
    except UnreadableFile as err:
        assert str(err) and "\n" not in str(err)
    else:
        assert text.strip() and "\x1b" not in text
    cache_entry = cache_dir() / "extracted"
    if cache_entry.exists():
        for f in cache_entry.iterdir():
            f.unlink()


def test_deeply_nested_markup_is_refused_or_read_without_a_crash(tmp_path: Path) -> None:
    deep = "<div>" * 100_000 + "deep text" + "</div>" * 100_000
    try:
        Document.load(make_page(tmp_path / "deep.html", f"<html><body>{deep}</body></html>"))
    except UnreadableFile as err:
        assert "no readable text" in str(err)


def test_escape_sequences_in_a_page_are_inert(tmp_path: Path) -> None:
    page = "<html><body><article><p>Red \x1b[31m alert \x07 here and more words.</p></article>"
    doc = Document.load(make_page(tmp_path / "esc.html", page + "</body></html>"))
    assert "alert" in doc.text and "\x1b" not in doc.text and "\x07" not in doc.text


def test_complete_web_page_folder_is_not_listed_but_single_pages_are(tmp_path: Path) -> None:
    make_page(tmp_path / "Story.html")
    files = tmp_path / "Story_files"
    files.mkdir()
    (files / "frame.html").write_text("<html><body>ad frame</body></html>")
    (files / "app.js").write_text("alert(1)")
    make_page(tmp_path / "single.htm")
    other = tmp_path / "notes_files"  # no notes.html beside it: an ordinary folder
    other.mkdir()
    (other / "kept.html").write_text("<p>kept</p>")
    found = sorted(p.relative_to(tmp_path).as_posix() for p in article_paths([tmp_path])[0])
    assert found == ["Story.html", "notes_files/kept.html", "single.htm"]


@pytest.mark.parametrize("version", ["3.0", "2.0"])
def test_epub_chapters_in_order_with_its_table_of_contents(tmp_path: Path, version: str) -> None:
    book = make_epub(tmp_path / "1984.epub", version=version)
    doc = Document.load(book)
    text = doc.text
    one = text.index("# Chapter One")
    two = text.index("# Chapter Two")
    assert one < text.index("bright cold day") < text.index("## Later that day") < two
    assert "[image: A map of the city]" in text and "map.png" not in text
    assert "]\n\n> War is peace." in text and "- first thing\n- second thing" in text
    assert (doc.title, doc.author, doc.format) == ("Nineteen Eighty-Four", "George Orwell", "epub")
    titles = [t for t, _ in doc.outline]
    assert titles == ["One", "Later that day", "Two"]
    places = {t: text[o:].split("\n", 1)[0] for t, o in doc.outline}
    assert places == {
        "One": "# Chapter One",
        "Later that day": "## Later that day",
        "Two": "# Chapter Two",
    }


def test_library_lists_books_and_pages_by_their_metadata(tmp_path: Path) -> None:
    make_epub(tmp_path / "b.epub", title="Brave New World", author="Aldous Huxley")
    make_page(tmp_path / "p.html")
    lib = scan([tmp_path])
    got = {a.path.name: (a.title, a.author, a.problem) for a in lib.articles}
    assert got == {
        "b.epub": ("Brave New World", "Aldous Huxley", None),
        "p.html": ("The Long Read", "Jane Writer", None),
    }


def _nothing_written(tmp_path: Path, book: Path) -> None:
    assert not sidecar_beside(book).exists()
    cache = cache_dir() / "extracted"
    # The extraction's lock file (hidden, empty) may stay; no extracted text may.
    assert not cache.exists() or not [p for p in cache.iterdir() if not p.name.endswith(".lock")]


def test_not_a_zip(tmp_path: Path) -> None:
    book = tmp_path / "fake.epub"
    book.write_text("this is not a zip")
    with pytest.raises(UnreadableFile, match="not an EPUB: not a zip archive"):
        Document.load(book)
    assert scan([tmp_path]).articles[0].problem == "not an EPUB: not a zip archive"
    _nothing_written(tmp_path, book)


@pytest.mark.filterwarnings("ignore:Duplicate name")
def test_zip_bomb_member_is_refused(tmp_path: Path) -> None:
    book = make_epub(tmp_path / "bomb.epub")
    with zipfile.ZipFile(book, "a") as z:
        info = zipfile.ZipInfo("OEBPS/text/ch0.xhtml")
        info.compress_type = zipfile.ZIP_DEFLATED
        with z.open(info, "w") as f:  # a second copy replaces the first (last wins)
            for _ in range(70):
                f.write(b" " * (1 << 20))
    with pytest.raises(UnreadableFile, match="zip bomb"):
        Document.load(book)
    _nothing_written(tmp_path, book)


def test_total_unpacked_bytes_are_limited(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big = "<p>" + "words and more words " * 5000 + "</p>"  # 100 KB a chapter
    book = make_epub(tmp_path / "long.epub", chapters=[(f"C{i}", big) for i in range(12)])
    monkeypatch.setattr(epub, "MAX_TOTAL", 1024 * 1024)
    with pytest.raises(UnreadableFile, match="more than 1 MB"):
        Document.load(book)
    monkeypatch.undo()
    assert "words and more" in Document.load(book).text


def test_external_entities_are_never_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET CONTENT")
    xxe = f'<!DOCTYPE html [<!ENTITY xxe SYSTEM "file://{secret}">]>'
    chapter = (
        f'<?xml version="1.0"?>{xxe}<html xmlns="http://www.w3.org/1999/xhtml">'
        "<body><p>&xxe;</p></body></html>"
    )
    book = make_epub(tmp_path / "xxe.epub", extra={"OEBPS/text/ch0.xhtml": chapter})
    with pytest.raises(UnreadableFile, match="declares XML entities") as err:
        Document.load(book)
    assert "TOP SECRET" not in str(err.value)
    # In the package file too (parsed as XML).
    opf = f'<?xml version="1.0"?>{xxe.replace("html", "package")}<package>&xxe;</package>'
    book2 = make_epub(tmp_path / "xxe2.epub", extra={"OEBPS/content.opf": opf})
    with pytest.raises(UnreadableFile, match="content.opf declares XML entities"):
        Document.load(book2)
    _nothing_written(tmp_path, book)


ENCRYPTION = """<?xml version="1.0"?>
<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container"
  xmlns:enc="http://www.w3.org/2001/04/xmlenc#">
  <enc:EncryptedData>
    <enc:EncryptionMethod Algorithm="{algorithm}"/>
    <enc:CipherData><enc:CipherReference URI="{uri}"/></enc:CipherData>
  </enc:EncryptedData>
</encryption>"""


def test_drm_protected_book_is_refused_but_font_obfuscation_is_not(tmp_path: Path) -> None:
    aes = ENCRYPTION.format(
        algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc", uri="OEBPS/text/ch0.xhtml"
    )
    book = make_epub(tmp_path / "drm.epub", extra={"META-INF/encryption.xml": aes})
    with pytest.raises(UnreadableFile, match="encrypted: cannot be read"):
        Document.load(book)
    _nothing_written(tmp_path, book)
    font = ENCRYPTION.format(algorithm="http://www.idpf.org/2008/embedding", uri="OEBPS/f.otf")
    ok = make_epub(tmp_path / "fonts.epub", extra={"META-INF/encryption.xml": font})
    assert "bright cold day" in Document.load(ok).text


def test_second_open_comes_from_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    book = make_epub(tmp_path / "b.epub")
    page = make_page(tmp_path / "p.html")
    first_book, first_page = extract(book), extract(page)
    entries = list((cache_dir() / "extracted").iterdir())
    assert len(entries) == 2

    def no_extraction(*args: object, **kwargs: object) -> None:
        raise AssertionError("extracted again")

    monkeypatch.setattr("reader.core.formats.epub.extract_epub", no_extraction)
    monkeypatch.setattr("reader.core.formats.html.extract_html", no_extraction)
    assert extract(book) == first_book and extract(page) == first_page
    os.utime(book, ns=(1, 1))  # a new mtime, the same bytes: the hash says it is the same
    assert extract(book) == first_book
    monkeypatch.undo()
    make_page(page, "<html><body><article><p>" + "A changed page entirely. " * 20 + "</p>")
    assert "changed page" in extract(page).text


def test_article_text_is_what_search_indexes(tmp_path: Path) -> None:
    from reader.core.search import SearchIndex

    book = make_epub(tmp_path / "b.epub")
    page = make_page(tmp_path / "p.html")
    assert "hallway smelt of boiled cabbage" in article_text(book)
    idx = SearchIndex(tmp_path / "index.sqlite")
    report = idx.update([book, page])
    assert not report.problems
    hits = idx.search("boiled cabbage", [book, page])
    assert hits and hits[0].path == book and "boiled cabbage" in hits[0].text
    start = Document.load(book).text.index("The hallway")
    assert hits[0].line == Document.load(book).line_col(start)[0]
    assert idx.search("quoted passage", [book, page])[0].path == page


def test_cli_annotates_notes_and_searches_an_epub(tmp_path: Path, capsys) -> None:
    import json

    from reader.cli import main

    book = make_epub(tmp_path / "1984.epub")
    assert main(["annotate", str(book), "--quote", "boiled cabbage", "--note", "smell"]) == 0
    capsys.readouterr()
    assert main(["notes", str(book), "--json"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert row["status"] == "anchored" and row["note"] == "smell"
    assert Document.load(book).text[row["start"] : row["end"]] == "boiled cabbage"
    assert main(["search", "boiled cabbage", str(tmp_path)]) == 0
    assert "1984.epub" in capsys.readouterr().out
    assert main(["export", str(tmp_path), "--format", "json"]) == 0
    exported = capsys.readouterr().out
    assert "boiled cabbage" in exported and "smell" in exported


def test_cli_says_why_a_bad_epub_cannot_be_read(tmp_path: Path, capsys) -> None:
    from reader.cli import main

    book = tmp_path / "fake.epub"
    book.write_text("not a zip")
    assert main(["annotate", str(book), "--quote", "x"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == f"reader: {book}: not an EPUB: not a zip archive"
    assert not sidecar_beside(book).exists()


def test_a_chapter_missing_from_the_book_is_skipped_with_a_note(tmp_path: Path) -> None:
    book = make_epub(tmp_path / "b.epub")
    with zipfile.ZipFile(book) as z:
        members = {n: z.read(n) for n in z.namelist() if n != "OEBPS/text/ch0.xhtml"}
    with zipfile.ZipFile(book, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    doc = Document.load(book)
    assert doc.text.startswith("# Chapter Two") and "ch0.xhtml is missing" in doc.notes[0]
    assert [t for t, _ in doc.outline] == ["Two"]


def test_needs_extraction_until_cached_and_preview_is_a_prefix(tmp_path: Path) -> None:
    from reader.core.formats import needs_extraction, preview

    book = make_epub(tmp_path / "b.epub")
    page = make_page(tmp_path / "p.html")
    assert needs_extraction(book) and needs_extraction(page)
    assert not needs_extraction(tmp_path / "notes.txt")
    cold = preview(book, 60)  # an e-book's first chapters, read without the rest
    assert cold is not None and preview(page, 60) is None
    whole = extract(book).text
    extract(page)
    assert not needs_extraction(book) and not needs_extraction(page)
    assert whole.startswith(cold)
    warm = preview(page, 200)
    assert warm is not None and extract(page).text.startswith(warm) and warm.endswith("\n")


def test_the_cache_drops_its_oldest_entries_past_its_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.core.formats import cache

    old = make_epub(tmp_path / "old.epub")
    new = make_epub(tmp_path / "new.epub")
    extract(old)
    os.utime(cache.entry_path(old), ns=(1, 1))
    monkeypatch.setattr(cache, "MAX_BYTES", cache.entry_path(old).stat().st_size + 10)
    extract(new)
    assert cache.entry_path(new).exists() and not cache.entry_path(old).exists()
    assert "boiled cabbage" in extract(old).text  # extracted again when asked


def test_xhtml_self_closing_tags_and_html_entities_in_chapters(tmp_path: Path) -> None:
    strict = (
        '<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/1999/xhtml">'
        '<head><title/><script src="x.js"/><link rel="stylesheet" href="s.css"/></head>'
        '<body><div id="top"/><p>After a self-closing script, the chapter is all here.</p>'
        "</body></html>"
    )
    loose = "<html><body><p>Caf&eacute;&nbsp;cr&egrave;me is read as HTML.</p></body></html>"
    book = make_epub(
        tmp_path / "b.epub",
        extra={"OEBPS/text/ch0.xhtml": strict, "OEBPS/text/ch1.xhtml": loose},
    )
    text = Document.load(book).text
    assert "After a self-closing script, the chapter is all here." in text
    assert "Café crème is read as HTML." in text


def test_annotations_follow_their_text_when_the_book_changes(tmp_path: Path, capsys) -> None:
    import json

    from reader.cli import main
    from tests.core.epubs import CHAPTERS

    book = make_epub(tmp_path / "1984.epub")
    assert main(["annotate", str(book), "--quote", "boiled cabbage", "--note", "smell"]) == 0
    foreword = ("Foreword", "<p>A new foreword, added in the second edition of the book.</p>")
    make_epub(book, chapters=[foreword, *CHAPTERS])  # what is extracted has moved on
    capsys.readouterr()
    assert main(["notes", str(book), "--json"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert row["status"] in ("anchored", "moved") and row["note"] == "smell"
    assert Document.load(book).text[row["start"] : row["end"]] == "boiled cabbage"


def test_a_cache_folder_that_cannot_be_written_only_costs_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "cache-is-a-file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    book = make_epub(tmp_path / "b.epub")
    assert "boiled cabbage" in Document.load(book).text
    assert "boiled cabbage" in Document.load(book).text


def test_a_damaged_epub_gives_text_or_one_clear_message(tmp_path: Path) -> None:
    import random

    good = make_epub(tmp_path / "good.epub").read_bytes()
    rng = random.Random(7)
    outcomes = set()
    for i in range(60):
        data = bytearray(good)
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        if i % 5 == 0:
            data = data[: rng.randrange(len(data))]  # cut short, as a broken download is
        book = tmp_path / f"bad{i}.epub"
        book.write_bytes(bytes(data))
        try:
            text = Document.load(book).text
            outcomes.add("text")
            assert text.strip()
        except UnreadableFile as err:
            outcomes.add("refused")
            assert str(err) and "\n" not in str(err)
    assert outcomes == {"text", "refused"}


def test_the_library_titles_read_books_and_pages_from_the_cache_until_they_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.core.formats import epub, html
    from reader.core.library import scan

    book = make_epub(tmp_path / "b.epub", title="First Edition")
    page = make_page(tmp_path / "p.html")
    listed_before = [(a.title, a.author) for a in scan([tmp_path]).articles]
    extract(book)
    extract(page)

    def unopened(*args: object) -> tuple[str, str]:
        raise AssertionError("the file was opened again")

    with monkeypatch.context() as m:
        # Unchanged since they were extracted: neither is read again to be listed.
        m.setattr(epub, "book_metadata", unopened)
        m.setattr(html, "head_metadata", unopened)
        listed = [(a.title, a.author) for a in scan([tmp_path]).articles]
    assert (
        listed
        == listed_before
        == [
            ("First Edition", "George Orwell"),
            ("The Long Read", "Jane Writer"),
        ]
    )
    make_epub(book, title="Second Edition, Revised")  # replaced: size and time change
    [a, _] = scan([tmp_path]).articles
    assert a.title == "Second Edition, Revised"


def test_a_web_pages_first_look_is_its_raw_text_never_garbled_by_where_it_is_cut(
    tmp_path: Path,
) -> None:
    from reader.core.formats import sketch

    para = "<p>Le café crème coûte deux euros à Paris.</p>\n"
    page = make_page(
        tmp_path / "p.html",
        "<html><head><meta charset='utf-8'><script>alert('SCRIPT RAN')</script></head>"
        f"<body><nav>Accueil</nav>{para * 400}</body></html>",
    )
    data = page.read_bytes()
    cut = data.index("é".encode(), 5000) + 1  # the limit falls inside a character
    first = sketch(page, cut)
    assert first is not None and "Le café crème coûte deux euros" in first
    assert "SCRIPT RAN" not in first
    assert "\ufffd" not in first and "Ã" not in first
    assert sketch(make_epub(tmp_path / "b.epub"), cut) is None  # only web pages have one
