from pathlib import Path

import pytest

from reader.core.config import load_config


def write(home: Path, text: str) -> Path:
    p = home / ".config" / "reader" / "config.toml"
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text)
    return p


def test_settings_are_read(isolated_home: Path) -> None:
    write(
        isolated_home,
        'author = "Ada"\ntheme = "textual-light"\nlibrary = ["~/x"]\n'
        '[highlight]\ndefault = "green"\n[highlight.labels]\ngreen = "question"\n'
        '[keys]\n"reader.down" = "n"\n',
    )
    c = load_config()
    assert (c.author, c.theme, c.library, c.default_color) == (
        "Ada",
        "textual-light",
        ("~/x",),
        "green",
    )
    assert c.labels == {"green": "question"} and c.keys == {"reader.down": "n"}
    assert not c.problem


def test_bad_config_names_the_line_and_uses_defaults(isolated_home: Path) -> None:
    p = write(isolated_home, 'author = "Ada"\ntheme = \n')
    c = load_config()
    assert f"{p}:2" in c.problem and c.theme == "textual-dark"


def test_wrong_types_are_reported(isolated_home: Path) -> None:
    write(isolated_home, 'author = 5\n[highlight]\ndefault = "mauve"\n')
    c = load_config()
    assert "'author' must be a string" in c.problem and "default must be one of" in c.problem
    assert c.default_color == "yellow" and c.author


def test_user_folders_are_the_ones_platformdirs_names(monkeypatch: pytest.MonkeyPatch) -> None:
    import platformdirs

    from reader.core import paths

    for xdg in ("", "/tmp/somewhere"):
        for var in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME"):
            if xdg:
                monkeypatch.setenv(var, xdg + "/" + var)
            else:
                monkeypatch.delenv(var, raising=False)
        assert paths.data_dir() == Path(platformdirs.user_data_dir("reader"))
        assert paths.cache_dir() == Path(platformdirs.user_cache_dir("reader"))
        assert paths.state_dir() == Path(platformdirs.user_state_dir("reader"))
        assert paths.config_dir() == Path(platformdirs.user_config_dir("reader"))
