"""One open article and every rule about its annotations, with no user interface.

An `ArticleSession` holds an article's Document, its ArticleStore, the shared layers
resolved on its text, the undo History and the annotation filter. Each action takes the
caret (an offset) and the selection (a Range or None) and returns an `Outcome`: the
message to show and whether the marks changed. A change shows at once in the session's
own view (`annotations`, `resolutions`); the sidecar is written later, in order, by
`save_pending()`, which a front end runs off its UI thread. The command line uses the
same rules (`find_occurrence`, `add`, `save_pending`).
"""

from __future__ import annotations

import bisect
import os
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from reader.core.anchoring import ORPHAN, Anchorer, Resolution
from reader.core.annotation import Annotation, Target, make_target
from reader.core.config import Config
from reader.core.document import Document, Range
from reader.core.history import Change, History
from reader.core.inert import inert_name
from reader.core.motion import unit_at
from reader.core.store import ArticleStore, SidecarError
from reader.core.text import UnreadableFile, normalize

if TYPE_CHECKING:
    from reader.core.sharing import Layer

SAME, CHANGED, DELETED = "same", "changed", "deleted"


class OccurrenceError(ValueError):
    """A quote that cannot be placed; str() says why (without the file name)."""


def find_occurrence(text: str, quote: str, n: int = 1) -> Range:
    """Where the nth occurrence of quote is in text (n >= 1 from the start, n < 0 from
    the end: -1 is the last; occurrences may overlap, "aa" twice in "aaa"). The quote is
    normalized as article text is."""
    if n == 0:
        raise OccurrenceError(
            "an occurrence counts from 1 (or from the end: -1 is the last), not 0"
        )
    quote = normalize(quote)
    if not quote:
        raise OccurrenceError("the quote is empty")
    found: list[int] = []
    pos = text.find(quote)
    while pos != -1 and (n < 0 or len(found) < n):
        found.append(pos)
        pos = text.find(quote, pos + 1)
    if not found:
        raise OccurrenceError("quote not found in the text")
    if n > len(found) or -n > len(found):
        count = len(found) if n < 0 else text.count(quote)
        raise OccurrenceError(f"the quote occurs {count} time(s); occurrence {n} is out of range")
    start = found[n - 1] if n > 0 else found[n]
    return Range(start, start + len(quote))


@dataclass(frozen=True)
class ResolvedLayer:
    """A colleague's layer with where each of its annotations lies in this text."""

    layer: Layer
    resolutions: dict[str, Resolution]

    @property
    def author(self) -> str:
        return self.layer.author


def resolve_layers(text: str, layers: list[Layer]) -> list[ResolvedLayer]:
    """Resolve every layer's annotations with ONE Anchorer: the text is folded once, not
    once per annotation (13 s for 30 annotations on a 5 MB article, before)."""
    anchorer = Anchorer(text)
    return [
        ResolvedLayer(layer, {a.id: anchorer.resolve(a.target) for a in layer.annotations})
        for layer in layers
    ]


def load_layers(path: Path, roots: list[Path], text: str) -> list[ResolvedLayer]:
    """Find and resolve the shared layers of an article (file I/O and matching: run it
    off the UI thread, for files of any size)."""
    from reader.core.sharing import find_layers  # not needed for the first frame

    return resolve_layers(text, find_layers(path, roots))


@dataclass(frozen=True)
class Entry:
    """One row of the annotations list: an annotation, its layer ("" for yours), where."""

    annotation: Annotation
    resolution: Resolution
    layer: str = ""


@dataclass(frozen=True)
class Painted:
    """Something to draw over the text: kind is "highlight" (in color), "noted" or "layer"."""

    start: int
    end: int
    kind: str
    color: str = ""


@dataclass(frozen=True)
class StatusLine:
    """The status line's facts: where the caret is (left), what lies under it (right)."""

    left: str
    right: str


@dataclass(frozen=True)
class Outcome:
    """What an action did: a message for the user, and what to redraw or save."""

    message: str = ""
    error: bool = False
    changed: bool = False  # the marks and the list changed: redraw them, and save
    keep: str | None = None  # the annotation to keep chosen in the list
    clear_selection: bool = False


