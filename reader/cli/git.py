"""`reader merge-driver` and `reader git-setup`: annotation files under git."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from reader.cli.output import CliError, say

if TYPE_CHECKING:
    import argparse


def configure_merge_driver(p: argparse.ArgumentParser) -> None:
    p.description = "git merge driver: merge OURS and THEIRS (from BASE) by annotation id."
    p.add_argument("base", type=Path, metavar="BASE")
    p.add_argument("ours", type=Path, metavar="OURS")
    p.add_argument("theirs", type=Path, metavar="THEIRS")


def run_merge_driver(args: argparse.Namespace) -> int:
    from reader.core.atomic import write_atomic
    from reader.core.merge import merge_sets
    from reader.core.store import SidecarError, dump_annotations, read_sidecar

    try:
        base = read_sidecar(args.base)
        ours = read_sidecar(args.ours)
        theirs = read_sidecar(args.theirs)
    except SidecarError as err:
        print(f"reader merge-driver: {err}; left for you to merge by hand", file=sys.stderr)
        return 1
    merged = merge_sets(base.annotations, ours.annotations, theirs.annotations)
    source = ours.source or theirs.source
    write_atomic(args.ours, dump_annotations(source, merged).encode("utf-8"))
    flagged = sum(1 for a in merged if a.conflict)
    if flagged:
        print(
            f"reader merge-driver: {flagged} annotation(s) changed on both sides; both values "
            "kept and flagged in their 'conflict' field",
            file=sys.stderr,
        )
    return 0


def configure_git_setup(p: argparse.ArgumentParser) -> None:
    p.description = "Install reader's merge driver for *.annotations.toml into a git repository."
    p.add_argument("repo", nargs="?", type=Path, default=Path("."), metavar="REPO")


def run_git_setup(args: argparse.Namespace) -> int:
    import shlex
    import subprocess

    repo = args.repo
    top = subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "--show-toplevel"], capture_output=True, text=True
    )
    if top.returncode != 0:
        raise CliError(f"{repo}: not inside a git repository")
    root = Path(top.stdout.strip())
    driver = f"{shlex.quote(sys.executable)} -m reader merge-driver %O %A %B"
    for key, value in (
        ("merge.reader.name", "reader annotation files"),
        ("merge.reader.driver", driver),
    ):
        subprocess.run(["git", "-C", str(root), "config", key, value], check=True)
    attrs = root / ".gitattributes"
    line = "*.annotations.toml merge=reader"
    existing = attrs.read_text("utf-8") if attrs.exists() else ""
    if line not in existing.splitlines():
        sep = "" if not existing or existing.endswith("\n") else "\n"
        attrs.write_text(existing + sep + line + "\n", "utf-8")
    say(
        f"merge driver installed in {root} (git config merge.reader.*, .gitattributes); "
        "commit .gitattributes so others get it too"
    )
    return 0
