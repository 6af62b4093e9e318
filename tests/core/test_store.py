import contextlib
import errno
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.cli import main
from reader.core.annotation import Annotation, make_target
from reader.core.store import (
    ArticleStore,
    SidecarError,
    count_annotations,
    read_sidecar,
    sidecar_beside,
    sidecar_fallback,
)

from ..conftest import REPO, annotate


def this_reader(**extra: str) -> dict[str, str]:
    """The environment for a child process that runs this checkout's reader (not whichever
    one is installed)."""
    path = os.pathsep.join(x for x in (str(REPO), os.environ.get("PYTHONPATH", "")) if x)
    return {**os.environ, "PYTHONPATH": path, **extra}


TEXT = "Alpha beta gamma. Delta epsilon zeta.\nEta theta iota kappa.\n"


def article(tmp_path: Path, text: str = TEXT) -> Path:
    p = tmp_path / "a.txt"
    p.write_text(text, encoding="utf-8")
    return p


def mark(text: str, quote: str, **kw) -> Annotation:
    s = text.index(quote)
    return Annotation(make_target(text, s, s + len(quote)), **kw)


def test_sidecar_is_readable_toml_in_document_order(tmp_path: Path) -> None:
    p = article(tmp_path)
    store = ArticleStore(p, TEXT)
    store.add(mark(TEXT, "Eta theta", note="second"))
    store.add(mark(TEXT, "Alpha beta", tags=("x",)))
    raw = sidecar_beside(p).read_text()
    data = tomllib.loads(raw)
    assert data["format"] == 1
    assert data["source"]["name"] == "a.txt" and len(data["source"]["sha256"]) == 64
    assert [a["target"]["quote"] for a in data["annotation"]] == ["Alpha beta", "Eta theta"]
    assert raw.index('quote = "Alpha beta"') < raw.index('quote = "Eta theta"')
    assert list(data["annotation"][0])[:6] == [
        "id",
        "created",
        "modified",
        "author",
        "kind",
        "color",
    ]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(note=st.text())
def test_any_note_round_trips_exactly(tmp_path: Path, note: str) -> None:
    p = article(tmp_path)
    if sidecar_beside(p).exists():
        sidecar_beside(p).unlink()
    store = ArticleStore(p, TEXT)
    a = mark(TEXT, "gamma", note=note)
    store.add(a)
    again = ArticleStore(p, TEXT)
    assert again.get(a.id).note == note


def test_special_notes_round_trip(tmp_path: Path) -> None:
    p = article(tmp_path)
    note = 'multi\nline """ quotes \x1b[31m 中文 😀 \r\n end\\'
    ArticleStore(p, TEXT).add(mark(TEXT, "Delta", note=note))
    assert ArticleStore(p, TEXT).annotations[0].note == note


def test_broken_sidecar_is_never_overwritten(tmp_path: Path) -> None:
    p = article(tmp_path)
    side = sidecar_beside(p)
    side.write_text('format = 1\n[[annotation]]\nid = "x"\nnote = "unterminated\n')
    before = side.read_bytes()
    store = ArticleStore(p, TEXT)
    assert store.read_only
    assert f"{side}:4" in str(store.error)
    with pytest.raises(SidecarError):
        store.add(mark(TEXT, "Alpha"))
    assert side.read_bytes() == before


def test_future_format_is_read_only(tmp_path: Path) -> None:
    p = article(tmp_path)
    side = sidecar_beside(p)
    side.write_text("format = 7\n")
    store = ArticleStore(p, TEXT)
    assert store.read_only and "format 7 is newer" in str(store.error) and ":1" in str(store.error)


def test_wrong_types_name_the_annotation_line(tmp_path: Path) -> None:
    p = article(tmp_path)
    side = sidecar_beside(p)
    side.write_text(
        textwrap.dedent("""\
        format = 1

        [[annotation]]
        id = "a"
        tags = "not-a-list"
        [annotation.target]
        quote = "Alpha"
        start = 0
        end = 5
    """)
    )
    with pytest.raises(SidecarError, match=r":3: annotation 1: 'tags' must be a list"):
        read_sidecar(side)


