"""One library row: an article's title, then its path (cut in the middle) on the same line.

A row is laid out at the width it is drawn at, so a narrow pane keeps the start of the
title and both ends of the path (`linux/…/cxl.txt`); every row is one line, which also
spares the list measuring 2,000 wrapped prompts.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual

from reader.core.inert import inert_name
from reader.core.library import middle_cut
from reader.ui.shown import shown_name

GAP = 2  # cells between the title and the path
PATH_SHARE = 0.45  # of the row the path may take when both do not fit
PATH_MIN = 10  # cells: a path cut shorter says nothing (`fo…xt`), so the title gets the row


class ArticleRow(Visual):
    """title (bold) [· author], then dim `notes · path` at the right; or a path that
    cannot be opened (struck) with the reason."""

    def __init__(self, title: str, author: str, info: str, path: str, problem: str = "") -> None:
        self.title, self.author, self.info, self.problem = title, author, info, problem
        self.path = inert_name(path)  # cut in the middle by cells: made inert first

    def _content(self, width: int) -> Content:
        if self.problem:
            path = middle_cut(self.path, max(8, width * 3 // 5))
            return Content.assemble(
                shown_name(path, "dim strike"), " ", shown_name(self.problem, "$error")
            ).truncate(width, ellipsis=True)
        left = shown_name(self.title, "bold")
        if self.author:
            left = Content.assemble(left, shown_name(f" · {self.author}", "italic"))
        info = f"{self.info} · " if self.info else ""
        room = width - GAP - cell_len(info)
        path_cells = cell_len(self.path)
        if left.cell_length + path_cells > room:
            # The path gets what the title leaves, but never less than its share.
            path_cells = min(path_cells, max(room - left.cell_length, int(room * PATH_SHARE)))
        shown_whole = path_cells == cell_len(self.path)
        path = middle_cut(self.path, path_cells) if shown_whole or path_cells >= PATH_MIN else ""
        right = shown_name((info + path).removesuffix(" · "), "dim")
        left = left.truncate(max(width - GAP - right.cell_length, 1), ellipsis=True)
        pad = max(width - left.cell_length - right.cell_length, 1)
        return Content.assemble(left, " " * pad, right).truncate(width, ellipsis=True)

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        return self._content(width).render_strips(width, 1, style, options)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return container_width

    def get_height(self, rules: RulesMap, width: int) -> int:
        return 1
