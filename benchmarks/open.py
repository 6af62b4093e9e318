"""Time to first screen and memory: prints numbers, not pass/fail.

    python benchmarks/open.py [BIG_FILE]
    python benchmarks/open.py --formats     (only the e-book and web page below)

Runs each program in a pseudo-terminal (120x40) and times until a phrase from the
file shows on screen. BIG_FILE defaults to /tmp/reader-corpus/big/book-20mb.txt
(shared/bench/make_corpus.sh), else a 20 MB file is generated. Also measures a 1 MB
single-line file, `less` on the same files when installed, and `reader` on the
bundled articles against a minimal Textual app's start-up.
Targets: first screen of a 20 MB file < 0.5 s; memory < 10x the file size; start-up on
the bundled articles within 1.5x of a minimal Textual app.

Then a 5 MB EPUB (9 MB of chapter text, 120 chapters, and a 2 MB image) and a 1.5 MB web
page, both built here, each opened cold (empty cache: extracted while the reader looks at
a first part) and warm (the extracted text is in the user cache folder). Cold, it also
says when the pane first showed the article or "Extracting the text of NAME", and when the
whole text was there to annotate. Target: first screen of the 5 MB e-book < 0.5 s.
"""

from __future__ import annotations

import fcntl
import math
import os
import pty
import random
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
    pid, fd, t0 = _spawn(cmd)
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
        _stop(pid, fd)
    return elapsed, rss, peak


def milestones(
    cmd: list[str], markers: list[bytes], settle: float, timeout: float = 20.0
) -> tuple[list[float], int]:
    """Seconds until each marker is first drawn (nan: never), and the peak resident memory
    `settle` seconds after the first of them showed (or once all did, if later)."""
    pid, fd, t0 = _spawn(cmd)
    buf = b""
    seen = [math.nan] * len(markers)
    try:
        while time.perf_counter() - t0 < timeout:
            r, _, _ = select.select([fd], [], [], 0.05)
            if r:
                try:
                    buf += os.read(fd, 65536)
                except OSError:
                    break
                for i, marker in enumerate(markers):
                    if math.isnan(seen[i]) and marker in buf:
                        seen[i] = time.perf_counter() - t0
            done = not any(math.isnan(t) for t in seen)
            if done and time.perf_counter() >= t0 + min(seen) + settle:
                break
        peak = _rss(pid, "VmHWM:")
    finally:
        _stop(pid, fd)
    return seen, peak


def _spawn(cmd: list[str]) -> tuple[int, int, float]:
    """Start cmd in a 120x40 pseudo-terminal: its pid, the terminal's fd, and when."""
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
    return pid, fd, t0


def _stop(pid: int, fd: int) -> None:
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    os.close(fd)


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


BOOK_OPENING = "Opening words of the benchmark book begin here."
PAGE_OPENING = "Opening words of the benchmark page begin here."
_WORDS = (
    "the of and to a in that is was he for it with as his on be at by had not are but from or"
    " have an they which one you were her all she there would their we him been has when who"
    " will more no if out so said what up its about into than them can only other new some"
).split()


def _paragraph(rng: random.Random) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(rng.randint(40, 120))).capitalize() + "."


def make_book(path: Path, text_bytes: int = 9_000_000, image_bytes: int = 2_000_000) -> None:
    """An EPUB 3 of about 5 MB: chapters of prose, a table of contents, one big image."""
    sys.path.insert(0, str(ROOT))
    from tests.core.epubs import CONTAINER, chapter_xhtml, nav_xhtml, ncx, opf

    rng = random.Random(1)
    chapters: list[tuple[str, str]] = []
    size = 0
    while size < text_bytes:
        first = f"<p>{BOOK_OPENING}</p>" if not chapters else ""
        body = first + "".join(f"<p>{_paragraph(rng)}</p>" for _ in range(200))
        chapters.append((f"Chapter {len(chapters) + 1}", body))
        size += len(body)
    toc = [(t, f"text/ch{i}.xhtml") for i, (t, _) in enumerate(chapters)]
    import zipfile

    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")
        z.writestr("META-INF/container.xml", CONTAINER)
        z.writestr("OEBPS/content.opf", opf("3.0", "Big Book", "A. Writer", len(chapters), True))
        for i, (t, body) in enumerate(chapters):
            z.writestr(f"OEBPS/text/ch{i}.xhtml", chapter_xhtml(t, body), zipfile.ZIP_DEFLATED)
        z.writestr("OEBPS/nav.xhtml", nav_xhtml(toc))
        z.writestr("OEBPS/toc.ncx", ncx(toc))
        z.writestr("OEBPS/images/cover.jpg", rng.randbytes(image_bytes))


