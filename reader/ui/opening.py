"""Opening an article on the main screen, and where to put the caret once it shows.

A small article is read at once, so the very first frame shows it; a big one in a thread,
after a preview of its first lines when it is very big. A web page or e-book not yet
extracted is extracted in the thread too; meanwhile the pane shows an e-book's first
chapters, a web page's raw text (a sketch), or that its text is being extracted, and
nothing is annotated until the whole text is there: offsets count in that text.
Reading positions are kept per article between runs. The opener owns that state (which
article was asked for last, where to go in it, whether a preview shows); the screen owns
what is shown.
"""

from __future__ import annotations

import threading
import time
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual.content import Content

from reader.core.config import load_config
from reader.core.document import Document, Range
from reader.core.formats import Progress, format_of, needs_extraction, sketch
from reader.core.inert import inert_name
from reader.core.positions import Positions
from reader.core.text import PREVIEW_BYTES, LoadedText, UnreadableFile, read_preview

if TYPE_CHECKING:
    from reader.core.formats.ahead import FirstLook
    from reader.core.library import Article
    from reader.core.session import ArticleSession
    from reader.ui.screens.main import MainScreen

# Files up to this size are read on the spot (unless they need extracting); bigger ones
# in a worker thread.
SMALL_FILE = 256 * 1024
# A web page being extracted shows the raw text of this much of its start meanwhile.
SKETCH_BYTES = 128 * 1024
# How often the status line hears how far an extraction got.
PROGRESS_SECONDS = 0.2


def read_session(path: Path, progress: Progress | None = None) -> ArticleSession | str:
    """Read an article and its annotations (in any thread); a str says why not."""
    from reader.core.session import ArticleSession  # (after a book's first look shows)

    try:
        return ArticleSession.open(path, load_config(), progress)
    except UnreadableFile as err:
        return str(err)


