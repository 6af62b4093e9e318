"""Whatever a file holds, the command line answers with success or one line and exit 2:
random JSON and TOML shapes, deep nesting and random bytes, fed to `reader import`, to a
sidecar read by `reader notes`, to config.toml and to `reader merge-driver`. A command that
fails changes no file."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from reader.cli import main
from reader.core.config import load_config
from reader.core.store import read_sidecar, sidecar_beside

from ..conftest import SEEDS, XIAOMI

EXAMPLES = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Keys reader's formats use, so that random shapes reach past the first check.
WORDS = [
    "format", "source", "name", "annotation", "id", "created", "modified", "author", "kind",
    "color", "label", "tags", "note", "conflict", "target", "quote", "prefix", "suffix",
    "start", "end", "type", "body", "value", "purpose", "selector", "exact", "items", "first",
    "@context", "TextQuoteSelector", "TextPositionSelector", "AnnotationCollection",
    "Annotation", "TextualBody", "commenting", "tagging", "yellow", "Xring O1 chip", "TSMC",
]  # fmt: skip
KEYS = st.sampled_from(WORDS) | st.text(max_size=6)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from(WORDS)
    | st.text(max_size=12)
)
JSON = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=6),
    max_leaves=24,
)
TOML_SCALARS = SCALARS.filter(lambda v: v is not None)
TOML_VALUES = st.recursive(
    TOML_SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=5),
    max_leaves=16,
)
SIDECAR_SHAPES = st.fixed_dictionaries(
    {},
    optional={
        "format": st.integers(-2, 3) | TOML_SCALARS,
        "source": st.dictionaries(KEYS, TOML_VALUES, max_size=4),
        "annotation": st.lists(st.dictionaries(KEYS, TOML_VALUES, max_size=10), max_size=4),
    },
)


def _either(likely: st.SearchStrategy[Any], anything: st.SearchStrategy[Any]) -> Any:
    return st.one_of(likely, likely, anything)


# W3C Web Annotation shapes: right in places, wrong in others.
SELECTOR = st.fixed_dictionaries(
    {"type": _either(st.sampled_from(["TextQuoteSelector", "TextPositionSelector"]), SCALARS)},
    optional={
        "exact": _either(st.sampled_from(["TSMC", "Xring O1 chip", ""]), JSON),
        "prefix": _either(st.text(max_size=8), JSON),
        "suffix": _either(st.text(max_size=8), JSON),
        "start": _either(st.integers(-5, 6_000), JSON),
        "end": _either(st.integers(-5, 6_000), JSON),
    },
)
BODY = st.fixed_dictionaries(
    {"type": _either(st.just("TextualBody"), SCALARS)},
    optional={
        "value": _either(st.text(max_size=20), JSON),
        "purpose": _either(st.sampled_from(["commenting", "tagging", "highlighting"]), JSON),
    },
)
TARGET = st.fixed_dictionaries(
    {},
    optional={
        "source": _either(st.just(XIAOMI), JSON),
        "selector": _either(SELECTOR | st.lists(SELECTOR, max_size=3), JSON),
    },
)
W3C_ANNOTATION = st.fixed_dictionaries(
    {"type": _either(st.just("Annotation"), SCALARS)},
    optional={
        "id": _either(st.uuids().map(lambda u: f"urn:uuid:{u}"), JSON),
        "target": _either(TARGET, JSON),
        "body": _either(BODY | st.lists(BODY, max_size=3), JSON),
        "creator": JSON,
        "created": _either(st.just("2025-01-02T03:04:05Z"), JSON),
        "stylesheet": JSON,
    },
)
W3C = st.one_of(
    W3C_ANNOTATION,
    st.lists(W3C_ANNOTATION, max_size=3),
    st.fixed_dictionaries(
        {
            "type": st.just("AnnotationCollection"),
            "first": st.fixed_dictionaries(
                {"type": st.just("AnnotationPage"), "items": st.lists(W3C_ANNOTATION, max_size=3)}
            ),
        }
    ),
)
# reader's own sidecar shapes, likewise.
SIDECAR_TARGET = st.fixed_dictionaries(
    {"quote": _either(st.sampled_from(["TSMC", "Xring O1 chip", ""]), TOML_SCALARS)},
    optional={
        "prefix": _either(st.text(max_size=8), TOML_SCALARS),
        "suffix": _either(st.text(max_size=8), TOML_SCALARS),
        "start": _either(st.integers(-5, 6_000), TOML_SCALARS),
        "end": _either(st.integers(-5, 6_000), TOML_SCALARS),
    },
)
SIDECAR_ANNOTATION = st.fixed_dictionaries(
    {
        "id": _either(st.uuids().map(str), TOML_SCALARS),
        "target": _either(SIDECAR_TARGET, TOML_VALUES),
    },
    optional={
        "color": _either(st.sampled_from(["yellow", "blue", "red", ""]), TOML_VALUES),
        "note": _either(st.text(max_size=20), TOML_VALUES),
        "tags": _either(st.lists(st.text(max_size=5), max_size=3), TOML_VALUES),
        "author": _either(st.text(max_size=8), TOML_VALUES),
        "kind": _either(st.sampled_from(["highlight", "note"]), TOML_VALUES),
        "created": _either(st.just("2025-01-02T03:04:05Z"), TOML_VALUES),
        "modified": TOML_VALUES,
        "conflict": TOML_VALUES,
    },
)
SIDECAR = st.fixed_dictionaries(
    {"format": _either(st.just(1), TOML_SCALARS)},
    optional={
        "source": _either(st.fixed_dictionaries({"name": st.just(XIAOMI)}), TOML_VALUES),
        "annotation": st.lists(_either(SIDECAR_ANNOTATION, TOML_VALUES), max_size=4),
    },
)


def _deep(depth: int, kind: str) -> str:
    return {
        "json list": "[" * depth + "]" * depth,
        "json object": '{"a":' * depth + "1" + "}" * depth,
        "toml array": "a = " + "[" * depth + "]" * depth + "\n",
        "toml table": "a = " + "{b=" * depth + "1" + "}" * depth + "\n",
        "sidecar": 'format = 1\n[[annotation]]\nid = "x"\ntarget = ' + "[" * depth + "]" * depth,
    }[kind]


DEEP = st.builds(
    _deep,
    st.sampled_from([3, 900, 5_000, 100_000]),
    st.sampled_from(["json list", "json object", "toml array", "toml table", "sidecar"]),
)


def _toml(data: dict[str, Any]) -> str | None:
    try:
        return tomli_w.dumps(data)
    except (TypeError, ValueError):  # a shape TOML cannot write: use something else
        return None


CONTENT = st.one_of(
    W3C.map(json.dumps),
    SIDECAR.map(_toml).filter(lambda t: t is not None),
    JSON.map(json.dumps),
    SIDECAR_SHAPES.map(_toml).filter(lambda t: t is not None),
    st.dictionaries(KEYS, TOML_VALUES, max_size=6).map(_toml).filter(lambda t: t is not None),
    DEEP,
    st.binary(max_size=300),
)


def _bytes(content: str | bytes | None) -> bytes:
    assert content is not None
    return content if isinstance(content, bytes) else content.encode("utf-8", "surrogatepass")


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _check(
    rc: int, err: str, failing: tuple[int, ...] = (2,), per_annotation: bool = False
) -> None:
    """Success, or a failure code with exactly one line on stderr; never a traceback. With
    per_annotation (import), one line for each annotation left out, each naming it."""
    assert "Traceback" not in err
    assert rc == 0 or rc in failing, (rc, err)
    if rc != 0 and per_annotation and err.count("\n") > 1:
        assert all(
            line.startswith("reader: ") and ": annotation " in line for line in err.splitlines()
        ), err
    elif rc != 0:
        assert err.count("\n") == 1 and err.startswith("reader"), err


@pytest.fixture
def library(tmp_path: Path) -> Path:
    lib = tmp_path / "lib"
    lib.mkdir()
    shutil.copy(SEEDS / XIAOMI, lib / XIAOMI)
    return lib


def _w3c(selector: str) -> str:
    target = {"source": XIAOMI, "selector": json.loads(selector)}
    return json.dumps({"type": "Annotation", "target": target, "body": []})


@EXAMPLES
@given(content=CONTENT, suffix=st.sampled_from([".json", ".toml", ".annotations.toml"]))
@example(content=_w3c("5"), suffix=".json")  # shapes testers met: each one line, exit 2
@example(content=_w3c("null"), suffix=".json")
@example(content=_w3c('{"type": "TextPositionSelector", "start": "x", "end": 3}'), suffix=".json")
@example(content=_w3c('[{"type": "TextQuoteSelector", "exact": 5}]'), suffix=".json")
@example(content=_deep(100_000, "json list"), suffix=".json")
def test_import_of_any_file(
    library: Path, capsys: pytest.CaptureFixture[str], content: str | bytes, suffix: str
) -> None:
    art = library / XIAOMI
    shared = library.parent / f"shared{suffix}"
    shared.write_bytes(_bytes(content))
    for args in (["--into", str(art)], ["--into", str(art), "--as-layer", "sam"]):
        before = _snapshot(library)
        rc = main(["import", str(shared), *args])
        _, err = capsys.readouterr()
        _check(rc, err, per_annotation=True)
        if rc != 0:
            assert _snapshot(library) == before


@EXAMPLES
@given(content=CONTENT)
def test_notes_on_any_sidecar(
    library: Path, capsys: pytest.CaptureFixture[str], content: str | bytes
) -> None:
    art = library / XIAOMI
    sidecar_beside(art).write_bytes(_bytes(content))
    before = _snapshot(library)
    for extra in ([], ["--json"]):
        rc = main(["notes", str(art), *extra])
        out, err = capsys.readouterr()
        _check(rc, err)
        if rc == 0 and extra:
            assert isinstance(json.loads(out), list)
    assert _snapshot(library) == before  # reading never writes


@EXAMPLES
@given(content=CONTENT)
def test_any_config_file(
    isolated_home: Path, library: Path, capsys: pytest.CaptureFixture[str], content: str | bytes
) -> None:
    config = isolated_home / ".config" / "reader" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_bytes(_bytes(content))
    load_config.cache_clear()
    # The app shows these in a message, one line for each problem, each naming the file.
    for problem in load_config().problems:
        assert "\n" not in problem and problem.startswith(str(config))
    assert main(["annotate", str(library / XIAOMI), "--quote", "TSMC"]) == 0
    _check(0, capsys.readouterr().err)
    sidecar_beside(library / XIAOMI).unlink()


@EXAMPLES
@given(content=CONTENT, which=st.sampled_from(["base", "ours", "theirs"]))
def test_merge_driver_on_any_input(
    library: Path, capsys: pytest.CaptureFixture[str], content: str | bytes, which: str
) -> None:
    art = library / XIAOMI
    assert main(["annotate", str(art), "--quote", "TSMC", "--note", "kept"]) == 0
    capsys.readouterr()
    valid = sidecar_beside(art).read_bytes()
    sidecar_beside(art).unlink()
    files = {name: library / f"{name}.toml" for name in ("base", "ours", "theirs")}
    for name, path in files.items():
        path.write_bytes(_bytes(content) if name == which else valid)
    before = _snapshot(library)
    rc = main(["merge-driver", *(str(p) for p in files.values())])
    _, err = capsys.readouterr()
    # Non-zero tells git to leave the file for a merge by hand (1 or 2, one line, nothing changed).
    _check(rc, err, failing=(1, 2))
    if rc == 0:
        read_sidecar(files["ours"])  # what git commits parses
    else:
        assert _snapshot(library) == before
    for path in files.values():
        path.unlink()
