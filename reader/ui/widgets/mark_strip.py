"""The strip beside the reading pane's scrollbar: where the article's marks are in the whole
text, as code editors show search hits beside theirs.

The strip is the pane's last column. Row y of the pane stands for the y-th of as many equal
slices of the article (its wrapped rows, or its characters while a long text is still being
wrapped); a cell shows the first mark that starts in its slice, in that mark's colour (a
highlight's, a shared layer's, the neutral one for a colour the palette lacks). The slices
are worked out once per change of the marks, the pane's height or the wrapping, not for
every row drawn.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.segment import Segment
from rich.style import Style

from reader.ui.widgets.pane_render import NEUTRAL_HIGHLIGHT, Mark

if TYPE_CHECKING:
    from reader.core.layout import Layout
    from reader.ui.widgets.reading_pane import ReadingPane

STRIP_CELLS = 2  # the columns the strip takes from the text's room: a gap, and its cell
GLYPH = "█"  # a mark's cell: seen without colour too
NOTED = "reading-pane--noted"  # drawn with its highlight, which the strip shows already


class MarkStrip:
    """One cell per row of the reading pane, showing the marks of the whole article."""

    def __init__(self, pane: ReadingPane) -> None:
        self.pane = pane
        self._cells: list[Mark | None] = []
        self._marks: list[Mark] | None = None  # what the cells were worked out from
        self._layout: Layout | None = None
        self._shape: tuple[int, bool, int] = (0, False, 0)  # height, wrapped, rows
        self._looks: dict[str, Segment] = {}

    def clear_styles(self) -> None:
        """Forget the drawn cells' colours (a new theme)."""
        self._looks.clear()

    # --- where the marks fall ----------------------------------------------------------
    def _scale(self) -> tuple[Layout, int, int]:
        """The layout, the strip's height, and how much of the article it stands for: rows
        once wrapped (never fewer than the strip's height, so a short article's marks sit
        beside their rows), else characters."""
        pane = self.pane
        layout = pane.layout_rows
        height = max(1, pane.scrollable_content_region.height)
        whole = max(layout.row_count, height) if layout.done else max(1, len(pane.doc.text))
        return layout, height, whole

    def cells(self) -> list[Mark | None]:
        """The mark each row of the strip shows (None: none starts in its slice)."""
        pane = self.pane
        layout, height, whole = self._scale()
        shape = (height, layout.done, whole)
        if self._marks is pane.marks and self._layout is layout and self._shape == shape:
            return self._cells
        cells: list[Mark | None] = [None] * height
        for m in pane.marks:  # sorted by start: the first in each slice is kept
            if m.component == NOTED:
                continue
            at = layout.row_of(m.start) if layout.done else m.start
            y = min(height - 1, at * height // whole)
            if cells[y] is None:
                cells[y] = m
        self._cells, self._marks, self._layout, self._shape = cells, pane.marks, layout, shape
        return cells

    def place(self, y: int) -> int | None:
        """Where a click on row y of the strip goes: the mark shown there, else the start
        of the part of the article that row stands for (None past the end of the text)."""
        cells = self.cells()
        if not 0 <= y < len(cells):
            return None
        mark = cells[y]
        if mark is not None:
            return mark.start
        layout, height, whole = self._scale()
        first = -(-y * whole // height)  # the first row (or character) of slice y
        if not layout.done:
            return min(first, max(0, len(self.pane.doc.text) - 1))
        row = layout.row(first)
        return None if row is None else row[0]

    # --- drawing ---------------------------------------------------------------------
    def cell(self, y: int, cells: list[Mark | None] | None = None) -> Segment:
        """Row y's cell of the strip (cells: what cells() gave for this frame)."""
        if cells is None:
            cells = self.cells()
        mark = cells[y] if 0 <= y < len(cells) else None
        component = "" if mark is None else mark.component
        look = self._looks.get(component)
        if look is None:
            look = self._looks[component] = self._look(component)
        return look

    def _look(self, component: str) -> Segment:
        pane = self.pane
        base = pane.rich_style
        if not component:
            return Segment(" " * STRIP_CELLS, base)
        if component not in pane.COMPONENT_CLASSES:
            component = NEUTRAL_HIGHLIGHT
        # The colour the mark has over the text (as pane_render.py draws it there): a
        # highlight's background, a layer's letters.
        style = pane.get_component_rich_style(component, partial=True)
        color = style.bgcolor or style.color
        # (a blank first: a glyph right after the last letter of a full line looked like
        # part of the text)
        return Segment(" " * (STRIP_CELLS - 1) + GLYPH, base + Style(color=color))
