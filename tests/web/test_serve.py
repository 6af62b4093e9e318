"""`reader serve`: the app in a browser tab, driven with keys as a reader would."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from reader.core.document import Document
from tests.conftest import REPO, SEEDS, XIAOMI

# The terminal in the page draws on a canvas; what the app sends it is recorded here, so the
# test reads the screen's text as the browser received it.
RECORD_SCREEN = """
window.__screen = [];
const Native = window.WebSocket;
window.WebSocket = function (url, protocols) {
  const ws = new Native(url, protocols);
  ws.addEventListener("message", async (ev) => {
    let d = ev.data;
    if (d instanceof Blob) d = await d.text();
    else if (d instanceof ArrayBuffer) d = new TextDecoder().decode(d);
    window.__screen.push(String(d));
  });
  return ws;
};
window.WebSocket.prototype = Native.prototype;
Object.assign(window.WebSocket, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
"""
_ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")
# An address written in a page or a stylesheet (scheme://host/... or //host/...), and the
# comments around them: a URL in a comment is never fetched.
_URL = re.compile(r"(?:\b[a-z][a-z0-9+.-]*:)?//[^\s\"'()<>]+", re.IGNORECASE)
_COMMENTS = re.compile(r"<!--.*?-->|/\*.*?\*/", re.DOTALL)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def _serving(tmp_path: Path, *options: str) -> Iterator[int]:
    """`reader serve` of a copy of one sample article on a free port, until the block ends."""
    lib = tmp_path / "lib"
    lib.mkdir(exist_ok=True)
    shutil.copy(SEEDS / XIAOMI, lib / XIAOMI)
    port = _free_port()
    log = (tmp_path / "serve.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "reader", "serve", str(lib), "--port", str(port), *options],
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(REPO)},  # this checkout's reader, as pytest's
        start_new_session=True,  # each tab's reader is its child: stop them all at the end
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            with socket.socket(socket.AF_INET6) as s:
                if s.connect_ex(("::1", port)) == 0:
                    break
            time.sleep(0.1)
        else:
            pytest.fail("reader serve did not listen within 30 s")
        yield port
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)
        log.close()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    with _serving(tmp_path) as port:
        yield f"http://127.0.0.1:{port}/", tmp_path / "serve.log"


def _screen(page: Any) -> str:
    return _ESCAPES.sub("", "".join(page.evaluate("window.__screen")))


def _wait_for(page: Any, text: str, since: int = 0, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in _screen(page)[since:]:
            return
        time.sleep(0.2)
    pytest.fail(f"{text!r} never reached the browser; last: {_screen(page)[-400:]!r}")


def test_the_app_is_served_to_a_browser_and_answers_keys(
    served: tuple[str, Path], browser: Any
) -> None:
    url, log = served
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.add_init_script(RECORD_SCREEN)
    page.goto(url)
    lines = len(Document.load(SEEDS / XIAOMI).line_starts)
    _wait_for(page, "Xiaomi Corp founder Lei Jun")
    _wait_for(page, f"line 1/{lines} ")  # the status line: the top of the article
    seen = len(_screen(page))
    page.click("#terminal")
    page.keyboard.press("G")
    _wait_for(page, f"line {lines}/{lines} ", since=seen)
    page.close()
    assert "Traceback" not in log.read_text("utf-8")


def test_the_page_loads_nothing_from_another_host(served: tuple[str, Path], browser: Any) -> None:
    """Opened offline, the page still draws the app in its own font; opening it tells no one
    (textual-serve's own page fetches its font from Google)."""
    url, log = served
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.add_init_script(RECORD_SCREEN)
    asked: list[str] = []
    answers: list[Any] = []
    page.on("request", lambda r: asked.append(r.url))
    page.on("websocket", lambda ws: asked.append(ws.url))
    page.on("response", lambda r: answers.append(r))
    page.goto(url)
    _wait_for(page, "Xiaomi Corp founder Lei Jun")
    page.wait_for_selector("body.-first-byte #terminal canvas")  # the terminal, not the intro
    loaded = page.evaluate(
        "document.fonts.ready.then(() =>"
        " [...document.fonts].filter(f => f.status === 'loaded').map(f => f.family))"
    )
    written = [
        address
        for answer in answers
        if answer.request.resource_type in ("document", "stylesheet")
        for address in _URL.findall(_COMMENTS.sub("", answer.text()))
    ]
    page.close()
    own = urlsplit(url).netloc
    assert any(u.startswith(url + "static/") for u in asked)  # the recording saw the page load
    assert [u for u in asked + written if urlsplit(u).netloc != own] == []
    assert "Roboto Mono" in loaded  # the terminal's font, from this server
    assert "Traceback" not in log.read_text("utf-8")


def test_serve_listens_on_this_machine_only_unless_told(tmp_path: Path) -> None:
    from reader.cli.serve import command

    # Each tab runs the installed reader, never a reader/ found in the current folder.
    assert " -I -c " in command([tmp_path]) and str(REPO) in command([tmp_path])
    r = subprocess.run(
        [sys.executable, "-m", "reader", "serve", str(tmp_path / "nope")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 2 and "nope: no such file or folder" in r.stderr


@pytest.mark.parametrize(
    ("host", "fetch", "named"),
    [
        ("::1", "[::1]", "[::1]"),  # an IPv6 address in a URL needs brackets
        ("0.0.0.0", "127.0.0.1", socket.gethostname()),  # every address: this machine's name
        ("127.0.0.1", "127.0.0.1", "127.0.0.1"),
    ],
)
def test_the_page_names_an_address_a_browser_can_open(
    tmp_path: Path, host: str, fetch: str, named: str
) -> None:
    """The page's scripts, font and connection are full URLs: they name the server as a
    browser can reach it, never http://0.0.0.0:PORT or http://::1:PORT."""
    with _serving(tmp_path, "--host", host) as port:
        with urllib.request.urlopen(f"http://{fetch}:{port}/", timeout=30) as reply:
            page = reply.read().decode("utf-8")
    assert f'data-session-websocket-url="ws://{named}:{port}/ws"' in page
    assert f'src="http://{named}:{port}/static/js/textual.js"' in page


@pytest.mark.parametrize(
    ("url", "ws", "static"),
    [
        ("http://reader-box:9000/", "ws://reader-box:9000/ws", "http://reader-box:9000/static"),
        ("https://reader.example", "wss://reader.example/ws", "https://reader.example/static"),
    ],
)
def test_the_page_names_the_address_given_with_url(
    tmp_path: Path, url: str, ws: str, static: str
) -> None:
    """Behind a mapped port or a proxy, HOST:PORT is not what browsers reach: --url is."""
    with _serving(tmp_path, "--url", url) as port:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30) as reply:
            page = reply.read().decode("utf-8")
    assert f'data-session-websocket-url="{ws}"' in page
    assert f'src="{static}/js/textual.js"' in page


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("reader-box:9000", "--url must be an http:// or https:// address"),
        ("http://reader-box:99999", "--url names a port that cannot be"),
    ],
)
def test_a_url_that_is_no_web_address_is_refused(tmp_path: Path, url: str, said: str) -> None:
    r = subprocess.run(
        [sys.executable, "-m", "reader", "serve", str(tmp_path), "--url", url],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 2 and said in r.stderr


def test_tabs_closed_while_the_app_starts_leave_no_crash(
    served: tuple[str, Path], browser: Any, isolated_home: Path
) -> None:
    url, log = served
    for i in range(8):  # as people do: open a tab, change their mind at once
        page = browser.new_page(viewport={"width": 1000, "height": 700})
        page.goto(url)
        time.sleep(0.2 + 0.15 * i)
        page.close()
    time.sleep(2)
    crashes = list((isolated_home / ".local/state/reader").glob("crash-*.log"))
    assert crashes == [], crashes[0].read_text("utf-8")
