"""`reader import` of what other tools write: Hypothesis (API JSON, search reply, the client's
export file, its JSON-LD), W3C from any tool, reader's own JSON; and of what nobody should.

The Hypothesis fixtures are built here, shaped as its API (h/presenters/annotation_json.py),
its JSON-LD (annotation_jsonld.py) and its client's export (ExportContent) write them."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.sharing import ShareError, read_shared_file
from reader.core.store import sidecar_beside

from ..conftest import XIAOMI
from .test_w3c import errors

PAGE = "https://example.com/news/xiaomi-chip.html"


def reader(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reader", *args], capture_output=True, text=True, timeout=60
    )


def selectors(text: str, quote: str) -> list[dict[str, Any]]:
    """What the Hypothesis client stores for a quote on a web page: a DOM range, a position
    in the page's text (not ours: the page has a header) and the quote with its context."""
    s = text.index(quote)
    e = s + len(quote)
    return [
        {
            "type": "RangeSelector",
            "startContainer": "/main[1]/article[1]/p[3]",
            "startOffset": 12,
            "endContainer": "/main[1]/article[1]/p[3]",
            "endOffset": 12 + len(quote),
        },
        {"type": "TextPositionSelector", "start": s + 230, "end": e + 230},
        {
            "type": "TextQuoteSelector",
            "exact": quote,
            "prefix": text[max(0, s - 32) : s],
            "suffix": text[e : e + 32],
        },
    ]


def api_row(text: str, quote: str, hid: str, note: str, tags: list[str]) -> dict[str, Any]:
    user = "acct:ada@hypothes.is"
    return {
        "id": hid,
        "created": "2025-03-01T10:11:12.345678+00:00",
        "updated": "2025-03-02T09:00:00.000000+00:00",
        "user": user,
        "uri": PAGE,
        "text": note,
        "tags": tags,
        "group": "__world__",
        "permissions": {
            "read": ["group:__world__"],
            "admin": [user],
            "update": [user],
            "delete": [user],
        },
        "target": [{"source": PAGE, "selector": selectors(text, quote)}],
        "document": {"title": ["Xiaomi's chip"]},
        "links": {
            "html": f"https://hypothes.is/a/{hid}",
            "incontext": f"https://hyp.is/{hid}/example.com/news/xiaomi-chip.html",
            "json": f"https://hypothes.is/api/annotations/{hid}",
        },
        "user_info": {"display_name": "Ada Lovelace"},
        "flagged": False,
        "hidden": False,
    }


def jsonld(text: str, quote: str, hid: str, note: str, tags: list[str]) -> dict[str, Any]:
    sel = selectors(text, quote)
    # Its JSON-LD rewrites the client's range as an XPathSelector refined by a position.
    sel[0] = {
        "type": "XPathSelector",
        "value": "/main[1]/article[1]/p[3]",
        "refinedBy": {"type": "TextPositionSelector", "start": 12, "end": 12 + len(quote)},
    }
    return {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "Annotation",
        "id": f"https://hypothes.is/a/{hid}",
        "created": "2025-03-01T10:11:12.345678+00:00",
        "modified": "2025-03-02T09:00:00.000000+00:00",
        "creator": "acct:ada@hypothes.is",
        "body": [{"type": "TextualBody", "value": note, "format": "text/markdown"}]
        + [{"type": "TextualBody", "value": t, "purpose": "tagging"} for t in tags],
        "target": [{"source": PAGE, "selector": sel}],
    }


@pytest.fixture
def article(seeds_copy: Path) -> tuple[Path, str]:
    path = seeds_copy / XIAOMI
    return path, path.read_text()


def notes(path: Path) -> list[dict[str, Any]]:
    """`reader notes --json` rows, without the article's path (compared across copies)."""
    r = reader("notes", str(path), "--json")
    assert r.returncode == 0, r.stderr
    rows = [{k: v for k, v in row.items() if k != "path"} for row in json.loads(r.stdout)]
    return sorted(rows, key=lambda row: row["target"]["quote"])


