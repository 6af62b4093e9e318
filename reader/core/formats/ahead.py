"""An e-book's first look, extracted by a child process while the app starts.

The first time a book is opened, its first chapters are extracted before the first screen
(lxml and html-to-markdown load, then parse and convert: 40-50 ms), one after the other
with Textual's own start (0.3 s on one core). `reader BOOK.epub` forks a child before
that start, so the second core extracts while the first loads Textual: the opener takes
the text (what formats.preview would give, so offsets are those of the whole text).

Only a lone e-book named on the command line, big enough to open with a first look, and
only from a process with no other thread (a child of a threaded one can deadlock) and
where fork exists. Anything else opens as before.
"""

from __future__ import annotations

import os
import signal
import stat
import sys
from pathlib import Path


class FirstLook:
    """A child process's extraction of one book's first look: take it, or drop it."""

    def __init__(self, path: Path, pid: int, fd: int) -> None:
        self.path = path
        self._pid: int | None = pid
        self._fd = fd

    def take(self, path: Path) -> str | None:
        """The first look of path if it is the book extracted (waiting for it); else None,
        and the child is stopped."""
        if self._pid is None or not _same_file(path, self.path):
            self.drop()
            return None
        chunks = []
        try:
            while chunk := os.read(self._fd, 1 << 16):
                chunks.append(chunk)
        except OSError:
            chunks = []
        self._reap(stop=False)
        text = b"".join(chunks).decode("utf-8", "surrogatepass")
        return text or None  # (nothing: the child found none, or failed)

    def drop(self) -> None:
        """Stop the child (if still running) and let its result go."""
        self._reap(stop=True)

    def _reap(self, stop: bool) -> None:
        if self._pid is None:
            return
        pid, self._pid = self._pid, None
        os.close(self._fd)
        if stop:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass


def first_look_ahead(paths: list[Path], limit: int) -> FirstLook | None:
    """Start extracting the first look of a lone e-book in paths (see the module)."""
    if len(paths) != 1 or paths[0].suffix.lower() != ".epub" or not hasattr(os, "fork"):
        return None
    threading = sys.modules.get("threading")
    if threading is not None and threading.active_count() > 1:
        return None
    path = paths[0]
    try:
        st = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode) or st.st_size <= 4 * limit:
        return None  # (opened without a first look)
    try:
        read_end, write_end = os.pipe()
        pid = os.fork()
    except OSError:
        return None
    if pid == 0:  # the child: the text down the pipe, then out without clean-up
        try:
            os.close(read_end)
            quiet = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1, 2):  # (the terminal is the app's)
                os.dup2(quiet, fd)
            from reader.core.formats import preview

            text = preview(path, limit)
            if text is not None:
                data = memoryview(text.encode("utf-8", "surrogatepass"))
                while data:
                    data = data[os.write(write_end, data) :]
        except BaseException:  # noqa: BLE001  (the app extracts it itself then)
            pass
        finally:
            os._exit(0)
    os.close(write_end)
    return FirstLook(path, pid, read_end)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False
