"""Web pages, e-books and legacy encodings wired to the annotation files: a user's
`encoding = ` in a sidecar's [source] table survives saves, and each sidecar of a web page
or e-book records which extractor made the text its offsets count in."""

import tomllib
from pathlib import Path

from reader.core.document import Range
from reader.core.formats.html import extractor
from reader.core.session import ArticleSession
from reader.core.store import FORMAT_VERSION, ArticleStore, sidecar_beside

from .epubs import make_page

RUSSIAN = "Привет, мир. Это статья в кодировке Windows-1251 о чтении и заметках.\n" * 3


def source_table(path: Path) -> dict:
    return tomllib.loads(sidecar_beside(path).read_text("utf-8"))["source"]


def annotate(path: Path, word: str) -> ArticleSession:
    session = ArticleSession.open(path)
    start = session.text.index(word)
    session.add(Range(start, start + len(word)))
    assert not session.save_now().errors
    return session


def test_users_encoding_in_the_sidecar_is_kept_when_an_annotation_is_saved(
    tmp_path: Path,
) -> None:
    art = tmp_path / "news.txt"
    art.write_bytes(RUSSIAN.encode("cp1251"))
    sidecar_beside(art).write_text(
        f'format = {FORMAT_VERSION}\nannotation = []\n\n[source]\nencoding = "cp1251"\n',
        "utf-8",
    )
    session = annotate(art, "статья")
    assert session.doc.text == RUSSIAN  # decoded as the user said
    table = source_table(art)
    assert table["encoding"] == "cp1251"
    assert table["name"] == "news.txt" and "sha256" in table
    assert "extractor" not in table  # a text file's offsets count in the file itself
    annotate(art, "мир")  # and the next save keeps it too
    assert source_table(art)["encoding"] == "cp1251"


def test_web_page_sidecar_records_the_extractor(tmp_path: Path) -> None:
    page = make_page(tmp_path / "page.html")
    annotate(page, "emphasis")
    recorded = source_table(page)["extractor"]
    assert recorded == extractor() and recorded.startswith("trafilatura ")


def test_a_store_made_from_a_page_text_alone_records_the_extractor(tmp_path: Path) -> None:
    # `reader import` builds the store from the path and the extracted text.
    page = make_page(tmp_path / "page.html")
    text = ArticleSession.open(page).text
    store = ArticleStore(page, text)
    store.set_encoding("utf-8")
    table = source_table(page)
    assert table["extractor"] == extractor() and table["encoding"] == "utf-8"


def test_the_extractor_recorded_is_the_installed_one_by_either_way_of_asking() -> None:
    from importlib.metadata import version

    from reader.core.formats.versions import installed_version

    # Read off the .dist-info folder's name (cheap), it says what the metadata says.
    assert extractor() == (
        f"trafilatura {version('trafilatura')} + html-to-markdown {version('html-to-markdown')}"
    )
    # reader itself is installed in editable mode: no .dist-info beside the package, so
    # the metadata is asked.
    assert installed_version("reader-tui", "reader") == version("reader-tui")
