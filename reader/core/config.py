"""Settings from config.toml in the user config folder; defaults when absent or bad.

Every problem is one line that names the file and, when it can be found, the line of the
setting: `~/.config/reader/config.toml:7: [highlight] default must be one of ...`. What is
wrong falls back to its default; the rest of the file still counts. Binding ids and themes
are Textual's business: the UI checks them (reader.ui.keys), naming lines with `where`.
"""

from __future__ import annotations

import functools
import re
import subprocess
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reader.core.annotation import COLORS
from reader.core.paths import config_dir
from reader.core.safe_read import RefusedFile, read_regular

# A config file is a few lines; anything near this is not one.
MAX_CONFIG_BYTES = 1024 * 1024

SETTINGS = ("author", "theme", "library", "highlight", "keys", "layout")
HIGHLIGHT_SETTINGS = ("default", "labels")
# [layout]: the text's measure (columns) and the terminal width below which the side panes
# fold away; each with the range it must fall in.
LAYOUT_SETTINGS = {"width": (20, 1000), "fold_below": (0, 10000)}

_LINE = re.compile(r"at line (\d+)")


@dataclass(frozen=True)
class Config:
    author_setting: str = ""  # as written in the config file; "" means ask git / the OS
    theme: str = "textual-dark"
    library: tuple[str, ...] = ()
    keys: dict[str, str] = field(default_factory=dict)
    default_color: str = "yellow"
    labels: dict[str, str] = field(default_factory=dict)  # colour -> what it means to you
    text_width: int = 80  # [layout] width: the most columns a line of text takes
    fold_below: int = 120  # [layout] fold_below: narrower terminals fold the side panes
    problems: tuple[str, ...] = ()  # one line each, naming the file and line, for the user
    path: Path | None = None  # the file the settings came from
    lines: dict[str, int] = field(default_factory=dict)  # "keys.reader.down" -> its line

    @property
    def author(self) -> str:
        return self.author_setting or default_author()

    @property
    def problem(self) -> str:
        """Every problem, one per line ("" when the file was fine)."""
        return "\n".join(self.problems)

    def where(self, *setting: str) -> str:
        """`file:line` of a setting (`where("keys", "reader.down")`), or the file alone when
        the line is not known."""
        line = self.lines.get(".".join(setting))
        return f"{self.path}:{line}" if line else str(self.path)


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
    import getpass  # only once an annotation is made, not at start-up

    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "me"


