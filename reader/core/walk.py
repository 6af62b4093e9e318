"""Find article files under the paths a user gives (cheap: nothing is opened)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

# Chrome's and Edge's "Webpage, Single File" (IE's and Word's .mht): web pages in a MIME
# message. Named here, where nothing else is imported: reader.core.formats takes it from here.
MHTML_SUFFIXES = (".mhtml", ".mht")
ARTICLE_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".epub", *MHTML_SUFFIXES)
_PAGE_SUFFIXES = (".html", ".htm")  # "Web page, complete": a page_files/ folder beside it
# Folders that hold reader's own or other people's files, not articles.
SKIP_DIRS = {"annotations", "node_modules", "__pycache__"}


def article_paths(paths: list[Path]) -> tuple[list[Path], list[str]]:
    """Article files under paths (files as given, folders recursively), and problems.

    Cheap: no file is opened, and a folder costs one scandir. Symlink loops and
    second ways to one file are skipped.
    """
    from pathlib import Path

    found, problems = article_files(paths)
    return [Path(p) for p in found], problems


def article_files(
    paths: list[Path], watch: list[tuple[str, int]] | None = None
) -> tuple[list[str], list[str]]:
    """article_paths as strings: a Path costs more to make than the scandir that found it,
    which counts when a `reader search` walks thousands of files per query.

    `watch`, when given, gets (path, mtime_ns) of every folder read and file named: while
    none of those changed, the result is the same (see `unchanged`).
    """
    found: list[str] = []
    problems: list[str] = []
    seen: set[tuple[int, int]] = set()
    for given in paths:
        missing = path_problem(given)
        if missing is not None:
            problems.append(missing)
            continue
        if given.is_file():
            st = given.stat()
            if watch is not None:
                watch.append((str(given), st.st_mtime_ns))
            if (st.st_dev, st.st_ino) not in seen:
                seen.add((st.st_dev, st.st_ino))
                found.append(str(given))
            continue
        if not given.is_dir():  # a device, a pipe, a socket: no article, and no folder
            problems.append(f"{given}: not a regular file or folder")
            continue
        if not os.access(given, os.R_OK | os.X_OK):
            problems.append(f"{given}: permission denied")
            continue
        root = str(given)
        here: list[str] = []
        visited: set[tuple[int, int]] = set()
        stack = [root]
        while stack:
            folder = stack.pop()
            try:
                st = os.stat(folder)
                entries = list(os.scandir(folder))
            except OSError as err:
                problems.append(f"{folder}: {err.strerror or err}")
                continue
            if (st.st_dev, st.st_ino) in visited:  # a symlink loop or a second way in
                continue
            visited.add((st.st_dev, st.st_ino))
            if watch is not None:
                watch.append((folder, st.st_mtime_ns))
            pages = _saved_pages(entries)
            for e in entries:
                name = e.name
                if name.startswith("."):
                    continue
                try:
                    is_dir = e.is_dir()
                except OSError:
                    is_dir = False
                if is_dir:
                    if name in SKIP_DIRS or _is_page_folder(name, pages):
                        continue
                    if e.is_symlink() and _leads_back(e.path, folder):
                        problems.append(
                            f"{e.path}: symbolic link loop (leads back to a folder above it);"
                            " not followed"
                        )
                        continue
                    stack.append(e.path)
                    continue
                low = name.lower()
                if not low.endswith(ARTICLE_SUFFIXES) or low.endswith(".annotations.md"):
                    # An exported digest is not an article. A broken link with no suffix may
                    # have been a folder: say so; one to a picture is not ours to mention.
                    if "." not in name and e.is_symlink() and not os.path.exists(e.path):
                        problems.append(link_problem(e.path))
                    continue
                try:
                    key = (st.st_dev, e.inode()) if not e.is_symlink() else _stat_key(e.path)
                except OSError:
                    problems.append(link_problem(e.path))
                    continue
                if key not in seen:
                    seen.add(key)
                    here.append(e.path)
        cut = len(root.rstrip(os.sep)) + 1
        here.sort(key=lambda p: p[cut:].lower())
        found.extend(here)
    return found, problems


def path_problem(path: Path | str) -> str | None:
    """Why a path given by the user cannot be opened, or None when it exists."""
    if os.path.exists(path):
        return None
    if os.path.islink(path):
        return link_problem(path)
    return f"{path}: no such file or folder"


def link_problem(path: Path | str) -> str:
    """What is wrong with a symbolic link that does not lead to a file: a loop, or a target
    that does not exist (named)."""
    import errno

    try:
        os.stat(path)
    except OSError as err:
        if err.errno == errno.ELOOP:
            return f"{path}: symbolic link loop"
        try:
            target = os.readlink(path)
        except OSError:
            return f"{path}: broken symbolic link"
        return f"{path}: broken symbolic link (its target {target} does not exist)"
    return f"{path}: cannot be read through its symbolic link"


def _leads_back(link: str, folder: str) -> bool:
    """Whether a folder's symbolic link points at that folder or one above it (a loop)."""
    real = os.path.realpath(link)
    here = os.path.realpath(folder)
    return here == real or here.startswith(real.rstrip(os.sep) + os.sep)


def _saved_pages(entries: list[os.DirEntry[str]]) -> set[str]:
    """Stems of the web pages in a folder (lower case)."""
    out = set()
    for e in entries:
        low = e.name.lower()
        if low.endswith(_PAGE_SUFFIXES):
            out.add(low.rsplit(".", 1)[0])
    return out


def _is_page_folder(name: str, pages: set[str]) -> bool:
    """A browser's "Web page, complete" saves page.html with page_files/ beside it: that
    folder holds the page's scripts, styles and frames, not articles."""
    low = name.lower()
    for sep in ("_files", "-files", "_archivos", "-dateien", "_fichiers", "_file"):
        if low.endswith(sep) and low[: -len(sep)] in pages:
            return True
    return False


def _stat_key(path: str) -> tuple[int, int]:
    st = os.stat(path)
    return st.st_dev, st.st_ino


def unchanged(watch: list[tuple[str, int]]) -> bool:
    """Whether a walk that watched these would find the same files again.

    A folder's mtime changes when an entry is added, removed or renamed in it, so one
    stat per folder stands in for reading it. (Edits inside a file don't count here:
    the search index checks each file's own size and mtime.)
    """
    try:
        return all(os.stat(path).st_mtime_ns == mtime for path, mtime in watch)
    except OSError:
        return False
