"""The open article's files, handled off the UI thread for the main screen.

Reading its shared layers (one matcher for all their annotations), writing its sidecar
(in order, one writer per article), exporting its digest, and watching the article on
disk: a cheap size-and-time poll every second (no watcher library: one file, one
`os.stat`), a reload when it changed, a message when it was deleted. The rules (what to
re-anchor, when a save must wait for a reload) are the ArticleSession's.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from reader.core.inert import inert_name
from reader.core.library import HEAD_BYTES, title_from
from reader.core.text import UnreadableFile

if TYPE_CHECKING:
    from reader.core.session import ArticleSession, ResolvedLayer, SaveReport
    from reader.ui.screens.main import MainScreen

# How often the open article's size and time are compared with the text shown.
WATCH_SECONDS = 1.0


class ArticleFiles:
    """The main screen's worker threads for the open article's files."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self._unreadable: tuple[int, int] | None = None  # file state a reload failed on
        self._saving: dict[str, ArticleSession] = {}  # the last session saved per article

    def _run(self, job: Callable[[], None], group: str, description: str) -> None:
        self.screen.run_worker(
            job,
            thread=True,
            exclusive=True,
            group=group,
            exit_on_error=False,
            description=description,
        )

    def _back(self, callback: Callable[..., None], *args: Any) -> None:
        """Run callback on the UI thread (from a worker)."""
        self.screen.app.call_from_thread(callback, *args)

    # --- shared layers -----------------------------------------------------------
    def read_layers(self, session: ArticleSession) -> None:
        """Find and resolve the article's shared layers, then show them."""
        self._run(partial(self._read_layers, session), "layers", "Reading shared layers")

    def _read_layers(self, session: ArticleSession) -> None:
        from reader.core.session import load_layers

        layers = load_layers(session.path, self.screen.library.roots, session.text)
        self._back(self._layers_read, session, layers)

    def _layers_read(self, session: ArticleSession, layers: list[ResolvedLayer]) -> None:
        session.layers = layers
        for problem in session.layer_problems():
            self.screen.notify(
                f"Shared layer not shown: {problem}", severity="warning", markup=False, timeout=10
            )
        if session is self.screen.session and layers:
            self.screen.redraw(self.screen.kept())
            self.screen.opener.go_to_target(None)  # an annotation asked for may be in a layer

    # --- saving and exporting ----------------------------------------------------------
    def save(self, session: ArticleSession) -> None:
        """Write the session's pending changes. One group per article: a newer save
        replaces a waiting one, and whichever runs writes every pending change in order."""
        self._saving[str(session.path)] = session
        self._run(partial(self._save, session), f"save {session.path}", "Saving annotations")

    def _save(self, session: ArticleSession) -> None:
        # An article no longer on screen that changed on disk is read again here.
        current = session is self.screen.session
        self._back(self._saved, session, session.save_pending() if current else session.save_now())

    def _saved(self, session: ArticleSession, report: SaveReport) -> None:
        for message in report.messages:
            self.screen.tell(message)
        for error in report.errors:
            self.screen.tell(error, error=True)
        if report.reload_first and session is not self.screen.session:
            self.save(session)  # no longer on screen: read again and saved in the thread
        elif session is not self.screen.session:
            return
        elif report.reload_first:
            self.reload(session)
        elif session.sync():  # the sidecar as it is: a save failed, or another window wrote
            self.screen.redraw(self.screen.kept())

    def flush(self) -> None:
        """Write what still waits, now (the app is closing: a waiting worker never runs)."""
        for session in self._saving.values():
            if session.pending:
                session.save_now()

    def export(self, session: ArticleSession, title: str) -> None:
        """Write the Markdown digest once the pending changes are saved."""
        self.screen.run_worker(
            partial(self._export, session, title),
            thread=True,
            group="export",
            exit_on_error=False,
            description="Exporting",
        )

    def _export(self, session: ArticleSession, title: str) -> None:
        from reader.core.export import write_digest

        report = session.save_pending()  # the digest holds every change made so far
        for error in report.errors:
            self._back(self.screen.tell, error, True)
        try:
            with session.save_lock:  # no save changes the annotations while they are written
                # The colleagues' layers shown, as `reader export --format md` gives them.
                layers = [rl for rl in session.layers if rl.author not in session.hidden]
                target = write_digest(session.path, title, session.text, session.store, layers)
                n = len(session.store.annotations)
        except OSError as err:
            self._back(self.screen.tell, f"Cannot export: {inert_name(str(err))}", True)
            return
        self._back(self.screen.tell, f"Exported {n} annotation(s) to {inert_name(str(target))}")

    # --- the article on disk ---------------------------------------------------------
    def watch(self) -> None:
        """Compare the open article on disk with the text shown (every WATCH_SECONDS)."""
        session = self.screen.session
        if session is None:
            return
        from reader.core.session import CHANGED, DELETED, file_stat

        state = session.source_state()
        if state == CHANGED and file_stat(session.path) != self._unreadable:
            self.reload(session)
        elif state == DELETED and not session.frozen:
            name = inert_name(session.path.name)
            session.frozen = f"{name} was deleted; its annotations are kept as they are."
            self.screen.tell(
                f"{name} was deleted: its text stays on screen, its annotations are kept.", True
            )

    def reload(self, old: ArticleSession) -> None:
        """Read the article again after it changed on disk (its saves wait meanwhile)."""
        self._run(partial(self._reload, old), f"reload {old.path}", "Reloading article")

    def _reload(self, old: ArticleSession) -> None:
        with old.save_lock:  # no save lands between reading the sidecar and taking over
            new = self._read_again(old)
        self._back(self._reloaded, old, new)

    def _read_again(self, old: ArticleSession) -> ArticleSession | str:
        from reader.core.session import ArticleSession, load_layers

        try:
            new = ArticleSession.open(old.path, old.config)
        except UnreadableFile as err:
            return str(err)
        new.layers = load_layers(new.path, self.screen.library.roots, new.text)
        return new

    def _reloaded(self, old: ArticleSession, new: ArticleSession | str) -> None:
        screen, name = self.screen, inert_name(old.path.name)
        if old is not screen.session:
            return
        if isinstance(new, str):
            from reader.core.session import file_stat

            self._unreadable = file_stat(old.path)
            old.frozen = f"{name} changed on disk and cannot be read again: {new}"
            screen.tell(old.frozen, error=True)
            return
        self._unreadable = None
        lost = new.take_over(old)
        pane = screen.pane
        caret, top = (
            new.carry_offset(old.text, pane.caret),
            new.carry_offset(old.text, pane.top_offset),
        )
        screen.session = new
        pane.show(new.doc, top_offset=top, caret=caret)
        if screen.article is not None and new.source_stat is not None:
            # Its title and size in the library, and the pane's border, follow the text.
            screen.article.title = title_from(new.text[:HEAD_BYTES], new.path)
            screen.article.size = new.source_stat[1]
            screen.library_list.update_count(screen.article)
            screen.opener.title(screen.article)
        screen.redraw(screen.kept())
        lost_note = f"; {lost} annotation(s) no longer found (see Orphans)" if lost else ""
        screen.tell(f"{name} changed on disk and was reloaded{lost_note}.", error=bool(lost))
        if new.pending:
            self.save(new)