SHAPES = ["one annotation", "a list", "a search reply", "the client's export file"]


@pytest.mark.parametrize("shape", SHAPES)
def test_hypothesis_api_json_imports_with_author_note_and_tags(
    article: tuple[Path, str], tmp_path: Path, shape: str
) -> None:
    path, text = article
    rows = [
        api_row(text, "Xring O1 chip", "Qm9vazE2", "Is it **really** 3 nm?", ["chips", "3nm"]),
        api_row(text, "Lei Jun", "Qm9vazE3", "", []),
    ]
    data: Any = {
        "one annotation": rows[0],
        "a list": rows,
        "a search reply": {"total": 2, "rows": rows},
        "the client's export file": {
            "export_date": "2025-03-03T12:00:00.000Z",
            "export_userid": "acct:ada@hypothes.is",
            "client_version": "1.1566.0",
            "annotations": rows,
        },
    }[shape]
    shared = tmp_path / "hypothesis.json"
    shared.write_text(json.dumps(data))
    r = reader("import", str(shared), "--into", str(path))
    assert r.returncode == 0, r.stderr
    got = notes(path)
    chip = next(row for row in got if row["target"]["quote"] == "Xring O1 chip")
    assert chip["author"] == "ada"
    assert chip["note"] == "Is it **really** 3 nm?" and chip["tags"] == ["chips", "3nm"]
    assert chip["id"] == "https://hypothes.is/a/Qm9vazE2"
    assert chip["status"] in ("moved", "anchored") and text[chip["start"] : chip["end"]] == (
        "Xring O1 chip"
    )
    assert len(got) == (1 if shape == "one annotation" else 2)
    # Importing the same file again changes nothing.
    before = sidecar_beside(path).read_bytes()
    assert reader("import", str(shared), "--into", str(path)).returncode == 0
    assert sidecar_beside(path).read_bytes() == before


def test_hypothesis_jsonld_reexports_with_its_own_id(
    article: tuple[Path, str], tmp_path: Path
) -> None:
    path, text = article
    shared = tmp_path / "h.jsonld"
    shared.write_text(json.dumps([jsonld(text, "Xring O1 chip", "QmA1", "Hmm.", ["soc"])]))
    assert reader("import", str(shared), "--into", str(path)).returncode == 0
    [row] = notes(path)
    assert (row["author"], row["note"], row["tags"]) == ("ada", "Hmm.", ["soc"])
    r = reader("export", str(path), "--format", "w3c")
    assert r.returncode == 0
    [item] = json.loads(r.stdout)["first"]["items"]
    assert item["id"] == "https://hypothes.is/a/QmA1"
    assert "urn:uuid:https" not in r.stdout
    assert errors("annotation.schema.json", item) == []


def test_ignored_selectors_and_unplaceable_annotations_are_named_one_by_one(
    article: tuple[Path, str], tmp_path: Path
) -> None:
    path, text = article
    page_note = api_row(text, "Lei Jun", "PageNote1", "About the whole page", [])
    page_note["target"] = [{"source": PAGE}]
    range_only = api_row(text, "Lei Jun", "RangeOnly", "", [])
    range_only["target"][0]["selector"] = range_only["target"][0]["selector"][:1]
    good = api_row(text, "Xring O1 chip", "Good1", "fine", [])
    shared = tmp_path / "mixed.json"
    shared.write_text(json.dumps({"rows": [page_note, good, range_only]}))
    got = read_shared_file(shared)
    assert [a.id for _, a in got.pairs] == ["https://hypothes.is/a/Good1"]
    assert len(got.skipped) == 2
    assert got.skipped[0].startswith("annotation 1 (PageNote1): a page note")
    assert got.skipped[1].startswith("annotation 3 (RangeOnly): only RangeSelector")
    assert got.notes == [
        "annotation 2 (Good1): RangeSelector ignored (reader finds text by its quote)"
    ]
    assert all(str(shared) in line for line in got.problems)
    # The command line imports what it can and names, one line each, what it left out.
    r = reader("import", str(shared), "--into", str(path))
    assert r.returncode == 0 and len(r.stderr.splitlines()) == 3, r.stderr
    assert "annotation 1 (PageNote1)" in r.stderr and "annotation 3 (RangeOnly)" in r.stderr
    assert [row["id"] for row in notes(path)] == ["https://hypothes.is/a/Good1"]