@dataclass(frozen=True)
class NoteDraft:
    """What the note editor starts from: an existing annotation, or a passage to mark."""

    quote: str
    note: str
    tags: tuple[str, ...]
    known_tags: list[str]
    existing: Annotation | None = None
    # The passage to mark, anchored on the text the draft was made on: it still finds its
    # place if the article is reloaded while the note is being written.
    target: Target | None = None


@dataclass
class SaveReport:
    """What writing the pending changes said: messages, errors, or "reload first"."""

    messages: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    reload_first: bool = False


@dataclass(frozen=True)
class _Write:
    change: Change
    create: bool  # may an edit bring back an annotation deleted elsewhere?


def file_stat(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)


class ArticleSession:
    """One open article: document, store, shared layers, history, filter, and the rules."""

    def __init__(
        self,
        path: Path,
        doc: Document,
        store: ArticleStore,
        config: Config | None = None,
        layers: list[ResolvedLayer] | None = None,
        source_stat: tuple[int, int] | None = None,
    ) -> None:
        self.path = path  # the article file
        self.doc = doc
        self.store = store
        self.config = config or Config()
        self.color = self.config.default_color  # the colour `a` uses
        self.layers: list[ResolvedLayer] = layers or []
        self.hidden: set[str] = set()  # authors whose layer is not shown
        self.filter = ""
        self.history = History()
        self.source_stat = source_stat  # the article file's (mtime, size) when read
        # Why changes are refused for now (the article was deleted, or cannot be read).
        self.frozen = ""
        self._anchorer = Anchorer(doc.text)
        self.annotations: list[Annotation] = list(store.annotations)
        self.resolutions: dict[str, Resolution] = dict(store.resolutions)
        self._queue: list[_Write] = []
        self._queue_lock = threading.Lock()
        self.save_lock = threading.Lock()  # one writer at a time: saves keep their order

    @classmethod
    def open(
        cls,
        path: Path,
        config: Config | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> ArticleSession:
        """Read an article and its annotations (in any thread). Raises UnreadableFile.
        progress hears how far an e-book's extraction got."""
        stat = file_stat(path)  # before reading: a change during the read is seen later
        doc = Document.load(path, progress)
        store = ArticleStore(path, doc.text, doc.extractor)
        _ = doc.line_starts  # needed for the first screen; paragraphs wait until used
        return cls(path, doc, store, config, source_stat=stat)

    @property
    def text(self) -> str:
        return self.doc.text

    # --- what is where -----------------------------------------------------------
    def _order(self, a: Annotation) -> tuple[int, int, str]:
        r = self.resolutions[a.id]
        return (r.start, r.end, a.id)

    def annotations_at(self, offset: int) -> list[Annotation]:
        """Your annotations (not orphans) whose passage holds offset."""
        out = []
        for a in self.annotations:
            r = self.resolutions[a.id]
            if r.found and r.start <= offset < max(r.end, r.start + 1):
                out.append(a)
        return out

    def annotation_at(self, offset: int) -> Annotation | None:
        """Your annotation under offset, if any."""
        under = self.annotations_at(offset)
        return under[0] if under else None

    def layer_entry_at(self, offset: int) -> Entry | None:
        """A shown colleague's annotation under offset, if any."""
        for rl in self.layers:
            if rl.author in self.hidden:
                continue
            for a in rl.layer.annotations:
                r = rl.resolutions[a.id]
                if r.found and r.start <= offset < r.end:
                    return Entry(a, r, rl.author)
        return None

    def target(self, caret: int, selection: Range | None) -> Range | None:
        """The selection, or the word under the caret when nothing is selected."""
        if selection is not None:
            return selection
        return unit_at(self.doc, caret, "word") if self.doc.text else None

    def find(self, annotation_id: str) -> Resolution | None:
        """Where an annotation (yours or a layer's) resolved, if it is one of them."""
        r = self.resolutions.get(annotation_id)
        for rl in self.layers:
            r = r or rl.resolutions.get(annotation_id)
        return r

    def matches_filter(self, a: Annotation) -> bool:
        """Does the filter (a #tag, a colour, or words of the note or quote) keep a?"""
        f = self.filter.strip().lower()
        if not f:
            return True
        return (
            f.lstrip("#") in (t.lower() for t in a.tags)
            or f == a.color
            or f in a.note.lower()
            or f in a.target.quote.lower()
        )

    def entries(self) -> list[Entry]:
        """The annotations list: yours and shown layers', filtered, in text order."""
        out = [Entry(a, self.resolutions[a.id]) for a in self.annotations if self.matches_filter(a)]
        for rl in self.layers:
            if rl.author not in self.hidden:
                out += [
                    Entry(a, rl.resolutions[a.id], rl.author)
                    for a in rl.layer.annotations
                    if self.matches_filter(a)
                ]
        out.sort(key=lambda e: (e.resolution.start, e.layer))
        return out

    def painted(self) -> tuple[list[Painted], set[int]]:
        """What to draw over the text, and the offsets where a note's passage ends."""
        marks: list[Painted] = []
        note_ends: set[int] = set()
        for a in self.annotations:
            r = self.resolutions[a.id]
            if r.found:
                marks.append(Painted(r.start, r.end, "highlight", a.color))
                if a.note:
                    note_ends.add(r.end)
                    marks.append(Painted(r.start, r.end, "noted"))
        for rl in self.layers:
            if rl.author not in self.hidden:
                marks += [
                    Painted(r.start, r.end, "layer") for r in rl.resolutions.values() if r.found
                ]
        return marks, note_ends

    def status(
        self, caret: int, selection: Range | None, find: tuple[int, int] | None = None
    ) -> StatusLine:
        """The status line: find hit (current, total), selection, line and column,
        percentage; on the right the note or colour under the caret, or the encoding."""
        doc = self.doc
        line, col = doc.line_col(caret)
        total = max(1, len(doc.line_starts))
        pct = 100 * caret // max(1, len(doc.text) - 1) if doc.text else 0
        left = f"[{find[0] + 1}/{find[1]}] " if find and find[1] else ""
        if selection is not None:
            left += f"VISUAL {selection.length} chars · "
        left += f"line {line}/{total} col {col} · {pct}%"
        a = self.annotation_at(caret)
        right = ""
        if a is not None:
            right = ("✎ " + inert_name(" ".join(a.note.split())[:60])) if a.note else f"■ {a.color}"
        elif doc.encoding not in ("utf-8", "utf-8-sig"):
            right = doc.encoding
        return StatusLine(left, right)

    def layer_counts(self) -> list[tuple[str, int]]:
        """(author, number of annotations) of each shared layer."""
        return [(rl.author, len(rl.layer.annotations)) for rl in self.layers]

    def layer_problems(self) -> list[str]:
        return [rl.layer.error for rl in self.layers if rl.layer.error]

    # --- changes ----------------------------------------------------------------
    def _refused(self) -> Outcome | None:
        if self.store.error is not None:
            return Outcome(f"Not saved: {inert_name(str(self.store.error))}", error=True)
        if self.frozen:
            return Outcome(f"Not saved: {self.frozen}", error=True)
        return None

    def _show(self, change: Change) -> None:
        """Apply a change to the session's view (the screen shows it at once)."""
        gone = {x.id for x in (change.before, change.after) if x is not None}
        self.annotations = [x for x in self.annotations if x.id not in gone]
        if change.before is not None:
            self.resolutions.pop(change.before.id, None)
        a = change.after
        if a is not None:  # into its place in text order (not a sort of 10,000)
            self.resolutions[a.id] = self._anchorer.resolve(a.target)
            bisect.insort(self.annotations, a, key=self._order)

    def _make(
        self, change: Change, create: bool, message: str = "", clear: bool = False
    ) -> Outcome:
        self._show(change)
        with self._queue_lock:
            self._queue.append(_Write(change, create))
        return Outcome(message, changed=True, keep=change.annotation_id, clear_selection=clear)

    def _apply(self, change: Change, message: str = "", clear: bool = False) -> Outcome:
        refused = self._refused()
        if refused is not None:
            return refused
        self.history.record(change)
        return self._make(change, create=change.before is None, message=message, clear=clear)

    def _new(
        self, r: Range | Target, note: str = "", tags: Iterable[str] = (), author: str | None = None
    ) -> Annotation:
        return Annotation(
            r if isinstance(r, Target) else make_target(self.text, r.start, r.end),
            color=self.color,
            label=self.config.labels.get(self.color, ""),
            author=self.config.author if author is None else author,
            note=note,
            tags=tuple(dict.fromkeys(tags)),
        )

    def _yours_over(self, r: Range) -> Annotation | None:
        """Your annotation lying over a selection: the same passage first, else one
        that overlaps it."""
        best: Annotation | None = None
        for a in self.annotations:
            res = self.resolutions[a.id]
            if not res.found:
                continue
            if (res.start, res.end) == (r.start, r.end):
                return a
            if best is None and res.start < r.end and r.start < res.end:
                best = a
        return best

    def highlight(self, caret: int, selection: Range | None, color: str | None = None) -> Outcome:
        """Highlight the selection (or the word under the caret) in color (or the current
        colour). On an existing mark of yours, a colour recolours it: never a second mark."""
        if color is not None:
            self.color = color
        if selection is None:
            existing = self.annotation_at(caret)
        else:
            existing = self._yours_over(selection)
            if existing is not None:
                res = self.resolutions[existing.id]
                if (res.start, res.end) != (selection.start, selection.end):
                    existing = None  # a different passage: a mark of its own
        if existing is not None:
            if existing.color == self.color:
                return Outcome("Already highlighted: 1-6 recolour it, x deletes it.")
            label = self.config.labels.get(self.color, "")
            after = existing.edited(color=self.color, label=label)
            # Said, as the digit may have been meant as a count (120G on a mark).
            told = f"Recoloured {existing.color} → {self.color} (u undoes)."
            return self._apply(Change(existing, after, "recolour"), told, clear=True)
        r = self.target(caret, selection)
        if r is None or not self.doc.text[r.start : r.end].strip():
            return Outcome("Nothing to highlight: move the caret onto text or select (v).")
        return self._apply(Change(None, self._new(r), "highlight"), clear=True)

    def add(
        self,
        r: Range,
        *,
        color: str | None = None,
        note: str = "",
        tags: Iterable[str] = (),
        author: str | None = None,
    ) -> Outcome:
        """A new annotation on r, as `reader annotate` makes one (keep = its id)."""
        if color is not None:
            self.color = color
        return self._apply(Change(None, self._new(r, note, tags, author), "annotate"))

    def _chosen_yours(
        self, caret: int, chosen: Entry | None, layer_under_caret: bool
    ) -> Annotation | Outcome | None:
        """The annotation an action is about: the one chosen in the list, else yours under
        the caret (else a colleague's there, if layer_under_caret). A colleague's is
        read-only: the Outcome says so and offers y."""
        entry = chosen
        if entry is None:
            a = self.annotation_at(caret)
            if a is not None:
                return a
            entry = self.layer_entry_at(caret) if layer_under_caret else None
        if entry is None:
            return None
        if entry.layer:
            return Outcome(f"{entry.layer}'s layer is read-only: y copies this one into yours.")
        return entry.annotation

    def note_draft(
        self, caret: int, selection: Range | None, chosen: Entry | None = None
    ) -> NoteDraft | Outcome:
        """What `c` edits: the note of the annotation chosen, under the caret, or over the
        selection; else a new note on the selection (or the word under the caret)."""
        refused = self._refused()
        if refused is not None:
            return refused
        known = sorted({t for a in self.annotations for t in a.tags})
        if selection is None:
            found = self._chosen_yours(caret, chosen, layer_under_caret=False)
            if isinstance(found, Outcome):
                return found
            existing = found
        else:
            existing = self._yours_over(selection)
        if existing is not None:
            wider = None
            if selection is not None:  # a wider selection widens the one mark
                res = self.resolutions[existing.id]
                lo, hi = min(res.start, selection.start), max(res.end, selection.end)
                wider = make_target(self.text, lo, hi) if (lo, hi) != (res.start, res.end) else None
            quote = (wider or existing.target).quote
            return NoteDraft(quote, existing.note, existing.tags, known, existing, wider)
        r = self.target(caret, selection)
        if r is None or not self.doc.text[r.start : r.end].strip():
            return Outcome("Select text first (v), then press c.")
        target = make_target(self.text, r.start, r.end)
        return NoteDraft(target.quote, "", (), known, None, target)

    def save_note(self, draft: NoteDraft, note: str, tags: Iterable[str]) -> Outcome:
        """Keep what the note editor returned: edit the one mark, or make a new one."""
        tags = tuple(dict.fromkeys(tags))
        if draft.existing is not None:
            a = draft.existing
            changes: dict[str, object] = {"note": note, "tags": tags}
            if draft.target is not None:
                changes["target"] = draft.target
            return self._apply(Change(a, a.edited(**changes), "note"), clear=True)
        assert draft.target is not None
        return self._apply(Change(None, self._new(draft.target, note, tags), "note"), clear=True)

    def delete(self, caret: int, chosen: Entry | None = None) -> Outcome:
        """Delete the annotation chosen in the list or under the caret."""
        found = self._chosen_yours(caret, chosen, layer_under_caret=True)
        if isinstance(found, Outcome):
            return found
        if found is None:
            return Outcome("No annotation here to delete.")
        return self._apply(Change(found, None, "delete"), "Annotation deleted (u to undo).")

    def undo(self) -> Outcome:
        """Undo the last change (applied at once, written in order)."""
        return self._step(undo=True)

    def redo(self) -> Outcome:
        """Make the last undone change again."""
        return self._step(undo=False)

    def _step(self, undo: bool) -> Outcome:
        refused = self._refused()
        if refused is not None:
            return refused
        change = self.history.undo() if undo else self.history.redo()
        if change is None:
            return Outcome("Nothing to undo." if undo else "Nothing to redo.")
        made = change.inverse if undo else change
        return self._make(
            made, create=True, message=f"{'Undid' if undo else 'Redid'} {change.what}."
        )

    def reattach(self, chosen: Entry | None, selection: Range | None) -> Outcome:
        """Attach an orphan (chosen in the list) to the selected passage."""
        if chosen is None or chosen.resolution.status != ORPHAN:
            return Outcome("Highlight an orphan in the annotations pane first.")
        if chosen.layer:
            return Outcome(f"{chosen.layer}'s layer is read-only: y copies this one into yours.")
        if selection is None:
            return Outcome("Select the passage to attach it to (v), then press R.")
        a = chosen.annotation
        new = a.edited(target=make_target(self.text, selection.start, selection.end))
        return self._apply(Change(a, new, "re-attach"), clear=True)

    def copy_from_layer(self, caret: int, chosen: Entry | None = None) -> Outcome:
        """Copy a colleague's annotation (chosen in the list, or under the caret) into yours."""
        entry = chosen if chosen is not None and chosen.layer else self.layer_entry_at(caret)
        if entry is None:
            return Outcome("Choose a shared annotation first (annotations pane, or caret on it).")
        a = entry.annotation
        if any(x.id == a.id or x.same_content(a) for x in self.annotations):
            return Outcome("You already have this annotation.")
        r = entry.resolution
        target = make_target(self.text, r.start, r.end) if r.found else a.target
        return self._apply(
            Change(None, a.edited(target=target), "copy from layer"),
            f"Copied {entry.layer}'s annotation into yours.",
        )

    def set_filter(self, text: str) -> None:
        self.filter = text

    def set_hidden(self, hidden: set[str]) -> None:
        self.hidden = set(hidden)

    # --- saving (off the UI thread) ------------------------------------------
    @property
    def pending(self) -> int:
        """How many changes wait to be written."""
        with self._queue_lock:
            return len(self._queue)

    def source_state(self) -> str:
        """SAME, CHANGED or DELETED: is the article on disk still the text shown?"""
        now = file_stat(self.path)
        if now is None:
            return DELETED if not self.path.exists() else SAME
        return SAME if now == self.source_stat else CHANGED

    def save_pending(self) -> SaveReport:
        """Write the pending changes in order (in any thread; one writer at a time).

        Nothing is written when the article changed on disk since it was read: the
        sidecar would record a hash of text that no longer exists. The report says to
        reload first; the changes stay pending for the reloaded session.
        """
        report = SaveReport()
        with self.save_lock:
            if self.source_state() == CHANGED:
                report.reload_first = True
                return report
            while True:
                with self._queue_lock:
                    if not self._queue:
                        break
                    w = self._queue[0]
                self._write(w, report)
                with self._queue_lock:
                    self._queue.pop(0)
        return report

    def save_now(self) -> SaveReport:
        """Write the pending changes, reading the article again first if it changed on
        disk (on quitting, or for an article no longer on screen: nothing is left behind)."""
        session, report = self, self.save_pending()
        for _ in range(3):  # an article rewritten again meanwhile is read once more
            if not report.reload_first:
                return report
            try:
                new = ArticleSession.open(session.path, session.config)
            except UnreadableFile as err:
                shown = inert_name(str(session.path))
                return SaveReport(errors=[f"Not saved: {shown} cannot be read again: {err}"])
            new.take_over(session)
            session, report = new, new.save_pending()
        shown = inert_name(str(session.path))
        return SaveReport(errors=[f"Not saved: {shown} keeps changing on disk"])

    def _write(self, w: _Write, report: SaveReport) -> None:
        store, c = self.store, w.change
        try:
            if c.after is None:
                assert c.before is not None
                store.delete(c.before.id)
            else:
                store.put(c.after, create=w.create)
        except SidecarError as err:
            report.errors.append(f"Not saved: {inert_name(str(err))}")
            return
        except OSError as err:
            shown = inert_name(str(store.path))
            report.errors.append(f"Not saved: cannot write {shown}: {err.strerror or err}")
            return
        if store.message:
            report.messages.append(inert_name(store.message))

    def sync(self) -> bool:
        """Show what the sidecar holds now (changes from other windows, failed saves
        undone), once nothing waits to be written. True if the view was replaced."""
        if not self.save_lock.acquire(blocking=False):
            return False  # a save is running: its end syncs
        try:
            with self._queue_lock:
                if self._queue:
                    return False
            annotations, resolutions = list(self.store.annotations), dict(self.store.resolutions)
            if (annotations, resolutions) == (self.annotations, self.resolutions):
                return False
            self.annotations, self.resolutions = annotations, resolutions
            return True
        finally:
            self.save_lock.release()

    # --- the article changed on disk ----------------------------------------------
    def take_over(self, old: ArticleSession) -> int:
        """Become the reloaded version of old: keep its history, filter, hidden layers,
        colour and unsaved changes (re-anchored here). Returns how many of old's
        placed annotations are orphans in the new text."""
        self.history = old.history
        self.filter, self.hidden, self.color = old.filter, set(old.hidden), old.color
        with old._queue_lock:
            pending, old._queue = old._queue, []
        for w in pending:
            self._show(w.change)
        with self._queue_lock:
            self._queue = pending + self._queue
        lost = 0
        for a in old.annotations:
            before, now = old.resolutions[a.id], self.resolutions.get(a.id)
            if before.found and now is not None and not now.found:
                lost += 1
        return lost

    def carry_offset(self, old_text: str, offset: int) -> int:
        """The offset in this text of what was at offset in old_text (the caret, the top
        of the screen), else as far through the text as it was."""
        if old_text[:offset] == self.text[:offset] or not self.text:
            return min(offset, max(0, len(self.text) - 1))
        end = min(len(old_text), offset + 40)
        if end > offset and old_text[offset:end].strip():
            r = self._anchorer.resolve(make_target(old_text, offset, end))
            if r.found:
                return r.start
        return min(len(self.text) - 1, offset * len(self.text) // max(1, len(old_text)))
