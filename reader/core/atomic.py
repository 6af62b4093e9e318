"""Atomic file writes and the locks that guard a read-modify-write.

A write goes to a temp file in the same folder, is fsynced and renamed over the old file,
so readers see the old file or the new one, never half of one. Temp files left by a save
that was killed are removed by the next save of the same file.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

try:  # POSIX; Windows has no fcntl (see file_lock)
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

# A temp file older than this is a killed save's, whoever wrote it.
STALE_TEMP_SECONDS = 60.0
_TEMP_SUFFIX = ".tmp"


def _temp_prefix(path: Path) -> str:
    # The name is shortened so the temp name stays within the 255-byte limit of a file name.
    short = path.name.encode("utf-8", "surrogateescape")[:120].decode("utf-8", "ignore")
    return f".{short}."


def write_atomic(path: Path, data: bytes) -> None:
    """Temp file in the same folder, fsync, os.replace, then fsync the folder.

    On any error (a full disk, a read-only folder) the old file is left as it was and the
    OSError is raised.
    """
    import tempfile  # not needed by read-only commands such as `reader search`

    path.parent.mkdir(parents=True, exist_ok=True)
    # The writer's pid is in the name, so the next save can tell a killed save's leftovers.
    fd, tmp = tempfile.mkstemp(
        prefix=f"{_temp_prefix(path)}{os.getpid()}.", suffix=_TEMP_SUFFIX, dir=path.parent
    )
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if path.exists():
            with contextlib.suppress(OSError):
                os.chmod(tmp, path.stat().st_mode & 0o777)
        else:
            with contextlib.suppress(OSError):
                os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):
        dfd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    remove_stale_temps(path)


def remove_stale_temps(path: Path, now: float | None = None) -> list[Path]:
    """Remove temp files of killed saves of path: those whose writer process is gone, or
    older than STALE_TEMP_SECONDS. Returns what was removed (errors are ignored)."""
    prefix = _temp_prefix(path)
    now = time.time() if now is None else now
    removed: list[Path] = []
    try:
        entries = list(os.scandir(path.parent))
    except OSError:
        return removed
    for entry in entries:
        name = entry.name
        if not (name.startswith(prefix) and name.endswith(_TEMP_SUFFIX)):
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            age = now - entry.stat(follow_symlinks=False).st_mtime
            pid = _writer_pid(name[len(prefix) :])
            stale = age > STALE_TEMP_SECONDS or (pid is not None and not _alive(pid))
            if stale:
                os.unlink(entry.path)
                removed.append(path.parent / entry.name)
        except OSError:
            continue
    return removed


def _writer_pid(rest: str) -> int | None:
    head = rest.split(".", 1)[0]
    return int(head) if head.isdigit() else None


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if sys.platform == "win32":  # pragma: no cover - no cheap check; rely on the age
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists, owned by someone else
        return True
    return True


@contextlib.contextmanager
def lock_file(path: Path, create: bool = True) -> Iterator[bool]:
    """Hold an exclusive OS lock on the file at path itself, so every process that saves
    it, whoever it runs as and whatever its environment, waits for the others.

    A missing file is created empty for the lock when create is set, and removed again
    if it is still empty at the end (nothing was saved): no litter. Yields False, holding
    nothing, when the file cannot be opened or created (a read-only folder without it):
    a save there fails anyway. Each save replaces the file (write_atomic), so after
    waiting for the lock we check the path still names the file we locked, and lock the
    new one if not.
    """
    if fcntl is None:  # pragma: no cover - Windows cannot rename over an open file
        with file_lock(path):
            yield True
        return
    fd, created = _open_locked(path, create)
    try:
        yield fd is not None
    finally:
        if fd is not None:
            if created:
                _remove_if_still_empty(path, fd)
            os.close(fd)  # releases the lock


def _open_locked(path: Path, create: bool) -> tuple[int | None, bool]:
    """A descriptor of path holding its lock (or None when it cannot be had), and whether
    it was created for the lock."""
    assert fcntl is not None
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    while True:
        created = False
        try:
            if create:
                path.parent.mkdir(parents=True, exist_ok=True)
                try:
                    fd = os.open(path, flags | os.O_CREAT | os.O_EXCL, 0o644)
                    created = True
                except FileExistsError:
                    fd = os.open(path, flags)
            else:
                fd = os.open(path, flags)
        except FileNotFoundError:
            if create:
                continue  # removed between the two opens: try again
            return None, False
        except OSError:
            return None, False
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):  # a FIFO or a device: reading it is refused
                os.close(fd)
                return None, False
            locked = _flock(path, fd, flags)
            if locked is None:  # no lock to be had on this file system: save without one
                return None, False
            fd = locked
            try:
                now: os.stat_result | None = os.stat(path)
            except FileNotFoundError:
                now = None
        except BaseException:
            os.close(fd)
            raise
        if now is not None and (now.st_ino, now.st_dev) == (st.st_ino, st.st_dev):
            return fd, created
        os.close(fd)  # replaced or removed while we waited: lock the file there now


def _flock(path: Path, fd: int, flags: int) -> int | None:
    """Lock fd exclusively; returns the descriptor holding the lock, or None (fd closed)
    when the file system offers none. NFS emulates flock with byte-range locks, which
    need a descriptor open for writing: try one of those before giving up."""
    assert fcntl is not None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        return fd
    except OSError:
        os.close(fd)
    try:
        fd = os.open(path, flags | os.O_RDWR)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        return fd
    except OSError:
        os.close(fd)
        return None


def _remove_if_still_empty(path: Path, fd: int) -> None:
    with contextlib.suppress(OSError):
        st, now = os.fstat(fd), os.stat(path)
        if (now.st_ino, now.st_dev) == (st.st_ino, st.st_dev) and now.st_size == 0:
            os.unlink(path)


@contextlib.contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """An exclusive lock for path, held on a hidden file beside it (`.NAME.lock`), for files
    whose own lock must not be touched (an SQLite database keeps POSIX locks on itself,
    which any close() of it in the same process would drop). The lock file is removed when
    the lock is let go, so none is left behind. Without a writable folder the lock is
    skipped: what it guards cannot be written there either."""
    lock = path.with_name(f".{path.name}.lock")
    fd: int | None = None
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = _lock_sibling(lock)
    try:
        yield
    finally:
        if fd is not None:
            # Removed while still held: a process waiting on this file finds, once it gets
            # the lock, that the name now leads elsewhere (or nowhere) and tries again.
            with contextlib.suppress(OSError):
                os.unlink(lock)
            os.close(fd)


def _lock_sibling(lock: Path) -> int | None:
    """A descriptor holding an exclusive lock on the file at lock (created if needed), or
    None where the file system offers no lock."""
    while True:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX)
            else:  # pragma: no cover - Windows
                import msvcrt

                msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
            held, now = os.fstat(fd), os.stat(lock)
        except FileNotFoundError:
            os.close(fd)
            continue  # removed by the holder we waited for: take the new one
        except OSError:
            os.close(fd)
            return None
        if (held.st_ino, held.st_dev) == (now.st_ino, now.st_dev):
            return fd
        os.close(fd)
