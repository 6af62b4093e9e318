"""Time to first screen and memory: prints numbers, not pass/fail.

    python benchmarks/open.py [BIG_FILE]

Runs each program in a pseudo-terminal (120x40) and times until a phrase from the
file shows on screen. BIG_FILE defaults to /tmp/reader-corpus/big/book-20mb.txt
(shared/bench/make_corpus.sh), else a 20 MB file is generated. Also measures a 1 MB
single-line file, `less` on the same files when installed, and `reader` on the
bundled articles against a minimal Textual app's start-up.
Targets: first screen of a 20 MB file < 0.5 s; memory < 10x the file size; start-up on
the bundled articles within 1.5x of a minimal Textual app.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import shutil
import signal
import statistics
import struct
import sys
import tempfile
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STARTUP_RUNS = 15
MINIMAL_APP = """
from textual.app import App
from textual.widgets import Static
class Minimal(App):
    def compose(self):
        yield Static("minimal app ready")
Minimal().run()
"""


def first_screen(
    cmd: list[str], marker: bytes, timeout: float = 20.0, settle: float = 0.0
) -> tuple[float, int, int]:
    """Seconds until marker is drawn, resident memory (bytes) then, and the peak
    resident memory `settle` seconds later."""
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "120", "LINES": "40"}
    # Let Python cache compiled modules, as any installed program does.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    t0 = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        # Size the terminal before the program starts, as a real terminal window is; sizing
        # it afterwards would make every program lay out twice.
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        os.execvpe(cmd[0], cmd, env)
    buf = b""
    elapsed = float("nan")
    rss = peak = 0
    try:
        while time.perf_counter() - t0 < timeout:
            r, _, _ = select.select([fd], [], [], 0.05)
            if r:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:
                    break
                buf += chunk
                if marker in buf:
                    elapsed = time.perf_counter() - t0
                    rss = _rss(pid)
                    _drain(fd, settle)
                    peak = _rss(pid, "VmHWM:")
                    break
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)
    return elapsed, rss, peak


def _drain(fd: int, seconds: float) -> None:
    """Keep reading the program's output (so it never blocks on a full pty) for a while."""
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            try:
                os.read(fd, 65536)
            except OSError:
                return


def _rss(pid: int, field: str = "VmRSS:") -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def best_of(n: int, cmd: list[str], marker: bytes) -> tuple[float, int]:
    runs = [first_screen(cmd, marker) for _ in range(n)]
    return min(r[0] for r in runs), max(r[1] for r in runs)


def peak_memory(cmd: list[str], marker: bytes) -> int:
    """Peak resident memory over 5 s: reading the whole file, wrapping it, and indexing
    it for search in the background (which starts 1 s after start-up)."""
    return first_screen(cmd, marker, settle=5.0)[2]


def marker_of(path: Path) -> bytes:
    """A phrase only the reading pane shows: words 5-7 of the first line (the library
    pane shows the title, cut well before them)."""
    with path.open("rb") as f:
        line = f.readline(400)
    words = line.split()[4:7] or line.split()[:3]
    return b" ".join(words)[:24]


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="reader-open-"))
    env_home = tmp / "home"
    os.environ.update(
        {
            "XDG_STATE_HOME": str(env_home / "state"),
            "XDG_CACHE_HOME": str(env_home / "cache"),
            "XDG_DATA_HOME": str(env_home / "data"),
            "XDG_CONFIG_HOME": str(env_home / "config"),
        }
    )
    big = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/tmp/reader-corpus/big/book-20mb.txt")
    if not big.is_file():
        big = tmp / "big.txt"
        para = ("In the beginning the reader opened a very long file and read it. " * 12) + "\n\n"
        big.write_text(para * (20_000_000 // len(para)))
    line = tmp / "one-line.txt"
    line.write_bytes((b"word " * 210_000).strip() + b"\n")
    py = sys.executable
    # The installed `reader` beside this Python (as pip, pipx or uv put it), else -m.
    script = Path(py).with_name("reader")
    reader = [str(script)] if script.exists() else [py, "-m", "reader"]
    print(f"running: {reader[0]} (Python {py})")
    first_screen([*reader, str(line)], marker_of(line))  # warm-up: compile and cache modules
    for label, path in (("20 MB file", big), ("1 MB single line", line)):
        size = path.stat().st_size
        t, rss = best_of(3, [*reader, str(path)], marker_of(path))
        peak = peak_memory([*reader, str(path)], marker_of(path))
        print(
            f"reader, {label} ({size / 1e6:.1f} MB): first screen {t:.2f} s with "
            f"{rss / 1e6:.0f} MB; peak over 5 s (whole file read, wrapped and indexed) "
            f"{peak / 1e6:.0f} MB = {peak / size:.1f}x the file (targets: < 0.5 s, < 10x)"
        )
        if shutil.which("less"):
            lt, lrss = best_of(3, ["less", str(path)], marker_of(path))
            print(f"  less on the same file: {lt:.2f} s, {lrss / 1e6:.0f} MB")
    minimal = tmp / "minimal.py"
    minimal.write_text(MINIMAL_APP)
    # Taken in turns, so a slow patch of the machine hits both alike.
    mt: list[float] = []
    seeds: list[float] = []
    for _ in range(STARTUP_RUNS):
        mt.append(first_screen([py, str(minimal)], b"minimal app ready")[0])
        seeds.append(first_screen(reader, b"Huawei and Xiaomi")[0])
    print(
        f"minimal Textual app to first screen: median {statistics.median(mt):.2f} s "
        f"(range {min(mt):.2f}-{max(mt):.2f}, {STARTUP_RUNS} runs)"
    )
    ratio = statistics.median(seeds) / statistics.median(mt)
    print(
        f"reader on the bundled articles to first usable screen: median "
        f"{statistics.median(seeds):.2f} s (range {min(seeds):.2f}-{max(seeds):.2f}) "
        f"= {ratio:.2f}x (target: within 1.5x)"
    )
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