def test_orphans_are_kept_in_the_file(tmp_path: Path) -> None:
    p = article(tmp_path)
    store = ArticleStore(p, TEXT)
    gone = mark(TEXT, "Delta epsilon zeta.")
    store.add(gone)
    new_text = TEXT.replace("Delta epsilon zeta.", "Something else entirely.")
    p.write_text(new_text)
    store2 = ArticleStore(p, new_text)
    assert store2.resolutions[gone.id].status == "orphan"
    store2.add(mark(new_text, "Eta theta"))
    assert ArticleStore(p, new_text).get(gone.id) is not None


def test_moved_annotations_get_fresh_hints_on_save(tmp_path: Path) -> None:
    p = article(tmp_path)
    ArticleStore(p, TEXT).add(a := mark(TEXT, "Eta theta"))
    new_text = "Added first.\n" + TEXT
    store = ArticleStore(p, new_text)
    assert store.resolutions[a.id].status == "moved"
    store.add(mark(new_text, "Alpha"))
    assert ArticleStore(p, new_text).resolutions[a.id].status == "anchored"


def test_two_stores_do_not_lose_or_resurrect(tmp_path: Path) -> None:
    p = article(tmp_path)
    one, two = ArticleStore(p, TEXT), ArticleStore(p, TEXT)
    a = mark(TEXT, "Alpha")
    one.add(a)
    two.add(mark(TEXT, "Delta"))  # two never saw a: it must not drop it
    assert len(ArticleStore(p, TEXT).annotations) == 2
    one.delete(a.id)
    two.put(a.edited(note="edit from a stale window"), create=False)
    assert ArticleStore(p, TEXT).get(a.id) is None  # not resurrected


def test_read_only_folder_falls_back_to_data_folder(
    tmp_path: Path, monkeypatch, isolated_home
) -> None:
    p = article(tmp_path)
    import errno

    import reader.core.store as store_mod

    real = store_mod.write_atomic

    def refuse_beside(path: Path, data: bytes) -> None:
        if path.parent == tmp_path:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        real(path, data)

    monkeypatch.setattr(store_mod, "write_atomic", refuse_beside)
    store = ArticleStore(p, TEXT)
    store.add(mark(TEXT, "Alpha"))
    assert "read-only" in store.message and str(isolated_home) in store.message
    assert not sidecar_beside(p).exists()
    assert ArticleStore(p, TEXT).annotations[0].target.quote == "Alpha"


WRITER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from reader.core.annotation import Annotation, make_target
    from reader.core.store import ArticleStore
    p = Path(sys.argv[1]); tag = sys.argv[2]; n = int(sys.argv[3])
    text = p.read_text()
    for i in range(n):
        s = ArticleStore(p, text)
        s.add(Annotation(make_target(text, i % 20, i % 20 + 5), note=f"{tag}-{i}"))
        print(f"{tag}-{i}", flush=True)