MALFORMED = {
    "a number as the selector": 5,
    "null as the selector": None,
    "a string start": [{"type": "TextPositionSelector", "start": "5", "end": 9}],
    "a selector that is only a start": [{"start": 5}],
    "a list of numbers": [5, 6],
    "a negative end": [
        {"type": "TextQuoteSelector", "exact": "Lei Jun"},
        {"type": "TextPositionSelector", "start": 5, "end": -1},
    ],
}
WHY = {
    "a number as the selector": "its selector is a number, not an object",
    "null as the selector": "no selector",
    "a string start": "TextPositionSelector 'start' is a string",
    "a selector that is only a start": "selector 1 has no 'type'",
    "a list of numbers": "selector 1 is a number, not an object",
    "a negative end": "TextPositionSelector 'end' is a number (-1)",
}


@pytest.mark.parametrize("case", list(MALFORMED))
def test_malformed_w3c_selectors_are_one_line_never_a_traceback(
    article: tuple[Path, str], tmp_path: Path, case: str
) -> None:
    path, text = article
    assert reader("annotate", str(path), "--quote", "Lei Jun").returncode == 0
    before = sidecar_beside(path).read_bytes()
    bad = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "Annotation",
        "id": "urn:uuid:3f0c6f7e-4a57-4a43-9a43-ff3a7e8a0a11",
        "target": {"source": "file:///x.txt", "selector": MALFORMED[case]},
    }
    shared = tmp_path / "bad.json"
    shared.write_text(json.dumps(bad))
    r = reader("import", str(shared), "--into", str(path))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert len(r.stderr.splitlines()) == 1 and WHY[case] in r.stderr, r.stderr
    assert str(shared) in r.stderr and "annotation 1" in r.stderr
    assert sidecar_beside(path).read_bytes() == before


@pytest.mark.parametrize(
    "name,content,why",
    [
        ("deep.json", "[" * 200_000 + "]" * 200_000, "nested too deeply"),
        ("deep.toml", "format = 1\nx = " + "[" * 50_000 + "]" * 50_000 + "\n", "nested too deeply"),
        ("number.json", "[5]", "annotation 1: a number, not an annotation object"),
        ("string.json", '"hello"', "a JSON string, not annotations"),
        ("rows.json", '{"rows": 5}', "'rows' is not a list"),
    ],
    ids=["deep JSON", "deep TOML", "a number", "a string", "rows not a list"],
)
def test_files_that_cannot_be_read_change_nothing(
    article: tuple[Path, str], tmp_path: Path, name: str, content: str, why: str
) -> None:
    path, _ = article
    assert reader("annotate", str(path), "--quote", "Lei Jun").returncode == 0
    before = sidecar_beside(path).read_bytes()
    bad = tmp_path / name
    bad.write_text(content)
    r = reader("import", str(bad), "--into", str(path))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert len(r.stderr.splitlines()) == 1 and why in r.stderr, r.stderr
    assert sidecar_beside(path).read_bytes() == before


def test_a_fifo_is_refused_without_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    with pytest.raises(ShareError, match="named pipe"):
        read_shared_file(fifo)


def test_readers_own_json_export_imports(seeds_copy: Path, tmp_path: Path) -> None:
    path = seeds_copy / XIAOMI
    r = reader("annotate", str(path), "--quote", "Xring O1 chip", "--note", "n", "--tag", "t")
    assert r.returncode == 0
    out = tmp_path / "export.json"
    assert reader("export", str(path), "--format", "json", "-o", str(out)).returncode == 0
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    shutil.copy(path, fresh / XIAOMI)
    r = reader("import", str(out), "--into", str(fresh / XIAOMI))
    assert r.returncode == 0, r.stderr
    assert notes(fresh / XIAOMI) == notes(path)