class ArticleOpener:
    """Reads articles for the main screen and shows them where the reader left off."""

    def __init__(self, screen: MainScreen, first_look: FirstLook | None = None) -> None:
        self.screen = screen
        self._first_look = first_look  # a book's first look, extracted while the app started
        self.positions = Positions()
        self._goto: tuple[Range | None, str] = (None, "")  # a find mark, an annotation id
        self._preview_of: Article | None = None  # its first look shows, not its text
        self._sketch = False  # that first look is not a prefix of the text (a web page's)
        self._progress = ""  # how far the extraction of what shows got
        self._opening: Article | None = None  # the article asked for last
        self._picked: Article | None = None  # opened at start-up, not chosen by the reader

    def open_first(self) -> None:
        """Open the article read last, if it is in this library; else the first one."""
        library, pane = self.screen.library, self.screen.pane
        readable = [a for a in library.articles if a.problem is None]
        last, key = self.positions.last, self.positions.key
        first = next((a for a in readable if last and key(a.path) == last), None)
        first = first or next(iter(readable), None)
        if first is not None:
            self._picked = first
            self.screen.open_article(first, focus=len(library.articles) == 1)
        elif library.articles:
            # Said here too: at 80 columns the library, which lists each reason, is folded.
            a = library.articles[0]
            why = f"{inert_name(a.path.name)}: {a.problem}"
            more = (
                f" (and {len(library.articles) - 1} more: F2 lists them)"
                if len(library.articles) > 1
                else ""
            )
            pane.empty_message = f"No article here can be opened as text. {why}{more}"
        else:
            pane.empty_message = "No articles found."

    def open(
        self, article: Article, focus: bool, at: int | None, goto: tuple[Range | None, str]
    ) -> None:
        """Read an article and show it; goto is a passage to mark or an annotation id."""
        self.remember_position()
        if article is not self._picked:
            self._picked = None  # the reader chose
        self._opening, self._goto, self._preview_of = article, goto, None
        self._sketch, self._progress = False, ""
        if article.size <= SMALL_FILE and not needs_extraction(article.path):
            # Reading a small file costs less than handing it to a thread and back; not so
            # extracting a web page or e-book the first time (~1 s for even a small page).
            self.loaded(article, read_session(article.path), focus, at)
            return
        drawn = threading.Event()
        # A very big file: its first lines are read here, so the very next frame shows
        # them; the whole of it is read in a thread once that frame is drawn.
        big = article.size > 4 * PREVIEW_BYTES
        preview = self._preview(article) if big else None
        shown = preview is not None and self._show_preview(
            article, Document(preview.text, article.path), at
        )
        extracted = format_of(article.path) in ("html", "epub")
        if extracted and not shown:
            self._show_extracting(article)
        if shown or extracted:
            self.screen.call_after_refresh(drawn.set)
        else:
            drawn.set()  # no preview shown: nothing to wait for
        want_sketch = extracted and not shown and format_of(article.path) == "html"
        job = partial(self._load, article, focus, at, drawn, want_sketch)
        self.screen.run_worker(
            job,
            thread=True,
            exclusive=True,
            group="open",
            exit_on_error=False,
            description="Opening article",
        )

    def _load(
        self,
        article: Article,
        focus: bool,
        at: int | None,
        drawn: threading.Event,
        want_sketch: bool,
    ) -> None:
        drawn.wait(timeout=1.0)  # let the preview reach the screen before the big read
        back = self.screen.app.call_from_thread
        if want_sketch and needs_extraction(article.path):
            text = sketch(article.path, SKETCH_BYTES)
            if text is not None:
                back(self._show_sketch, article, text)
        told = 0.0

        def progress(done: int, total: int) -> None:
            nonlocal told
            if time.monotonic() - told >= PROGRESS_SECONDS:
                told = time.monotonic()
                back(self._extracting, article, f"{done}/{total} chapters")

        back(self.loaded, article, read_session(article.path, progress), focus, at)

    def loaded(
        self, article: Article, loaded: ArticleSession | str, focus: bool, at: int | None
    ) -> None:
        """Show an article read (unless another one was asked for meanwhile)."""
        if article is not self._opening:
            return
        if isinstance(loaded, str):
            article.problem = loaded
            self.screen.library_list.update_count(article)
            self.screen.tell(f"Cannot open {inert_name(str(article.path))}: {loaded}", True)
            picked, self._picked = self._picked, None
            if picked is article and any(a.problem is None for a in self.screen.library.articles):
                self._preview_of = None  # (a page or book not listed yet): the next one opens
                self.open_first()
                return
            if self._preview_of is article:  # its first look goes: there is no text after it
                self._preview_of, self._sketch, self.screen.article = None, False, None
                self.screen.pane.show(Document("", article.path))
                self.screen.pane.empty_message = f"Cannot open {inert_name(article.path.name)}."
        else:
            self._show(article, loaded, focus, at)

    def _preview(self, article: Article) -> LoadedText | None:
        """A very big article's first lines (a book's, extracted ahead when it was)."""
        ahead, self._first_look = self._first_look, None
        text = ahead.take(article.path) if ahead is not None else None
        if text is not None:
            return LoadedText(text, "utf-8")
        return read_preview(article.path, PREVIEW_BYTES)

    def _show_preview(self, article: Article, preview: Document, at: int | None) -> bool:
        top, caret = self.kept(article, at)
        if top >= len(preview.text):
            return False  # the reading position is further on: wait for the whole text
        screen = self.screen
        screen.article, screen.session, self._preview_of = article, None, article
        screen.pane.show(
            preview, top_offset=top, caret=caret if caret < len(preview.text) else None
        )
        self.title(article)
        screen.pane.focus()
        return True

    def _show_extracting(self, article: Article) -> None:
        """The article's name, and that its text is being extracted (in the thread)."""
        screen = self.screen
        screen.article, screen.session, self._preview_of = article, None, article
        screen.pane.show(Document("", article.path))
        screen.pane.empty_message = f"Extracting the text of {inert_name(article.path.name)}…"
        self.title(article)

    def _show_sketch(self, article: Article, text: str) -> None:
        """A web page's raw text while it is extracted: read, not annotated."""
        if article is self._opening and self._preview_of is article:
            self.screen.pane.show(Document(text, article.path))
            self._sketch = True
            self.screen.update_status()

    def _extracting(self, article: Article, progress: str) -> None:
        if article is self._opening and self._preview_of is article:
            self._progress = progress
            self.screen.update_status()

    def waiting(self) -> str:
        """What the status line says while the open article's text is not all there yet."""
        if self._preview_of is None:
            return ""
        if self._sketch:
            what = "a first look at the page: extracting its text"
        elif format_of(self._preview_of.path) in ("html", "epub"):
            got = f" ({self._progress})" if self._progress else ""
            what = f"extracting the text{got}"
        else:
            what = "reading the rest of the file"
        return f"{what} · annotating waits"

    def not_yet(self) -> None:
        """Say why an annotation key does nothing while the text is not all there."""
        if self._preview_of is not None:
            name = inert_name(self._preview_of.path.name)
            self.screen.tell(
                f"Not yet: {name} is still being read. Annotations count in its whole text,"
                " so they wait until it is all there."
            )

    def _show(self, article: Article, session: ArticleSession, focus: bool, at: int | None) -> None:
        screen, pane = self.screen, self.screen.pane
        if self._preview_of is article and pane.doc.text:
            top, caret = pane.top_offset, pane.caret
            if not self._sketch and session.text.startswith(pane.doc.text):
                # Keep where the reader got to in the preview: its offsets are the text's.
                self.positions.set(article.path, top, caret)
                at = None
            elif top or caret:  # moved in a sketch: the same line in the text, if it is there
                at = _same_line(pane.doc.text, top, session.text)
        self._preview_of, self._sketch = None, False
        screen.article, screen.session = article, session
        screen.library_list.select_article(article)
        doc, name = session.doc, inert_name(article.path.name)
        top, caret = self.kept(article, at)
        pane.show(
            doc,
            top_offset=min(top, len(doc.text)),
            caret=min(caret, max(0, len(doc.text) - 1)),
        )
        if not doc.text or doc.text.isspace():
            pane.empty_message = f"{name} is empty."
        for note in doc.notes:
            if note != "empty file":
                screen.tell(f"{name}: {note}")
        if session.store.error is not None:
            screen.tell(
                f"Annotations are read-only until this file is fixed: {session.store.error}", True
            )
        screen.redraw()
        self.go_to_target(at)
        pane.nav.text_arrived()  # an outline open on the first look lists the whole text's
        if focus:
            pane.focus()
        self.title(article)
        # Once the text is drawn: a thread reading layers then takes no time from that frame.
        screen.call_after_refresh(screen.files.read_layers, session)

    def go_to_target(self, at: int | None) -> None:
        """Put the caret where open was asked to (an annotation, a search hit); an
        annotation not found yet may be in a shared layer: asked again once they are read."""
        mark, annotation_id = self._goto
        screen, pane = self.screen, self.screen.pane
        r = screen.session.find(annotation_id) if screen.session and annotation_id else None
        if r is not None and r.found:
            pane.caret = r.start
            screen.notes_list.highlight_annotation(annotation_id)
        elif r is not None:
            screen.tell("That annotation is an orphan: its text was not found.")
        if mark is not None:
            pane.set_find([mark], 0)
        if at is not None or r is not None:
            pane.scroll_to_caret()
        if r is not None or not annotation_id:
            self._goto = (None, "")

    def title(self, article: Article) -> None:
        """Name the article on the reading pane's border and the terminal's title bar."""
        path = self.screen.library.rel(article)
        # Content, not str: a str would be read as markup, and these come from the files.
        self.screen.pane.border_title = Content(article.title if article.title != path else "")
        self.screen.pane.border_subtitle = Content(path)
        self.screen.app.sub_title = path

    def kept(self, article: Article, at: int | None) -> tuple[int, int]:
        """Where to show an article: the offsets at the top of the pane and of the caret,
        at (top and caret there) or as the reader left it (the caret too: the top of the
        pane is the start of a row, often in the middle of a line above the caret's)."""
        if at is not None:
            return at, at
        top = self.positions.get(article.path)
        caret = self.positions.caret(article.path)
        return top, top if caret is None else caret

    def remember_position(self) -> None:
        """Keep the open article's reading position: the offsets at the top of the pane
        and of the caret."""
        article, pane = self.screen.article, self.screen.pane
        if article is not None and pane.doc.text and not self._sketch:
            self.positions.set(article.path, pane.top_offset, pane.caret)


def _same_line(old: str, offset: int, new: str) -> int | None:
    """Where the line holding offset in old text is in new text (a sketch's place in the
    extracted page), when it is long enough to be told apart; None when it is not there."""
    start = old.rfind("\n", 0, offset) + 1
    end = old.find("\n", offset)
    line = old[start : end if end >= 0 else len(old)].strip()
    if len(line) < 20:
        return None
    found = new.find(line)
    return found if found >= 0 else None
