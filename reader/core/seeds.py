"""Where the bundled sample articles are (installed package data, or a checkout's seeds/)."""

from __future__ import annotations

from pathlib import Path


def seeds_dir() -> Path:
    here = Path(__file__).resolve().parent.parent  # the reader package
    for candidate in (here / "seeds", here.parent / "seeds"):
        if candidate.is_dir():
            return candidate
    return here.parent / "seeds"
