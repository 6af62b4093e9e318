"""Pages saved by Chrome or Edge as "Webpage, Single File" (.mhtml, .mht): listed, read,
searched and annotated as the same page saved as .html; bad archives refused in one line."""

from __future__ import annotations

import json
import os
from email.mime.image import MIMEImage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.cli import main
from reader.core.document import Document
from reader.core.formats import needs_extraction, sketch
from reader.core.library import scan
from reader.core.paths import cache_dir
from reader.core.store import sidecar_beside
from reader.core.text import UnreadableFile
from reader.core.walk import article_paths

from .archives import PAGE_1251, URL, archive, make_archive, part, png


def test_a_chrome_archive_reads_as_the_same_page_saved_as_html(tmp_path: Path) -> None:
    saved = make_archive(tmp_path / "page.mhtml")
    assert b"=3D" in saved.read_bytes() and b"=\r\n" in saved.read_bytes()  # as Chrome writes
    html = tmp_path / "page.html"
    html.write_bytes(PAGE_1251.encode("windows-1251"))
    doc, same = Document.load(saved), Document.load(html)
    assert doc.text == same.text
    assert "крупнейший город страны" in doc.text and "[image: Кошка на окне]" in doc.text
    assert "SCRIPT RAN" not in doc.text and "Спорт" not in doc.text  # no script, no nav
    assert (doc.title, doc.author) == ("Новости дня", "Иван Петров")
    assert doc.encoding == same.encoding == "Windows-1251"
    assert doc.format == "html" and doc.is_markdown and doc.extractor == same.extractor


def test_archives_are_listed_with_their_title_and_author(tmp_path: Path) -> None:
    make_archive(tmp_path / "Chrome.mhtml")
    make_archive(tmp_path / "Old IE.MHT", PAGE_1251.replace("Новости дня", "Архив IE"))
    (tmp_path / "Chrome_files").mkdir()  # not a page's folder: an archive has none
    (tmp_path / "Chrome_files" / "inside.txt").write_text("A note in a folder.\n")
    found = sorted(p.name for p in article_paths([tmp_path])[0])
    assert found == ["Chrome.mhtml", "Old IE.MHT", "inside.txt"]
    listed = {a.path.name: (a.title, a.author, a.problem) for a in scan([tmp_path]).articles}
    assert listed["Chrome.mhtml"] == ("Новости дня", "Иван Петров", None)
    assert listed["Old IE.MHT"] == ("Архив IE", "Иван Петров", None)


def test_the_charset_of_the_pages_part_decodes_a_page_that_declares_none(
    tmp_path: Path,
) -> None:
    html = (
        "<html><head><title>新闻</title></head><body><article><p>"
        + "中华人民共和国成立于一九四九年，首都北京。这是一段用于测试的中文新闻文本。" * 3
        + "</p></article></body></html>"
    )
    doc = Document.load(make_archive(tmp_path / "news.mhtml", html, "gbk"))
    assert "首都北京" in doc.text and doc.title == "新闻" and doc.encoding == "GBK"


def test_a_charset_python_does_not_know_is_guessed_past(tmp_path: Path) -> None:
    html = "<html><body><article><p>" + "Le café crème coûte deux euros. " * 8
    page = part((html + "</p></article></body></html>").encode(), "text/html; charset=x-nope")
    (tmp_path / "p.mhtml").write_bytes(archive(page))
    doc = Document.load(tmp_path / "p.mhtml")
    assert "Le café crème coûte deux euros." in doc.text and doc.encoding == "utf-8"


def test_the_users_encoding_in_the_sidecar_wins_over_the_archives(tmp_path: Path) -> None:
    saved = make_archive(tmp_path / "page.mhtml")
    sidecar_beside(saved).write_text('[source]\nencoding = "koi8-r"\n', "utf-8")
    doc = Document.load(saved)
    assert doc.encoding == "KOI8-R" and "крупнейший" not in doc.text


