"""Undo and redo of annotation changes, as before/after pairs.

History only remembers; the session applies what it hands back (to the screen at once,
to the sidecar in order), so undo works the same in any front end.
"""

from __future__ import annotations

from dataclasses import dataclass

from reader.core.annotation import Annotation


@dataclass(frozen=True)
class Change:
    """One annotation change: before None means it was created, after None deleted."""

    before: Annotation | None
    after: Annotation | None
    what: str  # for the user: "highlight", "note", "delete"...

    @property
    def inverse(self) -> Change:
        return Change(self.after, self.before, self.what)

    @property
    def annotation_id(self) -> str | None:
        a = self.after or self.before
        return a.id if a is not None else None


class History:
    """The undo and redo stacks of one article."""

    def __init__(self) -> None:
        self.undo_stack: list[Change] = []
        self.redo_stack: list[Change] = []

    def record(self, change: Change) -> None:
        """A new change: it can be undone, and nothing can be redone any more."""
        self.undo_stack.append(change)
        self.redo_stack.clear()

    def undo(self) -> Change | None:
        """The change to undo (apply its inverse), or None when there is none."""
        if not self.undo_stack:
            return None
        c = self.undo_stack.pop()
        self.redo_stack.append(c)
        return c

    def redo(self) -> Change | None:
        """The change to make again, or None when there is none."""
        if not self.redo_stack:
            return None
        c = self.redo_stack.pop()
        self.undo_stack.append(c)
        return c