@functools.cache
def load_config(path: Path | None = None) -> Config:
    path = path or config_path()
    try:
        raw = read_regular(path, MAX_CONFIG_BYTES)
    except FileNotFoundError:
        return Config()
    except RefusedFile as err:
        return Config(problems=(f"{err}; using default settings",), path=path)
    except OSError as err:
        return Config(problems=(f"{path}: cannot read: {err.strerror or err}",), path=path)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        problem = f"{path}:{line}: not UTF-8 text; using default settings"
        return Config(problems=(problem,), path=path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        m = _LINE.search(str(err))
        where = f"{path}:{m.group(1)}" if m else str(path)
        return Config(problems=(f"{where}: {err}; using default settings",), path=path)
    except RecursionError:
        where = f"{path}:{_deepest_line(text)}"
        return Config(problems=(f"{where}: nested too deeply; using default settings",), path=path)
    return _validated(data, path, setting_lines(text))


def _validated(data: dict[str, Any], path: Path, lines: dict[str, int]) -> Config:
    """The settings in data; each wrong one named with its line and left at its default."""
    problems: list[str] = []

    def bad(setting: str, message: str) -> None:
        line = lines.get(setting)
        problems.append(f"{path}:{line}: {message}" if line else f"{path}: {message}")

    for name in data:
        if name not in SETTINGS:
            bad(name, f"unknown setting {name!r} (known: {', '.join(SETTINGS)})")
    author = data.get("author", "")
    if not isinstance(author, str):
        bad("author", "'author' must be a string")
        author = ""
    theme = data.get("theme", Config.theme)
    if not isinstance(theme, str):
        bad("theme", "'theme' must be a string")
        theme = Config.theme
    library = data.get("library", [])
    if not isinstance(library, list) or not all(isinstance(x, str) for x in library):
        bad("library", "'library' must be a list of folder paths")
        library = []
    keys: dict[str, str] = {}
    given_keys = data.get("keys", {})
    if not isinstance(given_keys, dict):
        bad("keys", "[keys] must map binding ids to key names")
        given_keys = {}
    for ident, key in _flat(given_keys):
        if isinstance(key, str) and key.strip():
            keys[ident] = key
        else:
            bad(f"keys.{ident}", f'[keys] {ident!r} must name a key, such as "n" or "ctrl+n"')
    highlight = data.get("highlight", {})
    if not isinstance(highlight, dict):
        bad("highlight", "[highlight] must be a table")
        highlight = {}
    for name in highlight:
        if name not in HIGHLIGHT_SETTINGS:
            bad(
                f"highlight.{name}",
                f"unknown setting [highlight] {name!r} (known: default, labels)",
            )
    default_color = highlight.get("default", "yellow")
    if default_color not in COLORS:
        bad("highlight.default", f"[highlight] default must be one of {', '.join(COLORS)}")
        default_color = "yellow"
    labels: dict[str, str] = {}
    given_labels = highlight.get("labels", {})
    if not isinstance(given_labels, dict):
        bad("highlight.labels", "[highlight.labels] must map colour names to labels")
        given_labels = {}
    for color, label in given_labels.items():
        if color not in COLORS:
            bad(f"highlight.labels.{color}", f"[highlight.labels] {color!r} is not a colour")
        elif not isinstance(label, str):
            bad(f"highlight.labels.{color}", f"[highlight.labels] {color} must be a string")
        else:
            labels[color] = label
    layout = _layout(data.get("layout", {}), bad)
    return Config(
        author_setting=author,
        theme=theme,
        library=tuple(library),
        keys=keys,
        default_color=default_color,
        labels=labels,
        text_width=layout.get("width", Config.text_width),
        fold_below=layout.get("fold_below", Config.fold_below),
        problems=tuple(problems),
        path=path,
        lines=lines,
    )


def _layout(table: object, bad: Callable[[str, str], None]) -> dict[str, int]:
    """The [layout] settings that are whole numbers in their range; bad() names the rest."""
    if not isinstance(table, dict):
        bad("layout", "[layout] must be a table")
        return {}
    out: dict[str, int] = {}
    for name, value in table.items():
        if name not in LAYOUT_SETTINGS:
            known = ", ".join(LAYOUT_SETTINGS)
            bad(f"layout.{name}", f"unknown setting [layout] {name!r} (known: {known})")
            continue
        low, high = LAYOUT_SETTINGS[name]
        if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
            out[name] = value
        else:
            bad(f"layout.{name}", f"[layout] {name} must be a whole number from {low} to {high}")
    return out


def _flat(table: dict[str, Any]) -> list[tuple[str, Any]]:
    """A table's values by dotted name: `reader.down = "n"` written without quotes is a
    table in TOML, and means "reader.down" all the same."""
    out: list[tuple[str, Any]] = []
    todo: list[tuple[str, dict[str, Any]]] = [("", table)]
    while todo:  # no recursion: the nesting is the file's to choose
        prefix, node = todo.pop()
        for name, value in node.items():
            if isinstance(value, dict):
                todo.append((f"{prefix}{name}.", value))
            else:
                out.append((f"{prefix}{name}", value))
    return out


# A key: bare, "basic" or 'literal', dotted (`a."b.c"`). Decoding is left to tomllib.
_KEY_PART = r"""(?:"(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_-]+)"""
_KEY = rf"{_KEY_PART}(?:\s*\.\s*{_KEY_PART})*"


@functools.cache
def _setting_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A table header and a `key =` line; compiled only when there is a config file."""
    table = re.compile(rf"\s*\[\[?\s*({_KEY})\s*\]\]?\s*(?:#.*)?$")
    return table, re.compile(rf"\s*({_KEY})\s*=(.*)$")


def setting_lines(text: str) -> dict[str, int]:
    """The line (from 1) where each setting and table is written, by dotted path
    ("highlight.labels.green"). tomllib keeps no positions, so the lines are scanned for
    table headers and `key =`; text inside multi-line strings is skipped."""
    lines: dict[str, int] = {}
    table: tuple[str, ...] = ()
    closing = ""  # the quotes that end the multi-line string being skipped
    table_line, assign_line = _setting_patterns()
    for number, line in enumerate(text.splitlines(), 1):
        if closing:
            if closing in line:
                closing = ""
            continue
        if m := table_line.match(line):
            table = _key_path(m.group(1))
            lines.setdefault(".".join(table), number)
        elif m := assign_line.match(line):
            path = table + _key_path(m.group(1))
            for i in range(len(table) + 1, len(path) + 1):
                lines.setdefault(".".join(path[:i]), number)
            for quotes in ('"""', "'''"):
                if m.group(2).count(quotes) % 2:
                    closing = quotes
    return lines


def _key_path(key: str) -> tuple[str, ...]:
    """The parts of a TOML key as tomllib reads them (quotes and escapes undone)."""
    try:
        node: Any = tomllib.loads(f"{key} = 0")
    except tomllib.TOMLDecodeError:
        return (key,)
    parts: list[str] = []
    while isinstance(node, dict) and len(node) == 1:
        name, node = next(iter(node.items()))
        parts.append(name)
    return tuple(parts)


def _deepest_line(text: str) -> int:
    """The line where brackets first nest deeper than any sane setting does."""
    depth = 0
    for number, line in enumerate(text.splitlines(), 1):
        for ch in line:
            depth += ch in "[{"
            depth -= ch in "]}"
            if depth > 32:
                return number
    return 1
