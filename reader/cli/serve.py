"""`reader serve [PATH ...]`: the app in a web browser, served on this machine (textual-serve).

Each browser tab runs its own `reader` process. It listens on 127.0.0.1 unless --host says
otherwise: whoever reaches the port can read the articles and change their annotations.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from reader.cli.output import CliError, warn

if TYPE_CHECKING:
    import argparse

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
EVERY_ADDRESS = ("0.0.0.0", "::")  # listening on every address: no browser can open these
# The page the browser gets: it loads only from this server (scripts and font from
# textual-serve's static folder), so it works offline and tells no one it was opened.
PAGE = Path(__file__).parent / "serve_page"


def configure(p: argparse.ArgumentParser) -> None:
    p.description = (
        "Serve the app to a web browser at http://HOST:PORT (each tab runs its own reader). "
        "With no PATH, the bundled sample articles."
    )
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH")
    p.add_argument("--port", type=int, default=8000, metavar="N", help="port (default 8000)")
    p.add_argument(
        "--host",
        default="127.0.0.1",
        help=(
            "address to listen on (default 127.0.0.1: this machine only); with 0.0.0.0 or :: "
            "(every address) the page is addressed by this machine's host name"
        ),
    )
    p.add_argument(
        "--url",
        metavar="URL",
        help=(
            "the address browsers reach this server by, when it is not HOST:PORT (a port "
            "mapped by Docker, a proxy): e.g. http://my-box:9000 or https://reader.example"
        ),
    )


def page_url(host: str, port: int) -> str:
    """The address the served page gives the browser for its scripts and its connection
    (textual-serve writes them as full URLs): an IPv6 address in brackets, and for every
    address (0.0.0.0, ::) this machine's host name: the name other machines know it by,
    where any does (localhost would send their browsers to themselves)."""
    import socket

    if host in EVERY_ADDRESS:
        host = socket.gethostname()
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}" if port == 80 else f"http://{host}:{port}"


def _given_url(url: str) -> str:
    """--url as the page writes it (no trailing slash), or a CliError saying why not."""
    from urllib.parse import urlsplit

    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise CliError(f"--url must be an http:// or https:// address, not {url!r}")
    if parts.query or parts.fragment:
        raise CliError(f"--url takes an address without ?query or #fragment, not {url!r}")
    try:
        parts.port  # noqa: B018  (reading it checks it: 1-65535)
    except ValueError:
        raise CliError(f"--url names a port that cannot be: {url!r}") from None
    return url.strip().rstrip("/")


def command(paths: list[Path]) -> str:
    """The shell command each browser session runs: this very reader (the one serving), and
    never a `reader/` found in the current folder (-I leaves that off sys.path)."""
    import os
    import shlex
    import sys

    import reader

    home = os.path.dirname(os.path.dirname(os.path.abspath(reader.__file__)))
    start = f"import sys; sys.path.insert(0, {home!r}); from reader.cli import entry; entry()"
    return shlex.join([sys.executable, "-I", "-c", start, *(os.path.abspath(p) for p in paths)])


def run(args: argparse.Namespace) -> int:
    if not 0 < args.port < 65536:
        raise CliError(f"--port must be between 1 and 65535, not {args.port}")
    missing = [p for p in args.paths if not p.exists()]
    if missing:
        raise CliError(f"{missing[0]}: no such file or folder")
    try:
        from textual_serve.server import Server
    except ImportError:
        raise CliError("reader serve needs textual-serve (pip install textual-serve)") from None
    url = page_url(args.host, args.port) if args.url is None else _given_url(args.url)
    if args.host not in LOCAL_HOSTS:
        warn(
            f"serving on {args.host}: anyone who can reach port {args.port} there can read "
            "these articles and change their annotations"
        )
    if args.url is not None:  # (textual-serve's own line names only the page's address)
        warn(
            f"listening on {page_url(args.host, args.port)}; the page names {url}",
            prefix=None,
        )
    Server(
        command(args.paths),
        host=args.host,
        port=args.port,
        public_url=url,
        title="reader",
        templates_path=PAGE,  # textual-serve's own page asks Google for its font
    ).serve()
    return 0
