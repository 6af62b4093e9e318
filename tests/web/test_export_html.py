"""`reader export --format html`: the page a colleague opens, looked at in a real browser."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from reader.cli import main
from tests.conftest import annotate

HOSTILE = (
    "Intro line about chips.\n\n"
    'A hostile page: <script>window.pwned = 1</script> and <img src=x onerror="window.pwned=2">'
    " and [bold]markup[/bold] and an image ![x](http://203.0.113.9/x.png).\n\n"
)


def _library(tmp_path: Path, text: str, name: str = "article.txt") -> Path:
    lib = tmp_path / "lib"
    lib.mkdir()
    art = lib / name
    art.write_text(text, "utf-8")
    return art


def _export(paths: list[Path], out: Path) -> str:
    assert main(["export", *map(str, paths), "--format", "html", "-o", str(out)]) == 0
    return out.read_text("utf-8")


def _layer(article: Path, author: str, quote: str, color: str = "yellow") -> None:
    """A colleague's layer: their sidecar in annotations/AUTHOR/ beside the article."""
    theirs = article.parent / "theirs" / article.name
    theirs.parent.mkdir(exist_ok=True)
    theirs.write_text(article.read_text("utf-8"), "utf-8")
    annotate(theirs, quote, "--color", color, "--author", author, "--note", f"{author} says")
    folder = article.parent / "annotations" / author
    folder.mkdir(parents=True)
    sidecar = theirs.with_name(theirs.name + ".annotations.toml")
    (folder / sidecar.name).write_text(sidecar.read_text("utf-8"), "utf-8")


def _bg(page: Any, selector: str) -> str:
    return str(page.eval_on_selector(selector, "e => getComputedStyle(e).backgroundColor"))


def test_highlights_are_marked_in_their_colours_with_notes(tmp_path: Path, page: Any) -> None:
    art = _library(tmp_path, "One fine morning the chips arrived.\n\nThe fab said no.\n")
    annotate(art, "chips arrived", "--note", "key claim", "--tag", "supply")
    annotate(art, "fab said no", "--color", "blue")
    out = tmp_path / "page.html"
    _export([art], out)
    page.goto(out.as_uri())
    marks = page.query_selector_all("mark.mine")
    assert [m.inner_text() for m in marks] == ["chips arrived", "fab said no"]
    yellow, blue = _bg(page, "mark.hl-yellow"), _bg(page, "mark.hl-blue")
    assert yellow != blue and "0, 0, 0, 0" not in yellow and "0, 0, 0, 0" not in blue
    note = page.inner_text(".note")
    assert "key claim" in note and "#supply" in note


def test_clicking_an_annotation_in_the_list_scrolls_to_it(tmp_path: Path, page: Any) -> None:
    filler = "".join(f"Paragraph {i} of filler text that takes room.\n\n" for i in range(300))
    art = _library(tmp_path, filler + "The needle is here at the end.\n")
    annotate(art, "needle is here")
    out = tmp_path / "page.html"
    _export([art], out)
    page.goto(out.as_uri())
    assert page.evaluate("window.scrollY") == 0
    page.click("nav.annotations a")
    page.wait_for_function("window.scrollY > 0")
    top = page.eval_on_selector("mark.mine", "e => e.getBoundingClientRect().top")
    assert 0 <= top < page.viewport_size["height"]


def test_a_layer_is_drawn_in_its_own_colour_and_its_toggle_hides_it(
    tmp_path: Path, page: Any
) -> None:
    art = _library(tmp_path, "Alpha beta gamma delta epsilon.\n")
    annotate(art, "beta")
    _layer(art, "ada", "delta")
    out = tmp_path / "page.html"
    html = _export([art], out)
    assert "ada" in html
    page.goto(out.as_uri())
    assert page.inner_text("mark.layer") == "delta"
    # Drawn in ada's layer colour, so her own colour is named as hers, not as the page's.
    assert page.inner_text("li.layer-1-1 .meta") == "ada · yellow in their copy"
    before = _bg(page, "mark.layer")
    assert "0, 0, 0, 0" not in before and before != _bg(page, "mark.mine")
    assert page.is_visible(".note.layer")
    page.click("label:has-text('ada')")
    assert "0, 0, 0, 0" in _bg(page, "mark.layer")
    assert not page.is_visible(".note.layer")
    assert "0, 0, 0, 0" not in _bg(page, "mark.mine")  # yours stay


