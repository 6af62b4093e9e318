"""A hostile library, built fresh for each test (no binaries are committed)."""

from __future__ import annotations

import os
from pathlib import Path

ESCAPES = (
    b"Clear\x1b[2J\x1b[H screen, \x1b]0;pwned title\x07 set title, \x1b[31mred\x1b[0m colour,"
    b" \x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\ and a bell\x07.\n"
)
MARKUP = "[bold red]x[/] [@click=app.quit]y[/] [link=file:///etc/passwd]z[/link] [b]$var\n"


def build(root: Path) -> dict[str, Path]:
    """Write the hostile files; return them by name."""
    root.mkdir(parents=True, exist_ok=True)
    files = {
        "escapes.txt": ESCAPES,
        "markup.md": ("# " + MARKUP + "\n" + MARKUP).encode(),
        "binary.txt": bytes(range(256)) * 40,
        "latin1.txt": "Café crème, naïve façade, señor.\n".encode("latin-1"),
        "utf16.txt": "UTF-16 text: 中文 and ünïcödé.\n".encode("utf-16"),
        "invalid-utf8.txt": b"Mostly fine text " * 20 + b"\xff\xfe bad bytes \xc3\x28 here\n",
        "empty.txt": b"",
        "one-mb-line.txt": (b"word " * 210_000).strip() + b"\n",
        "mixed.txt": (
            "Tabs\there\tand\tthere.\n中文字符 and emoji 😀👍🏽 and e\u0301 combining.\n"
        ).encode(),
        "crlf.txt": b"Windows line one.\r\nWindows line two.\r\nOld Mac\rline.\r\n",
        "name with spaces.txt": b"A file name with spaces.\n",
        "ñame-ünïcode-中文.txt": b"A file name that is not ASCII.\n",
        "evil\x1b]0;pwned\x07\x1b[31mname.txt": b"A file name that would set a title.\n",
        "unreadable.txt": b"You should not be able to read this.\n",
    }
    paths = {}
    for name, data in files.items():
        p = root / name
        p.write_bytes(data)
        paths[name] = p
    (root / "unreadable.txt").chmod(0)
    loop = root / "loop"
    loop.mkdir()
    os.symlink("..", loop / "back-up")  # a symlink loop
    os.symlink("nowhere.txt", root / "dangling.txt")
    return paths
