"""Files in their places: relative XDG_* values are ignored; digests of the bundled samples
go to the user data folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from reader.core import paths
from reader.core.seeds import seeds_dir

from ..conftest import REPO, XIAOMI

KINDS = {
    "XDG_DATA_HOME": (paths.data_dir, ".local/share"),
    "XDG_CACHE_HOME": (paths.cache_dir, ".cache"),
    "XDG_STATE_HOME": (paths.state_dir, ".local/state"),
    "XDG_CONFIG_HOME": (paths.config_dir, ".config"),
}


@pytest.mark.parametrize("var", sorted(KINDS))
def test_a_relative_xdg_folder_is_ignored(
    var: str, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, default = KINDS[var]
    for value in ("relative/place", "./here", "~/tilde-is-not-expanded"):
        monkeypatch.setenv(var, value)
        assert folder() == isolated_home / default / "reader"
    monkeypatch.setenv(var, "/abs/place")
    assert folder() == Path("/abs/place/reader")


def test_reader_writes_nothing_in_the_current_folder_with_relative_xdg_values(
    seeds_copy: Path, tmp_path: Path, isolated_home: Path
) -> None:
    work = tmp_path / "cwd"
    work.mkdir()
    env = {**os.environ, **{var: "xdg-" + var.lower() for var in KINDS}, "PYTHONPATH": str(REPO)}
    for args in (
        ("search", "Xiaomi chip", str(seeds_copy)),
        ("annotate", str(seeds_dir() / XIAOMI), "--quote", "Xring O1 chip"),
    ):
        r = subprocess.run(
            [sys.executable, "-m", "reader", *args],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert r.returncode == 0, r.stderr
    assert os.listdir(work) == []
    assert (isolated_home / ".cache" / "reader" / "search.sqlite").exists()
    sample_sidecars = isolated_home / ".local" / "share" / "reader" / "samples"
    assert (sample_sidecars / f"{XIAOMI}.annotations.toml").exists()


def test_a_sample_digest_goes_to_the_user_data_folder(
    isolated_home: Path, seeds_copy: Path
) -> None:
    sample = seeds_dir() / XIAOMI
    assert paths.digest_path(sample) == (
        isolated_home / ".local/share/reader/samples" / f"{XIAOMI}.annotations.md"
    )
    mine = seeds_copy / XIAOMI  # a copy is the user's own article: its digest sits beside it
    assert paths.digest_path(mine) == seeds_copy / f"{XIAOMI}.annotations.md"


def test_the_distribution_has_a_name_of_its_own_and_installs_every_package() -> None:
    import importlib
    import tomllib

    from reader import __version__
    from reader.cli.app import DISTRIBUTION

    project = tomllib.loads((REPO / "pyproject.toml").read_text())
    assert project["project"]["name"] == DISTRIBUTION == "reader-tui"
    assert project["project"]["version"] == __version__
    module, func = project["project"]["scripts"]["reader"].split(":")
    assert callable(getattr(importlib.import_module(module), func))
    listed = set(project["tool"]["setuptools"]["packages"])
    on_disk = {
        ".".join(p.parent.relative_to(REPO).parts) for p in (REPO / "reader").rglob("__init__.py")
    }
    assert on_disk <= listed  # a package left out would be missing from the installed reader
    r = subprocess.run(
        [sys.executable, "-m", "reader", "--version"], capture_output=True, text=True, cwd=REPO
    )
    assert r.stdout == f"reader {__version__} (distribution reader-tui)\n"
