import os
import signal
import subprocess
import sys
import textwrap
import time
import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.core.annotation import Annotation, make_target
from reader.core.store import ArticleStore, SidecarError, read_sidecar, sidecar_beside

from ..conftest import annotate

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
            [sys.executable, str(script), str(p), tag, "25"], stdout=subprocess.PIPE, text=True
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
        )
        assert proc.stdout is not None
        time.sleep(0.4 + 0.1 * round_)
        os.kill(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate()
        confirmed |= set(out.split())
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
