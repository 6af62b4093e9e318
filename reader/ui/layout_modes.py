"""How the main screen shares the terminal, so the article gets the screen.

- Below `[layout] fold_below` columns the library and annotations panes fold away; their
  keys bring each back as an overlay over the article (the text does not re-wrap), and it
  folds again once the article has the focus. On a wide terminal the same keys hide or show
  them beside the article.
- From there to STACK_BELOW columns (120x40, 140x40) the two side panes are stacked, the
  library over the annotations, in a column left of the article: three columns side by side
  would leave the text about 53 columns at 120 (a book sets 60-75), the library 24.
- Focus mode shows the article alone (no side panes, no Footer).
- The measure: a line of text takes at most `[layout] width` columns, centred in the
  reading pane on a wide terminal, as epy does.
- The Footer shows only the keys that fit whole, dropping entries from the end (`?` lists
  them all), where Textual's Footer cuts the last label in half.

The state lives in `Panes`, the container of the three panes; it shows it as classes on
the screen, and reader.tcss says what each class looks like.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Footer

from reader.core.config import load_config
from reader.ui.widgets.mark_strip import STRIP_CELLS
from reader.ui.widgets.reading_pane import ReadingPane

if TYPE_CHECKING:
    from reader.ui.screens.main import MainScreen

Side = Literal["library", "annotations"]
SIDES: tuple[Side, ...] = ("library", "annotations")
Toggle = Side | Literal["alone"]  # what a layout key shows or hides

# Narrower than this (and not folded), the side panes are stacked in one column left of the
# article. Side by side at 150 the text has 68 columns, the library 32; at 140 only 63 and 29.
STACK_BELOW = 150


class Panes(Horizontal):
    """Library | reading column | annotations, folded or shown as the width and keys say."""

    def __init__(self, screen: Widget, *, id: str | None = None) -> None:
        super().__init__(id=id)
        config = load_config()
        self.fold_below = config.fold_below
        self.narrow = self.app.size.width < self.fold_below
        """Whether the terminal is narrower than fold_below: side panes are overlays."""
        self.stacking = self.app.size.width < STACK_BELOW
        """Whether the terminal is narrower than STACK_BELOW: side panes shown share a column."""
        self.focus_mode = False
        """The article alone: no side panes and no Footer."""
        self.opened: set[Side] = set()  # overlays shown on a narrow terminal
        self.closed: set[Side] = set()  # panes hidden on a wide terminal
        # Made while the screen composes: its widgets are then styled once, folded or not,
        # where setting the classes once they are mounted restyles them all (~40 ms).
        self._set_classes(screen, update=False)

    def on_mount(self) -> None:
        self._set_width(self.app.size.width)  # in case the size changed since: no fold seen

    def on_resize(self, event: events.Resize) -> None:
        self._set_width(event.size.width)

    def _set_width(self, width: int) -> None:
        narrow, stacking = width < self.fold_below, width < STACK_BELOW
        if (narrow, stacking) == (self.narrow, self.stacking):
            return
        if narrow != self.narrow:
            self.opened.clear()  # an overlay is for the moment; a wide choice is kept
        self.narrow, self.stacking = narrow, stacking
        self._apply()

    def shown(self, side: Side) -> bool:
        """Whether the side pane shows now."""
        if self.focus_mode:
            return False
        return side in self.opened if self.narrow else side not in self.closed

    def toggle(self, what: Toggle) -> None:
        """Show a side pane (and focus it) or hide it (out of focus mode, it shows); or
        enter or leave focus mode."""
        if what == "alone":
            self.focus_mode = not self.focus_mode
            self._apply()
            return
        side: Side = what
        show = self.focus_mode or not self.shown(side)
        self.focus_mode = False
        if self.narrow:
            self.opened = {side} if show else set()  # one overlay at a time: they overlap
        elif show:
            self.closed.discard(side)
        else:
            self.closed.add(side)
        self._apply(self._side_widget(side) if show else None)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Back in the article, a folded pane's overlay folds again."""
        if self.narrow and self.opened and event.widget is self.screen.focused is self.pane:
            self.opened.clear()
            self._apply()

    @property
    def pane(self) -> Widget:
        return self.query_one("#pane")

    def _side_widget(self, side: Side) -> Widget:
        return self.query_one(f"#{side}")

    def _apply(self, focus: Widget | None = None) -> None:
        """Show the state as classes on the screen (reader.tcss draws them), then focus
        `focus`, or the article if the focus was in a pane no longer shown."""
        screen = self.screen
        self._set_classes(screen)
        focused = screen.focused
        if focus is None and focused is not None:
            hidden = [self._side_widget(side) for side in SIDES if not self.shown(side)]
            focus = self.pane if any(w in focused.ancestors_with_self for w in hidden) else None
        if focus is not None:
            focus.focus()

    def _set_classes(self, screen: Widget, update: bool = True) -> None:
        screen.set_class(self.narrow, "-narrow", update=update)
        stacked = self.stacking and not self.narrow and any(self.shown(s) for s in SIDES)
        screen.set_class(stacked, "-stacked", update=update)
        screen.set_class(self.focus_mode, "-focus-mode", update=update)
        for side in SIDES:
            screen.set_class(not self.shown(side), f"-hide-{side}", update=update)


