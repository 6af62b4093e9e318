"""Web archives (.mhtml) made in the tests, as Chrome's "Webpage, Single File" writes them."""

from __future__ import annotations

import base64
import quopri
import zlib
from pathlib import Path

BOUNDARY = "----MultipartBoundary--Q8cG6xk1mdZrUMPwn2mKOkWC----"
URL = "https://news.example.org/2026/11/moscow"

# The page as Chrome keeps it: its own charset declared in the page and in its part.
PAGE_1251 = (
    "<!DOCTYPE html><html><head>"
    '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
    "<title>Новости дня</title>"
    '<meta name="author" content="Иван Петров">'
    "</head><body><nav><a href='/'>Главная</a> <a href='/sport'>Спорт</a></nav><article>"
    "<h1>Новости дня</h1>"
    '<p class="lead">Москва — столица России, крупнейший город страны и один из самых '
    "населённых городов мира.</p>"
    "<p>В городе много музеев, театров и парков; летом по реке ходят речные трамваи.</p>"
    '<img src="https://news.example.org/cat.png" alt="Кошка на окне">'
    "<p>Зимой на Красной площади открывается каток, и туда приходят тысячи людей.</p>"
    "<script>document.title = 'SCRIPT RAN'</script>"
    "</article><footer>Все права защищены</footer></body></html>"
)


def part(
    body: bytes,
    content_type: str = "text/html",
    encoding: str = "quoted-printable",
    location: str = URL,
) -> bytes:
    """One part of an archive, its body encoded as it says."""
    if encoding == "quoted-printable":
        # Lines cut at 76 with "=" soft breaks, "=" itself written "=3D", CRLF line ends.
        body = quopri.encodestring(body).replace(b"\n", b"\r\n")
    elif encoding == "base64":
        body = base64.encodebytes(body).replace(b"\n", b"\r\n")
    head = (
        f"Content-Type: {content_type}\r\n"
        f"Content-ID: <frame-{zlib.crc32(location.encode()):08x}@mhtml.blink>\r\n"
        f"Content-Transfer-Encoding: {encoding}\r\n"
        f"Content-Location: {location}\r\n\r\n"
    )
    return f"--{BOUNDARY}\r\n".encode() + head.encode() + body + b"\r\n"


def archive(*parts: bytes, snapshot: str | None = URL) -> bytes:
    """A multipart/related message of parts, with Chrome's headers."""
    head = "From: <Saved by Blink>\r\n"
    if snapshot is not None:
        head += f"Snapshot-Content-Location: {snapshot}\r\n"
    head += (
        "Subject: =?utf-8?Q?=D0=9D=D0=BE=D0=B2=D0=BE=D1=81=D1=82=D0=B8?=\r\n"
        "Date: Mon, 30 Nov 2026 18:00:00 -0000\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/related;\r\n\ttype="text/html";\r\n'
        f'\tboundary="{BOUNDARY}"\r\n\r\n\r\n'
    )
    return head.encode() + b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


def png() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8


def make_archive(
    path: Path,
    html: str = PAGE_1251,
    charset: str = "windows-1251",
    encoding: str = "quoted-printable",
) -> Path:
    """page.mhtml as Chrome saves it: the page (with its charset) and one image."""
    page = html.encode(charset)
    path.write_bytes(
        archive(
            part(page, f"text/html; charset={charset}", encoding),
            part(png(), "image/png", "base64", "https://news.example.org/cat.png"),
        )
    )
    return path
