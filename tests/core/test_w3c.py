"""`reader export --format w3c` against JSON Schemas written from the Web Annotation Data
Model (tests/schemas/), and the round trip export -> import -> `reader notes --json`."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from reader.core.annotation import Annotation, make_target
from reader.core.store import ArticleStore, read_sidecar, sidecar_beside

from ..conftest import HUAWEI, XIAOMI

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"


def reader(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reader", *args], capture_output=True, text=True, timeout=60
    )


def validator(name: str) -> Draft202012Validator:
    registry: Registry[Any] = Registry()
    for f in SCHEMAS.glob("*.schema.json"):
        registry = registry.with_resource(f.name, Resource.from_contents(json.loads(f.read_text())))
    schema = json.loads((SCHEMAS / name).read_text())
    return Draft202012Validator(
        schema, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def errors(name: str, doc: Any) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator(name).iter_errors(doc)
    ]


def annotated_library(lib: Path) -> None:
    """Two articles (one in a subfolder), marks with a note, tags, a colour with a label,
    a colour outside the palette, another author."""
    (lib / "sub").mkdir()
    shutil.move(lib / XIAOMI, lib / "sub" / XIAOMI)
    huawei = lib / HUAWEI
    assert (
        reader(
            "annotate",
            str(huawei),
            "--quote",
            "Kirin 9000S",
            "--note",
            "note “one”\nline 2",
            "--tag",
            "chips",
            "--tag",
            "中文",
            "--color",
            "pink",
            "--author",
            "Ann",
        ).returncode
        == 0
    )
    text = huawei.read_text()
    s = text.index("Huawei and Xiaomi")
    ArticleStore(huawei, text).add_many(
        [
            Annotation(
                make_target(text, s, s + 17),
                color="blue",
                label="important",
                author="Bo",
                created="2026-01-02T03:04:05Z",
                modified="2026-02-03T04:05:06Z",
            ),
            Annotation(make_target(text, s + 11, s + 17), color="sea green"),
        ]
    )
    assert reader("annotate", str(lib / "sub" / XIAOMI), "--quote", "Xring O1 chip").returncode == 0


@pytest.fixture
def exported(seeds_copy: Path, tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    annotated_library(seeds_copy)
    out = tmp_path / "export.json"
    r = reader("export", str(seeds_copy), "--format", "w3c", "-o", str(out))
    assert r.returncode == 0, r.stderr
    return seeds_copy, json.loads(out.read_text())


def test_w3c_export_is_valid_against_the_data_model_schemas(exported) -> None:
    lib, doc = exported
    assert errors("collection.schema.json", doc) == []
    items = doc["first"]["items"]
    assert len(items) == doc["total"] == 4
    for item in items:
        assert errors("annotation.schema.json", item) == []
    # Source is the article's file:// URI; the library-relative path is kept beside it.
    by_quote = {i["target"]["selector"][0]["exact"]: i for i in items}
    chip = by_quote["Xring O1 chip"]["target"]
    assert chip["source"] == (lib / "sub" / XIAOMI).resolve().as_uri()
    assert chip["reader:path"] == f"sub/{XIAOMI}"
    # The colour is a CSS class with its rule in the annotation's stylesheet; the label a body.
    blue = by_quote["Huawei and Xiaomi"]
    assert blue["target"]["styleClass"] == "blue"
    assert ".blue {" in blue["stylesheet"]["value"]
    assert {"type": "TextualBody", "value": "important", "purpose": "classifying"} in blue["body"]
    # A colour that cannot be a CSS class is kept for reader, not passed off as a class.
    odd = by_quote["Xiaomi"]
    assert "styleClass" not in odd["target"] and odd["reader:color"] == "sea green"
    assert doc["id"] != doc["first"]["id"] and doc["first"]["partOf"] == doc["id"]


def test_schemas_catch_what_the_old_export_wrote() -> None:
    """The defects the W3C suite found: a bare file name as source, a styleClass without a
    stylesheet, a collection and a page without ids."""
    old = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": "urn:uuid:2c276293-6862-4200-b037-19e5710ba359",
        "type": "Annotation",
        "target": {
            "source": "000_73266b627bb35767.txt",
            "styleClass": "blue",
            "selector": [{"type": "TextPositionSelector", "start": "5", "end": 9}],
        },
    }
    found = errors("annotation.schema.json", old)
    assert any(e.startswith("target") for e in found)  # source, and the string start
    assert any("stylesheet" in e for e in found)
    coll = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "AnnotationCollection",
        "first": {"type": "AnnotationPage", "items": []},
    }
    found = errors("collection.schema.json", coll)
    assert any("'id' is a required property" in e for e in found)


def test_export_import_notes_round_trip_loses_nothing(exported, tmp_path: Path) -> None:
    lib, doc = exported
    out = tmp_path / "export.json"
    fresh = tmp_path / "colleague"
    (fresh / "sub").mkdir(parents=True)
    shutil.copy(lib / HUAWEI, fresh / HUAWEI)
    shutil.copy(lib / "sub" / XIAOMI, fresh / "sub" / XIAOMI)
    # The colleague keeps the export in their library: each annotation finds its article
    # by the path relative to the library (reader:path), not by --into.
    shutil.copy(out, fresh / "export.json")
    r = reader("import", str(fresh / "export.json"))
    assert r.returncode == 0 and r.stderr == "", r.stderr

    def notes(path: Path) -> list[dict[str, Any]]:
        # Every field but the article's own path, which differs between the two copies.
        r = reader("notes", str(path), "--json")
        assert r.returncode == 0, r.stderr
        rows = [{k: v for k, v in row.items() if k != "path"} for row in json.loads(r.stdout)]
        return sorted(rows, key=lambda row: row["id"])

    def stored(path: Path) -> list[tuple[str, ...]]:
        # What `notes --json` does not print (label, created, modified) is checked on disk.
        return sorted(
            (a.id, a.label, a.created, a.modified, a.kind)
            for a in read_sidecar(sidecar_beside(path)).annotations
        )

    for art in (HUAWEI, f"sub/{XIAOMI}"):
        mine, theirs = notes(lib / art), notes(fresh / art)
        assert theirs == mine and mine
        assert stored(fresh / art) == stored(lib / art)
    rows = {row["target"]["quote"]: row for row in notes(fresh / HUAWEI)}
    assert rows["Kirin 9000S"]["note"] == "note “one”\nline 2"
    assert rows["Kirin 9000S"]["tags"] == ["chips", "中文"]
    assert rows["Kirin 9000S"]["color"] == "pink" and rows["Kirin 9000S"]["author"] == "Ann"
    assert rows["Xiaomi"]["color"] == "sea green"
    labels = {a.label for a in read_sidecar(sidecar_beside(fresh / HUAWEI)).annotations}
    assert "important" in labels


def test_reexport_keeps_the_same_ids(exported, tmp_path: Path) -> None:
    lib, doc = exported
    again = reader("export", str(lib), "--format", "w3c")
    assert again.returncode == 0
    assert json.loads(again.stdout) == doc  # stable ids: the same marks, the same file


def test_colour_labels_from_the_config_travel_with_the_export(
    seeds_copy: Path, tmp_path: Path
) -> None:
    from reader.core.paths import config_dir

    config_dir().mkdir(parents=True, exist_ok=True)
    (config_dir() / "config.toml").write_text('[highlight.labels]\npink = "question"\n')
    art = seeds_copy / XIAOMI
    assert reader("annotate", str(art), "--quote", "Lei Jun", "--color", "pink").returncode == 0
    r = reader("export", str(art), "--format", "w3c")
    [item] = json.loads(r.stdout)["first"]["items"]
    assert {"type": "TextualBody", "value": "question", "purpose": "classifying"} in item["body"]
    # A colleague without that config gets the label with the mark.
    (config_dir() / "config.toml").unlink()
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    shutil.copy(art, fresh / XIAOMI)
    (fresh / "export.json").write_text(r.stdout)
    assert reader("import", str(fresh / "export.json")).returncode == 0
    [a] = read_sidecar(sidecar_beside(fresh / XIAOMI)).annotations
    assert (a.color, a.label) == ("pink", "question")
