"""Highlight colours: one table for the marks in the text and the swatches beside them."""

from __future__ import annotations

from reader.core.annotation import COLORS

HIGHLIGHT = {
    "yellow": "#b8a000",
    "green": "#2e9e44",
    "blue": "#2f6fd6",
    "pink": "#d23f8a",
    "orange": "#d9791a",
    "purple": "#8a4fd0",
}
assert set(HIGHLIGHT) == set(COLORS)


def swatch(color: str) -> str:
    """The hex colour of a highlight colour's name (yellow for an unknown name)."""
    return HIGHLIGHT.get(color, HIGHLIGHT["yellow"])


def highlight_css(component: str) -> str:
    """CSS rules giving each `{component}-<colour>` class its background."""
    return "\n".join(
        f"& > .{component}-{name} {{ background: {hex_} 45%; }}" for name, hex_ in HIGHLIGHT.items()
    )