def test_the_page_is_the_part_saved_from_the_archives_address(tmp_path: Path) -> None:
    frame = b"<html><body><p>An advertising frame that is not the article at all.</p></body></html>"
    page = b"<html><body><article><p>The article's own words, long enough to be read.</p>"
    page += b"</article></body></html>"
    parts = (
        part(frame, "text/html", location="https://ads.example.com/frame"),
        part(png(), "image/png", "base64", "https://ads.example.com/x.png"),
        part(page, "text/html; charset=utf-8", "base64", URL),
    )
    (tmp_path / "chrome.mhtml").write_bytes(archive(*parts))
    assert "The article's own words" in Document.load(tmp_path / "chrome.mhtml").text
    # With no address to match (an older saver), its first page.
    (tmp_path / "old.mht").write_bytes(archive(*parts, snapshot=None))
    assert "advertising frame" in Document.load(tmp_path / "old.mht").text


def test_an_archive_made_by_the_email_package_with_a_utf8_page(tmp_path: Path) -> None:
    message = MIMEMultipart("related")
    body = "<html><head><title>Été</title></head><body><p>Un été très chaud à Marseille.</p>"
    message.attach(MIMEText(body + "</body></html>", "html", "utf-8"))  # base64 by default
    message.attach(MIMEImage(png(), "png"))
    (tmp_path / "mail.mht").write_bytes(message.as_bytes())
    doc = Document.load(tmp_path / "mail.mht")
    assert "Un été très chaud à Marseille." in doc.text and doc.title == "Été"
    # A message that is a page alone (no multipart) is one too.
    (tmp_path / "one.mht").write_bytes(MIMEText(body, "html", "utf-8").as_bytes())
    assert "Un été très chaud" in Document.load(tmp_path / "one.mht").text


def test_the_page_named_by_start_or_inside_an_alternative_is_found(tmp_path: Path) -> None:
    related = MIMEMultipart("related", start="<page@x>")
    related.attach(MIMEText("<html><body><p>An ad frame, not the page.</p></body></html>", "html"))
    page = MIMEText("<html><body><p>The page that start names, read.</p></body></html>", "html")
    page["Content-ID"] = "<page@x>"
    related.attach(page)
    (tmp_path / "start.mht").write_bytes(related.as_bytes())
    assert "The page that start names, read." in Document.load(tmp_path / "start.mht").text
    mail = MIMEMultipart("related")
    alternative = MIMEMultipart("alternative")
    alternative.attach(MIMEText("The plain text version.", "plain"))
    alternative.attach(MIMEText("<html><body><p>The HTML version, read.</p></body></html>", "html"))
    mail.attach(alternative)
    mail.attach(MIMEImage(png(), "png"))
    (tmp_path / "mail.mht").write_bytes(mail.as_bytes())
    assert "The HTML version, read." in Document.load(tmp_path / "mail.mht").text


_BODIES = st.binary(max_size=300) | st.sampled_from(
    [b"--B\r\n", b"\r\n--B", b"x--B--\r\n", b"=\r\n", b"\r\n\r\n", b"<p>\xe9t\xe9</p>"]
)


@settings(max_examples=80)
@given(
    st.lists(
        st.tuples(st.sampled_from(["text/html", "image/png", "text/css"]), _BODIES), max_size=6
    ),
    st.sampled_from(["base64", "quoted-printable", "8bit"]),
)
def test_the_page_is_what_the_email_packages_own_parser_finds(
    parts: list[tuple[str, bytes]], transfer: str
) -> None:
    """Cutting the parts apart here (for speed) gives what the email package's parser does."""
    from email import encoders, policy
    from email.mime.base import MIMEBase
    from email.parser import BytesParser

    from reader.core.formats.mhtml import unwrap

    # Its boundary in the parts' text too, where a boundary line must not be taken for one.
    message = MIMEMultipart("related", boundary="B")
    for kind, body in parts:
        one = MIMEBase(*kind.split("/"))
        one.set_payload(body)
        if transfer == "base64":
            encoders.encode_base64(one)
        elif transfer == "quoted-printable":
            encoders.encode_quopri(one)
        else:
            one["Content-Transfer-Encoding"] = "8bit"
        message.attach(one)
    data = message.as_bytes()
    parsed = BytesParser(policy=policy.default).parsebytes(data)
    pages = [p for p in parsed.walk() if p.get_content_type() == "text/html"]
    expected = pages[0].get_payload(decode=True) if pages else b""
    try:
        got = unwrap(data, 1 << 20).html
    except UnreadableFile as err:
        assert not expected, err  # nothing to read: no page, or an empty one
    else:
        assert got == expected


