"""Marks (m + letter, ' + letter) kept between runs, and the jump list (ctrl+o)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.jumps import JumpList
from reader.core.positions import Positions


def test_marks_are_kept_with_the_reading_position(tmp_path: Path) -> None:
    art = tmp_path / "a.txt"
    art.write_text("text", "utf-8")
    state = tmp_path / "positions.json"
    p = Positions(state)
    p.set(art, 120)
    p.set_mark(art, "a", 500)
    p.set_mark(art, "Z", 9)
    p.save()
    again = Positions(state)
    assert again.get(art) == 120
    assert again.marks(art) == {"a": 500, "Z": 9}
    assert again.marks(tmp_path / "other.txt") == {}
    with pytest.raises(ValueError):
        again.set_mark(art, "1", 3)


def test_the_caret_is_kept_with_the_reading_position(tmp_path: Path) -> None:
    art = tmp_path / "a.txt"
    art.write_text("text", "utf-8")
    state = tmp_path / "positions.json"
    p = Positions(state)
    p.set(art, 120, 300)
    p.save()
    assert (Positions(state).get(art), Positions(state).caret(art)) == (120, 300)
    # A file kept before carets were: its positions are read, with no caret.
    state.write_text(f'{{"last": "", "positions": {{"{art.resolve()}": 7}}}}')
    assert (Positions(state).get(art), Positions(state).caret(art)) == (7, None)


def test_a_damaged_marks_entry_is_ignored_not_fatal(tmp_path: Path) -> None:
    state = tmp_path / "positions.json"
    state.write_text('{"positions": {}, "marks": {"/x": {"a": -1, "b": "no", "cc": 3, "d": 4}}}')
    assert Positions(state).marks(Path("/x")) == {"d": 4}


def test_ctrl_o_goes_back_through_the_places_jumped_from() -> None:
    jumps = JumpList()
    jumps.leave(0)  # G from the top
    jumps.leave(5000)  # then a search from the end
    jumps.leave(5010)  # near the last one: the same place
    assert len(jumps) == 2
    assert jumps.back(here=2500) == 5000
    assert jumps.back(here=5000) == 0
    assert jumps.back(here=0) is None


def test_back_skips_the_place_the_reader_is_at() -> None:
    jumps = JumpList()
    jumps.leave(100)
    jumps.leave(900)
    assert jumps.back(here=905) == 100


def test_a_sentence_or_paragraph_chosen_in_markdown_starts_at_its_words() -> None:
    """S or P on a quote, a heading or a list item of a Markdown text (or a page's or
    book's extracted text): the passage starts with its words, not the hidden `> `,
    `## ` or `- ` (a quote saved with them matched nothing on the real page)."""
    from pathlib import Path

    from reader.core.document import Document
    from reader.core.motion import unit_at

    text = (
        "## The gate at night\n\n"
        "> We were not guarding the gate. Nobody was.\n\n"
        "- First, the lamps went out.\n\n"
        "```\n\n# not a heading\n\n```\n"
    )
    doc = Document(text, Path("page.md"))

    def chosen(at: str, unit: str) -> str:
        r = unit_at(doc, text.index(at), unit)
        assert r is not None
        return text[r.start : r.end]

    assert chosen("## The", "sentence") == "The gate at night"
    assert chosen("> We", "sentence") == "We were not guarding the gate."
    assert chosen("> We", "paragraph") == "We were not guarding the gate. Nobody was."
    assert chosen("- First", "paragraph") == "First, the lamps went out."
    assert chosen("# not", "paragraph") == "# not a heading"  # in code: as written
    plain = Document(text, Path("notes.txt"))  # plain text: its characters are its words
    r = unit_at(plain, text.index("> We"), "sentence")
    assert r is not None and text[r.start : r.end].startswith("> We")
