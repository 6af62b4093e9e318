"""Command line: `reader [PATH ...]` opens the app; subcommands serve scripts.

COMMANDS maps each subcommand to its module and that module's (configure_parser, run):
configure_parser fills an argparse parser made for it, run does the work and returns the
exit code. A command's module is imported only when it runs, and the command modules import
what they use inside their functions, so a scripted command loads only its own, the UI is
imported only when the app is launched, and the app loads no command's module.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from reader.cli.app import app_parser, gc_paused, looks_like_a_command, open_app
from reader.cli.output import CliError, os_problem, printable, warn

if TYPE_CHECKING:
    import argparse

Configure = Callable[["argparse.ArgumentParser"], None]
Run = Callable[[Any], int]  # an argparse.Namespace (or search's quick SimpleNamespace)

# name: (module in reader.cli, its configure function, its run function)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "annotate": ("annotating", "configure_annotate", "run_annotate"),
    "notes": ("annotating", "configure_notes", "run_notes"),
    "search": ("search", "configure", "run"),
    "import": ("sharing", "configure_import", "run_import"),
    "export": ("sharing", "configure_export", "run_export"),
    "merge-driver": ("git", "configure_merge_driver", "run_merge_driver"),
    "git-setup": ("git", "configure_git_setup", "run_git_setup"),
    "serve": ("serve", "configure", "run"),
    "format": ("file_format", "configure", "run"),
}


def command(name: str) -> tuple[Configure, Run]:
    """The (configure_parser, run) of one subcommand, its module imported now."""
    import importlib

    module_name, configure, run = COMMANDS[name]
    module = importlib.import_module(f"reader.cli.{module_name}")
    return getattr(module, configure), getattr(module, run)


def command_parser(name: str) -> argparse.ArgumentParser:
    """The parser of one subcommand (`reader NAME ...`)."""
    import argparse

    p = argparse.ArgumentParser(prog=f"reader {name}")
    command(name)[0](p)
    return p


def entry() -> None:
    """The `reader` program (and `python -m reader`): main(), then exit.

    `reader search` runs once per query, so it ends with os._exit once its output is
    flushed: tearing down every imported module one by one would add a tenth to its time,
    and it holds nothing that needs closing by then (its index is closed, and it writes
    no other file).
    """
    rc = main()
    if sys.argv[1:2] == ["search"]:
        import os

        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except BrokenPipeError:
            pass
        os._exit(rc)
    sys.exit(rc)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv and argv[0] in COMMANDS:
            name = argv[0]
            args: Any = None
            if name == "search":
                from reader.cli.search import quick_args

                args = quick_args(argv[1:])
            if args is None:
                args = command_parser(name).parse_args(argv[1:])
            with gc_paused():
                return command(name)[1](args)
        unknown = looks_like_a_command(argv[0], COMMANDS) if argv else None
        if unknown is not None:
            raise CliError(unknown)
        if not any(a.startswith("-") for a in argv):
            # Only paths: read as argparse reads them, without loading it before the app.
            from pathlib import Path  # (not loaded for `reader search`)

            return open_app([Path(a) for a in argv])
        return open_app(app_parser().parse_args(argv).paths)
    except CliError as err:
        warn(str(err))
        return 2
    except UnicodeEncodeError as err:  # a name whose bytes are not UTF-8, met deep inside
        name = printable(err.object) if isinstance(err.object, str) else "a name"
        warn(f"{name}: the name is not UTF-8 text; reader cannot use it")
        return 2
    except RecursionError:  # a file nested too deeply that no command caught by name
        warn("a file is nested too deeply to read; nothing changed")
        return 2
    except BrokenPipeError:
        return 0
    except OSError as err:  # a full disk or a folder gone away mid-command: one line
        warn(os_problem(err))
        return 2


__all__ = ["COMMANDS", "CliError", "command", "command_parser", "entry", "main"]
