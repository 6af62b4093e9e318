"""ReaderApp: the Textual application (thin; the main screen does the work)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App
from textual.binding import Binding
from textual.css.query import NoMatches
from textual.notifications import Notification, Notify
from textual.worker import Worker, WorkerState

from reader import __version__
from reader.core.config import load_config
from reader.core.inert import inert_name
from reader.core.library import Article, Library, scan
from reader.core.seeds import seeds_dir
from reader.ui.indexing import IndexKeeper
from reader.ui.messages import Messages
from reader.ui.screens.main import MainScreen

if TYPE_CHECKING:
    from collections.abc import Mapping

    from textual.actions import ActionParseResult
    from textual.command import Provider
    from textual.dom import DOMNode
    from textual.message_pump import MessagePump
    from textual.notifications import SeverityLevel

    from reader.core.formats.ahead import FirstLook


class ReaderApp(App[None]):
    CSS_PATH = "reader.tcss"
    COMMANDS = App.COMMANDS | {lambda: _article_provider()}
    TITLE = "reader"
    BINDINGS = [
        Binding("q", "quit", "Quit", id="reader.quit"),
        Binding("question_mark", "help", "Help", id="reader.help"),
    ]

    def __init__(self, library: Library, first_look: FirstLook | None = None) -> None:
        super().__init__()
        self.library = library
        self.first_look = first_look  # a lone book's first look, extracted meanwhile
        self.indexer = IndexKeeper(self, library)  # the library's search index
        self.config = load_config()
        self.messages = Messages()
        # Before the first frame, so it is drawn once, in the user's theme and keys.
        if self.config.theme in self.available_themes:
            self.theme = self.config.theme
        if self.config.keys:
            self.set_keymap(self.config.keys)

    def on_mount(self) -> None:
        self.call_after_refresh(_collect_from_now_on)
        self.call_after_refresh(self._tell_settings_problems)  # the keys' module loads later
        _quit_on_hangup(self, True)

    def on_unmount(self) -> None:
        _quit_on_hangup(self, False)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Show a message, as App.notify does; one saying the same that is still showing is
        replaced by it (one row, its time starting again), not stacked under it."""
        if timeout is None:
            timeout = self.NOTIFICATION_TIMEOUT
        notification = Notification(message, title, severity, timeout, markup=markup)
        self.messages.showing(notification)
        self.post_message(Notify(notification))

    def _tell_settings_problems(self) -> None:
        from reader.ui.keys import settings_problems

        problems = [*self.config.problems, *settings_problems(self, self.config)]
        if problems:
            self.notify("\n".join(problems), severity="warning", markup=False, timeout=15)

    def get_default_screen(self) -> MainScreen:
        # The main screen is the first screen: no blank default screen to draw and replace.
        return MainScreen(self.library, self.indexer, self.first_look)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # The app's own workers (indexing) report failures here; screens report theirs.
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            error = inert_name(str(event.worker.error))
            self.notify(
                f"{event.worker.description} failed: {error}", severity="error", markup=False
            )

    crash_log: Path | None = None
    """Where the traceback of an unexpected error was written, if there was one."""
    crash: BaseException | None = None
    """The unexpected error shown on the error screen, if there was one."""

    async def run_action(
        self,
        action: str | ActionParseResult,
        default_namespace: DOMNode | None = None,
        namespaces: Mapping[str, DOMNode] | None = None,
    ) -> bool:
        # Key bindings run in the app's own message loop, which Textual stops on an error.
        # Catching here keeps the loop alive, so the error screen can be shown.
        try:
            return await super().run_action(action, default_namespace, namespaces)
        except Exception as error:
            self.show_error(error)
            return True

    def _handle_exception(self, error: Exception) -> None:
        # Textual's hook for errors in handlers, workers and timers. If the app's own loop
        # failed (or the error screen did) nothing more can be drawn: Textual restores the
        # terminal and prints the traceback; the log is kept all the same.
        if isinstance(error, NoMatches) and (self._exit or not self.is_running):
            # The app is closing (a browser tab closed while `reader serve` was starting
            # it): the screen's widgets are already gone, and so is the user.
            return
        if self.crash is not None or _failing_pump() is self:
            if self.crash_log is None:
                self.crash_log = write_crash_log(error)
            super()._handle_exception(error)
        else:
            self.show_error(error)

    def show_error(self, error: BaseException) -> None:
        """Log an unexpected error and show the error screen; reader closes from there."""
        if self.crash is not None:
            return
        self.crash = error
        self.crash_log = write_crash_log(error)
        from reader.ui.screens.error import ErrorScreen

        self.push_screen(ErrorScreen(error, self.crash_log))

    def action_quit_after_error(self) -> None:
        self.exit(return_code=1)

    def open_article(self, article: Article) -> None:
        screen = self.screen
        if isinstance(screen, MainScreen):
            screen.open_article(article)

    def action_help(self) -> None:
        from reader.ui.keys import help_sections
        from reader.ui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(help_sections(self)))


def _collect_from_now_on() -> None:
    import gc

    if not gc.isenabled():  # turned off for start-up by the command line (cli.run_app)
        gc.freeze()  # what start-up made lives as long as the app: never scan it again
        gc.enable()


def _article_provider() -> type[Provider]:
    from reader.ui.commands import ArticleProvider  # loaded when the palette first opens

    return ArticleProvider


def _failing_pump() -> MessagePump | None:
    try:
        from textual._context import active_message_pump  # private; absent means "unknown"
    except ImportError:
        return None
    return active_message_pump.get(None)


def write_crash_log(error: BaseException) -> Path | None:
    import traceback
    from datetime import datetime

    from reader.core.paths import state_dir

    path = state_dir() / f"crash-{datetime.now():%Y%m%d-%H%M%S}.log"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(traceback.format_exception(error)), "utf-8")
    except OSError:
        return None
    return path


def _quit_on_hangup(app: ReaderApp, on: bool) -> None:
    """A closed terminal window (SIGHUP) or a polite kill (SIGTERM) quits as q does, so the
    reading position and any change still waiting to be written are kept: by default
    either ends the process on the spot."""
    import asyncio
    import signal

    loop = asyncio.get_running_loop()
    for name in ("SIGHUP", "SIGTERM"):
        sig = getattr(signal, name, None)
        if sig is None:
            continue
        try:
            if on:
                loop.add_signal_handler(sig, app.exit)
            else:
                loop.remove_signal_handler(sig)
        except (NotImplementedError, RuntimeError, ValueError):
            pass  # (no such handlers on Windows, nor off the main thread)


def make_app(paths: list[Path] | None = None, first_look: FirstLook | None = None) -> ReaderApp:
    if not paths:
        cfg = load_config()
        paths = [Path(p).expanduser() for p in cfg.library] or [seeds_dir()]
    # (pages' and books' titles: after the first frame)
    return ReaderApp(scan(paths, later=True), first_look)


__all__ = ["ReaderApp", "make_app", "__version__"]
