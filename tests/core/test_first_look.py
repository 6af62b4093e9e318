"""`reader BOOK.epub`: the book's first chapters are extracted by a child process while
the app starts; what it hands over is exactly the first look the app would make itself."""

import os
import random
import threading
from pathlib import Path

import pytest

from reader.core.formats import preview
from reader.core.formats.ahead import first_look_ahead
from reader.core.text import PREVIEW_BYTES

from .epubs import make_epub

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork here")


def big_book(tmp_path: Path) -> Path:
    picture = random.Random(3).randbytes(1_200_000)  # over 4 x PREVIEW_BYTES on disk
    return make_epub(tmp_path / "big.epub", extra={"OEBPS/images/cover.jpg": picture})


def test_the_first_look_extracted_ahead_is_the_books_own(tmp_path: Path) -> None:
    book = big_book(tmp_path)
    assert threading.active_count() == 1  # (else nothing is forked, by design)
    ahead = first_look_ahead([book], PREVIEW_BYTES)
    assert ahead is not None
    text = ahead.take(tmp_path / "." / "big.epub")  # the same file, however named
    assert text is not None and "bright cold day in April" in text
    assert text == preview(book, PREVIEW_BYTES)
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # the child is gone (reaped), none left behind


def test_another_article_opened_first_stops_the_child(tmp_path: Path) -> None:
    book = big_book(tmp_path)
    other = tmp_path / "other.txt"
    other.write_text("Another article.\n")
    ahead = first_look_ahead([book], PREVIEW_BYTES)
    assert ahead is not None
    assert ahead.take(other) is None
    ahead.drop()  # (again: nothing happens)
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


def test_a_broken_book_hands_over_nothing(tmp_path: Path) -> None:
    book = tmp_path / "broken.epub"
    book.write_bytes(random.Random(5).randbytes(1_500_000))  # not a zip
    ahead = first_look_ahead([book], PREVIEW_BYTES)
    assert ahead is not None
    assert ahead.take(book) is None  # the app then tries itself, and says why it can't


def test_only_a_lone_big_book_is_extracted_ahead(tmp_path: Path) -> None:
    book = big_book(tmp_path)
    small = make_epub(tmp_path / "small.epub")
    text = tmp_path / "notes.txt"
    text.write_bytes(b"words\n" * 300_000)
    assert first_look_ahead([book, text], PREVIEW_BYTES) is None  # a library: as before
    assert first_look_ahead([small], PREVIEW_BYTES) is None  # read whole at once
    assert first_look_ahead([text], PREVIEW_BYTES) is None  # its first lines cost nothing
    assert first_look_ahead([tmp_path], PREVIEW_BYTES) is None
