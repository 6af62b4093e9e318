"""Undo and redo of annotation changes, as before/after pairs applied through the store."""

from __future__ import annotations

from dataclasses import dataclass

from reader.core.annotation import Annotation
from reader.core.store import ArticleStore


@dataclass(frozen=True)
class Change:
    before: Annotation | None  # None: the change created it
    after: Annotation | None  # None: the change deleted it
    what: str


class History:
    def __init__(self) -> None:
        self.undo_stack: list[Change] = []
        self.redo_stack: list[Change] = []

    def apply(self, store: ArticleStore, change: Change, record: bool = True) -> None:
        if change.after is None:
            assert change.before is not None
            store.delete(change.before.id)
        else:
            store.put(change.after, create=change.before is None)
        if record:
            self.undo_stack.append(change)
            self.redo_stack.clear()

    def undo(self, store: ArticleStore) -> Change | None:
        if not self.undo_stack:
            return None
        c = self.undo_stack.pop()
        inverse = Change(c.after, c.before, c.what)
        if inverse.after is None:
            assert inverse.before is not None
            store.delete(inverse.before.id)
        else:
            store.put(inverse.after, create=True)
        self.redo_stack.append(c)
        return c

    def redo(self, store: ArticleStore) -> Change | None:
        if not self.redo_stack:
            return None
        c = self.redo_stack.pop()
        if c.after is None:
            assert c.before is not None
            store.delete(c.before.id)
        else:
            store.put(c.after, create=True)
        self.undo_stack.append(c)
        return c
