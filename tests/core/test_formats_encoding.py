"""Text that is not UTF-8 is decoded right and named; the user's choice wins."""

from pathlib import Path

import pytest

from reader.core.document import Document
from reader.core.store import sidecar_beside
from reader.core.text import decode

SAMPLES = [
    (
        "gbk",
        "GB18030",
        "中华人民共和国成立于一九四九年，首都北京。这是一段用于测试编码检测的中文文本。",
    ),
    ("gb18030", "GB18030", "中华人民共和国成立于一九四九年，首都北京。𠀀𠀁这是测试€，内容足够长。"),
    ("big5", "Big5", "中華民國的首都是台北，這是一段用於測試編碼檢測的繁體中文文本，內容足夠長。"),
    (
        "shift_jis",
        "Shift-JIS",
        "日本語のテキストです。これは文字コードの検出をテストするための文章です。",
    ),
    (
        "euc_kr",
        "EUC-KR",
        "대한민국의 수도는 서울입니다. 이것은 인코딩 감지를 테스트하기 위한 한국어 텍스트입니다.",
    ),
    (
        "cp1251",
        "Windows-1251",
        "Москва — столица России. Это текст для проверки определения кодировки.",
    ),
    (
        "cp1250",
        "Windows-1250",
        "Příliš žluťoučký kůň úpěl ďábelské ódy. Zażółć gęślą jaźń, chrząszcz.",
    ),
    (
        "cp1252",
        "Windows-1252",
        "Le cœur déçu mais l'âme plutôt naïve, Louÿs rêva de crapaüter en canoë.",
    ),
    (
        "cp1253",
        "Windows-1253",
        "Η Αθήνα είναι η πρωτεύουσα της Ελλάδας. Αυτό είναι ένα κείμενο δοκιμής.",
    ),
    ("cp1255", "Windows-1255", "שלום עולם, זהו טקסט לבדיקת זיהוי קידוד התווים בעברית, ארוך מספיק."),
    ("cp1256", "Windows-1256", "مرحبا بالعالم، هذا نص لاختبار اكتشاف ترميز الأحرف باللغة العربية."),
]


@pytest.mark.parametrize(("codec", "shown", "sentence"), SAMPLES)
def test_legacy_encodings_are_detected_and_named(
    tmp_path: Path, codec: str, shown: str, sentence: str
) -> None:
    original = "\n".join([sentence] * 4) + "\n"
    art = tmp_path / "article.txt"
    art.write_bytes(original.encode(codec))
    doc = Document.load(art)
    assert doc.text == original
    assert doc.encoding == shown  # the status line shows this name


def test_a_few_accented_words_are_windows_1252() -> None:
    loaded = decode("café crème".encode("latin-1"))
    assert loaded.text == "café crème" and loaded.encoding == "Windows-1252"


def test_encoding_in_the_sidecar_overrides_a_wrong_guess(tmp_path: Path) -> None:
    turkish = "Türkçe metin: İstanbul güzel bir şehirdir, çok büyük ve kalabalıktır. Ağaçlar.\n" * 3
    art = tmp_path / "haber.txt"
    art.write_bytes(turkish.encode("cp1254"))
    guessed = Document.load(art)
    sidecar_beside(art).write_text(
        'format = 1\n\n[source]\nname = "haber.txt"\nencoding = "cp1254"\n'
    )
    chosen = Document.load(art)
    assert chosen.text == turkish and chosen.encoding == "Windows-1254"
    assert guessed.text != turkish or guessed.encoding == "Windows-1254"


def test_an_unknown_encoding_in_the_sidecar_is_said_and_guessing_goes_on(tmp_path: Path) -> None:
    art = tmp_path / "a.txt"
    art.write_bytes(
        "Москва — столица России. Это текст для проверки кодировки.\n".encode("cp1251") * 3
    )
    sidecar_beside(art).write_text('[source]\nencoding = "klingon-8"\n')
    doc = Document.load(art)
    assert doc.encoding == "Windows-1251" and "klingon-8" in doc.notes[0]


@pytest.mark.parametrize("codec", ["hex", "zlib"])
def test_a_codec_in_the_sidecar_that_is_no_text_encoding_is_said_and_guessed(
    tmp_path: Path, codec: str
) -> None:
    art = tmp_path / "a.txt"
    art.write_bytes("Le café crème coûte deux euros à Paris.\n".encode("cp1252") * 3)
    sidecar_beside(art).write_text(f'[source]\nencoding = "{codec}"\n')
    doc = Document.load(art)  # not a LookupError traceback
    assert "café crème" in doc.text and codec in doc.notes[0]


def test_bom_utf16_and_binary_are_as_before(tmp_path: Path) -> None:
    from reader.core.text import UnreadableFile

    assert decode("héllo wörld".encode("utf-16")).text == "héllo wörld"
    with pytest.raises(UnreadableFile, match="binary"):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")


@pytest.mark.parametrize("codec", ["hex", "zlib", "base64", "rot13"])
def test_a_page_declaring_a_codec_that_is_no_text_encoding_is_guessed(
    tmp_path: Path, codec: str
) -> None:
    page = tmp_path / "odd.html"
    html = (
        f'<html><head><meta charset="{codec}"><title>Odd</title></head><body><article>'
        "<p>Le café crème coûte deux euros, et il fait beau à Paris.</p></article></body></html>"
    )
    page.write_bytes(html.encode())
    doc = Document.load(page)  # not a LookupError traceback
    assert "Le café crème coûte deux euros" in doc.text and doc.title == "Odd"
