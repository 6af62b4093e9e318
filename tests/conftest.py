from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests check what happens, not how fast: Hypothesis's per-example deadline would
# fail them on a busy machine (a timed assertion in disguise).
settings.register_profile("reader", deadline=None)
settings.load_profile("reader")

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
XIAOMI = "002_fc263845278ccde8.txt"
HUAWEI = "000_73266b627bb35767.txt"


@pytest.fixture(autouse=True)
def isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Point every user folder (config, data, state, cache) at a temp dir."""
    home = tmp_path_factory.mktemp("home")
    for var, sub in (
        ("XDG_CONFIG_HOME", ".config"),
        ("XDG_DATA_HOME", ".local/share"),
        ("XDG_STATE_HOME", ".local/state"),
        ("XDG_CACHE_HOME", ".cache"),
    ):
        monkeypatch.setenv(var, str(home / sub))
    monkeypatch.setenv("HOME", str(home))
    from reader.core.config import load_config

    load_config.cache_clear()
    return home


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled sample articles."""
    dest = tmp_path / "library"
    shutil.copytree(SEEDS, dest)
    return dest


def annotate(article: Path, quote: str, *options: str) -> None:
    """Add an annotation the way a script would: `reader annotate ARTICLE --quote QUOTE ...`."""
    from reader.cli import main

    assert main(["annotate", str(article), "--quote", quote, *options]) == 0
