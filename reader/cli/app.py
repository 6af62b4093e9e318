"""`reader [PATH ...]`: open the full-screen app (the UI is imported only then)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from reader import __version__

if TYPE_CHECKING:
    import argparse

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
    "With no PATH, reader opens the bundled sample articles."
)


def app_parser() -> argparse.ArgumentParser:
    import argparse

    p = argparse.ArgumentParser(
        prog="reader",
        description="Read a library of articles (.txt, .md) and annotate them in the terminal.",
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
    p.add_argument("--version", action="version", version=f"reader {__version__}")
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


def run_app(paths: list[Path]) -> int:
    with gc_paused():  # the app turns it back on after its first frame (ReaderApp.on_mount)
        from reader.ui.app import make_app  # the UI loads only for the app

        app = make_app(paths)
        app.run()
    if app.crash_log is not None:
        print(
            f"reader: an unexpected error stopped the app; the details are in {app.crash_log}.\n"
            "Your annotations are safe: each change was saved when you made it.",
            file=sys.stderr,
        )
        return 1
    return app.return_code or 0
