"""Settings from config.toml in the user config folder; defaults when absent or bad."""

from __future__ import annotations

import functools
import getpass
import re
import subprocess
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from reader.core.annotation import COLORS
from reader.core.paths import config_dir
from reader.core.safe_read import RefusedFile, read_regular

_LINE = re.compile(r"at line (\d+)")


@dataclass(frozen=True)
class Config:
    author_setting: str = ""  # as written in the config file; "" means ask git / the OS
    theme: str = "textual-dark"
    library: tuple[str, ...] = ()
    keys: dict[str, str] = field(default_factory=dict)
    default_color: str = "yellow"
    labels: dict[str, str] = field(default_factory=dict)  # colour -> what it means to you
    problem: str = ""  # why the config file was ignored, for the user

    @property
    def author(self) -> str:
        return self.author_setting or default_author()


def config_path() -> Path:
    return config_dir() / "config.toml"


@functools.cache
def default_author() -> str:
    try:
        out = subprocess.run(
            ["git", "config", "user.name"], capture_output=True, text=True, timeout=2
        )
        if out.returncode == 0 and out.stdout.strip():
            return out.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "me"


@functools.cache
def load_config(path: Path | None = None) -> Config:
    path = path or config_path()
    try:
        # Only a regular file within the size limit: a FIFO would hang the app at start.
        data = tomllib.loads(read_regular(path).decode("utf-8"))
    except FileNotFoundError:
        return Config()
    except RefusedFile as err:
        return Config(problem=f"{err}; using default settings")
    except OSError as err:
        return Config(problem=f"{path}: cannot read: {err.strerror or err}; using default settings")
    except UnicodeDecodeError:
        return Config(problem=f"{path}: not UTF-8 text; using default settings")
    except RecursionError:  # tomllib recurses once per level of [[[...]]] or {a={b=...}}
        return Config(problem=f"{path}: nested too deeply; using default settings")
    except tomllib.TOMLDecodeError as err:
        m = _LINE.search(str(err))
        where = f"{path}:{m.group(1)}" if m else str(path)
        return Config(problem=f"{where}: {err}; using default settings")
    problems = []
    author = data.get("author", "")
    if not isinstance(author, str):
        problems.append("'author' must be a string")
        author = ""
    theme = data.get("theme", Config.theme)
    if not isinstance(theme, str):
        problems.append("'theme' must be a string")
        theme = Config.theme
    library = data.get("library", [])
    if not isinstance(library, list) or not all(isinstance(x, str) for x in library):
        problems.append("'library' must be a list of folder paths")
        library = []
    keys = data.get("keys", {})
    if not isinstance(keys, dict) or not all(isinstance(v, str) for v in keys.values()):
        problems.append("[keys] must map binding ids to key names")
        keys = {}
    highlight = data.get("highlight", {})
    if not isinstance(highlight, dict):
        problems.append("[highlight] must be a table")
        highlight = {}
    default_color = highlight.get("default", "yellow")
    if default_color not in COLORS:
        problems.append(f"[highlight] default must be one of {', '.join(COLORS)}")
        default_color = "yellow"
    labels = highlight.get("labels", {})
    if not isinstance(labels, dict) or not all(
        k in COLORS and isinstance(v, str) for k, v in labels.items()
    ):
        problems.append("[highlight.labels] must map colour names to labels")
        labels = {}
    problem = ""
    if problems:
        problem = f"{path}: " + "; ".join(problems) + "; defaults used for those"
    return Config(
        author_setting=author,
        theme=theme,
        library=tuple(library),
        keys=dict(keys),
        default_color=default_color,
        labels=dict(labels),
        problem=problem,
    )
