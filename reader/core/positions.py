"""Reading positions per article, and the article read last, kept between runs."""

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
        self.last: str = ""  # real path of the article read last
        try:
            raw = json.loads(self.path.read_text("utf-8"))
        except (OSError, ValueError):
            return
        if isinstance(raw, dict) and isinstance(raw.get("positions"), dict):
            self._data = {
                k: v for k, v in raw["positions"].items() if isinstance(v, int) and v >= 0
            }
            self.last = raw.get("last", "") if isinstance(raw.get("last"), str) else ""

    @staticmethod
    def _key(article: Path) -> str:
        return str(article.resolve())

    def get(self, article: Path) -> int:
        return self._data.get(self._key(article), 0)

    def set(self, article: Path, offset: int) -> None:
        key = self._key(article)
        self._data[key] = offset
        self.last = key

    def save(self) -> None:
        data = {"last": self.last, "positions": self._data}
        try:
            write_atomic(self.path, json.dumps(data, indent=0).encode())
        except OSError:
            pass  # losing a reading position is not worth an error