# Any JSON shape, built from the words these formats use: reading it either refuses the
# whole file (InvalidAnnotation, one message) or gives annotations that re-export as valid W3C.
WORDS = [
    "type", "Annotation", "target", "selector", "TextQuoteSelector", "TextPositionSelector",
    "RangeSelector", "exact", "prefix", "suffix", "start", "end", "rows", "annotations",
    "export_date", "items", "first", "AnnotationCollection", "AnnotationPage", "body", "value",
    "purpose", "tagging", "classifying", "id", "user", "text", "tags", "links", "html",
    "created", "modified", "updated", "creator", "name", "source", "styleClass", "quote",
]  # fmt: skip
scalars = (
    st.none() | st.booleans() | st.integers(-3, 50) | st.sampled_from(WORDS) | st.text(max_size=12)
)
shapes = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(WORDS), inner, max_size=6)
    ),
    max_leaves=40,
)


@settings(max_examples=300, deadline=None)
@given(data=shapes)
def test_any_json_shape_is_refused_with_a_message_or_read_into_valid_annotations(data) -> None:
    from reader.core.annotation import InvalidAnnotation
    from reader.core.export import to_w3c_annotation
    from reader.core.incoming import from_json

    try:
        got = from_json(data)
    except InvalidAnnotation as err:
        assert str(err) and "\n" not in str(err)
        return
    for line in got.skipped + got.notes:
        assert line.startswith("annotation ") and "\n" not in line
    for _, a in got.pairs:
        assert a.target.quote and 0 <= a.target.start <= a.target.end
        item = to_w3c_annotation(a, "file:///x.txt")
        assert errors("annotation.schema.json", item) == []


@settings(max_examples=150, deadline=None)
@given(
    created=scalars,
    creator=shapes,
    body=shapes,
    style=scalars,
    ident=scalars,
    prefix=scalars,
)
def test_any_field_values_of_a_w3c_annotation_reexport_valid(
    created, creator, body, style, ident, prefix
) -> None:
    from reader.core.export import to_w3c_annotation
    from reader.core.incoming import from_json

    item = {
        "type": "Annotation",
        "id": ident,
        "created": created,
        "modified": created,
        "creator": creator,
        "body": body,
        "target": {
            "source": "x",
            "styleClass": style,
            "selector": {"type": "TextQuoteSelector", "exact": "quote", "prefix": prefix},
        },
    }
    got = from_json(item)
    for _, a in got.pairs:
        assert errors("annotation.schema.json", to_w3c_annotation(a, "file:///x.txt")) == []
    assert len(got.pairs) + len(got.skipped) == 1


def test_foreign_colours_are_kept_by_name_and_escape_sequences_stay_inert(
    article: tuple[Path, str], tmp_path: Path
) -> None:
    path, text = article

    def w3c(quote: str, style: str, ident: str) -> dict[str, Any]:
        return {
            "@context": "http://www.w3.org/ns/anno.jsonld",
            "type": "Annotation",
            "id": ident,
            "target": {
                "source": PAGE,
                "styleClass": style,
                "selector": {"type": "TextQuoteSelector", "exact": quote},
            },
        }

    shared = tmp_path / "evil\x1b]0;pwned\x07.json"
    shared.write_text(
        json.dumps(
            [
                w3c("Xring O1 chip", "hl-red", "urn:x:1"),
                w3c("Lei Jun", "\x1b[31mred\nline", "urn:x:\x1b[2J"),
                w3c("not in the article at all", "blue", "urn:x:\x1b]0;t\x07"),
            ]
        )
    )
    got = read_shared_file(shared)
    colours = {a.target.quote: a.color for _, a in got.pairs}
    assert colours == {
        "Xring O1 chip": "hl-red",
        "Lei Jun": "yellow",
        "not in the article at all": "blue",
    }
    assert any("is not a colour name: kept as yellow" in n for n in got.notes)
    r = reader("import", str(shared), "--into", str(path))
    assert r.returncode == 0
    # The skipped quote is named with its id and the file's name, all inert.
    assert "is not in" in r.stderr and "\x1b" not in r.stderr and "\x07" not in r.stderr
    assert sorted(row["color"] for row in notes(path)) == ["hl-red", "yellow"]


