"""Find the articles under the paths a user gives, with their titles."""

from __future__ import annotations

import re
import stat
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from rich.cells import cell_len, set_cell_size

from reader.core.inert import inert_name, make_inert
from reader.core.text import UnreadableFile, decode
from reader.core.walk import MHTML_SUFFIXES, article_paths

HEAD_BYTES = 4096
TITLE_MAX = 80
LIST_AT_ONCE = 64  # a library this small is listed whole before the app's first frame

_FRONT_TITLE = re.compile(r"\A---\s*\n(?:.*\n)*?title:\s*[\"']?(.+?)[\"']?\s*\n(?:.*\n)*?---", re.M)
_ATX = re.compile(r"^[ ]{0,3}#{1,6}[ \t]+(.+?)[ \t#]*$", re.M)
# Lines that start many files but name nothing: licence tags, reST comments and directives,
# rules (====, ----, ..), copyright lines, a shebang or an editor's mode line.
_NOT_A_TITLE = re.compile(
    r"(?:\.\.(?:\s|$)|[=\-~^*#+_.`:]{2,}$|\W*SPDX-License-Identifier|copyright\b|\(c\)|#!|-\*-)",
    re.I,
)


@dataclass
class Article:
    path: Path
    title: str
    size: int
    problem: str | None = None  # why it cannot be opened, shown in the library
    annotation_count: int = 0
    author: str = ""  # from a web page's or e-book's metadata
    listed: bool = True  # False: its title, count and readability are still to be read

    @property
    def name(self) -> str:
        return self.path.name


@dataclass
class Library:
    articles: list[Article]
    problems: list[str]  # paths that could not be used, with the reason
    roots: list[Path]

    @cached_property
    def _folders(self) -> list[Path]:
        return [root for root in self.roots if root.is_dir()]

    def rel(self, article: Article) -> str:
        """Path shown to the user: relative to the root it was found under, inert (a file
        name with an escape sequence must not reach the terminal as one)."""
        for root in self._folders:  # (asked of every article: a stat each added up)
            try:
                return inert_name(str(article.path.relative_to(root)))
            except ValueError:
                continue
        return inert_name(article.path.name)


def title_from(head: str, path: Path) -> str:
    """Markdown front matter or first heading, else the first non-blank line."""
    if path.suffix.lower() in (".md", ".markdown"):
        m = _FRONT_TITLE.match(head)
        if m:
            return _clip(m.group(1))
        m = _ATX.search(head)
        if m:
            return _clip(m.group(1))
    if head.startswith("---\n"):  # front matter with no title: not the article's first line
        end = head.find("\n---", 4)
        head = head[end + 4 :] if end != -1 else head
    for line in head.splitlines():
        s = line.strip().lstrip("#").strip()
        if s and not _NOT_A_TITLE.match(s):
            s = s.strip("=").strip() or s  # "==== part/name ====" names part/name
            return _clip(s)
    return path.stem


def _clip(s: str) -> str:
    s = make_inert(" ".join(s.split()))
    return s if len(s) <= TITLE_MAX else s[: TITLE_MAX - 1] + "…"


def read_article(path: Path, later: bool = False) -> Article:
    """An Article with its title, or with the reason it cannot be read. With `later`, a web
    page or e-book not in the extraction cache is titled by its file name for now (unlisted):
    list_article reads its title, author and readability."""
    from reader.core.sidecar import count_annotations  # not needed by `reader search`

    size, refused = _regular_file(path)
    if refused is not None:
        return refused
    try:
        with open(path, "rb") as f:
            head = f.read(HEAD_BYTES)
    except OSError as err:
        return _unreadable(path, err)
    if size == 0:
        return Article(path, path.stem, 0, None, count_annotations(path))
    if path.suffix.lower() in (".html", ".htm", ".epub", *MHTML_SUFFIXES):
        return _extracted_article(path, size, count_annotations(path), later)
    try:
        loaded = decode(head)
    except UnreadableFile as err:
        return Article(path, path.name, size, str(err))
    text = loaded.text.replace("\r", "\n").lstrip("\ufeff")
    return Article(path, title_from(text, path), size, None, count_annotations(path))


def _extracted_article(path: Path, size: int, count: int, later: bool = False) -> Article:
    """A web page or e-book, titled from its metadata (its first heading or name else)."""
    from reader.core.formats import listing
    from reader.core.formats.cache import listed

    known = listed(path) if later else None
    if later and known is None:
        return Article(path, path.stem, size, None, count, listed=False)
    try:
        title, author = known or listing(path)
    except UnreadableFile as err:
        return Article(path, path.name, size, str(err), count)
    except OSError as err:
        return Article(path, path.name, size, err.strerror or str(err), count)
    return Article(path, _clip(title) if title else path.stem, size, None, count, _clip(author))