""")


def test_two_processes_adding_concurrently_lose_nothing(tmp_path: Path) -> None:
    p = article(tmp_path)
    script = tmp_path / "w.py"
    script.write_text(WRITER)
    procs = [
        subprocess.Popen(
            [sys.executable, str(script), str(p), tag, "25"],
            stdout=subprocess.PIPE,
            text=True,
            env=this_reader(),
        )
        for tag in ("one", "two")
    ]
    for proc in procs:
        proc.wait(timeout=60)
        assert proc.returncode == 0
    notes = {a.note for a in ArticleStore(p, TEXT).annotations}
    assert notes == {f"{t}-{i}" for t in ("one", "two") for i in range(25)}


def test_sigkill_mid_save_leaves_a_whole_file(tmp_path: Path) -> None:
    p = article(tmp_path)
    script = tmp_path / "w.py"
    script.write_text(WRITER)
    confirmed: set[str] = set()
    for round_ in range(6):
        proc = subprocess.Popen(
            [sys.executable, str(script), str(p), f"r{round_}", "1000"],
            stdout=subprocess.PIPE,
            text=True,
            env=this_reader(),
        )
        assert proc.stdout is not None
        # Once it is saving (a first save confirmed, however slow the start-up), kill it at
        # some moment of the saves that follow.
        first = proc.stdout.readline()
        time.sleep(0.02 + 0.05 * round_)
        os.kill(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate()
        confirmed |= set((first + out).split())
        side = read_sidecar(sidecar_beside(p))  # always parses
        notes = {a.note for a in side.annotations}
        assert confirmed <= notes
    assert confirmed


def test_marks_on_the_bundled_samples_go_to_the_user_data_folder(isolated_home: Path) -> None:
    """Not into the installed package, which a reinstall or a new virtualenv would lose."""
    from reader.core.seeds import seeds_dir
    from reader.core.store import count_annotations, find_sidecar

    sample = seeds_dir() / "000_73266b627bb35767.txt"
    annotate(sample, "Huawei and Xiaomi", "--note", "kept")
    assert not sidecar_beside(sample).exists()
    kept = find_sidecar(sample)
    assert kept.is_relative_to(isolated_home) and "kept" in kept.read_text()
    assert count_annotations(sample) == 1


# A folder that cannot be written. Tests run as root, for whom chmod 555 changes nothing,
# so as root the OS calls that would create, rename or remove an entry in that folder are
# made to fail as the kernel fails them for anyone else (EACCES); otherwise chmod does it.
@contextlib.contextmanager
def read_only_folder(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    folder.chmod(0o555)
    try:
        if os.geteuid() != 0:
            yield
            return
        here = os.path.abspath(folder)

        def inside(p: object) -> bool:
            return os.path.dirname(os.path.abspath(os.fsdecode(p))) == here  # type: ignore[arg-type]

        def refuse(p: object) -> None:
            raise PermissionError(errno.EACCES, "Permission denied", os.fsdecode(p))  # type: ignore[arg-type]

        real_open, real_replace, real_unlink = os.open, os.replace, os.unlink

        def fake_open(p, flags, *a, **kw):  # type: ignore[no-untyped-def]
            if flags & os.O_CREAT and inside(p) and (flags & os.O_EXCL or not os.path.exists(p)):
                refuse(p)
            return real_open(p, flags, *a, **kw)

        def fake_replace(src, dst, *a, **kw):  # type: ignore[no-untyped-def]
            if inside(src) or inside(dst):
                refuse(dst)
            return real_replace(src, dst, *a, **kw)

        def fake_unlink(p, *a, **kw):  # type: ignore[no-untyped-def]
            if inside(p):
                refuse(p)
            return real_unlink(p, *a, **kw)

        with monkeypatch.context() as m:
            m.setattr(os, "open", fake_open)
            m.setattr(os, "replace", fake_replace)
            m.setattr(os, "unlink", fake_unlink)
            yield
    finally:
        folder.chmod(0o755)


def quotes(p: Path) -> set[str]:
    return {a.target.quote for a in ArticleStore(p, p.read_text()).annotations}


FOX = "The quick brown fox jumps over the lazy dog. It was not amused.\n"


def test_a_folder_that_turns_read_only_loses_nothing_and_gets_it_all_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, isolated_home: Path, capsys
) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    p = folder / "fox.txt"
    p.write_text(FOX)
    annotate(p, "quick")
    with read_only_folder(folder, monkeypatch):
        annotate(p, "brown")
        assert "read-only" in capsys.readouterr().err
        annotate(p, "jumps", "--note", "third")
        capsys.readouterr()
        assert quotes(p) == {"quick", "brown", "jumps"}
        assert count_annotations(p) == 3
        # `reader notes` shows all three
        assert main(["notes", str(p), "--json"]) == 0
        assert {r["target"]["quote"] for r in json.loads(capsys.readouterr().out)} == {
            "quick",
            "brown",
            "jumps",
        }
        # the file beside the article is untouched; the fallback holds everything
        assert {a.target.quote for a in read_sidecar(sidecar_beside(p)).annotations} == {"quick"}
        assert sidecar_fallback(p).is_relative_to(isolated_home)
    annotate(p, "lazy")
    assert {a.target.quote for a in read_sidecar(sidecar_beside(p)).annotations} == {
        "quick",
        "brown",
        "jumps",
        "lazy",
    }
    assert not sidecar_fallback(p).exists()
    assert sorted(x.name for x in folder.iterdir()) == ["fox.txt", "fox.txt.annotations.toml"]


def test_deleting_and_editing_in_a_read_only_folder_hold_once_it_is_writable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = article(tmp_path)
    store = ArticleStore(p, TEXT)
    store.add(a := mark(TEXT, "Alpha"))
    store.add(b := mark(TEXT, "Delta"))
    with read_only_folder(tmp_path, monkeypatch):
        ro = ArticleStore(p, TEXT)
        ro.delete(a.id)
        ro.put(b.edited(note="edited while read-only"))
        assert ArticleStore(p, TEXT).get(a.id) is None  # not back from the file beside it
        assert ArticleStore(p, TEXT).get(b.id).note == "edited while read-only"
        assert ArticleStore(p, TEXT).get(a.id) is None
    ArticleStore(p, TEXT).add(mark(TEXT, "Eta"))
    on_disk = {x.id: x for x in read_sidecar(sidecar_beside(p)).annotations}
    assert a.id not in on_disk and on_disk[b.id].note == "edited while read-only"
    assert len(on_disk) == 2


def test_the_lock_is_on_the_sidecar_not_in_the_cache_folder(tmp_path: Path) -> None:
    """Two processes with different cache folders (two users, two environments) saving
    one file lose nothing; nothing but the sidecar is left beside the article."""
    p = article(tmp_path)
    script = tmp_path / "w.py"
    script.write_text(WRITER)
    procs = []
    for tag in ("one", "two"):
        env = this_reader(XDG_CACHE_HOME=str(tmp_path / f"cache-{tag}"))
        procs.append(
            subprocess.Popen(
                [sys.executable, str(script), str(p), tag, "25"],
                stdout=subprocess.PIPE,
                text=True,
                env=env,
            )
        )
    for proc in procs:
        proc.wait(timeout=120)
        assert proc.returncode == 0
    notes = {a.note for a in ArticleStore(p, TEXT).annotations}
    assert notes == {f"{t}-{i}" for t in ("one", "two") for i in range(25)}
    assert sorted(x.name for x in tmp_path.iterdir() if not x.name.startswith("cache")) == [
        "a.txt",
        "a.txt.annotations.toml",
        "w.py",
    ]


def test_an_unusable_cache_folder_does_not_block_saves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker / "cache"))
    p = article(tmp_path)
    annotate(p, "Alpha")
    assert quotes(p) == {"Alpha"}


def test_a_killed_saves_temp_files_are_removed_by_the_next_save(tmp_path: Path) -> None:
    p = article(tmp_path)
    side = sidecar_beside(p)
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    ).stdout.strip()
    killed = tmp_path / f".{side.name}.{dead}.abc123.tmp"
    old = tmp_path / f".{side.name}.{os.getppid()}.def456.tmp"
    fresh = tmp_path / f".{side.name}.{os.getppid()}.ghi789.tmp"
    other = tmp_path / f".other.txt.annotations.toml.{dead}.jkl.tmp"
    for f in (killed, old, fresh, other):
        f.write_bytes(b"x" * 1000)
    two_minutes_ago = time.time() - 120
    os.utime(old, (two_minutes_ago, two_minutes_ago))
    ArticleStore(p, TEXT).add(mark(TEXT, "Alpha"))
    assert not killed.exists() and not old.exists()
    assert fresh.exists()  # a save in progress elsewhere
    assert other.exists()  # another file's
    assert quotes(p) == {"Alpha"}


@pytest.mark.parametrize("kind", ["dev-zero", "fifo", "folder"])
def test_only_a_regular_file_is_read_as_a_sidecar(tmp_path: Path, kind: str) -> None:
    p = article(tmp_path)
    side = sidecar_beside(p)
    if kind == "dev-zero":
        side.symlink_to("/dev/zero")
    elif kind == "fifo":
        os.mkfifo(side)
    else:
        side.mkdir()
    store = ArticleStore(p, TEXT)  # returns at once: no hang, no endless read
    assert (
        store.read_only
        and str(side) in str(store.error)
        and "not a regular file" in str(store.error)
    )
    with pytest.raises(SidecarError):
        store.add(mark(TEXT, "Alpha"))
    assert count_annotations(p) == 0
    from reader.cli import main as cli

    assert cli(["annotate", str(p), "--quote", "Alpha"]) == 2
    if kind == "dev-zero":
        assert side.is_symlink()


SPACED = """\
format = 1
[[ annotation ]]
id = "one"
color = "red"
[annotation.target]
quote = "Alpha"
start = 0
end = 5

