"""Read a file reader did not write (a sidecar, layer, config or import) without surprises.

Only regular files are read (a symlink is followed only when it ends at one), and only up
to a size limit: a FIFO would hang the app, `/dev/zero` would eat memory without end, and a
50 MB "annotation file" from a colleague is not one. The file is opened without blocking and
checked through its own descriptor, so a file swapped for a FIFO after a check cannot hang us.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

# Big enough for ~40,000 annotations; small enough that a hostile file cannot hurt.
MAX_BYTES = 20 * 1024 * 1024


class RefusedFile(OSError):
    """A path that is not a regular file or is too big; str() says why, naming the file."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


def read_regular(path: Path, limit: int = MAX_BYTES) -> bytes:
    """The bytes of path, a regular file of at most limit bytes.

    Raises FileNotFoundError when it does not exist, RefusedFile when it is not a regular
    file (a folder, FIFO, device, socket) or is larger than limit, OSError otherwise.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except IsADirectoryError:
        raise RefusedFile(path, "is a folder, not a file") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise RefusedFile(path, f"is {_kind(st.st_mode)}, not a regular file")
        if st.st_size > limit:
            raise RefusedFile(path, f"is {_mb(st.st_size)}; the limit is {_mb(limit)}")
        chunks: list[bytes] = []
        total = 0
        while True:  # read to the limit, whatever size was claimed (the file may grow)
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise RefusedFile(path, f"is larger than the limit of {_mb(limit)}")
        return b"".join(chunks)
    finally:
        os.close(fd)


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB" if n >= 1024 * 1024 else f"{n} bytes"
