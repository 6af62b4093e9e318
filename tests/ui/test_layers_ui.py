import shutil
import subprocess
import threading
from pathlib import Path
from typing import Any

import pytest
from textual.app import App

from reader.core.store import read_sidecar, sidecar_beside
from reader.ui.app import make_app
from reader.ui.widgets.annotation_list import AnnotationList
from reader.ui.widgets.reading_pane import ReadingPane

from ..conftest import HUAWEI, REPO
from .test_app import screen_text, settle, told


def project_copy(tmp_path: Path) -> Path:
    """seeds/ and the shared annotations/ beside it, as in this project."""
    shutil.copytree(REPO / "seeds", tmp_path / "seeds")
    shutil.copytree(REPO / "annotations", tmp_path / "annotations")
    return tmp_path / "seeds"


async def test_sample_layer_shows_hides_and_copies(tmp_path: Path) -> None:
    seeds = project_copy(tmp_path)
    app = make_app([seeds / HUAWEI])
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        assert "sam: “a domestically" in screen_text(app)
        await pilot.press("L", "space", "enter")  # hide sam's layer
        await pilot.pause()
        assert "sam:" not in screen_text(app)
        await pilot.press("L", "space", "enter")  # show it again
        await pilot.pause()
        notes = app.screen.query_one(AnnotationList)
        notes.focus()
        await pilot.pause()
        assert notes.current is not None and notes.current.layer == "sam"
        await pilot.press("x")  # read-only: nothing deleted, a hint instead
        await pilot.press("y")
        await settle(app, pilot)  # written in a thread
    [mine] = read_sidecar(sidecar_beside(seeds / HUAWEI)).annotations
    assert mine.target.quote == "a domestically manufactured chip, the Kirin 9000S"
    assert mine.author == "Sam Okafor"
    # The layer file itself is untouched.
    assert (tmp_path / "annotations" / "sam" / f"{HUAWEI}.annotations.toml").read_bytes() == (
        REPO / "annotations" / "sam" / f"{HUAWEI}.annotations.toml"
    ).read_bytes()


async def test_export_key_writes_a_markdown_digest(tmp_path: Path) -> None:
    seeds = project_copy(tmp_path)
    from reader.cli import main

    main(["annotate", str(seeds / HUAWEI), "--quote", "Source link", "--note", "end"])
    app = make_app([seeds / HUAWEI])
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("E")
        await settle(app, pilot)  # written in a thread
    digest = seeds / f"{HUAWEI}.annotations.md"
    assert "> Source link" in digest.read_text() and "end" in digest.read_text()
    # The colleague's layer shown beside yours, under its own heading, as the CLI's digest.
    yours, sams = digest.read_text().split("### sam's layer")
    assert "Source link" in yours and "No source given" in sams


async def test_export_key_on_a_bundled_sample_writes_to_the_user_data_folder(
    isolated_home: Path,
) -> None:
    from reader.core.seeds import seeds_dir

    seeds = seeds_dir()
    before = sorted(p.name for p in seeds.iterdir())
    app = make_app([])  # the bundled samples, as `reader` with no PATH
    messages = told(app)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("tab", "W", "a", "E")  # a mark, then its digest
        await settle(app, pilot)
    assert sorted(p.name for p in seeds.iterdir()) == before  # nothing in the package
    [digest] = (isolated_home / ".local/share/reader/samples").glob("*.annotations.md")
    assert "> " in digest.read_text()
    assert any(f"Exported 1 annotation(s) to {digest}" in m for m in messages), messages


async def test_notes_search_includes_shared_layers(tmp_path: Path) -> None:
    seeds = project_copy(tmp_path)
    app = make_app([seeds])
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("M", *"which experts")
        await settle(app, pilot)
        assert "sam" in screen_text(app) and "No source given" in screen_text(app)
        await pilot.press("enter")
        await settle(app, pilot)
        pane = app.screen.query_one(ReadingPane)
        assert pane.doc.text[pane.caret :].startswith("Some experts predict")


async def test_no_layers_says_where_a_colleague_s_files_go(seeds_copy: Path) -> None:
    app = make_app([seeds_copy / HUAWEI])  # a copy: no annotations/ folder beside it
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        said = told(app)
        await pilot.press("L")
        await pilot.pause()
    [message] = said
    assert message.startswith("No shared layers for this article")
    assert "annotations/THEIR-NAME/ beside the library" in message
    assert "`reader format`" in message and "README" not in message  # no file only a checkout has


def with_marks_by_ana_and_ben(seeds: Path) -> Path:
    """Ben's article, holding a note Ana wrote (imported, or copied from her layer) and a
    highlight of his own."""
    from reader.cli import main

    art = seeds / HUAWEI
    opts = ["--quote", "Huawei and Xiaomi", "--note", "her reading", "--author", "Ana"]
    assert main(["annotate", str(art), *opts]) == 0
    assert main(["annotate", str(art), "--quote", "Source link", "--author", "Ben"]) == 0
    return art


def pane_rows(app: App[Any]) -> list[str]:
    """The annotations pane's rows, as plain text."""
    notes = app.screen.query_one(AnnotationList)
    return [str(notes.get_option_at_index(i).prompt) for i in range(notes.option_count)]


async def test_the_annotations_pane_says_who_wrote_a_mark_that_is_not_yours(
    seeds_copy: Path, isolated_home: Path
) -> None:
    cfg = isolated_home / ".config" / "reader" / "config.toml"
    cfg.parent.mkdir(parents=True)
    cfg.write_text('author = "Ben"\n')
    art = with_marks_by_ana_and_ben(seeds_copy)
    app = make_app([art])
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        [hers] = [row for row in pane_rows(app) if "Huawei and Xiaomi" in row]
        [his] = [row for row in pane_rows(app) if "Source link" in row]
        assert "by Ana" in hers.splitlines()[0] and "by" not in his
        assert "by Ana" in screen_text(app)


async def test_your_name_is_asked_of_git_in_a_thread_and_no_by_shows_until_then(
    seeds_copy: Path, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No author in the config: git's user.name is you. git is a subprocess, asked off the
    UI thread once the first frame is up; until it answers, no row says `by`."""
    import reader.core.config as config

    art = with_marks_by_ana_and_ben(seeds_copy)
    (isolated_home / ".gitconfig").write_text("[user]\n\tname = Ben\n")
    config.default_author.cache_clear()
    answer, asked_on = threading.Event(), []
    real_run = subprocess.run

    def slow_git(*args: Any, **kwargs: Any) -> Any:
        asked_on.append(threading.current_thread())
        answer.wait(30)  # (on the UI thread this would freeze the app: the test fails then)
        return real_run(*args, **kwargs)

    monkeypatch.setattr(config.subprocess, "run", slow_git)
    app = make_app([art])
    try:
        async with app.run_test(size=(160, 40)) as pilot:
            opening = [w for w in app.workers if "git" not in w.description]
            await app.workers.wait_for_complete(opening)
            await pilot.pause()
            rows = pane_rows(app)
            assert any("Huawei and Xiaomi" in row for row in rows)
            assert not any("by " in row for row in rows)  # not known yet: never a wrong one
            answer.set()
            await settle(app, pilot)
            [hers] = [row for row in pane_rows(app) if "Huawei and Xiaomi" in row]
            [his] = [row for row in pane_rows(app) if "Source link" in row]
            assert "by Ana" in hers and "by" not in his
    finally:
        answer.set()
        config.default_author.cache_clear()  # Ben is nobody's name in the other tests
    assert asked_on and threading.main_thread() not in asked_on
