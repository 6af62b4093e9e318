"""Every annotation rule of ArticleSession, without a user interface: the view changes at
once, and the sidecar on disk after save_pending()."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reader.core.anchoring import Anchorer
from reader.core.annotation import Annotation, make_target
from reader.core.config import Config
from reader.core.document import Range
from reader.core.motion import selected
from reader.core.session import (
    CHANGED,
    DELETED,
    SAME,
    ArticleSession,
    NoteDraft,
    OccurrenceError,
    Outcome,
    find_occurrence,
    load_layers,
    resolve_layers,
)
from reader.core.sharing import Layer
from reader.core.store import dump_sidecar, read_sidecar, sidecar_beside

TEXT = (
    "The quick brown fox jumps over the lazy dog.\n"
    "A second line speaks of foxes and dogs alike.\n"
    "The end of the story comes on the third line.\n"
)
CONFIG = Config(author_setting="Ada", labels={"green": "agree"})


@pytest.fixture
def article(tmp_path: Path) -> Path:
    p = tmp_path / "lib" / "story.txt"
    p.parent.mkdir()
    p.write_text(TEXT, "utf-8")
    return p


def opened(path: Path) -> ArticleSession:
    return ArticleSession.open(path, CONFIG)


def on_disk(path: Path) -> list[Annotation]:
    return read_sidecar(sidecar_beside(path)).annotations


def saved(s: ArticleSession) -> list[Annotation]:
    report = s.save_pending()
    assert not report.errors and not report.reload_first
    return on_disk(s.path)


def at(word: str, n: int = 1) -> int:
    return find_occurrence(TEXT, word, n).start


def sel(word: str, n: int = 1) -> Range:
    return find_occurrence(TEXT, word, n)


def quotes(s: ArticleSession) -> list[str]:
    return [a.target.quote for a in s.annotations]


def add_layer(article: Path, author: str, quotes: list[str]) -> None:
    text = article.read_text("utf-8")
    marks = [
        Annotation(
            make_target(text, text.index(q), text.index(q) + len(q)), author=author, note="theirs"
        )
        for q in quotes
    ]
    folder = article.parent / "annotations" / author
    folder.mkdir(parents=True)
    (folder / (article.name + ".annotations.toml")).write_text(
        dump_sidecar(article, text, marks), "utf-8"
    )


def with_layers(article: Path) -> ArticleSession:
    s = opened(article)
    s.layers = load_layers(article, [article.parent], s.text)
    return s


# --- highlight -----------------------------------------------------------------------
def test_highlight_marks_the_word_under_the_caret_at_once_and_saves_later(article: Path) -> None:
    s = opened(article)
    out = s.highlight(at("brown") + 2, None)
    assert out.changed and out.keep is not None
    assert quotes(s) == ["brown"]
    assert not sidecar_beside(article).exists()  # not written until save_pending
    [a] = saved(s)
    assert a.target.quote == "brown" and a.author == "Ada" and a.color == "yellow"


def test_highlight_selection_in_a_colour_with_its_label(article: Path) -> None:
    s = opened(article)
    s.highlight(0, sel("quick brown fox"), "green")
    [a] = saved(s)
    assert (a.target.quote, a.color, a.label) == ("quick brown fox", "green", "agree")
    assert s.color == "green"  # the next `a` uses it


def test_colour_key_on_a_mark_recolours_it_never_a_second_mark(article: Path) -> None:
    s = opened(article)
    s.highlight(0, sel("lazy dog"))
    said = s.highlight(at("dog"), None, "blue")
    [a] = saved(s)
    assert a.target.quote == "lazy dog" and a.color == "blue"
    # said: a digit meant as a count (120G on a mark) must not recolour unseen
    assert said.message == "Recoloured yellow → blue (u undoes)."


def test_selection_on_an_existing_mark_recolours_or_says_already(article: Path) -> None:
    s = opened(article)
    s.highlight(0, sel("lazy dog"), "pink")
    out = s.highlight(0, sel("lazy dog"))
    assert not out.changed and "Already highlighted" in out.message
    s.highlight(0, sel("lazy dog"), "orange")
    [a] = saved(s)
    assert a.color == "orange"


def test_nothing_to_highlight_on_blank_text(tmp_path: Path) -> None:
    p = tmp_path / "blank.txt"
    p.write_text("word\n\n\nother\n")
    s = opened(p)
    out = s.highlight(5, Range(4, 7))
    assert not out.changed and out.message.startswith("Nothing to highlight")


# --- notes ---------------------------------------------------------------------------
def test_note_on_a_selection_creates_one_mark(article: Path) -> None:
    s = opened(article)
    draft = s.note_draft(0, sel("second line"))
    assert isinstance(draft, NoteDraft) and draft.existing is None
    assert draft.quote == "second line"
    s.save_note(draft, "why", ["a", "b", "a"])
    [a] = saved(s)
    assert (a.target.quote, a.note, a.tags, a.kind) == ("second line", "why", ("a", "b"), "note")


def test_note_under_the_caret_edits_it(article: Path) -> None:
    s = opened(article)
    s.highlight(0, sel("lazy dog"))
    draft = s.note_draft(at("dog"), None)
    assert isinstance(draft, NoteDraft) and draft.existing is not None
    s.save_note(draft, "a dog", ["pets"])
    [a] = saved(s)
    assert a.note == "a dog" and a.tags == ("pets",) and a.target.quote == "lazy dog"


def test_note_on_a_selection_over_a_mark_never_makes_a_duplicate(article: Path) -> None:
    s = opened(article)
    s.highlight(0, sel("lazy dog"))
    draft = s.note_draft(0, sel("lazy dog"))
    assert isinstance(draft, NoteDraft) and draft.existing is not None
    s.save_note(draft, "same passage", [])
    draft = s.note_draft(0, sel("the lazy dog."))  # wider: the one mark grows
    assert isinstance(draft, NoteDraft) and draft.quote == "the lazy dog."
    s.save_note(draft, "wider", [])
    [a] = saved(s)
    assert a.target.quote == "the lazy dog." and a.note == "wider"


def test_note_on_nothing_asks_for_a_selection(tmp_path: Path) -> None:
    p = tmp_path / "blank.txt"
    p.write_text("   \n\n")
    out = opened(p).note_draft(1, None)
    assert isinstance(out, Outcome) and "Select text first" in out.message


# --- delete, undo, redo ------------------------------------------------------------
def test_delete_under_the_caret_then_undo_and_redo(article: Path) -> None:
    s = opened(article)
    s.highlight(at("fox"), None)
    saved(s)
    out = s.delete(at("fox"))
    assert out.changed and "u to undo" in out.message and s.annotations == []
    assert saved(s) == []
    assert s.undo().message == "Undid delete."
    assert [a.target.quote for a in saved(s)] == ["fox"]
    assert s.redo().message == "Redid delete."
    assert saved(s) == []
    s.undo()
    s.undo()  # the highlight itself
    assert saved(s) == [] and s.undo().message == "Nothing to undo."
    s.redo()
    assert [a.target.quote for a in saved(s)] == ["fox"]


def test_delete_with_nothing_there(article: Path) -> None:
    out = opened(article).delete(at("quick"))
    assert not out.changed and out.message == "No annotation here to delete."
    assert opened(article).redo().message == "Nothing to redo."


def test_delete_on_a_colleagues_mark_says_it_is_theirs_and_offers_y(article: Path) -> None:
    add_layer(article, "sam", ["second line"])
    s = with_layers(article)
    out = s.delete(at("second"))
    assert (
        not out.changed and out.message == "sam's layer is read-only: y copies this one into yours."
    )
    [entry] = s.entries()
    assert s.delete(0, entry).message.startswith("sam's layer is read-only")
    assert not sidecar_beside(article).exists()


# --- re-attach, layers -----------------------------------------------------------------
def test_reattach_an_orphan_to_the_selection(article: Path) -> None:
    s = opened(article)
    s.highlight(0, sel("third line"))
    saved(s)
    article.write_text(TEXT.replace("third line", "last row"))
    s = opened(article)
    [entry] = s.entries()
    assert not entry.resolution.found
    assert "Select the passage" in s.reattach(entry, None).message
    assert "orphan" in s.reattach(None, sel("quick")).message
    new = find_occurrence(s.text, "last row")
    s.reattach(entry, new)
    [a] = saved(s)
    assert a.target.quote == "last row" and a.id == entry.annotation.id
    assert s.entries()[0].resolution.found


def test_copy_from_a_layer_once(article: Path) -> None:
    add_layer(article, "sam", ["second line"])
    s = with_layers(article)
    out = s.copy_from_layer(at("second") + 1)
    assert out.changed and out.message == "Copied sam's annotation into yours."
    [a] = saved(s)
    assert a.target.quote == "second line" and a.author == "sam" and a.note == "theirs"
    assert s.copy_from_layer(at("second")).message == "You already have this annotation."
    assert "Choose a shared annotation" in s.copy_from_layer(at("quick")).message


def test_hidden_layers_are_neither_listed_nor_painted(article: Path) -> None:
    add_layer(article, "sam", ["second line"])
    add_layer(article, "kim", ["third line"])
    s = with_layers(article)
    assert s.layer_counts() == [("kim", 1), ("sam", 1)]
    assert {e.layer for e in s.entries()} == {"kim", "sam"}
    s.set_hidden({"sam"})
    assert {e.layer for e in s.entries()} == {"kim"}
    marks, _ = s.painted()
    assert [(m.kind, s.text[m.start : m.end]) for m in marks] == [("layer", "third line")]
    assert s.layer_entry_at(at("second")) is None


def test_layers_resolve_with_one_matcher_as_each_would_alone(article: Path) -> None:
    text = article.read_text()
    moved = "A new first line.\n" + text
    marks = [
        Annotation(make_target(text, text.index(q), text.index(q) + len(q)))
        for q in ("quick brown", "foxes and dogs", "third line", "story comes")
    ]
    [rl] = resolve_layers(moved, [Layer("sam", article, marks)])
    for a in marks:
        assert rl.resolutions[a.id] == Anchorer(moved).resolve(a.target)
        r = rl.resolutions[a.id]
        assert moved[r.start : r.end] == a.target.quote


# --- filter, status, painting ----------------------------------------------------------
def test_filter_by_tag_colour_or_words(article: Path) -> None:
    s = opened(article)
    d = s.note_draft(0, sel("quick"))
    assert isinstance(d, NoteDraft)
    s.save_note(d, "Speedy animal", ["Fast"])
    s.highlight(0, sel("lazy"), "blue")
    s.set_filter("#fast")
    assert [e.annotation.target.quote for e in s.entries()] == ["quick"]
    s.set_filter("blue")
    assert [e.annotation.target.quote for e in s.entries()] == ["lazy"]
    s.set_filter("speedy")
    assert [e.annotation.target.quote for e in s.entries()] == ["quick"]
    s.set_filter("  ")
    assert len(s.entries()) == 2


def test_status_line_facts(article: Path) -> None:
    s = opened(article)
    st = s.status(at("second"), None)
    assert st.left == "line 2/4 col 3 · 34%" and st.right == ""
    st = s.status(0, Range(0, 9), find=(1, 5))
    assert st.left.startswith("[2/5] VISUAL 9 chars · line 1/4 col 1")
    s.highlight(at("fox"), None, "pink")
    assert s.status(at("fox"), None).right == "■ pink"
    d = s.note_draft(at("fox"), None)
    assert isinstance(d, NoteDraft)
    s.save_note(d, "a\x1b]0;title\x07 note\nwith lines", [])
    assert s.status(at("fox"), None).right == "✎ a␛]0;title␇ note with lines"


def test_painted_marks_and_note_ends(article: Path) -> None:
    s = opened(article)
    s.highlight(0, sel("quick"), "green")
    d = s.note_draft(0, sel("lazy dog"))
    assert isinstance(d, NoteDraft)
    s.save_note(d, "n", [])
    marks, ends = s.painted()
    r = sel("lazy dog")
    assert {(m.start, m.end, m.kind, m.color) for m in marks} == {
        (*sel("quick"), "highlight", "green"),
        (r.start, r.end, "highlight", "green"),
        (r.start, r.end, "noted", ""),
    }
    assert ends == {r.end}


def test_find_says_where_an_annotation_is(article: Path) -> None:
    add_layer(article, "sam", ["second line"])
    s = with_layers(article)
    s.highlight(at("quick"), None)
    mine = s.annotations[0].id
    theirs = s.layers[0].layer.annotations[0].id
    assert s.find(mine) is not None and s.find(mine).start == at("quick")  # type: ignore[union-attr]
    assert s.find(theirs).start == at("second")  # type: ignore[union-attr]
    assert s.find("nope") is None


# --- errors, disk ----------------------------------------------------------------------
def test_a_broken_sidecar_is_never_written_and_the_message_names_its_line(article: Path) -> None:
    side = sidecar_beside(article)
    side.write_text('format = 1\n[[annotation]]\nid = "x"\nnot toml\n')
    before = side.read_bytes()
    s = opened(article)
    out = s.highlight(at("quick"), None)
    assert out.error and not out.changed and f"{side}:4" in out.message
    assert s.annotations == [] and s.save_pending().errors == []
    assert side.read_bytes() == before


def test_a_sidecar_broken_after_opening_reports_and_shows_the_disk(article: Path) -> None:
    s = opened(article)
    s.highlight(at("quick"), None)
    side = sidecar_beside(article)
    side.write_text("[[annotation]\n")
    report = s.save_pending()
    assert report.errors and f"{side}:1" in report.errors[0]
    assert side.read_text() == "[[annotation]\n"
    assert s.sync() and s.annotations == []


def test_no_save_against_text_that_changed_on_disk_reload_first(article: Path) -> None:
    s = opened(article)
    s.highlight(0, sel("third line"))
    article.write_text(TEXT.split("\n", 1)[1])  # the first line removed
    os.utime(article, ns=(1, 1))  # a different mtime even on a coarse clock
    assert s.source_state() == CHANGED
    assert s.save_pending().reload_first and not sidecar_beside(article).exists()
    new = opened(article)
    assert new.take_over(s) == 0
    assert new.history is s.history and new.pending == 1
    [a] = saved(new)
    text = article.read_text()
    assert text[a.target.start : a.target.end] == "third line"
    src = read_sidecar(sidecar_beside(article)).source
    assert src["size"] == len(text.encode())
    assert new.source_state() == SAME


def test_reload_counts_annotations_that_became_orphans(article: Path) -> None:
    s = opened(article)
    s.highlight(0, sel("quick brown fox"))
    s.highlight(0, sel("third line"))
    saved(s)
    article.write_text(TEXT.replace("quick brown fox", "slow grey cat"))
    new = opened(article)
    assert new.take_over(s) == 1
    found = {e.annotation.target.quote: e.resolution.found for e in new.entries()}
    assert found == {"quick brown fox": False, "third line": True}


def test_a_deleted_article_keeps_its_annotations_and_refuses_changes(article: Path) -> None:
    s = opened(article)
    s.highlight(at("quick"), None)
    saved(s)
    article.unlink()
    assert s.source_state() == DELETED
    s.frozen = "story.txt was deleted; its annotations are kept as they are."
    out = s.highlight(at("lazy"), None)
    assert out.error and "was deleted" in out.message
    assert [a.target.quote for a in on_disk(article)] == ["quick"]


def test_carry_offset_follows_the_text(article: Path) -> None:
    s = opened(article)
    article.write_text("New opening line.\n" + TEXT)
    new = opened(article)
    assert new.text[new.carry_offset(s.text, at("second")) :].startswith("second line")
    assert new.carry_offset(s.text, 0) == 0


# --- the command line's occurrence ----------------------------------------------------
def test_find_occurrence_counts_from_either_end() -> None:
    text = "a cat, a cat and a cat"
    assert find_occurrence(text, "cat") == Range(2, 5)
    assert find_occurrence(text, "cat", 2) == Range(9, 12)
    assert find_occurrence(text, "cat", -1) == Range(19, 22)
    assert find_occurrence(text, "cat", -3) == Range(2, 5)
    assert find_occurrence("aaaa", "aa", 3) == Range(2, 4)  # overlapping, as before
    assert find_occurrence("aaaa", "aa", -2) == Range(1, 3)


@pytest.mark.parametrize(
    ("quote", "n", "message"),
    [
        ("cat", 0, "an occurrence counts from 1 (or from the end: -1 is the last), not 0"),
        ("cat", 4, "the quote occurs 3 time(s); occurrence 4 is out of range"),
        ("cat", -50, "the quote occurs 3 time(s); occurrence -50 is out of range"),
        ("dog", 1, "quote not found in the text"),
        ("", 1, "the quote is empty"),
    ],
)
def test_find_occurrence_says_why_not(quote: str, n: int, message: str) -> None:
    with pytest.raises(OccurrenceError) as err:
        find_occurrence("a cat, a cat and a cat", quote, n)
    assert str(err.value) == message


def test_add_as_the_command_line_does(article: Path) -> None:
    s = opened(article)
    out = s.add(find_occurrence(s.text, "fox", -1), color="blue", note="n", tags=["t"], author="")
    [a] = saved(s)
    assert out.keep == a.id and a.target.quote == "fox" and a.author == "" and a.color == "blue"


def test_a_note_written_while_the_article_is_reloaded_finds_its_passage(article: Path) -> None:
    s = opened(article)
    draft = s.note_draft(0, sel("lazy dog"))
    assert isinstance(draft, NoteDraft)
    article.write_text("A new first line.\n" + TEXT)
    new = opened(article)
    new.take_over(s)
    new.save_note(draft, "still here", [])
    [a] = saved(new)
    assert a.note == "still here"
    assert article.read_text()[a.target.start : a.target.end] == "lazy dog"


def test_save_now_reads_a_changed_article_again_first(article: Path) -> None:
    s = opened(article)
    s.highlight(0, sel("third line"))
    article.write_text("A new first line.\n" + TEXT)
    assert s.save_pending().reload_first
    report = s.save_now()
    assert not report.errors and not report.reload_first
    [a] = on_disk(article)
    assert article.read_text()[a.target.start : a.target.end] == "third line"
    assert s.pending == 0


def test_annotations_stay_in_text_order(article: Path) -> None:
    s = opened(article)
    for word in ("third", "quick", "second", "lazy"):
        s.highlight(0, sel(word))
    assert quotes(s) == ["quick", "lazy", "second", "third"]
    s.highlight(0, sel("lazy"), "blue")  # a recoloured one keeps its place
    assert quotes(s) == ["quick", "lazy", "second", "third"]
    assert [a.target.quote for a in saved(s)] == quotes(s)


def test_a_selection_ending_on_the_next_words_start_ends_with_the_word_before() -> None:
    text = "one **two** three"
    hidden = {4, 5, 9, 10}.__contains__  # the ** markers, hidden when Markdown is rendered
    assert selected(text, 0, 12, caret_excluded=True, hidden=hidden) == Range(0, 9)
    assert selected(text, 0, 12) == Range(0, 13)  # without w: the caret's letter counts
    assert selected(text, 12, 0, caret_excluded=True) == Range(0, 13)  # caret before: its start
    assert selected(text, 3, 4, caret_excluded=True) == Range(3, 4)  # only a space: kept