[[ annotation ]]
id = "two"
note = '''a note
[[annotation]]
on lines'''
[annotation.target]
quote = "Delta"
start = 18
end = 23
"""

INLINE = """\
format = 1
annotation = [
  { id = "one", target = { quote = "Alpha", start = 0, end = 5 } },
  { id = "two", note = "n", target = { quote = "Delta", start = 18, end = 23 } },
]
"""


@pytest.mark.parametrize("raw", [SPACED, INLINE], ids=["spaced-headers", "inline-array"])
def test_any_valid_layout_is_read_counted_and_exported(tmp_path: Path, raw: str, capsys) -> None:
    p = article(tmp_path)
    sidecar_beside(p).write_text(raw)
    assert count_annotations(p) == 2
    assert {a.id for a in ArticleStore(p, TEXT).annotations} == {"one", "two"}
    assert main(["export", str(tmp_path), "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert '"one"' in out and '"two"' in out
    ArticleStore(p, TEXT).add(mark(TEXT, "Eta"))  # rewritten as reader writes it
    assert count_annotations(p) == 3
    assert {a.id for a in read_sidecar(sidecar_beside(p)).annotations} >= {"one", "two"}


def test_any_colour_loads_and_keeps_its_name(tmp_path: Path) -> None:
    p = article(tmp_path)
    sidecar_beside(p).write_text(SPACED)
    store = ArticleStore(p, TEXT)
    assert not store.read_only and store.get("one").color == "red"
    store.add(mark(TEXT, "Eta", color="teal"))
    on_disk = {a.id: a.color for a in read_sidecar(sidecar_beside(p)).annotations}
    assert on_disk["one"] == "red" and "teal" in on_disk.values()
    assert 'color = "red"' in sidecar_beside(p).read_text()


def test_editing_a_flagged_field_clears_its_flag(tmp_path: Path) -> None:
    p = article(tmp_path)
    flagged = mark(
        TEXT,
        "Alpha",
        note="mine\n\n[other version] theirs",
        conflict="note: both sides edited it; both versions are kept; "
        "color: ours='blue' theirs='green'",
    )
    ArticleStore(p, TEXT).add(flagged)
    store = ArticleStore(p, TEXT)
    store.put(flagged.edited(note="settled"))
    assert store.get(flagged.id).conflict == "color: ours='blue' theirs='green'"
    store.put(store.get(flagged.id).edited(color="green"))
    [a] = read_sidecar(sidecar_beside(p)).annotations
    assert a.conflict == "" and a.note == "settled" and a.color == "green"
    assert "conflict" not in sidecar_beside(p).read_text()


def test_a_file_changed_by_someone_else_is_read_again_not_from_the_cache(tmp_path: Path) -> None:
    p = article(tmp_path)
    store = ArticleStore(p, TEXT)
    store.add(a := mark(TEXT, "Alpha", note="before"))
    store.add(mark(TEXT, "Delta"))
    side = sidecar_beside(p)
    side.write_text(side.read_text().replace('note = "before"', 'note = "by hand"'))
    store.add(mark(TEXT, "Eta"))
    assert ArticleStore(p, TEXT).get(a.id).note == "by hand"
    assert len(ArticleStore(p, TEXT).annotations) == 3


@settings(max_examples=30, deadline=None)
@given(notes=st.lists(st.text(), min_size=0, max_size=4), tags=st.lists(st.text(), max_size=3))
def test_written_text_is_what_tomli_w_writes_for_the_whole_file(notes, tags) -> None:
    import tomli_w

    from reader.core.sidecar import HEADER, ChunkCache, dump_annotations

    marks = [
        mark(TEXT, q, note=n, tags=tuple(tags))
        for q, n in zip(["Alpha", "Delta", "Eta", "iota"], notes, strict=False)
    ]
    source = {"name": "a.txt", "size": 1}
    whole = HEADER + tomli_w.dumps(
        {"format": 1, "source": source, "annotation": [m.to_dict() for m in marks]}
    )
    cache = ChunkCache()
    assert dump_annotations(source, marks, cache) == whole
    assert dump_annotations(source, marks, cache) == whole  # from the cache
    from reader.core.sidecar import parse_sidecar

    assert parse_sidecar(Path("x"), whole, cache).annotations == marks
    assert parse_sidecar(Path("x"), whole).annotations == marks


def test_a_full_disk_on_the_first_save_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    p = article(tmp_path)

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    assert main(["annotate", str(p), "--quote", "Alpha"]) == 2
    err = capsys.readouterr().err
    assert "Not saved" in err and "No space left" in err and len(err.splitlines()) == 1
    assert sorted(x.name for x in tmp_path.iterdir()) == ["a.txt"]


@pytest.mark.parametrize("where", ["head", "annotation"])
def test_deeply_nested_toml_is_one_clear_error(tmp_path: Path, where: str, capsys) -> None:
    p = article(tmp_path)
    deep = "x = " + "[" * 50_000 + "]" * 50_000 + "\n"
    raw = deep if where == "head" else f'[[annotation]]\nid = "a"\n{deep}'
    sidecar_beside(p).write_text(raw)
    store = ArticleStore(p, TEXT)
    assert store.read_only and str(sidecar_beside(p)) in str(store.error)
    assert main(["annotate", str(p), "--quote", "Alpha"]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert sidecar_beside(p).read_text() == raw


KEYS = ["format", "annotation", "source", "deleted", "id", "target", "quote", "start", "end"]
KEYS += ["color", "tags", "note", "created", "modified", "conflict", "kind", "x"]
scalars = st.one_of(
    st.integers(-3, 10**6), st.text(max_size=8), st.booleans(), st.floats(allow_nan=False)
)
shapes = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(KEYS), inner, max_size=4)
    ),
    max_leaves=12,
)
good = {"id": "g", "target": {"quote": "Alpha", "start": 0, "end": 5}}


def plausible_annotation(extra: dict) -> dict:
    return {**good, **extra}


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    doc=st.dictionaries(st.sampled_from(KEYS), shapes, max_size=4)
    | st.fixed_dictionaries(
        {
            "annotation": st.lists(
                st.dictionaries(st.sampled_from(KEYS), shapes, max_size=4).map(
                    plausible_annotation
                ),
                max_size=3,
            )
        }
    )
)
def test_any_toml_shape_as_a_sidecar_is_read_or_refused_in_one_line(
    tmp_path: Path, doc: dict, capsys
) -> None:
    import tomli_w

    try:
        raw = tomli_w.dumps(doc)
    except (TypeError, ValueError):
        return  # not expressible as TOML
    p = article(tmp_path)
    side = sidecar_beside(p)
    side.write_text(raw)
    store = ArticleStore(p, TEXT)
    assert store.error is None or str(side) in str(store.error)
    if store.error is None:  # the library list's cheap count agrees with what is read
        assert count_annotations(p) == len(store.annotations)
    capsys.readouterr()
    rc = main(["annotate", str(p), "--quote", "Delta"])
    err = capsys.readouterr().err
    assert rc in (0, 2) and "Traceback" not in err
    if rc == 2:
        assert len(err.strip().splitlines()) == 1 and side.read_text() == raw
    else:
        assert "Delta" in {a.target.quote for a in read_sidecar(side).annotations}
    # the merge driver: refuses (non-zero, one line, nothing changed) or merges
    ours = tmp_path / "ours.toml"
    ours.write_text("format = 1\n")
    before = ours.read_bytes()
    rc = main(["merge-driver", str(ours), str(ours), str(side)])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    if rc != 0:
        assert len(err.strip().splitlines()) == 1 and ours.read_bytes() == before
    assert count_annotations(p) >= 0