class ReadingColumn(Vertical):
    """The reading pane over the status line; keeps the text to the measure, centred."""

    def on_resize(self) -> None:
        self.center_text()  # now, so the text is wrapped once, at its measure

    def center_text(self) -> None:
        """Pad the reading pane so its text is at most [layout] width columns, centred."""
        pane = self.query_one(ReadingPane)
        cap = load_config().text_width
        # The pane's width less its border, scrollbar and strip of marks (mark_strip.py):
        # the room for text and padding.
        chrome = pane.styles.border.spacing.width + pane.styles.scrollbar_size_vertical
        room = self.size.width - chrome - STRIP_CELLS
        spare = max(1, room - cap)  # a column on the left; on the right the strip is the gap
        left = (spare + 1) // 2
        # The room right of the text is the pane's (it draws it blank), not padding: the strip
        # stays at the pane's edge beside the scrollbar, where it reads as the whole
        # article's, not next to the centred lines as if it marked them.
        pane.measure = cap
        padding = (0, 0, 0, left)
        if pane.styles.padding != padding:
            pane.styles.padding = padding


class FittingFooter(Footer):
    """A Footer that shows whole entries only: the keys that do not fit are dropped from
    the end (Textual's lays them out in a row and cuts the last label where the row ends)."""

    def on_resize(self) -> None:
        self.fit()

    async def recompose(self) -> None:
        await super().recompose()
        self.fit()

    def fit(self) -> None:
        """Hide the keys, from the end, that would not fit whole."""
        # FooterKey is not exported: the keys are found by their CSS type name.
        keys = self.query_children("FooterKey").exclude(".-command-palette")
        room = self.size.width
        for palette in self.query_children(".-command-palette"):
            room -= _width(palette)
        for key in keys:
            room -= _width(key)
            key.display = room >= 0


def _width(key: Widget) -> int:
    """The columns a Footer entry takes whole: its label (with its padding) and margins."""
    label = key.render()
    cells = cell_len(label.plain) if isinstance(label, Text) else key.outer_size.width
    return cells + key.styles.gutter.width + key.styles.margin.width


async def mount_footer(screen: MainScreen) -> None:
    """Mount the Footer once the first frame is drawn (it is a widget per key: the article
    shows sooner without it), in place of the blank row that kept its place."""
    if not screen.is_attached:
        return  # the app is already closing (q pressed at once)
    with screen.app.batch_update():
        await screen.query_one("#footer-space").remove()
        await screen.mount(FittingFooter())
    screen.refresh_bindings()  # a Footer mounted late lists no keys until told to


def start_focus(screen: MainScreen, reopened: bool) -> None:
    """The article has the focus at start when it was reopened (or the library is folded
    away or holds one article); a first run with a library to choose from starts there."""
    panes = screen.query_one(Panes)
    if reopened or len(screen.library.articles) <= 1 or not panes.shown("library"):
        screen.pane.focus()
    else:
        screen.library_list.focus()
