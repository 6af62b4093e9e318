"""One library row: an article's title, then its path (cut in the middle) on the same line.

A row is laid out at the width it is drawn at. A reader picks an article by its title, so
the title comes first: the path gets what a title of up to TITLE_CELLS leaves (both ends,
`linux/…/cxl.txt`), and is dropped when that is too little to say anything. Every row is one
line, which also spares the list measuring 2,000 wrapped prompts.
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
TITLE_CELLS = 40  # a title up to this long is shown whole before the path gets room
# Cells: a path cut shorter rarely shows its folder and the end of its name (`linu…rs.txt`),
# so the title gets the row.
PATH_MIN = 14


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
                # (": " as elsewhere: without colour the name and the reason stay apart)
                shown_name(path, "dim strike"),
                ": ",
                shown_name(self.problem, "$error"),
            ).truncate(width, ellipsis=True)
        left = shown_name(self.title, "bold")
        if self.author:
            left = Content.assemble(left, shown_name(f" · {self.author}", "italic"))
        info = f"{self.info} · " if self.info else ""
        room = width - GAP - cell_len(info)
        path_cells = cell_len(self.path)
        if left.cell_length + path_cells > room:
            # The path gets what the title leaves, or what a title of TITLE_CELLS would.
            path_cells = min(path_cells, room - min(left.cell_length, TITLE_CELLS))
        shown_whole = path_cells == cell_len(self.path)
        path = middle_cut(self.path, path_cells) if shown_whole or path_cells >= PATH_MIN else ""
        right = shown_name((info + path).removesuffix(" · "), "dim")
        gap = GAP if right.cell_length else 0  # nothing at the right: the title has the row
        left = left.truncate(max(width - gap - right.cell_length, 1), ellipsis=True)
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