def make_page(path: Path, paragraphs: int = 4500) -> None:
    """A saved news page of about 1.5 MB: navigation, a long article, a footer."""
    rng = random.Random(2)
    body = "".join(f"<p>{_paragraph(rng)}</p>\n" for _ in range(paragraphs))
    path.write_text(
        "<html><head><title>Big Page</title><meta name=author content='Web Writer'>"
        "<script>var tracker = 1;</script></head><body><nav><a href='/'>Home</a></nav>"
        f"<article><h1>Big Page</h1><p>{PAGE_OPENING}</p>{body}</article>"
        "<footer>Copyright</footer></body></html>"
    )


def formats(tmp: Path, reader: list[str], rounds: int = 5) -> None:
    """First screen and memory of an e-book and a web page, cold and warm, taken in turns
    with a small text file's (this machine's speed drifts: the difference is what counts)."""
    extracted = Path(os.environ["XDG_CACHE_HOME"]) / "reader" / "extracted"
    book, page, small = tmp / "big.epub", tmp / "big.html", tmp / "small.txt"
    make_book(book)
    make_page(page)
    small.write_text("A small text file whose words open the reading pane.\n")
    cases = {
        "small .txt": (small, b"whose words open", False),
        "EPUB cold": (book, b"benchmark book begin", True),
        "EPUB warm": (book, b"benchmark book begin", False),
        "web page cold": (page, b"benchmark page begin", True),
        "web page warm": (page, b"benchmark page begin", False),
    }
    times: dict[str, list[float]] = {k: [] for k in cases}
    peaks: dict[str, list[int]] = {k: [] for k in cases}
    # Cold: also when the pane first says anything of the article (its name, "Extracting"),
    # and when the whole text is there to annotate (the status line gives its line count).
    signs: dict[str, list[float]] = {k: [] for k in cases}
    whole: dict[str, list[float]] = {k: [] for k in cases}
    for _ in range(rounds):
        for label, (path, marker, cold) in cases.items():
            if cold:
                shutil.rmtree(extracted, ignore_errors=True)
                sign = b"Extracting the text of " + path.name.encode()
                (s, t, w), peak = milestones(
                    [*reader, str(path)], [sign, marker, b"line 1/"], settle=6.0
                )
                signs[label].append(t if math.isnan(s) else min(s, t))  # its text is a sign too
                whole[label].append(w)
            else:
                t, _, peak = first_screen([*reader, str(path)], marker)
            times[label].append(t)
            peaks[label].append(peak)
    base = statistics.median(times["small .txt"])
    print(f"book {book.stat().st_size / 1e6:.1f} MB, page {page.stat().st_size / 1e6:.1f} MB")
    for label in cases:
        med = statistics.median(times[label])
        extra = "" if label == "small .txt" else f" ({med - base:+.2f} s against the .txt)"
        mem = (
            f"; peak memory over 6 s (extracted, cached, indexed) {max(peaks[label]) / 1e6:.0f} MB"
            if cases[label][2]
            else ""
        )
        print(
            f"reader, {label}: first screen median {med:.2f} s "
            f"(range {min(times[label]):.2f}-{max(times[label]):.2f}){extra}{mem}"
        )
        if signs[label]:
            print(
                f"  {label}: the pane first names it (or shows it) at median "
                f"{statistics.median(signs[label]):.2f} s; its whole text is there to annotate "
                f"at median {statistics.median(whole[label]):.2f} s"
            )
    print("target: first screen of the 5 MB e-book < 0.5 s")


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
    if "--formats" in sys.argv:
        # This checkout's code, whichever reader is installed.
        os.environ["PYTHONPATH"] = str(ROOT)
        first_screen([sys.executable, "-m", "reader", "--help"], b"usage")  # compile modules
        formats(tmp, [sys.executable, "-m", "reader"])
        shutil.rmtree(tmp, ignore_errors=True)
        return
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
    formats(tmp, reader)
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
