import json
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from reader.cli import main
from reader.core.annotation import Annotation, make_target
from reader.core.merge import merge_sets
from reader.core.sharing import find_layers
from reader.core.store import ArticleStore, read_sidecar, sidecar_beside

from ..conftest import HUAWEI, SEEDS, XIAOMI


def reader(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reader", *args], capture_output=True, text=True, cwd=cwd, timeout=60
    )


def test_bundled_sample_layer_is_found_and_anchors() -> None:
    [layer] = find_layers(SEEDS / HUAWEI, [SEEDS])
    assert layer.author == "sam" and not layer.error
    text = (SEEDS / HUAWEI).read_text()
    store_text = ArticleStore  # noqa: F841  (layers are read with the same anchoring)
    from reader.core.anchoring import Anchorer

    res = [Anchorer(text).resolve(a.target) for a in layer.annotations]
    assert len(res) == 3 and all(r.status == "anchored" for r in res)


def test_layers_mirror_relative_paths(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    (lib / "sub").mkdir(parents=True)
    art = lib / "sub" / "a.txt"
    art.write_text("Some text worth marking here.\n")
    main(["annotate", str(art), "--quote", "worth marking", "--author", "Ada"])
    layer_file = lib / "annotations" / "ada" / "sub" / "a.txt.annotations.toml"
    layer_file.parent.mkdir(parents=True)
    shutil.move(sidecar_beside(art), layer_file)
    [layer] = find_layers(art, [lib])
    assert layer.author == "ada" and layer.annotations[0].target.quote == "worth marking"


def colleague_file(seeds_copy: Path, tmp_path: Path) -> Path:
    """A colleague's sidecar for the Xiaomi article, made on their own copy."""
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    shutil.copy(seeds_copy / XIAOMI, theirs / XIAOMI)
    main(
        [
            "annotate",
            str(theirs / XIAOMI),
            "--quote",
            "political publicity stunt",
            "--note",
            "their view",
            "--tag",
            "politics",
            "--author",
            "Bo",
        ]
    )
    main(
        ["annotate", str(theirs / XIAOMI), "--quote", "Elliot Yao is a reviewer.", "--author", "Bo"]
    )
    return sidecar_beside(theirs / XIAOMI)


def test_import_merges_and_twice_changes_nothing(seeds_copy: Path, tmp_path: Path, capsys) -> None:
    shared = colleague_file(seeds_copy, tmp_path)
    mine = seeds_copy / XIAOMI
    # The article was edited on my side: their marks are re-anchored on my text.
    mine.write_text("An editor's introduction.\n" + mine.read_text())
    assert main(["import", str(shared), "--into", str(mine)]) == 0
    first = sidecar_beside(mine).read_bytes()
    store = ArticleStore(mine, mine.read_text())
    assert {a.note for a in store.annotations} == {"their view", ""}
    assert all(store.resolutions[a.id].status == "anchored" for a in store.annotations)
    assert main(["import", str(shared), "--into", str(mine)]) == 0
    assert sidecar_beside(mine).read_bytes() == first
    assert "0 added, 2 already there" in capsys.readouterr().out


def test_same_passage_same_note_made_independently_is_one(seeds_copy: Path, tmp_path: Path) -> None:
    shared = colleague_file(seeds_copy, tmp_path)
    mine = seeds_copy / XIAOMI
    main(["annotate", str(mine), "--quote", "political publicity stunt", "--note", "their view"])
    assert main(["import", str(shared), "--into", str(mine)]) == 0
    quotes = [a.target.quote for a in ArticleStore(mine, mine.read_text()).annotations]
    assert quotes.count("political publicity stunt") == 1 and len(quotes) == 2


def test_import_as_layer_writes_only_the_layer(seeds_copy: Path, tmp_path: Path) -> None:
    shared = colleague_file(seeds_copy, tmp_path)
    mine = seeds_copy / XIAOMI
    assert main(["import", str(shared), "--into", str(mine), "--as-layer", "bo"]) == 0
    assert not sidecar_beside(mine).exists()
    [layer] = find_layers(mine, [seeds_copy])
    assert layer.author == "bo" and len(layer.annotations) == 2


def test_a_layer_name_in_another_case_is_the_same_colleague(
    seeds_copy: Path, tmp_path: Path, capsys
) -> None:
    """--as-layer Bo, then --as-layer bo: one layer (the folder already there), not two."""
    shared = colleague_file(seeds_copy, tmp_path)
    mine = seeds_copy / XIAOMI
    assert main(["import", str(shared), "--into", str(mine), "--as-layer", "Bo"]) == 0
    capsys.readouterr()
    assert main(["import", str(shared), "--into", str(mine), "--as-layer", "bo"]) == 0
    assert "0 added, 2 already there" in capsys.readouterr().out
    [layer] = find_layers(mine, [seeds_copy])
    assert layer.author == "Bo" and len(layer.annotations) == 2


@pytest.mark.parametrize(
    "name,content,expect",
    [
        ("truncated.toml", 'format = 1\n[[annotation]]\nid = "x', "not valid TOML"),
        (
            "types.toml",
            'format = 1\n[[annotation]]\nid = 5\n[annotation.target]\nquote = "x"\n'
            "start = 0\nend = 1\n",
            "'id' must be a string",
        ),
        ("future.toml", "format = 99\n", "format 99 is newer"),
        ("bad.json", '{"type": "Annotation", "id": "a", "target": "http://x"}', "no selector"),
        ("broken.json", '{"type": ', "not valid JSON"),
    ],
)
def test_bad_shared_files_change_nothing(
    seeds_copy: Path, tmp_path: Path, name, content, expect
) -> None:
    mine = seeds_copy / XIAOMI
    main(["annotate", str(mine), "--quote", "Xring O1 chip"])
    before = sidecar_beside(mine).read_bytes()
    bad = tmp_path / name
    bad.write_text(content)
    r = reader("import", str(bad), "--into", str(mine))
    assert r.returncode == 2 and expect in r.stderr and str(bad) in r.stderr
    assert sidecar_beside(mine).read_bytes() == before


def test_unmatched_quote_huge_note_and_colliding_id_are_skipped(
    seeds_copy: Path, tmp_path: Path
) -> None:
    mine = seeds_copy / XIAOMI
    text = mine.read_text()
    ident = main(["annotate", str(mine), "--quote", "Xring O1 chip"])
    assert ident == 0
    my_id = ArticleStore(mine, text).annotations[0].id
    s = text.index("TSMC")
    items = [
        Annotation(make_target(text, s, s + 4), id=my_id, note="different!"),  # id collision
        Annotation(make_target("zzz nothing like it at all here", 4, 20)),  # matches nothing
        Annotation(make_target(text, s, s + 4), note="x" * 200_000),  # huge note
    ]
    shared = tmp_path / "shared.toml"
    from reader.core.store import dump_sidecar

    shared.write_text(dump_sidecar(mine, text, items))
    before = sidecar_beside(mine).read_bytes()
    r = reader("import", str(shared), "--into", str(mine))
    assert r.returncode == 0
    assert "already used by a different annotation" in r.stderr
    assert "is not in" in r.stderr and "note of 200,000 characters" in r.stderr
    assert sidecar_beside(mine).read_bytes() == before


def test_w3c_round_trip(seeds_copy: Path, tmp_path: Path) -> None:
    src = seeds_copy / HUAWEI
    main(
        [
            "annotate",
            str(src),
            "--quote",
            "Kirin 9000S",
            "--note",
            "note “one”\nline 2",
            "--tag",
            "a",
            "--tag",
            "b",
            "--color",
            "pink",
            "--author",
            "Ann",
        ]
    )
    main(["annotate", str(src), "--quote", "Source link"])
    out = tmp_path / "export.json"
    assert main(["export", str(src), "--format", "w3c", "-o", str(out)]) == 0
    data = json.loads(out.read_text())
    assert data["type"] == "AnnotationCollection" and data["total"] == 2
    item = data["first"]["items"][0]
    assert "http://www.w3.org/ns/anno.jsonld" in item["@context"]
    kinds = {s["type"] for s in item["target"]["selector"]}
    assert kinds == {"TextQuoteSelector", "TextPositionSelector"}
    empty = tmp_path / "empty"
    empty.mkdir()
    shutil.copy(src, empty / HUAWEI)
    assert main(["import", str(out), "--into", str(empty / HUAWEI)]) == 0

    def key(a: Annotation):
        return (a.id, a.target.quote, a.target.start, a.note, a.tags, a.color, a.author, a.created)

    orig = sorted(map(key, read_sidecar(sidecar_beside(src)).annotations))
    back = sorted(map(key, read_sidecar(sidecar_beside(empty / HUAWEI)).annotations))
    assert back == orig


def test_markdown_digest(seeds_copy: Path, capsys) -> None:
    src = seeds_copy / HUAWEI
    main(["annotate", str(src), "--quote", "Kirin 9000S", "--note", "The chip", "--tag", "hw"])
    capsys.readouterr()
    assert main(["export", str(seeds_copy), "--format", "md"]) == 0
    out = capsys.readouterr().out
    assert "## China’s biggest tech giants" in out
    assert "> Kirin 9000S" in out and "The chip" in out and "#hw" in out and "line 3" in out


def _colleague_layer(article: Path, author: str, quote: str) -> None:
    """A colleague's layer: their sidecar in annotations/AUTHOR/ beside the article."""
    theirs = article.parent.parent / "theirs" / article.name
    theirs.parent.mkdir(exist_ok=True)
    theirs.write_text(article.read_text("utf-8"), "utf-8")
    main(["annotate", str(theirs), "--quote", quote, "--author", author, "--note", "ada says"])
    folder = article.parent / "annotations" / author
    folder.mkdir(parents=True, exist_ok=True)
    sidecar = theirs.with_name(theirs.name + ".annotations.toml")
    (folder / sidecar.name).write_text(sidecar.read_text("utf-8"), "utf-8")


def test_markdown_digest_has_colleagues_layers_after_yours(tmp_path: Path, capsys) -> None:
    """As the web page shows them: each colleague's layer under its own heading, yours
    first; an article only a colleague marked is in it too. The JSON stays yours alone."""
    lib = tmp_path / "lib"
    lib.mkdir()
    mine, only_theirs = lib / "mine.txt", lib / "only-theirs.txt"
    mine.write_text("Alpha beta gamma delta epsilon.\n")
    only_theirs.write_text("Zeta eta theta iota.\n")
    main(["annotate", str(mine), "--quote", "beta", "--note", "my note"])
    _colleague_layer(mine, "ada", "delta")
    _colleague_layer(only_theirs, "ada", "theta")
    capsys.readouterr()
    assert main(["export", str(lib), "--format", "md"]) == 0
    out = capsys.readouterr().out
    assert "`mine.txt` · 1 annotation(s) · ada's layer: 1" in out
    yours, layer = out.split("### ada's layer", 1)[0], out.split("### ada's layer", 1)[1]
    assert "> beta" in yours and "my note" in yours and "> delta" not in yours
    assert "> delta" in layer and "ada says" in layer
    assert "> theta" in out and "`only-theirs.txt` · 0 annotation(s) · ada's layer: 1" in out
    assert main(["export", str(lib), "--format", "json"]) == 0
    quotes = [a["target"]["quote"] for a in json.loads(capsys.readouterr().out)]
    assert quotes == ["beta"]
    # The web page holds the layers too, and its count says so.
    page = tmp_path / "page.html"
    assert main(["export", str(lib), "--format", "html", "-o", str(page)]) == 0
    said = capsys.readouterr().err
    assert f"3 annotation(s) written to {page} (1 yours, 2 in colleagues' layers)" in said
    assert "theta" in page.read_text("utf-8")


def _a(text: str, quote: str, **kw) -> Annotation:
    s = text.index(quote)
    return Annotation(make_target(text, s, s + len(quote)), **kw)


def test_merge_rules() -> None:
    text = "one two three four five six seven eight"
    base_a = _a(text, "two", note="base", created="2026-01-01T00:00:00Z")
    base_b = _a(text, "four", created="2026-01-01T00:00:00Z")
    base_c = _a(text, "six", note="c", created="2026-01-01T00:00:00Z")
    base = [base_a, base_b, base_c]
    ours = [
        replace(base_a, note="ours", modified="2026-01-02T00:00:00Z"),  # both edit: conflict
        base_b,  # theirs deletes, we leave alone -> deleted
        replace(base_c, color="blue", modified="2026-01-02T00:00:00Z"),  # edit vs delete -> kept
        _a(text, "seven", note="ours new"),
    ]
    theirs = [
        replace(base_a, note="theirs", modified="2026-01-03T00:00:00Z"),
        _a(text, "eight", note="theirs new"),
    ]
    merged = {a.target.quote: a for a in merge_sets(base, ours, theirs)}
    assert set(merged) == {"two", "six", "seven", "eight"}
    assert "ours" in merged["two"].note and "theirs" in merged["two"].note
    assert merged["two"].conflict
    assert merged["six"].color == "blue"


def test_git_merge_of_two_branches_keeps_every_annotation(seeds_copy: Path, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    shutil.copy(seeds_copy / XIAOMI, repo / XIAOMI)

    def git(*args: str) -> str:
        r = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        return r.stdout

    git("init", "-q", "-b", "main")
    git("config", "user.email", "t@example.com")
    git("config", "user.name", "Tester")
    assert reader("git-setup", cwd=repo).returncode == 0
    art = repo / XIAOMI
    assert main(["annotate", str(art), "--quote", "Xring O1 chip", "--note", "base"]) == 0
    git("add", "-A")
    git("commit", "-qm", "base")
    git("checkout", "-qb", "alice")
    main(["annotate", str(art), "--quote", "political publicity stunt", "--note", "alice"])
    git("commit", "-qam", "alice")
    git("checkout", "-q", "main")
    main(["annotate", str(art), "--quote", "Elliot Yao is a reviewer.", "--note", "bob"])
    git("commit", "-qam", "bob")
    git("merge", "-q", "--no-edit", "alice")
    raw = sidecar_beside(art).read_text()
    assert "<<<<<<<" not in raw and ">>>>>>>" not in raw
    notes = {a.note for a in read_sidecar(sidecar_beside(art)).annotations}
    assert notes == {"base", "alice", "bob"}