def scan(paths: list[Path], later: bool = False) -> Library:
    """Articles under paths, with titles, sizes and annotation counts.

    With `later` (the app, before its first frame), what costs a read per file waits, and
    list_article reads it: web pages and e-books not extracted yet are listed by file name
    (reading one's title takes milliseconds, and a folder of saved pages holds hundreds);
    in a library of more than LIST_AT_ONCE articles, every article is (its title, its
    annotation count and whether it can be read: two seconds for 2,000 files on a cold
    disk)."""
    files, problems = article_paths(paths)
    if later and len(files) > LIST_AT_ONCE:
        articles = [_unlisted(p) for p in files]
    else:
        articles = [read_article(p, later) for p in files]
    return Library(articles, problems, [p for p in paths if p.exists()])


def _unlisted(path: Path) -> Article:
    """An article by its file name and size alone, to be listed by list_article."""
    size, refused = _regular_file(path)
    return refused or Article(path, path.stem, size, listed=False)


def _regular_file(path: Path) -> tuple[int, Article | None]:
    """The file's size, or the article that says why it cannot be read (one stat)."""
    try:
        st = path.stat()
    except OSError as err:
        return 0, _unreadable(path, err)
    if not stat.S_ISREG(st.st_mode):
        return 0, Article(path, path.name, 0, "not a regular file (device, pipe or socket)")
    return st.st_size, None


def _unreadable(path: Path, err: OSError) -> Article:
    why = "permission denied" if isinstance(err, PermissionError) else err.strerror or str(err)
    return Article(path, path.name, 0, why)


def list_article(article: Article) -> Article:
    """What an unlisted article is listed as once its title, author, annotation count and
    readability are read (in any thread: the article itself is not changed)."""
    return read_article(article.path)


# --- how the library pane orders and shows articles -------------------------------------

SORTS = ("path", "title", "recent", "progress")  # `s` cycles through them; path first


def sort_articles(
    articles: list[Article],
    order: str,
    rel: Callable[[Article], str],
    read_at: Callable[[Article], float],
    progress: Callable[[Article], float],
) -> list[Article]:
    """The articles in the pane's order: by title or path (A to Z), by when last read
    (latest first) or by reading progress (furthest first); ties and the never-read go
    by title."""
    if order == "path":
        return sorted(articles, key=lambda a: _path_key(rel(a)))
    by_title = sorted(articles, key=lambda a: (a.title.casefold(), rel(a)))
    if order == "recent":
        return sorted(by_title, key=lambda a: -read_at(a))  # sorted() keeps ties in order
    if order == "progress":
        return sorted(by_title, key=lambda a: -progress(a))
    return by_title


def _path_key(rel: str) -> tuple[str, ...]:
    # Folder by folder, so `a/b.txt` and `a/c/d.txt` stay with their folder `a`.
    return tuple(part.casefold() for part in rel.split("/"))


def middle_cut(path: str, cells: int) -> str:
    """A relative path cut to `cells` terminal cells in the middle, not at the end: its
    first folder and the file name stay (`linux/…/cxl.txt`), then as many folders next to
    the name as fit. A name too long even alone keeps its start and its end (extension)."""
    if cell_len(path) <= cells:
        return path
    parts = path.split("/")
    if len(parts) > 2:
        head, tail = parts[0], parts[-1]
        middle = parts[1:-1]
        best = f"{head}/…/{tail}"
        while middle and cell_len(f"{head}/…/{middle[-1]}/{tail}") <= cells:
            tail = f"{middle.pop()}/{tail}"
            best = f"{head}/…/{tail}"
        if cell_len(best) <= cells:
            return best
    return _cut_name(path, cells)


def _cut_name(text: str, cells: int) -> str:
    """text cut in the middle to `cells` cells: more of its end (the file name) than of
    its start."""
    if cells <= 1:
        return "…"[:cells]
    end_cells = (cells - 1) * 3 // 5
    start = set_cell_size(text, cells - 1 - end_cells).rstrip()
    head = text.split("/", 1)[0] + "/"
    if "/" in text and cell_len(head) <= cells // 2:  # the first folder whole
        start, end_cells = head, cells - 1 - cell_len(head)
    end = ""
    for ch in reversed(text):
        if cell_len(ch + end) > end_cells:
            break
        end = ch + end
    return f"{start}…{end}"
