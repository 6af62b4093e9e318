"""Helpers the command families share."""

from __future__ import annotations

from typing import TYPE_CHECKING

from reader.cli.output import CliError

if TYPE_CHECKING:
    from pathlib import Path

    from reader.core.document import Document


def load(path: Path) -> Document:
    """The article at path, or a CliError naming it and why it cannot be read."""
    from reader.core.document import Document
    from reader.core.text import UnreadableFile

    try:
        return Document.load(path)
    except UnreadableFile as err:
        raise CliError(f"{path}: {err}") from None


def missing_reason(path: Path) -> str | None:
    """Why a path given to open cannot be (missing, a broken link, a link loop), or None."""
    from reader.core.walk import path_problem

    return path_problem(path)
