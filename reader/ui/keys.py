"""Keys: every binding of reader by part, the keys the user's keymap really binds, and what is
wrong with [keys] and `theme` in config.toml (named with its line).

Textual applies `[keys]` (the App's keymap) by binding id when a key is pressed; this module
applies it the same way (Textual's own `BindingsMap.apply_keymap`) to show and check it.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.binding import Binding, BindingsMap, BindingType

if TYPE_CHECKING:
    from textual.app import App

    from reader.core.config import Config


KEY_NAMES = {
    "question_mark": "?",
    "slash": "/",
    "space": "space",
    "left_parenthesis": "(",
    "right_parenthesis": ")",
    "left_curly_bracket": "{",
    "right_curly_bracket": "}",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "percent_sign": "%",
    "apostrophe": "'",
    "escape": "esc",
    "enter": "enter",
    "delete": "del",
}


def key_label(keys: str) -> str:
    """Keys as written in config.toml ("?" for question_mark); "none" when a remap took them."""
    if not keys:
        return "none"
    return ", ".join(KEY_NAMES.get(k, k) for k in keys.split(","))


def keys_for(app: App[Any], bindings: Sequence[BindingType], ident: str) -> str:
    """The keys a binding really has, for a hint on screen ("y", "n, esc")."""
    return key_label(",".join(bound(bindings, active_keymap(app)).get(ident, [])))


@dataclass(frozen=True)
class Part:
    """A part of the app with its own keys: a pane, the main screen, a dialog, the app."""

    title: str
    bindings: Sequence[BindingType]
    in_help: bool = True


@dataclass(frozen=True)
class KeyRow:
    """One line of the help screen: the keys really bound, what they do, the binding id."""

    keys: str
    description: str
    id: str


def parts() -> list[Part]:
    """Every part with keys, in the order the help screen lists them."""
    # Imported here: the screens import the app's modules, which import this one.
    from reader.ui.app import ReaderApp
    from reader.ui.screens.confirm import ConfirmScreen
    from reader.ui.screens.error import ErrorScreen
    from reader.ui.screens.help import HelpScreen
    from reader.ui.screens.layers import LayersScreen
    from reader.ui.screens.main import MainScreen
    from reader.ui.screens.note import NoteScreen
    from reader.ui.screens.outline import OutlineScreen
    from reader.ui.screens.search import SearchScreen
    from reader.ui.widgets.annotation_list import AnnotationList
    from reader.ui.widgets.library_list import LibraryList
    from reader.ui.widgets.reading_pane import ReadingPane

    main = [b for b in MainScreen.BINDINGS if not _action(b).startswith("app.")]
    return [
        Part("Reading", ReadingPane.BINDINGS),
        Part("Annotating and finding", main),
        Part("Library", LibraryList.BINDINGS),
        Part("Annotations pane", AnnotationList.BINDINGS),
        Part("Search", SearchScreen.BINDINGS),
        Part("Note", NoteScreen.BINDINGS),
        Part("Outline", OutlineScreen.BINDINGS),
        Part("Shared layers", LayersScreen.BINDINGS),
        Part("Questions", ConfirmScreen.BINDINGS),
        Part("Help", HelpScreen.BINDINGS),
        Part("App", ReaderApp.BINDINGS),
        Part("Error", ErrorScreen.BINDINGS, in_help=False),
    ]


def known_ids() -> set[str]:
    return {b.id for part in parts() for b in Binding.make_bindings(part.bindings) if b.id}


def active_keymap(app: App[Any]) -> dict[str, str]:
    """The keymap Textual applies: binding id -> keys ("j,down"), as set from [keys]."""
    # Textual 8 keeps it in a private attribute and offers no getter; the pin (<9) holds it.
    return dict(app._keymap)


def bound(bindings: Sequence[BindingType], keymap: dict[str, str]) -> dict[str, list[str]]:
    """The keys each binding id really has once keymap is applied, as Textual applies it
    (a key taken by a remapped binding is lost by the one that had it)."""
    keys = BindingsMap(bindings)
    keys.apply_keymap(keymap)
    out: dict[str, list[str]] = {}
    for key, binding in keys:
        got = out.setdefault(binding.id or binding.action, [])
        if key not in got:  # Textual adds a remapped key once for each key it replaces
            got.append(key)
    return out


def help_rows(part: Part, keymap: dict[str, str]) -> list[KeyRow]:
    """The part's bindings in their order, each with the keys it really has."""
    keys = bound(part.bindings, keymap)
    rows: dict[str, KeyRow] = {}
    for b in Binding.make_bindings(part.bindings):
        ident = b.id or b.action
        rows.setdefault(ident, KeyRow(",".join(keys.get(ident, [])), b.description, b.id or ""))
    return list(rows.values())


