"""Reading positions and marks per article, when each was read last, the article read last
and the library's order, kept between runs."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from reader.core.atomic import write_atomic
from reader.core.paths import state_dir


class Positions:
    """Maps an article's real path to the offset at the top of the screen (and the
    caret's, when it was elsewhere)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or state_dir() / "positions.json"
        self._data: dict[str, int] = {}
        self._carets: dict[str, int] = {}  # article -> the caret's offset
        self._marks: dict[str, dict[str, int]] = {}  # article -> letter -> offset (m, ')
        self._keys: dict[Path, str] = {}  # article path -> its real path
        self._folders: dict[Path, str] = {}  # folder -> its real path
        self._read_at: dict[str, float] = {}  # article -> when last read (seconds, epoch)
        self.last: str = ""  # real path of the article read last
        self.library_sort: str = ""  # the library pane's order (title, path, recent, ...)
        try:
            raw = json.loads(self.path.read_text("utf-8"))
        except (OSError, ValueError):
            return
        if isinstance(raw, dict) and isinstance(raw.get("positions"), dict):
            self._data = {
                k: v for k, v in raw["positions"].items() if isinstance(v, int) and v >= 0
            }
            self.last = raw.get("last", "") if isinstance(raw.get("last"), str) else ""
        if isinstance(raw, dict) and isinstance(raw.get("carets"), dict):
            self._carets = {k: v for k, v in raw["carets"].items() if isinstance(v, int) and v >= 0}
        if isinstance(raw, dict) and isinstance(raw.get("read_at"), dict):
            self._read_at = {
                k: float(v) for k, v in raw["read_at"].items() if isinstance(v, (int, float))
            }
        if isinstance(raw, dict) and isinstance(raw.get("library_sort"), str):
            self.library_sort = raw["library_sort"]
        marks = raw.get("marks") if isinstance(raw, dict) else None
        if isinstance(marks, dict):
            self._marks = {
                k: {c: o for c, o in v.items() if _is_mark(c) and isinstance(o, int) and o >= 0}
                for k, v in marks.items()
                if isinstance(v, dict)
            }

    def key(self, article: Path) -> str:
        """The article's real path, as positions are kept by (the same file however it
        was named)."""
        # Worked out once per path: sorting 2,000 articles by when read asks for every one.
        # Resolving a path reads every folder on the way, so each folder is resolved once
        # and the name joined on (a link to a file is resolved whole).
        key = self._keys.get(article)
        if key is None:
            if os.path.islink(article):
                key = str(article.resolve())
            else:
                folder = self._folders.get(article.parent)
                if folder is None:
                    folder = self._folders[article.parent] = str(article.parent.resolve())
                key = os.path.join(folder, article.name)
            self._keys[article] = key
        return key

    def get(self, article: Path) -> int:
        return self._data.get(self.key(article), 0)

    def caret(self, article: Path) -> int | None:
        """Where the caret was left, if it was kept."""
        return self._carets.get(self.key(article))

    def set(self, article: Path, offset: int, caret: int | None = None) -> None:
        key = self.key(article)
        self._data[key] = offset
        if caret is None:
            self._carets.pop(key, None)
        else:
            self._carets[key] = caret
        self._read_at[key] = time.time()
        self.last = key

    def read_at(self, article: Path) -> float:
        """When the article was last read (seconds since the epoch), 0 if never."""
        return self._read_at.get(self.key(article), 0.0)

    def progress(self, article: Path, size: int) -> float:
        """How far into the article the reader got, 0 to 1 (reading position over size)."""
        return min(1.0, self.get(article) / size) if size > 0 else 0.0

    def marks(self, article: Path) -> dict[str, int]:
        """The article's marks: letter -> offset."""
        return dict(self._marks.get(self.key(article), {}))

    def set_mark(self, article: Path, letter: str, offset: int) -> None:
        if not _is_mark(letter):
            raise ValueError(f"a mark is a letter a-z or A-Z, not {letter!r}")
        self._marks.setdefault(self.key(article), {})[letter] = offset

    def save(self) -> None:
        data = {
            "last": self.last,
            "positions": self._data,
            "carets": self._carets,
            "marks": self._marks,
            "read_at": self._read_at,
            "library_sort": self.library_sort,
        }
        try:
            write_atomic(self.path, json.dumps(data, indent=0).encode())
        except OSError:
            pass  # losing a reading position is not worth an error


def _is_mark(letter: object) -> bool:
    return isinstance(letter, str) and len(letter) == 1 and letter.isascii() and letter.isalpha()
