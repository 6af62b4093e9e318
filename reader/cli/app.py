"""`reader [PATH ...]`: open the full-screen app (the UI is imported only then)."""

from __future__ import annotations

import sys
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from reader import __version__
from reader.cli.common import missing_reason
from reader.cli.output import warn

if TYPE_CHECKING:
    import argparse
    from pathlib import Path

# The name on the package index (`pipx install reader-tui`): `reader` there is an unrelated
# project. The command and the import package are `reader`. pyproject.toml says the same.
DISTRIBUTION = "reader-tui"

EPILOG = (
    "commands (reader COMMAND --help for each):\n"
    "  annotate   add an annotation by quote\n"
    "  notes      list an article's annotations\n"
    "  search     find passages across a library (typo-tolerant)\n"
    "  import     merge a colleague's annotations (sidecar or W3C JSON), or file a layer\n"
    "  export     annotations as a Markdown digest, W3C JSON, JSON or a web page\n"
    "  merge-driver  git merge driver for annotation files (see git-setup)\n"
    "  git-setup  install the merge driver into a git repository\n"
    "  serve      serve the app to a web browser on this machine\n"
    "  format     how an annotation file is laid out (its first line points here)\n"
    "With no PATH, reader opens the bundled sample articles."
)


def app_parser() -> argparse.ArgumentParser:
    import argparse
    from pathlib import Path

    p = argparse.ArgumentParser(
        prog="reader",
        description=(
            "Read a library of articles (.txt, .md, saved web pages .html and .mhtml, "
            "e-books .epub) "
            "and annotate them in the terminal."
        ),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="articles or folders to open (searched recursively)",
    )
    p.add_argument(
        "--version", action="version", version=f"reader {__version__} (distribution {DISTRIBUTION})"
    )
    return p


@contextmanager
def gc_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off, then back as it was. Start-up and short
    commands allocate much and free little (reference counting frees the rest), so its
    passes over freshly imported modules are wasted: a quarter of the app's time to its
    first frame, a fifth of a `reader search`. Long work (indexing, the app once drawn)
    turns it back on."""
    import gc

    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def looks_like_a_command(word: str, commands: Collection[str]) -> str | None:
    """Why `reader WORD` is refused as a mistyped command, or None to open WORD as a path.

    A word that names an existing file or folder is opened, whatever it looks like; one
    that does not exist and looks like a command (letters, digits, dashes) is a mistake:
    starting the full-screen app for it would only show "No articles found".
    """
    import os
    import re

    if word.startswith("-") or os.path.lexists(word) or not re.fullmatch(r"[A-Za-z][\w-]*", word):
        return None
    import difflib

    close = difflib.get_close_matches(word.lower(), list(commands), n=1, cutoff=0.55)
    if close:
        return f"unknown command '{word}' (did you mean '{close[0]}'?)"
    return f"unknown command '{word}' and no such file or folder (commands: {', '.join(commands)})"


def has_terminal() -> bool:
    """The app draws on a terminal and reads keys from one: never on a pipe or a file.
    Under `reader serve` it talks to a browser through Textual's web driver instead."""
    import os

    if os.environ.get("TEXTUAL_DRIVER", "").endswith(":WebDriver"):
        return True
    return sys.stdout.isatty() and sys.stdin.isatty()


def open_app(paths: list[Path]) -> int:
    """`reader [PATH ...]`: the app on the paths that exist; the missing ones named on
    stderr (and in the app), exit 2 when none is left to open or there is no terminal."""
    missing = [m for m in map(missing_reason, paths) if m is not None]
    if (paths and len(missing) == len(paths)) or not has_terminal():
        for m in missing:
            warn(m)
    if paths and len(missing) == len(paths):
        return 2
    if not has_terminal():
        sys.stderr.write(app_parser().format_usage())
        warn("the app needs a terminal; for scripts, see `reader --help` for the commands")
        return 2
    rc = run_app(paths)
    for m in missing:  # the app listed them too, but its screen is gone
        warn(m)
    return rc


def run_app(paths: list[Path]) -> int:
    with gc_paused():  # the app turns it back on after its first frame (ReaderApp.on_mount)
        from reader.core.formats.ahead import first_look_ahead
        from reader.core.text import PREVIEW_BYTES

        # A lone book's first chapters are extracted on the other core while the UI loads.
        first_look = first_look_ahead(paths, PREVIEW_BYTES)
        try:
            from reader.ui.app import make_app  # the UI loads only for the app

            app = make_app(paths, first_look)
            app.run()
        finally:
            if first_look is not None:
                first_look.drop()  # (taken by then, unless another article opened first)
    if app.crash_log is not None:
        warn(f"an unexpected error stopped the app; the details are in {app.crash_log}.")
        warn("Your annotations are safe: each change was saved when you made it.", prefix=None)
        return 1
    return app.return_code or 0
