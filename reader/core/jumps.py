"""Where the reader was before each jump, so ctrl+o goes back (as vim's jump list)."""

from __future__ import annotations

# Enough for a long reading session; the oldest places are forgotten first.
MAX_JUMPS = 100
# A jump to within this many characters of the last place kept is not a new place.
NEAR = 40


class JumpList:
    """Offsets left by jumps (search, G, a line or percentage, outline, annotation, mark)."""

    def __init__(self) -> None:
        self._places: list[int] = []

    def __len__(self) -> int:
        return len(self._places)

    def leave(self, offset: int) -> None:
        """Remember offset: the reader is about to jump away from it."""
        if self._places and abs(self._places[-1] - offset) <= NEAR:
            return
        self._places.append(offset)
        del self._places[:-MAX_JUMPS]

    def back(self, here: int) -> int | None:
        """The place before the last jump (None when there is none), skipping places at here."""
        while self._places:
            offset = self._places.pop()
            if abs(offset - here) > NEAR:
                return offset
        return None
