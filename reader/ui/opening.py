"""Opening an article on the main screen, and where to put the caret once it shows.

A small article is read at once, so the very first frame shows it; a big one in a thread,
after a preview of its first lines when it is very big. Reading positions are kept per
article between runs. The opener owns that state (which article was asked for last,
where to go in it, whether a preview shows); the screen owns what is shown.
"""

from __future__ import annotations

import threading
from functools import partial
from typing import TYPE_CHECKING

from textual.content import Content

from reader.core.document import Document, Range
from reader.core.formats import needs_extraction
from reader.core.inert import inert_name
from reader.core.positions import Positions
from reader.core.text import read_preview

if TYPE_CHECKING:
    from reader.core.library import Article
    from reader.core.session import ArticleSession
    from reader.ui.screens.main import MainScreen

# Files up to this size are read on the spot (unless they need extracting); bigger ones
# in a worker thread.
SMALL_FILE = 256 * 1024
# Files bigger than four times this show a preview of their first lines at once.
PREVIEW_BYTES = 256 * 1024


class ArticleOpener:
    """Reads articles for the main screen and shows them where the reader left off."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self.positions = Positions()
        self._goto: tuple[Range | None, str] = (None, "")  # a find mark, an annotation id
        self._preview_of: Article | None = None
        self._opening: Article | None = None  # the article asked for last

    def open_first(self) -> None:
        """Open the article read last, if it is in this library; else the first one."""
        library, pane = self.screen.library, self.screen.pane
        readable = [a for a in library.articles if a.problem is None]
        last = self.positions.last
        first = next((a for a in readable if str(a.path.resolve()) == last), None)
        first = first or next(iter(readable), None)
        if first is not None:
            self.screen.open_article(first, focus=len(library.articles) == 1)
        elif library.articles:
            pane.empty_message = "No article here can be opened as text."
        else:
            pane.empty_message = "No articles found."

    def open(
        self, article: Article, focus: bool, at: int | None, goto: tuple[Range | None, str]
    ) -> None:
        """Read an article and show it; goto is a passage to mark or an annotation id."""
        self.remember_position()
        self._opening, self._goto, self._preview_of = article, goto, None
        if article.size <= SMALL_FILE and not needs_extraction(article.path):
            # Reading a small file costs less than handing it to a thread and back; not so
            # extracting a web page or e-book the first time (~1 s for even a small page).
            self.loaded(article, self.screen._read(article), focus, at)
            return
        drawn = threading.Event()
        # A very big file: its first lines are read here, so the very next frame shows
        # them; the whole of it is read in a thread once that frame is drawn.
        big = article.size > 4 * PREVIEW_BYTES
        preview = read_preview(article.path, PREVIEW_BYTES) if big else None
        if preview is not None and self._show_preview(
            article, Document(preview.text, article.path), at
        ):
            self.screen.call_after_refresh(drawn.set)
        else:
            drawn.set()  # no preview shown: nothing to wait for
        job = partial(self._load, article, focus, at, drawn)
        self.screen.run_worker(
            job,
            thread=True,
            exclusive=True,
            group="open",
            exit_on_error=False,
            description="Opening article",
        )

    def _load(self, article: Article, focus: bool, at: int | None, drawn: threading.Event) -> None:
        drawn.wait(timeout=1.0)  # let the preview reach the screen before the big read
        self.screen.app.call_from_thread(
            self.loaded, article, self.screen._read(article), focus, at
        )

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
        else:
            self._show(article, loaded, focus, at)

    def _show_preview(self, article: Article, preview: Document, at: int | None) -> bool:
        top = self.positions.get(article.path) if at is None else at
        if top >= len(preview.text):
            return False  # the reading position is further on: wait for the whole text
        screen = self.screen
        screen.article, screen.session, self._preview_of = article, None, article
        screen.pane.show(preview, top_offset=top, caret=at)
        self.title(article)
        screen.pane.focus()
        return True

    def _show(self, article: Article, session: ArticleSession, focus: bool, at: int | None) -> None:
        screen, pane = self.screen, self.screen.pane
        if self._preview_of is article and pane.doc.text:
            # Keep where the reader got to in the preview: its offsets are the text's.
            at, caret = pane.top_offset, pane.caret
            self.positions.set(article.path, at)
            at = None if at == 0 and caret == 0 else at
        self._preview_of, screen.article, screen.session = None, article, session
        screen.library_list.select_article(article)
        doc, name = session.doc, inert_name(article.path.name)
        pane.show(
            doc,
            top_offset=min(self.positions.get(article.path) if at is None else at, len(doc.text)),
            caret=at,
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
        if focus:
            pane.focus()
        self.title(article)
        screen.files.read_layers(session)

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

    def remember_position(self) -> None:
        """Keep the open article's reading position (the offset at the top of the pane)."""
        article = self.screen.article
        if article is not None and self.screen.pane.doc.text:
            self.positions.set(article.path, self.screen.pane.top_offset)
