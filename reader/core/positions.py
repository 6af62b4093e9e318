"""Reading positions per article, kept between runs in the user state folder."""

from __future__ import annotations

import json
from pathlib import Path

from reader.core.atomic import write_atomic
from reader.core.paths import state_dir


class Positions:
    """Maps an article's real path to the offset at the top of the screen."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or state_dir() / "positions.json"
        self._data: dict[str, int] = {}
        try:
            raw = json.loads(self.path.read_text("utf-8"))
            if isinstance(raw, dict):
                self._data = {k: v for k, v in raw.items() if isinstance(v, int) and v >= 0}
        except (OSError, ValueError):
            pass

    @staticmethod
    def _key(article: Path) -> str:
        return str(article.resolve())

    def get(self, article: Path) -> int:
        return self._data.get(self._key(article), 0)

    def set(self, article: Path, offset: int) -> None:
        self._data[self._key(article)] = offset

    def save(self) -> None:
        try:
            write_atomic(self.path, json.dumps(self._data, indent=0).encode())
        except OSError:
            pass  # losing a reading position is not worth an error
