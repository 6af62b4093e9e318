"""The core stays free of the UI: every module in reader/core/ (sub-packages too) imports no
Textual, from rich only `rich.cells`, and nothing of reader.ui or reader.cli. Checked twice:
each module's own import statements (wherever they are, functions and TYPE_CHECKING blocks
included), and what importing all of them really loads, in a fresh interpreter."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORE = REPO / "reader" / "core"


def core_modules() -> dict[str, Path]:
    modules = {}
    for path in sorted(CORE.rglob("*.py")):
        parts = path.relative_to(REPO).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        modules[name] = path
    return modules


def imported_names(name: str, path: Path) -> set[str]:
    """Every module an import statement in the file names (relative ones resolved)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            # `from rich import cells` imports rich.cells: name each imported submodule too.
            names.update(f"{base}.{alias.name}" for alias in node.names)
            names.add(base)
    return names


def allowed(module: str) -> bool:
    top = module.split(".")[0]
    if top == "textual" or module.startswith(("reader.ui", "reader.cli")):
        return False
    if top == "rich":
        return module == "rich.cells" or module.startswith("rich.cells.")
    return True


def test_the_walk_finds_every_core_module() -> None:
    modules = core_modules()
    assert "reader.core.config" in modules and "reader.core.inert" in modules
    assert len(modules) >= 20


def test_core_modules_import_no_textual_and_only_rich_cells() -> None:
    bad = {}
    for name, path in core_modules().items():
        found = {
            m
            for m in imported_names(name, path)
            if not allowed(m) and not (m == "rich" and f"{m}.cells" in imported_names(name, path))
        }
        if found:
            bad[name] = sorted(found)
    assert not bad, f"core modules importing the UI or more of rich than rich.cells: {bad}"


def test_the_checker_sees_a_forbidden_import(tmp_path: Path) -> None:
    """The check above fails for the imports it is meant to catch."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from typing import TYPE_CHECKING\n"
        "from rich.cells import cell_len\n"
        "if TYPE_CHECKING:\n    from textual.app import App\n"
        "def f():\n    import rich.text\n    from ..ui import app\n"
    )
    names = imported_names("reader.core.sample", sample)
    assert sorted(m for m in names if not allowed(m)) == [
        "reader.ui",
        "reader.ui.app",
        "rich.text",
        "textual.app",
        "textual.app.App",
    ]


def loaded_after(*imports: str) -> list[str]:
    code = (
        "import importlib, json, sys\n"
        f"for name in {list(imports)!r}:\n    importlib.import_module(name)\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    return list(json.loads(out.stdout))


def test_importing_the_whole_core_loads_no_textual() -> None:
    loaded = loaded_after(*core_modules())
    assert not [m for m in loaded if m.split(".")[0] == "textual"]
    assert not [m for m in loaded if m.startswith(("reader.ui", "reader.cli"))]
    rich = {m for m in loaded if m.split(".")[0] == "rich"}
    assert rich <= set(loaded_after("rich.cells")), "more of rich than rich.cells needs"