def help_sections(app: App[Any]) -> list[tuple[str, list[KeyRow]]]:
    keymap = active_keymap(app)
    sections = [(p.title, help_rows(p, keymap)) for p in parts() if p.in_help]
    sections[-1][1].extend(
        [
            KeyRow("tab", "Next pane", ""),
            KeyRow(app.COMMAND_PALETTE_BINDING, "Command palette", ""),
        ]
    )
    return sections


# Parts whose keys work at the same time (the focused widget's, then the screen's, then the
# app's): a key given to two bindings here does only one of the two things.
_TOGETHER = (
    ("Reading", "Annotating and finding", "App"),
    ("Library", "Annotating and finding", "App"),
    ("Annotations pane", "Annotating and finding", "App"),
)


def settings_problems(app: App[Any], config: Config) -> list[str]:
    """What in config.toml Textual cannot follow, one line each with the setting's line: an
    unknown binding id, a key given to two bindings, an unknown theme."""
    problems: list[str] = []
    if "theme" in config.lines and config.theme not in app.available_themes:
        problems.append(
            f"{config.where('theme')}: unknown theme {config.theme!r}; "
            "ctrl+p, then “Change theme”, lists them"
        )
    if not config.keys:
        return problems  # no need to load every dialog at start-up
    ids = known_ids()
    for ident in config.keys:
        if ident not in ids:
            near = difflib.get_close_matches(ident, ids, n=1)
            hint = f"; did you mean {near[0]!r}?" if near else "; ? lists the ids"
            problems.append(f"{config.where('keys', ident)}: unknown binding id {ident!r}{hint}")
    problems += _clashes(config, active_keymap(app))
    return problems


def _clashes(config: Config, keymap: dict[str, str]) -> list[str]:
    by_title = {p.title: p for p in parts()}
    groups = [[by_title[t] for t in titles] for titles in _TOGETHER]
    groups += [[p] for p in by_title.values() if all(p.title not in t for t in _TOGETHER)]
    clashes: dict[tuple[str, str], set[str]] = {}  # (id, key) -> what else has the key
    for group in groups:
        everything = [b for p in group for b in Binding.make_bindings(p.bindings)]
        default_keys: dict[str, set[str]] = {}
        for b in everything:
            default_keys.setdefault(b.id or b.action, set()).add(b.key)
        for ident in config.keys:
            new_keys = keymap.get(ident, "").split(",")
            if ident not in default_keys:
                continue
            for key in new_keys:
                if key in default_keys[ident]:
                    continue
                others = {
                    f"{b.id or b.action} ({b.description})" if b.description else b.id or b.action
                    for b in everything
                    if (b.id or b.action) != ident and _still_has(b, key, keymap)
                }
                others |= {
                    other
                    for other in config.keys
                    if other != ident
                    and other in default_keys
                    and key in keymap.get(other, "").split(",")
                    and other < ident  # each pair once
                }
                if others:
                    clashes.setdefault((ident, key), set()).update(others)
    return [
        f"{config.where('keys', ident)}: {key_label(key)} is bound twice: to {ident!r} "
        f"and to {', '.join(sorted(others))}; only one of them will work"
        for (ident, key), others in clashes.items()
    ]


def _still_has(b: Binding, key: str, keymap: dict[str, str]) -> bool:
    """Whether b keeps key by default once keymap is applied (not remapped elsewhere)."""
    return b.key == key and not (b.id and b.id in keymap)


def _action(b: BindingType) -> str:
    return b.action if isinstance(b, Binding) else b[1]
