"""Read an article in another encoding when the guess was wrong (ctrl+e).

The choice is written as `encoding = ` in the [source] table of the article's annotation
file (atomically, through its store), so it is kept between runs; the article is then read
again that way and the status line names the encoding.
"""

from __future__ import annotations

import codecs
from functools import partial
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reader.core.inert import inert_name
from reader.core.text import display_name

if TYPE_CHECKING:
    from reader.core.library import Article
    from reader.core.session import ArticleSession
    from reader.ui.screens.main import MainScreen

# What the user can choose: Python codec names, shown by the names people know them by.
ENCODINGS = (
    "utf-8",
    "gb18030",
    "gbk",
    "big5",
    "shift_jis",
    "euc_jp",
    "euc_kr",
    "cp1250",
    "cp1251",
    "cp1252",
    "cp1253",
    "cp1254",
    "cp1256",
    "koi8_r",
    "latin-1",
)


def _label(codec: str) -> str:
    return "UTF-8" if codec == "utf-8" else display_name(codec)


def _codec(name: str) -> str:
    """Python's own name of an encoding ("Windows-1251" -> "cp1251"), or name."""
    try:
        return codecs.lookup(name).name
    except LookupError:
        return name


class EncodingScreen(ModalScreen[str | None]):
    """A list of encodings: enter chooses one, esc closes. Dismisses with a codec name."""

    BINDINGS = [Binding("escape", "close", "Close", id="reader.encoding.close")]
    DEFAULT_CSS = """
    EncodingScreen { align: center middle; }
    EncodingScreen > Vertical {
        width: 44; height: auto; max-height: 80%; border: round $primary;
        background: $surface; padding: 0 1;
    }
    EncodingScreen OptionList { height: auto; max-height: 20; }
    """

    def __init__(self, current: str) -> None:
        super().__init__()
        self.current = current  # the encoding the article is read in now

    def compose(self) -> ComposeResult:
        with Vertical() as v:
            v.border_title = "Read this article as (enter: choose, esc: close)"
            yield OptionList(*[Option(_label(codec), id=codec) for codec in ENCODINGS])

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        now = _codec(self.current)
        names = [_codec(codec) for codec in ENCODINGS]
        if now in names:
            options.highlighted = names.index(now)
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_close(self) -> None:
        self.dismiss(None)


def choose_encoding(screen: MainScreen) -> None:
    """Ask for an encoding for the open article, keep it, and read the article again."""
    session, article = screen.session, screen.article
    if session is None or article is None:
        screen.tell("Open an article first: its encoding is then chosen with ctrl+e.")
        return
    if session.doc.format == "epub":
        screen.tell("An e-book says its own encoding; it cannot be changed.")
        return

    def chosen(codec: str | None) -> None:
        if codec is not None and screen.session is session:
            job = partial(_keep, screen, session, article, codec)
            screen.run_worker(job, thread=True, exit_on_error=False, description="Encoding")

    screen.app.push_screen(EncodingScreen(session.doc.encoding), chosen)


def _keep(screen: MainScreen, session: ArticleSession, article: Article, codec: str) -> None:
    """In a worker: write pending annotations, then the choice, under the sidecar's lock."""
    from reader.core.store import SidecarError

    errors = session.save_now().errors
    if not errors:
        try:
            session.store.set_encoding(codec)
        except SidecarError as err:
            errors = [f"Encoding not changed: {err}"]
        except OSError as err:
            errors = [f"Encoding not changed: cannot write {session.store.path}: {err.strerror}"]
    screen.app.call_from_thread(_reopen, screen, article, codec, errors)


def _reopen(screen: MainScreen, article: Article, codec: str, errors: list[str]) -> None:
    if errors:
        screen.tell(inert_name("; ".join(errors)), error=True)
        return
    screen.tell(f"{inert_name(article.path.name)} is now read as {display_name(codec)}.")
    screen.open_article(article, focus=True)
