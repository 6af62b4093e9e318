import ast
import subprocess
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "reader" / "core"


def test_core_imports_no_textual() -> None:
    """Every core module (and the CLI) loads without Textual: the CLI starts fast."""
    code = (
        "import sys, pkgutil, importlib, reader.core, reader.cli\n"
        "for m in pkgutil.walk_packages(reader.core.__path__, 'reader.core.'):\n"
        "    importlib.import_module(m.name)\n"
        "print('textual' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_core_takes_only_cell_widths_from_rich() -> None:
    """rich.cells is the one part of rich the core may use (its cell-width table)."""
    found = []
    for path in sorted(CORE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            found += [(path.name, n) for n in names if n.split(".")[0] in ("rich", "textual")]
    assert {n for _, n in found} <= {"rich.cells"}, found
