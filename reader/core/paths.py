"""Where reader keeps its own files (platformdirs), overridable by XDG_* variables; and
where an article's digest goes."""

from __future__ import annotations

import functools
import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

APP = "reader"

# On Linux platformdirs answers with the XDG base directories, which take a few lines to
# compute; importing it costs 10 ms, a tenth of a `reader search`. Elsewhere, ask it.
_XDG = {
    "data": ("XDG_DATA_HOME", ".local/share"),
    "cache": ("XDG_CACHE_HOME", ".cache"),
    "state": ("XDG_STATE_HOME", ".local/state"),
    "config": ("XDG_CONFIG_HOME", ".config"),
}


def user_dir_name(kind: str) -> str:
    """The user folder of a kind ("data", "cache", "state", "config"), as a str."""
    if sys.platform == "linux" and os.environ.get("ANDROID_DATA") != "/data":
        var, default = _XDG[kind]
        base = os.environ.get(var, "").strip()
        if not os.path.isabs(base):  # the XDG spec: a relative path is invalid, ignore it
            base = os.path.expanduser(f"~/{default}")
        return os.path.join(base, APP)
    import platformdirs

    return str(getattr(platformdirs, f"user_{kind}_dir")(APP))


def _user_dir(kind: str) -> Path:
    from pathlib import Path  # (a `reader search` needs none: see user_dir_name)

    return Path(user_dir_name(kind))


def data_dir() -> Path:
    return _data_dir(os.environ.get("XDG_DATA_HOME", ""), os.environ.get("HOME", ""))


@functools.cache
def _data_dir(_xdg: str, _home: str) -> Path:  # cached per environment: asked per article
    return _user_dir("data")


def cache_dir() -> Path:
    return _user_dir("cache")


def state_dir() -> Path:
    return _user_dir("state")


def config_dir() -> Path:
    return _user_dir("config")


def mirrored(base: Path, path: Path) -> Path:
    """path's absolute location re-rooted under base (for read-only source folders)."""
    from pathlib import Path

    parts = Path(os.path.abspath(path)).parts[1:]
    return base.joinpath(*parts)


DIGEST_SUFFIX = ".annotations.md"


def is_bundled_sample(article: Path) -> bool:
    """Whether article is one of the sample articles installed with reader."""
    from reader.core.seeds import seeds_dir

    return os.path.dirname(os.path.abspath(article)) == os.path.abspath(seeds_dir())


def digest_path(article: Path) -> Path:
    """Where article's Markdown digest (`E`) is written: beside the article, except for the
    bundled samples, whose folder belongs to the installed package (it may be read-only,
    and a file there outlives `pip uninstall`): theirs go to the user data folder's
    samples/, with the samples' annotations."""
    name = article.name + DIGEST_SUFFIX
    if is_bundled_sample(article):
        return data_dir() / "samples" / name
    return article.with_name(name)
