"""Show or hide each shared layer (other people's annotations) of the article."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, SelectionList
from textual.widgets.selection_list import Selection

from reader.ui.shown import shown_name


class LayersScreen(ModalScreen[set[str] | None]):
    """space toggles a layer; enter or esc closes. Dismisses with the hidden authors."""

    # Priority: the list would otherwise take enter as another toggle.
    BINDINGS = [
        Binding("escape,enter,L", "close", "Close", priority=True, id="reader.layers.close")
    ]
    DEFAULT_CSS = """
    LayersScreen { align: center middle; }
    LayersScreen > Vertical {
        width: 60; height: auto; max-height: 80%; border: round $primary;
        background: $surface; padding: 0 1;
    }
    LayersScreen SelectionList { height: auto; max-height: 20; }
    """

    def __init__(self, layers: list[tuple[str, int]], hidden: set[str]) -> None:
        super().__init__()
        self.layer_counts = layers
        self.hidden = hidden

    def compose(self) -> ComposeResult:
        with Vertical() as v:
            v.border_title = "Shared layers (space: show/hide, enter: done)"
            yield SelectionList[str](
                *[
                    # Content, not a str: the list would parse a folder named `[b]bob` as markup.
                    Selection(
                        Content.assemble(shown_name(author), f" ({n})"),
                        author,
                        author not in self.hidden,
                    )
                    for author, n in self.layer_counts
                ]
            )
            yield Label("Shared layers are read-only; y copies one annotation into yours.")

    def on_mount(self) -> None:
        self.query_one(SelectionList).focus()

    def action_close(self) -> None:
        shown = set(self.query_one(SelectionList).selected)
        self.dismiss({author for author, _ in self.layer_counts if author not in shown})
