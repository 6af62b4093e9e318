"""`reader format`: how an annotation file is laid out, for someone holding one.

A sidecar's first line names this command. It prints annotations/README.md as installed with
reader (package data beside the sample articles), so the pointer holds for an installed copy,
not only for a checkout of the sources.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from reader.cli.output import CliError, say

if TYPE_CHECKING:
    import argparse


def description() -> Path:
    """annotations/README.md: installed as reader/annotations/, beside reader/seeds/; in a
    checkout, annotations/ beside seeds/."""
    from reader.core.seeds import seeds_dir

    return seeds_dir().parent / "annotations" / "README.md"


def configure(p: argparse.ArgumentParser) -> None:
    p.description = (
        "Print how annotation files (*.annotations.toml) are laid out: where they are kept, "
        "each key, shared layers, merging, and what each export format keeps."
    )


def run(args: argparse.Namespace) -> int:
    path = description()
    try:
        text = path.read_text("utf-8")
    except OSError as err:
        raise CliError(f"{path}: cannot read the format description ({err.strerror})") from None
    for line in text.splitlines():
        say(line)
    return 0