def test_an_annotation_without_id_or_date_gets_the_same_id_each_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import itertools

    import reader.core.incoming as incoming

    clock = (f"2026-01-01T00:00:{n:02d}Z" for n in itertools.count())
    monkeypatch.setattr(incoming, "now_rfc3339", lambda: next(clock))  # time moves on
    item = {
        "type": "Annotation",
        "target": {"source": PAGE, "selector": {"type": "TextQuoteSelector", "exact": "Lei Jun"}},
    }
    shared = tmp_path / "noid.json"
    shared.write_text(json.dumps(item))
    [(_, first)] = read_shared_file(shared).pairs
    [(_, again)] = read_shared_file(shared).pairs
    assert first.id == again.id


def test_a_library_export_imports_into_a_copy_and_never_onto_a_same_named_file(
    seeds_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As a colleague does: the export and a web page exported beside it in one folder, the
    library copied elsewhere, imported from inside the copy (or with --into FOLDER)."""
    from reader.cli import main

    (seeds_copy / "page.html").write_text("<html><body><p>Wafers and HBM memory.</p></body></html>")
    assert main(["annotate", str(seeds_copy / XIAOMI), "--quote", "Xring O1 chip"]) == 0
    assert main(["annotate", str(seeds_copy / "page.html"), "--quote", "HBM"]) == 0
    export = tmp_path / "w3c.json"
    assert main(["export", str(seeds_copy), "--format", "w3c", "-o", str(export)]) == 0
    # A same-named file beside the export: the exported web page, holding the same text.
    (tmp_path / "page.html").write_text((seeds_copy / "page.html").read_text())
    for how in ("cwd", "into"):
        copy = tmp_path / f"copy-{how}"
        shutil.copytree(seeds_copy, copy, ignore=shutil.ignore_patterns("*.annotations.toml"))
        if how == "cwd":
            monkeypatch.chdir(copy)
            assert main(["import", str(export)]) == 0
        else:
            assert main(["import", str(export), "--into", str(copy)]) == 0
        assert [a["target"]["quote"] for a in notes(copy / "page.html")] == ["HBM"]
        assert [a["target"]["quote"] for a in notes(copy / XIAOMI)] == ["Xring O1 chip"]
    assert not (tmp_path / "page.html.annotations.toml").exists()


def test_a_colleagues_file_read_from_their_copy_is_imported_into_yours(
    seeds_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ben runs `reader import ../ana/article.annotations.toml` from his folder: both
    folders hold the article; his copy gets the marks (and --as-layer files the layer in
    his folder), Ana's folder is left as it was."""
    from reader.cli import main

    ana, ben = tmp_path / "ana", tmp_path / "ben"
    shutil.copytree(seeds_copy, ana)
    shutil.copytree(seeds_copy, ben)
    assert main(["annotate", str(ana / XIAOMI), "--quote", "Xring O1 chip"]) == 0
    before = sorted(p.name for p in ana.rglob("*"))
    monkeypatch.chdir(ben)
    shared = ana / (XIAOMI + ".annotations.toml")
    assert main(["import", str(shared)]) == 0
    assert [a["target"]["quote"] for a in notes(ben / XIAOMI)] == ["Xring O1 chip"]
    assert main(["import", str(shared), "--as-layer", "Ana"]) == 0
    assert (ben / "annotations" / "Ana" / (XIAOMI + ".annotations.toml")).is_file()
    assert sorted(p.name for p in ana.rglob("*")) == before
