"""Where reader keeps its own files (platformdirs), overridable by XDG_* variables."""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP = "reader"


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP))


def cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir(APP))


def state_dir() -> Path:
    return Path(platformdirs.user_state_dir(APP))


def config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP))


def mirrored(base: Path, path: Path) -> Path:
    """path's absolute location re-rooted under base (for read-only source folders)."""
    parts = path.resolve().parts[1:]
    return base.joinpath(*parts)
