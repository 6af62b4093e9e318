"""ReaderApp: the Textual application (thin; the main screen does the work)."""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.binding import Binding

from reader import __version__
from reader.core.config import load_config
from reader.core.library import Article, Library, scan
from reader.core.seeds import seeds_dir
from reader.ui.commands import ArticleProvider
from reader.ui.screens.help import HelpScreen
from reader.ui.screens.main import MainScreen
from reader.ui.widgets.annotation_list import AnnotationList
from reader.ui.widgets.library_list import LibraryList
from reader.ui.widgets.reading_pane import ReadingPane


class ReaderApp(App[None]):
    CSS_PATH = "reader.tcss"
    COMMANDS = App.COMMANDS | {ArticleProvider}
    TITLE = "reader"
    BINDINGS = [
        Binding("q", "quit", "Quit", id="reader.quit"),
        Binding("question_mark", "help", "Help", id="reader.help"),
    ]

    def __init__(self, library: Library) -> None:
        super().__init__()
        self.library = library
        self.config = load_config()

    def on_mount(self) -> None:
        if self.config.theme in self.available_themes:
            self.theme = self.config.theme
        if self.config.keys:
            self.set_keymap(self.config.keys)
        if self.config.problem:
            self.notify(self.config.problem, severity="warning", markup=False, timeout=10)
        self.push_screen(MainScreen(self.library))

    def open_article(self, article: Article) -> None:
        screen = self.screen
        if isinstance(screen, MainScreen):
            screen.open_article(article)

    def action_help(self) -> None:
        sections = [
            ("Reading", [b for b in ReadingPane.BINDINGS if isinstance(b, Binding)]),
            ("Annotating and finding", [b for b in MainScreen.BINDINGS if isinstance(b, Binding)]),
            ("Library", [b for b in LibraryList.BINDINGS if isinstance(b, Binding)]),
            ("Annotations pane", [b for b in AnnotationList.BINDINGS if isinstance(b, Binding)]),
            (
                "App",
                [b for b in self.BINDINGS if isinstance(b, Binding)]
                + [Binding("tab", "", "Next pane"), Binding("ctrl+p", "", "Command palette")],
            ),
        ]
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(sections))


def make_app(paths: list[Path] | None = None) -> ReaderApp:
    if not paths:
        cfg = load_config()
        paths = [Path(p).expanduser() for p in cfg.library] or [seeds_dir()]
    return ReaderApp(scan(paths))


__all__ = ["ReaderApp", "make_app", "__version__"]
