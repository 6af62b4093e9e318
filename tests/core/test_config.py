import os
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


def test_each_wrong_value_is_named_with_its_line(isolated_home: Path) -> None:
    p = write(
        isolated_home,
        'author = "Ada"\n'
        "# a comment\n"
        "theme = 7\n"
        'colour = "red"\n'
        "[highlight]\n"
        'default = "mauve"\n'
        'shade = "dark"\n'
        "[highlight.labels]\n"
        'green = "question"\n'
        'teal = "other"\n'
        "[keys]\n"
        '"reader.down" = "n"\n'
        '"reader.up" = 5\n',
    )
    c = load_config()
    lines = c.problem.splitlines()
    assert (
        lines[0] == f"{p}:4: unknown setting 'colour' "
        "(known: author, theme, library, highlight, keys, layout)"
    )
    assert f"{p}:3: 'theme' must be a string" in lines
    assert any(line.startswith(f"{p}:6: [highlight] default must be one of") for line in lines)
    assert any(line.startswith(f"{p}:7: unknown setting [highlight] 'shade'") for line in lines)
    assert f"{p}:10: [highlight.labels] 'teal' is not a colour" in lines
    assert any(line.startswith(f"{p}:13: [keys] 'reader.up' must name a key") for line in lines)
    # What is right still counts.
    assert (c.author, c.theme, c.default_color) == ("Ada", "textual-dark", "yellow")
    assert c.labels == {"green": "question"} and c.keys == {"reader.down": "n"}
    assert c.where("keys", "reader.down") == f"{p}:12"


def test_a_dotted_key_id_without_quotes_means_the_same(isolated_home: Path) -> None:
    write(isolated_home, '[keys]\nreader.down = "n"\nreader.up = "p"\n')
    c = load_config()
    assert c.keys == {"reader.down": "n", "reader.up": "p"} and not c.problem


@pytest.mark.parametrize(
    "text",
    [
        "keys = 5\n",
        "highlight = [1, 2]\n",
        "library = [[1], {a = 2}]\n",
        "[highlight]\nlabels = 3\n",
        "[[keys]]\na = 1\n",
        '[keys]\n"" = ""\n',
        "author = 2024-01-01T00:00:00\n",
    ],
)
def test_any_shape_gives_a_one_line_problem_and_defaults(isolated_home: Path, text: str) -> None:
    p = write(isolated_home, text)
    c = load_config()
    assert c.problem.startswith(f"{p}:1: ") or c.problem.startswith(f"{p}:2: ")
    assert c.default_color == "yellow" and c.theme == "textual-dark"


def test_deep_nesting_is_named_not_a_traceback(isolated_home: Path) -> None:
    p = write(isolated_home, 'author = "Ada"\nlibrary = ' + "[" * 5000 + "]" * 5000 + "\n")
    c = load_config()
    assert c.problem == f"{p}:2: nested too deeply; using default settings"
    assert c.theme == "textual-dark"


def test_a_config_that_is_not_a_file_is_refused(isolated_home: Path) -> None:
    p = isolated_home / ".config" / "reader" / "config.toml"
    p.mkdir(parents=True)
    assert load_config().problem == f"{p}: is a folder, not a regular file; using default settings"
    load_config.cache_clear()
    p.rmdir()
    os.mkfifo(p)  # would hang a plain open()
    assert "not a regular file" in load_config().problem


def test_a_config_that_is_not_utf8_is_named_with_its_line(isolated_home: Path) -> None:
    p = write(isolated_home, "")
    p.write_bytes(b'author = "Ada"\ntheme = "caf\xe9"\n')
    assert load_config().problem == f"{p}:2: not UTF-8 text; using default settings"


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
