"""`reader merge-driver` and `reader git-setup`: annotation files under git."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from reader.cli.output import SHAPE_ERRORS, CliError, os_problem, say, shape_problem, warn

if TYPE_CHECKING:
    import argparse


def configure_merge_driver(p: argparse.ArgumentParser) -> None:
    p.description = "git merge driver: merge OURS and THEIRS (from BASE) by annotation id."
    p.add_argument("base", type=Path, metavar="BASE")
    p.add_argument("ours", type=Path, metavar="OURS")
    p.add_argument("theirs", type=Path, metavar="THEIRS")


def run_merge_driver(args: argparse.Namespace) -> int:
    """_merge, with a full disk or a file it cannot read as one line (OURS is kept)."""
    try:
        return _merge(args)
    except SHAPE_ERRORS as err:
        warn(f"{shape_problem('a file', err)}; left for you to merge by hand", PREFIX)
    except OSError as err:
        warn(f"{os_problem(err, args.ours)}; left for you to merge by hand", PREFIX)
    return 2


PREFIX = "reader merge-driver"


def _merge(args: argparse.Namespace) -> int:
    from reader.core.config import load_config
    from reader.core.merge import MergeRefused, merge_files

    try:  # (your name, so a note both sides edited can say whose the other version is)
        result = merge_files(args.base, args.ours, args.theirs, load_config().author)
    except MergeRefused as err:
        warn(f"{err}; left for you to merge by hand", PREFIX)
        return 2
    if result.new_conflicts:
        warn(
            f"{len(result.new_conflicts)} annotation(s) changed on both sides; both values "
            "kept and flagged in their 'conflict' field",
            PREFIX,
        )
    return 0


def configure_git_setup(p: argparse.ArgumentParser) -> None:
    p.description = "Install reader's merge driver for *.annotations.toml into a git repository."
    p.add_argument("repo", nargs="?", type=Path, default=Path("."), metavar="REPO")


def installed_script() -> Path | None:
    """The `reader` script pip installed beside this Python (a venv's or the system's bin),
    if there is one and it is ours (it runs reader.cli)."""
    script = Path(sys.executable).parent / "reader"
    try:
        head = script.read_bytes()[:4096] if script.is_file() else b""
    except OSError:
        return None
    if b"reader.cli" in head and os.access(script, os.X_OK):
        return script.absolute()
    return None


def driver_command() -> str:
    """The command git runs for a merge, as a shell line.

    git runs it in the repository's top folder, and `python -m reader` would put that
    folder first on sys.path: a repository holding a `reader/` folder would get its own
    code run on every merge. So: the installed script by its absolute path, else this
    Python with -I (isolated: no current folder, no PYTHONPATH). Quoted for sh, so paths
    with spaces work.
    """
    import shlex

    script = installed_script()
    prefix = [str(script)] if script is not None else [sys.executable, "-I", "-m", "reader"]
    return " ".join(shlex.quote(part) for part in prefix) + " merge-driver %O %A %B"


ATTRIBUTE = "*.annotations.toml merge=reader"


def run_git_setup(args: argparse.Namespace) -> int:
    root = _top_folder(args.repo)
    for key, value in (
        ("merge.reader.name", "reader annotation files"),
        ("merge.reader.driver", driver_command()),
    ):
        _git(root, "config", key, value)
    _add_attribute(root / ".gitattributes")
    say(
        f"merge driver installed in {root} (git config merge.reader.*, .gitattributes); "
        "commit .gitattributes so others get it too"
    )
    return 0


def _git(where: Path, *args: str) -> str:
    """git's output, or a CliError with git's own first line of complaint."""
    import subprocess

    try:
        done = subprocess.run(
            ["git", "-C", str(where), *args], capture_output=True, text=True, errors="replace"
        )
    except OSError as err:
        raise CliError(f"cannot run git: {err.strerror or err}") from None
    if done.returncode != 0:
        why = next((ln.strip() for ln in done.stderr.splitlines() if ln.strip()), "failed")
        raise CliError(f"git {' '.join(args[:2])} failed: {why}")
    return done.stdout


def _top_folder(repo: Path) -> Path:
    try:
        return Path(_git(repo, "rev-parse", "--show-toplevel").strip())
    except CliError:
        raise CliError(f"{repo}: not inside a git repository") from None


def _add_attribute(attrs: Path) -> None:
    """Add the merge attribute to .gitattributes, atomically, never through a symlink."""
    from reader.core.atomic import write_atomic
    from reader.core.safe_read import read_regular

    if attrs.is_symlink():  # it could point anywhere, outside the repository too
        raise CliError(f"{attrs} is a symbolic link; not writing through it")
    try:
        existing = read_regular(attrs).decode("utf-8")
    except FileNotFoundError:
        existing = ""
    except UnicodeDecodeError:
        raise CliError(f"{attrs}: not UTF-8 text; not changed") from None
    except OSError as err:
        raise CliError(str(err) if err.filename is None else f"{attrs}: {err.strerror}") from None
    if ATTRIBUTE in existing.splitlines():
        return
    sep = "" if not existing or existing.endswith("\n") else "\n"
    try:
        write_atomic(attrs, (existing + sep + ATTRIBUTE + "\n").encode("utf-8"))
    except OSError as err:
        raise CliError(f"cannot write {attrs}: {err.strerror or err}") from None
