import subprocess
import sys


def test_core_imports_no_textual() -> None:
    code = (
        "import sys, reader.core.store, reader.core.anchoring, reader.core.library, "
        "reader.core.layout, reader.core.find, reader.core.markdown, reader.cli; "
        "print('textual' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