def test_broken_quoted_printable_is_kept_as_written(tmp_path: Path) -> None:
    raw = (
        b"Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable"
        b"\r\n\r\n<html><body><p>Price =3D 5 =ZZ and a lone =\r\nsign, still read.</p>"
        b"</body></html>"
    )
    (tmp_path / "qp.mhtml").write_bytes(raw)
    assert "Price = 5 =ZZ and a lone sign, still read." in Document.load(tmp_path / "qp.mhtml").text


def test_cli_annotates_notes_searches_and_exports_an_archive(tmp_path: Path, capsys) -> None:
    saved = make_archive(tmp_path / "page.mhtml")
    assert main(["annotate", str(saved), "--quote", "крупнейший город", "--note", "big"]) == 0
    assert (tmp_path / "page.mhtml.annotations.toml").is_file()
    capsys.readouterr()
    assert main(["notes", str(saved), "--json"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert row["status"] == "anchored" and row["note"] == "big"
    assert Document.load(saved).text[row["start"] : row["end"]] == "крупнейший город"
    assert main(["search", "речные трамваи", str(tmp_path)]) == 0
    assert "page.mhtml" in capsys.readouterr().out
    assert main(["export", str(tmp_path), "--format", "md"]) == 0
    out = capsys.readouterr().out
    assert "Новости дня" in out and "> крупнейший город" in out and "big" in out


def test_an_archive_is_extracted_once_then_read_from_the_cache(tmp_path: Path) -> None:
    saved = make_archive(tmp_path / "page.mhtml")
    assert needs_extraction(saved)
    text = Document.load(saved).text
    assert not needs_extraction(saved) and Document.load(saved).text == text
    assert any((cache_dir() / "extracted").iterdir())


def test_an_archives_first_look_is_its_pages_raw_text(tmp_path: Path) -> None:
    paragraph = "<p>Le café crème coûte deux euros à Paris.</p>\n"
    html = "<html><head><script>alert('SCRIPT RAN')</script></head><body><nav>Accueil</nav>"
    saved = make_archive(tmp_path / "p.mhtml", html + paragraph * 2000, "utf-8")
    first = sketch(saved, 8192)
    assert first is not None and "Le café crème coûte deux euros à Paris." in first
    assert "SCRIPT RAN" not in first and "\ufffd" not in first and "=C3" not in first


def refused(path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """What `reader annotate` says about path (exit 2, nothing written)."""
    capsys.readouterr()
    assert main(["annotate", str(path), "--quote", "город"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert not sidecar_beside(path).exists()
    return err.strip()


def test_bad_archives_are_refused_in_one_line_with_nothing_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def bad(name: str, data: bytes) -> Path:
        (tmp_path / name).write_bytes(data)
        return tmp_path / name

    not_mime = bad("plain.mhtml", b"<html><body><p>A web page, not an archive.</p></body></html>")
    assert refused(not_mime, capsys) == f"reader: {not_mime}: not a web archive: no HTML page in it"
    images = bad("images.mht", archive(part(png(), "image/png", "base64")))
    assert refused(images, capsys) == f"reader: {images}: not a web archive: no HTML page in it"
    page = PAGE_1251.encode("windows-1251")
    broken = part(page, "text/html; charset=windows-1251", "base64")
    broken = broken.replace(b"\r\n\r\n", b"\r\n\r\n!~ not base64 ~!", 1)[:-40] + b"\r\n"
    damaged = bad("damaged.mhtml", archive(broken))
    assert refused(damaged, capsys) == (
        f"reader: {damaged}: damaged web archive: its page's base64 encoding is broken"
    )
    images = [part(b"GIF89a", "image/gif", "base64", f"https://x/{i}.gif") for i in range(5001)]
    page_part = part(page, "text/html; charset=windows-1251")
    crowded = bad("crowded.mhtml", archive(*images, page_part))
    assert refused(crowded, capsys) == (
        f"reader: {crowded}: too many parts in this web archive (more than 5000)"
    )
    # Parts past the page are never looked at: a page with very many images still opens.
    assert "речные трамваи" in Document.load(bad("many.mhtml", archive(page_part, *images))).text
    nested = b"".join(
        b"Content-Type: multipart/related; boundary=B%d\r\n\r\n--B%d\r\n" % (i, i)
        for i in range(1500)
    )
    deep = bad("deep.mhtml", nested + b"Content-Type: text/html\r\n\r\n<p>deep</p>\r\n")
    assert (
        refused(deep, capsys)
        == f"reader: {deep}: not a web archive: its parts are nested too deeply"
    )
    huge = tmp_path / "huge.mhtml"
    with open(huge, "wb") as f:
        f.truncate(21 * 1024 * 1024)
    assert refused(huge, capsys) == f"reader: {huge}: is 21.0 MB; the limit is 20.0 MB"


def test_a_page_unwrapped_past_the_limit_is_refused() -> None:
    from reader.core.formats.mhtml import unwrap

    data = archive(part(b"<html><body><p>" + b"word " * 400 + b"</p></body></html>"))
    assert unwrap(data, 4096).html.startswith(b"<html>")
    with pytest.raises(UnreadableFile, match=r"^the web page in this archive is 0.0 MB; the limit"):
        unwrap(data, 1024)


def test_a_broken_archive_is_listed_by_its_name_and_the_library_keeps_going(
    tmp_path: Path,
) -> None:
    (tmp_path / "bad.mhtml").write_bytes(b"\x00\x01garbage" * 100)
    make_archive(tmp_path / "good.mhtml")
    listed = {a.path.name: a.title for a in scan([tmp_path]).articles}
    assert listed == {"bad.mhtml": "bad", "good.mhtml": "Новости дня"}


_PIECES = st.sampled_from(
    [
        b"Content-Type: multipart/related; boundary=B\r\n",
        b"Content-Type: text/html; charset=utf-8\r\n",
        b"Content-Type: text/html; charset=\xff\r\n",
        b"Content-Type: text/html; charset*=utf-8''%FF%FE\r\n",
        b'Content-Type: multipart/related; start="<a>"; boundary="B"\r\n',
        b"Content-Transfer-Encoding: base64\r\n",
        b"Content-Transfer-Encoding: quoted-printable\r\n",
        b"Content-Location: https://x/\r\n",
        b"Snapshot-Content-Location: https://x/\r\n",
        b"Content-ID: <a>\r\n",
        b"\r\n",
        b"--B\r\n",
        b"--B--\r\n",
        b"<p>Some words of the page =3D =E2=80=94 here</p>\r\n",
        b"PGh0bWw+PGJvZHk+PHA+d29yZHM8L3A+PC9ib2R5PjwvaHRtbD4=\r\n",
        b"=\r\n",
        b"\x1b[31m\x00",
    ]
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_PIECES, max_size=30))
def test_any_archive_gives_text_or_one_clear_message(tmp_path: Path, pieces: list[bytes]) -> None:
    saved = tmp_path / "fuzz.mhtml"
    saved.write_bytes(b"".join(pieces))
    try:
        text = Document.load(saved).text
    except UnreadableFile as err:
        assert str(err) and "\n" not in str(err)
    else:
        assert text.strip() and "\x1b" not in text
    scan([saved])  # listing it never raises either
    sketch(saved, 4096)
    for entry in (cache_dir() / "extracted").glob("*"):
        os.unlink(entry)