def test_a_hostile_article_is_shown_as_text_and_nothing_runs_or_loads(
    tmp_path: Path, page: Any
) -> None:
    art = _library(tmp_path, HOSTILE, "hostile.md")
    annotate(art, "hostile page", "--note", "<script>window.pwned = 3</script> note")
    out = tmp_path / "page.html"
    _export([art], out)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: requests.append("console:" + m.text))
    page.goto(out.as_uri())
    page.wait_for_load_state("load")
    assert page.evaluate("typeof window.pwned") == "undefined"
    text = page.inner_text("body")
    assert "<script>window.pwned = 1</script>" in text
    assert "<script>window.pwned = 3</script> note" in text
    assert "[bold]markup[/bold]" in text
    assert requests == [out.as_uri()]


def test_orphans_are_listed_at_the_end(tmp_path: Path) -> None:
    art = _library(tmp_path, "The quick brown fox.\n")
    annotate(art, "quick brown", "--note", "about the fox")
    art.write_text("Something else entirely now.\n", "utf-8")
    html = _export([art], tmp_path / "page.html")
    orphans = html[html.index('class="orphans"') :]
    assert "quick brown" in orphans and "about the fox" in orphans
    assert "<mark" not in html


def test_several_articles_make_one_page_with_contents(tmp_path: Path, page: Any) -> None:
    art = _library(tmp_path, "# First\n\nSome **bold** words here.\n", "one.md")
    second = art.parent / "two.txt"
    second.write_text("Second article text.\n", "utf-8")
    annotate(art, "bold")
    annotate(second, "article text", "--color", "purple")
    out = tmp_path / "page.html"
    _export([art.parent], out)
    page.goto(out.as_uri())
    contents = page.inner_text("nav.contents")
    assert "First" in contents and "two.txt" in contents
    # Markdown is rendered: markers hidden, the highlighted word bold.
    assert "**" not in page.inner_text("#article-1 .text")
    assert page.inner_text("#article-1 mark") == "bold"
    weight = page.eval_on_selector("#article-1 .md-strong", "e => getComputedStyle(e).fontWeight")
    assert int(weight) >= 600


def test_unknown_colours_and_names_never_become_markup(tmp_path: Path) -> None:
    art = _library(tmp_path, "Plain words to mark.\n")
    annotate(art, "words")
    sidecar = art.with_name(art.name + ".annotations.toml")
    raw = sidecar.read_text("utf-8")
    sidecar.write_text(re.sub(r'color = "yellow"', 'color = "red\\" onclick=\\"x"', raw), "utf-8")
    html = _export([art], tmp_path / "page.html")
    assert 'onclick="x"' not in html
    assert "hl-other" in html


def test_plain_text_headings_are_headings_on_the_page(tmp_path: Path, page: Any) -> None:
    from tests.conftest import HUAWEI, SEEDS

    art = _library(tmp_path, (SEEDS / HUAWEI).read_text("utf-8"))
    annotate(art, "Kirin 9000S")
    out = tmp_path / "page.html"
    _export([art], out)
    page.goto(out.as_uri())
    headings = [h.inner_text() for h in page.query_selector_all(".text .h")]
    assert headings[:2] == ["Huawei’s Game-Changing Move", "Xiaomi’s Semiconductor Ambitions"]
    assert page.inner_text("mark.mine") == "Kirin 9000S"


def test_markdown_and_web_pages_are_rendered_not_shown_as_source(tmp_path: Path, page: Any) -> None:
    md = _library(
        tmp_path,
        "---\ntitle: Fab notes\n---\n\n# Fab notes\n\n1. First step\n2. Second step\n\n"
        "```\nrun_etch()\n```\n\n| step | time |\n| --- | --- |\n",
        "notes.md",
    )
    web = md.parent / "saved.html"
    web.write_text(
        "<html><head><title>Saved</title></head><body><nav>Home | About</nav><article>"
        "<h1>Wafer news</h1><p>The foundry said demand for HBM memory doubled this year, "
        "and that wafer starts would grow again next quarter as new lines opened.</p>"
        "<ul><li>Demand from accelerators</li><li>New lines</li></ul></article></body></html>"
    )
    annotate(md, "Second step")
    annotate(web, "HBM memory")
    out = tmp_path / "page.html"
    _export([md.parent], out)
    page.goto(out.as_uri())
    text = page.inner_text(".page")
    assert "```" not in text and "# Fab" not in text and "title: Fab notes" not in text
    assert page.inner_text("details.front summary") == "front matter"  # folded
    assert "1. First step" in text and "run_etch()" in text
    assert page.inner_text("mark.mine >> nth=0") in ("Second step", "HBM memory")
    assert "Wafer news" in [h.inner_text() for h in page.query_selector_all(".text .h")]
