from pathlib import Path

import pytest

from reader.core.inert import inert
from reader.core.text import UnreadableFile, decode, normalize, read_text


def test_escape_sequences_become_visible_symbols_one_for_one() -> None:
    raw = "a\x1b[2Jb\x07c\x9bd"
    out = normalize(raw)
    assert "\x1b" not in out and "\x07" not in out and "\x9b" not in out
    assert out == "a\u241b[2Jb\u2407c\ufffdd"
    assert len(out) == len(raw)


def test_tabs_and_newlines_stay() -> None:
    assert inert("\t") == "\t" and inert("\n") == "\n"


def test_crlf_and_lone_cr_become_lf() -> None:
    assert normalize("a\r\nb\rc") == "a\nb\nc"


def test_nfc_normalization() -> None:
    assert normalize("e\u0301") == "\u00e9"


def test_markup_lookalikes_are_plain_text() -> None:
    assert normalize("[bold red]x[/] [link=file:///etc/passwd]z[/link]") == (
        "[bold red]x[/] [link=file:///etc/passwd]z[/link]"
    )


def test_binary_is_refused_with_reason() -> None:
    with pytest.raises(UnreadableFile, match="binary"):
        decode(b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00" * 10)


def test_utf16_with_and_without_bom() -> None:
    assert decode("héllo wörld".encode("utf-16")).text == "héllo wörld"
    loaded = decode("hello world".encode("utf-16-le"))
    assert loaded.text == "hello world" and "UTF-16" in loaded.notes[0]


def test_latin1_is_decoded_with_a_note() -> None:
    loaded = decode("café crème".encode("latin-1"))
    assert loaded.text == "café crème"
    assert "not valid UTF-8" in loaded.notes[0]


def test_mostly_utf8_with_one_bad_byte_stays_utf8() -> None:
    data = ("中文 " * 100).encode() + b"\xff" + b" end"
    loaded = decode(data)
    assert (
        loaded.encoding == "utf-8"
        and "\ufffd" in loaded.text
        and "invalid UTF-8" in loaded.notes[0]
    )


def test_missing_and_folder(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFile, match="no such file"):
        read_text(tmp_path / "nope.txt")
    with pytest.raises(UnreadableFile, match="folder"):
        read_text(tmp_path)


def test_empty_file_is_noted(tmp_path: Path) -> None:
    p = tmp_path / "e.txt"
    p.write_bytes(b"")
    assert read_text(p).notes == ("empty file",)
