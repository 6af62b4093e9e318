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
A minimal Textual app and a one-line .txt are timed in the same turns: the floor this
machine gives any Textual app, and reader's own start.

    python benchmarks/open.py --library [DIR]

Start-up on a big library, DIR (default /tmp/reader-corpus/library, the 2,000 articles of
shared/bench/make_corpus.sh), and on a folder of 200 small saved web pages built here:
when the first article's text is drawn (a page's first look while it is extracted) and
when all of it is there, then when the rows on screen show titles instead of file names
(read in a thread after the first frame), then when the last rows do (G is typed once the
rest showed). Best and median of 7 first runs (empty cache: the library is indexed for
search meanwhile) and 7 later ones (index and extracted page kept), in turns with a
minimal Textual app.
"""

from __future__ import annotations

import fcntl
import math
import os
import pty
import random
import re
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from dataclasses import dataclass
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
    cmd: list[str],
    markers: list[bytes],
    settle: float,
    timeout: float = 20.0,
    keys: tuple[int, bytes] | None = None,
) -> tuple[list[float], int]:
    """Seconds until each marker is first drawn (nan: never), and the peak resident memory
    `settle` seconds after the first of them showed (or once all did, if later). keys
    (n, b"G"): typed once the first n markers all showed."""
    pid, fd, t0 = _spawn(cmd)
    buf = b""
    seen = [math.nan] * len(markers)
    typed = keys is None
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
                if keys is not None and not typed and not any(map(math.isnan, seen[: keys[0]])):
                    os.write(fd, keys[1])
                    typed = True
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


def make_page(
    path: Path, paragraphs: int = 4500, title: str = "Big Page", opening: str = PAGE_OPENING
) -> None:
    """A saved news page (about 1.5 MB by default): navigation, a long article, a footer."""
    rng = random.Random(2)
    body = "".join(f"<p>{_paragraph(rng)}</p>\n" for _ in range(paragraphs))
    path.write_text(
        f"<html><head><title>{title}</title><meta name=author content='Web Writer'>"
        "<script>var tracker = 1;</script></head><body><nav><a href='/'>Home</a></nav>"
        f"<article><h1>{title}</h1><p>{opening}</p>{body}</article>"
        "<footer>Copyright</footer></body></html>"
    )


def formats(tmp: Path, reader: list[str], rounds: int = 5) -> None:
    """First screen and memory of an e-book and a web page, cold and warm, taken in turns
    with a small text file's and a minimal Textual app's (this machine's speed drifts: the
    difference is what counts)."""
    extracted = Path(os.environ["XDG_CACHE_HOME"]) / "reader" / "extracted"
    book, page, small = tmp / "big.epub", tmp / "big.html", tmp / "small.txt"
    make_book(book)
    make_page(page)
    small.write_text("A small text file whose words open the reading pane.\n")
    minimal = tmp / "minimal.py"
    minimal.write_text(MINIMAL_APP)
    minimal_times: list[float] = []
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
        minimal_times.append(first_screen([sys.executable, str(minimal)], b"minimal app ready")[0])
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
    print(
        f"a minimal Textual app (this machine's floor): first screen median "
        f"{statistics.median(minimal_times):.2f} s "
        f"(range {min(minimal_times):.2f}-{max(minimal_times):.2f})"
    )
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


LIBRARY = Path("/tmp/reader-corpus/library")  # shared/bench/make_corpus.sh's 2,000 articles
LIBRARY_RUNS = 7
PAGES = 200  # saved web pages in the folder opened beside the library
VISIBLE_ROWS = 30  # library rows surely on a 120x40 screen (36 are)
TITLE_CHARS = 12  # of a title: a row at 120 columns always shows this much of it
_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ,.;:'\"()!?-]*")


@dataclass
class Opened:
    """A folder opened as a library, and the phrases that say how far its start-up got."""

    label: str
    folder: Path
    first: str  # the article opened at start, as the pane names it
    markers: list[tuple[str, bytes]]  # what each phrase shows, the phrase
    text: int  # which marker is the first article's text
    g: bool  # the last marker is in the last rows: G is typed once the others showed


def library_markers(label: str, folder: Path, cached: bool = False) -> Opened:
    """The phrases that show the app's start-up on folder, found with the app's own code:
    a line of the first article's text (the one it opens: the first readable article of
    the library as scanned for the first frame), its line count in the status line (its
    whole text is there), a title (not a file name) in a row on screen, then one in the
    last rows (G shows them) of the articles whose titles are read last. cached: a page or
    book opened first is in the extraction cache (no "Extracting", no first look)."""
    sys.path.insert(0, str(ROOT))
    from reader.core.document import Document
    from reader.core.library import scan, sort_articles

    at_start = scan([folder], later=True)  # as the app lists it for its first frame
    first = next((a for a in at_start.articles if a.problem is None), None)
    if first is None:
        sys.exit(f"open.py: {folder}: no article there can be opened")
    listed = scan([folder])  # with the titles the rows show once they are read
    order = sort_articles(listed.articles, "path", listed.rel, lambda a: 0.0, lambda a: 0.0)
    first_listed = next(a for a in listed.articles if a.path == first.path)
    head = Document.load(first.path).text[:20_000]
    name = listed.rel(first)
    # Drawn before any title is read: the rows' file names and paths, the first article.
    names = [listed.rel(a) for a in listed.articles] + [a.path.stem for a in listed.articles]
    drawn = [*names, first_listed.title, head[:4000]]

    markers: list[tuple[str, bytes]] = []
    extracted = not cached and first.path.suffix.lower() in (".html", ".htm", ".epub")
    if extracted:
        sign = f"Extracting the text of {first.path.name}"
        markers.append(("the pane names it (extracting)", sign.encode()))
    text = _text_marker(head, names)
    if text is not None:
        look = " (a first look while it is extracted)" if extracted else ""
        markers.append((f"first frame with {name}'s text{look}", text))
    markers.append((f"{name}'s whole text there (its line count)", b"line 1/"))
    text_at = len(markers) - 1 - (text is not None)
    on_screen = [a for a in order[:VISIBLE_ROWS] if a.path != first.path]
    row = next((m for a in on_screen if (m := _title_marker(a.title, a.path, drawn))), None)
    if row is not None:
        markers.append(("the rows on screen show titles", row))
    # Titles are read in the scan's order (the open article first), a batch at a time.
    last_rows = {a.path for a in order[-VISIBLE_ROWS:]}
    titled = [*drawn, *(a.title for a in order[: VISIBLE_ROWS + 6])]
    listed_last = [a for a in reversed(listed.articles) if a.path in last_rows]
    last = next((m for a in listed_last if (m := _title_marker(a.title, a.path, titled))), None)
    if last is not None:
        markers.append(("the last rows show titles (G typed once the above showed)", last))
    return Opened(label, folder, name, markers, text_at, last is not None)


def _text_marker(text: str, drawn: list[str]) -> bytes | None:
    """The start of a line of plain words on the article's first screen, after its title
    (a line starts a row, and 24 characters fit the pane), drawn nowhere else."""
    rows = 0
    title = ""
    for line in text.splitlines()[:30]:
        rows += 1 + len(line) // 50  # a long line wraps
        s = line.strip()
        if rows > 30:
            break
        if not s:
            continue
        if not title:  # a heading may be styled or stripped of its marks
            title = s
            continue
        cut = s if len(s) <= 24 else s[:25].rsplit(" ", 1)[0]
        plain = _PLAIN.fullmatch(cut) and "  " not in cut and len(cut.split()) >= 3
        elsewhere = cut in title or any(cut in d for d in drawn)
        if plain and len(line) - len(line.lstrip()) <= 16 and not elsewhere:
            return cut.encode()
    return None


def _title_marker(title: str, path: Path, drawn: list[str]) -> bytes | None:
    """The start of a title as its row shows it, when that is not a file name, a path or
    anything else drawn before."""
    cut = title[:TITLE_CHARS].rstrip()
    if len(cut) < 6 or not cut.isascii() or not cut.isprintable() or cut in path.stem:
        return None
    return None if any(cut in d for d in drawn) else cut.encode()


def make_pages(folder: Path, count: int = PAGES) -> None:
    """A folder of small saved web pages (about 15 KB each), each titled by its number."""
    folder.mkdir()
    for i in range(count):
        make_page(
            folder / f"page-{i:03d}.html",
            paragraphs=30,
            title=f"Title {i:03d} of a saved page",
            opening=f"Opening words of saved page {i:03d} begin here.",
        )


def library_startup(
    tmp: Path, reader: list[str], folder: Path | None, runs: int = LIBRARY_RUNS
) -> None:
    """Start-up on a big library and on a folder of saved web pages: the first frame with
    the first article's text, then the rows' titles (read in a thread after it). A first
    run has an empty cache and state: it indexes the library for search from 1 s on, and
    extracts the page it opens. A later run has the search index and that extraction in
    its cache (no article to reopen: that would start in the article, not the library).
    Taken in turns with a minimal Textual app's start-up (this machine's speed drifts)."""
    pages = tmp / "pages"
    make_pages(pages)
    cases = [] if folder is None else [(f"{_count(folder):,}-article library", folder)]
    cases.append((f"{PAGES} saved web pages", pages))
    minimal = tmp / "minimal.py"
    minimal.write_text(MINIMAL_APP)
    py = sys.executable
    homes = {"first run": tmp / "home-first", "later run": tmp / "home-later"}
    opened: list[tuple[str, Opened]] = []
    for label, path in cases:
        _use_home(homes["first run"])
        opened.append(("first run", library_markers(label, path)))
        opened.append(("later run", library_markers(label, path, cached=True)))

    def run(kind: str, case: Opened) -> tuple[list[float], int]:
        home = homes[kind]
        _use_home(home)
        # No state (no article to reopen); a first run no cache either.
        shutil.rmtree(home if kind == "first run" else home / "state", ignore_errors=True)
        cmd = [*reader, str(case.folder)]
        # G once all but the last showed: opening the article highlights its row again,
        # and rows scrolled away before their titles came are not drawn with them.
        markers = [m for _, m in case.markers]
        return milestones(cmd, markers, 0.0, 15.0, (len(markers) - 1, b"G") if case.g else None)

    for kind, case in opened:
        if kind == "later run":  # the search index as a first run leaves it, once finished
            _use_home(homes[kind])
            subprocess.run([*reader, "search", "the", str(case.folder)], capture_output=True)
        run(kind, case)  # warm-up: modules compiled, files in the OS's cache, page extracted
    mt: list[float] = []
    seen: dict[int, list[list[float]]] = {i: [] for i in range(len(opened))}
    peaks: dict[int, list[int]] = {i: [] for i in range(len(opened))}
    for _ in range(runs):
        for i, (kind, case) in enumerate(opened):
            if kind == "first run":
                mt.append(first_screen([py, str(minimal)], b"minimal app ready")[0])
            times, peak = run(kind, case)
            seen[i].append(times)
            peaks[i].append(peak)
    base = statistics.median(mt)
    print(
        f"minimal Textual app to first screen: median {base:.2f} s "
        f"(range {min(mt):.2f}-{max(mt):.2f}, {len(mt)} runs in turns with reader's)"
    )
    for i, (kind, case) in enumerate(opened):
        _report(kind, case, seen[i], max(peaks[i]), base)


def _use_home(home: Path) -> None:
    """The XDG folders the programs started next use (cache, state, data, config)."""
    for var, sub in (
        ("XDG_STATE_HOME", "state"),
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_CONFIG_HOME", "config"),
    ):
        os.environ[var] = str(home / sub)


def _report(kind: str, case: Opened, runs: list[list[float]], peak: int, base: float) -> None:
    """Best, median and range of each milestone, against the minimal app's median (base)."""
    mb = sum(p.stat().st_size for p in case.folder.rglob("*") if p.is_file()) / 1e6
    print(f"reader {case.folder} ({case.label}, {mb:.0f} MB), {kind}, opens {case.first}:")
    for i, (what, marker) in enumerate(case.markers):
        got = [t[i] for t in runs if not math.isnan(t[i])]
        phrase = marker.decode(errors="replace")
        if not got:
            print(f"  {what} ({phrase!r}): never seen in {len(runs)} runs")
            continue
        med = statistics.median(got)
        notes = []
        after = [t[i] - t[case.text] for t in runs if not math.isnan(t[i] + t[case.text])]
        if i > case.text and after:
            notes.append(f"+{statistics.median(after):.2f} s after the first frame")
        if case.g and i == len(case.markers) - 1:
            typed = [max(t[:i]) for t in runs if not math.isnan(t[i])]
            notes.append(f"G typed at median {statistics.median(typed):.2f} s")
        if len(got) < len(runs):
            notes.append(f"not seen in {len(runs) - len(got)} runs")
        print(
            f"  {what} ({phrase!r}): best {min(got):.2f} s, median {med:.2f} s "
            f"(range {min(got):.2f}-{max(got):.2f}) = {med / base:.2f}x the minimal app"
            + "".join(f"; {n}" for n in notes)
        )
    index = "it indexes the library for search from 1 s on" if kind == "first run" else ""
    print(
        f"  peak memory once the last of these showed: {peak / 1e6:.0f} MB (the most of all"
        f" runs{'; ' + index if index else ''})"
    )


def _count(folder: Path) -> int:
    sys.path.insert(0, str(ROOT))
    from reader.core.walk import article_paths

    return len(article_paths([folder])[0])


def _reader() -> list[str]:
    """The installed `reader` beside this Python (as pip, pipx or uv put it), else -m."""
    script = Path(sys.executable).with_name("reader")
    return [str(script)] if script.exists() else [sys.executable, "-m", "reader"]


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
    if "--library" in sys.argv:
        at = sys.argv.index("--library") + 1
        folder = Path(sys.argv[at]) if at < len(sys.argv) else LIBRARY
        if not folder.is_dir():
            if at < len(sys.argv):
                shutil.rmtree(tmp, ignore_errors=True)
                sys.exit(f"open.py: {folder}: no such folder")
            print(
                f"no library at {folder}: build it with shared/bench/make_corpus.sh "
                "(../shared from this checkout; it needs root for apt-get); "
                "timing the saved web pages alone"
            )
        reader = _reader()
        print(f"running: {reader[0]} (Python {sys.executable})")
        try:
            library_startup(tmp, reader, folder if folder.is_dir() else None)
        finally:
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
    reader = _reader()
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
