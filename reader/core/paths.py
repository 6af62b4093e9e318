"""Where reader keeps its own files (platformdirs), overridable by XDG_* variables."""

from __future__ import annotations

import functools
import os
from pathlib import Path

import platformdirs

APP = "reader"


def data_dir() -> Path:
    return _data_dir(os.environ.get("XDG_DATA_HOME", ""), os.environ.get("HOME", ""))


@functools.cache
def _data_dir(_xdg: str, _home: str) -> Path:  # cached per environment: asked per article
    return Path(platformdirs.user_data_dir(APP))


def cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir(APP))


def state_dir() -> Path:
    return Path(platformdirs.user_state_dir(APP))


def config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP))


def mirrored(base: Path, path: Path) -> Path:
    """path's absolute location re-rooted under base (for read-only source folders)."""
    parts = Path(os.path.abspath(path)).parts[1:]
    return base.joinpath(*parts)
