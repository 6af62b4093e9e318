from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.anchoring import ANCHORED, FUZZY, MOVED, ORPHAN, Anchorer, resolve
from reader.core.annotation import make_target

BASE = (
    "The first paragraph talks about rivers and mountains.\n\n"
    "The second paragraph holds the important claim that chips are made in Taiwan.\n\n"
    "A third paragraph closes the article with a remark about the weather today.\n"
)
QUOTE = "the important claim that chips are made in Taiwan"


def target():
    s = BASE.index(QUOTE)
    return make_target(BASE, s, s + len(QUOTE))


def found(text, r):
    return text[r.start : r.end]


def test_unchanged_text_is_anchored() -> None:
    r = resolve(BASE, target())
    assert r.status == ANCHORED and found(BASE, r) == QUOTE


def test_insertion_before_moves_it() -> None:
    text = "A new opening line was added.\n\n" + BASE
    r = resolve(text, target())
    assert r.status == MOVED and found(text, r) == QUOTE


def test_deletion_before_moves_it() -> None:
    text = BASE.replace("The first paragraph talks about rivers and mountains.\n\n", "")
    r = resolve(text, target())
    assert r.status == MOVED and found(text, r) == QUOTE


def test_typo_fixed_inside_quote_is_fuzzy() -> None:
    text = BASE.replace("chips are made", "chips are mostly made")
    r = resolve(text, target())
    assert r.status == FUZZY and r.score > 80
    assert found(text, r) == "the important claim that chips are mostly made in Taiwan"


def test_quote_deleted_is_orphan() -> None:
    text = BASE.replace(QUOTE, "nothing at all of that kind")
    assert resolve(text, target()).status == ORPHAN


def test_repeated_quote_context_picks_the_right_one() -> None:
    text = "Chips are made in Taiwan, says one report.\n\n" + BASE.replace(
        "The first paragraph", "Rewritten first part"
    )
    t = make_target(BASE, BASE.index("made in Taiwan"), BASE.index("made in Taiwan") + 14)
    r = resolve(text, t)
    assert r.status == MOVED
    assert text[r.start - 30 : r.end].endswith("claim that chips are made in Taiwan")


def test_repeated_quote_without_its_context_is_orphan_not_wrong() -> None:
    t = make_target(BASE, BASE.index("paragraph"), BASE.index("paragraph") + 9)
    text = "Totally different. One paragraph here.\nAnother paragraph there."
    assert resolve(text, t).status == ORPHAN


def test_paragraph_moved_elsewhere() -> None:
    paras = BASE.strip().split("\n\n")
    text = "\n\n".join([paras[2], paras[0], paras[1]])
    r = resolve(text, target())
    assert r.status == MOVED and found(text, r) == QUOTE


def test_rewrapped_lines_crlf_and_curly_quotes() -> None:
    text = BASE.replace("claim that chips", "claim\n   that chips").replace("\n", "\r\n")
    from reader.core.text import normalize

    text = normalize(text)
    r = resolve(text, target())
    assert r.found and found(text, r).replace("\n   ", " ") == QUOTE
    curly = "He said “it’s fine” today and left."
    t = make_target(curly, 8, 19)
    straight = 'Intro. He said "it\'s fine" today and left.'
    r2 = resolve(straight, t)
    assert r2.found and found(straight, r2) == '"it\'s fine"'


def test_cjk_quote_survives_insertion() -> None:
    text = "前言。我们今天讨论半导体产业的未来发展。结束。"
    q = "半导体产业的未来发展"
    t = make_target(text, text.index(q), text.index(q) + len(q))
    new = "新的开头段落。" + text
    r = resolve(new, t)
    assert r.status == MOVED and found(new, r) == q


def test_short_quote_is_never_fuzzy() -> None:
    t = make_target("a cat sat", 2, 5)
    assert resolve("a bat sat on it", t).status == ORPHAN


words = st.text(alphabet="abcdefghij ", min_size=1, max_size=40)


@settings(max_examples=60, deadline=None)
@given(before=words, after=words, cut=st.integers(0, 50))
def test_random_edits_away_from_quote_never_lose_or_misplace_it(before, after, cut) -> None:
    s = BASE.index(QUOTE)
    e = s + len(QUOTE)
    t = make_target(BASE, s, e)
    # Edit the text before the context and after it: insert or delete characters.
    head = BASE[: max(0, s - 40)]
    head = head[: max(0, len(head) - cut)] + before
    tail = BASE[e + 40 :] + after
    text = head + BASE[max(0, s - 40) : e + 40] + tail
    r = Anchorer(text).resolve(t)
    assert r.found
    assert found(text, r) == QUOTE


# Context decides: a passage in its saved context beats an exact copy elsewhere, and beats
# another occurrence that an edit moved onto the saved offsets.

ARTICLE = (
    "Budget news.\n\n"
    "The minister told reporters on Monday that the new chip factory will open next spring "
    "in the northern province, creating four thousand jobs.\n\n"
    "Opposition leaders called the plan premature and asked for an independent review.\n"
)
OLD_WORDING = "the new chip factory will open next spring in the northern province"


def test_edited_passage_in_its_context_beats_an_exact_pull_quote_of_the_old_wording() -> None:
    s = ARTICLE.index(OLD_WORDING)
    t = make_target(ARTICLE, s, s + len(OLD_WORDING))
    edited = ARTICLE.replace("will open next spring", "will open early next spring")
    text = edited.replace(
        "Budget news.\n\n", f"Budget news.\n\nIN THIS ISSUE: “{OLD_WORDING}” (page 4)\n\n"
    )
    r = resolve(text, t)
    assert r.status == FUZZY
    assert found(text, r) == OLD_WORDING.replace("open next", "open early next")
    # The pull-quote itself is left alone.
    assert text.index(OLD_WORDING) < r.start


def test_pull_quote_wins_nothing_when_the_original_is_gone() -> None:
    s = ARTICLE.index(OLD_WORDING)
    t = make_target(ARTICLE, s, s + len(OLD_WORDING))
    text = f"IN THIS ISSUE: “{OLD_WORDING}” (page 4)\n\nNothing else here.\n"
    r = resolve(text, t)
    # Only the copy is left: it is the same words, so it is where the mark goes.
    assert r.status == MOVED and found(text, r) == OLD_WORDING


def test_another_occurrence_shifted_onto_the_saved_offsets_does_not_win() -> None:
    text = "Taiwan leads. The report says chips are made in Taiwan by two firms.\n"
    second = text.index("Taiwan", 10)
    t = make_target(text, second, second + len("Taiwan"))
    # An insertion before both moves the first "Taiwan" exactly onto the saved offsets.
    insert = "x" * (second - text.index("Taiwan"))
    new = insert + text
    assert new[t.start : t.end] == "Taiwan"
    r = resolve(new, t)
    assert r.status == MOVED and r.start == second + len(insert)
    assert new[r.start - 8 : r.end] == "made in Taiwan"


def test_exact_quote_at_saved_offsets_in_a_foreign_context_is_orphan_when_repeated() -> None:
    text = "Taiwan leads. The report says chips are made in Taiwan by two firms.\n"
    second = text.index("Taiwan", 10)
    t = make_target(text, second, second + len("Taiwan"))
    # Both occurrences now sit in other words: neither is vouched for.
    new = "x" * (second - text.index("Taiwan")) + "Taiwan leads. Other words about Taiwan here."
    assert new[t.start : t.end] == "Taiwan"
    assert resolve(new, t).status == ORPHAN


CJK = "前言。研究报告指出半导体产业的未来发展方向正在改变。结束语在这里。"
CJK_QUOTE = "半导体产业的未来发展方向"  # 12 characters


def test_short_cjk_quote_with_one_inserted_character_anchors() -> None:
    q = CJK_QUOTE[:11]  # 11 characters, as in the issue
    s = CJK.index(q)
    t = make_target(CJK, s, s + len(q))
    new = "新的开头段落。" + CJK.replace("产业的", "产业们的")  # 11 -> 12 characters
    r = resolve(new, t)
    assert r.status == FUZZY
    assert found(new, r) == "半导体产业们的未来发展方"


def test_short_cjk_quote_with_a_changed_context_and_an_insertion_anchors() -> None:
    s = CJK.index(CJK_QUOTE)
    t = make_target(CJK, s, s + len(CJK_QUOTE))
    new = CJK.replace("研究报告指出", "新的研究报告再次指出").replace("的未来", "的美未来")
    r = resolve(new, t)
    assert r.found and found(new, r) == "半导体产业的美未来发展方向"


def test_one_inserted_character_in_a_ten_character_latin_quote_anchors() -> None:
    text = "We met at the old mill; ten people came.\n"
    q = "the old mi"  # 10 characters
    s = text.index(q)
    t = make_target(text, s, s + len(q))
    new = "Preface.\n" + text.replace("old mill", "olde mill")
    r = resolve(new, t)
    assert r.status == FUZZY and found(new, r) == "the olde mi"


def test_short_quote_with_two_edits_is_orphan() -> None:
    text = "We met at the old mill; ten people came.\n"
    q = "the old mi"
    s = text.index(q)
    t = make_target(text, s, s + len(q))
    new = text.replace("old mill", "bold hill")
    assert resolve(new, t).status == ORPHAN


def test_exact_quote_with_its_context_edited_a_little_stays_exact() -> None:
    text = BASE.replace("The second paragraph", "The 2nd paragraph")
    r = resolve(text, target())
    assert r.status == MOVED and found(text, r) == QUOTE and r.score == 100.0


HARBOUR = (
    "The harbour was quiet that morning and the boats were all tied up. "
    "The fishermen had gone to the market to sell the night catch before dawn. "
    "Nobody expected the storm that arrived at noon.\n"
)
MARKED = "The fishermen had gone to the market to sell the night catch before dawn."


def test_a_sentence_added_right_after_the_mark_is_not_marked() -> None:
    """A colleague's copy has a sentence inserted just after the marked one (inside the
    saved context): the mark stays on the marked sentence, it never grows over the new one."""
    s = HARBOUR.index(MARKED)
    t = make_target(HARBOUR, s, s + len(MARKED))
    edited = HARBOUR.replace(MARKED, MARKED + " Prices were low that week.")
    r = resolve(edited, t)
    assert r.found and found(edited, r) == MARKED


def test_a_sentence_added_right_before_the_mark_is_not_marked() -> None:
    s = HARBOUR.index(MARKED)
    t = make_target(HARBOUR, s, s + len(MARKED))
    edited = HARBOUR.replace(MARKED, "Prices were low that week. " + MARKED)
    r = resolve(edited, t)
    assert r.status == MOVED and found(edited, r) == MARKED


@settings(max_examples=200)
@given(
    words=st.lists(
        st.sampled_from(["prices", "were", "low", "that", "week", "the", "catch"]),
        min_size=1,
        max_size=8,
    ),
    after=st.booleans(),
    end=st.sampled_from([". ", ", ", " "]),
)
def test_words_added_next_to_a_mark_never_join_it(words, after, end) -> None:
    s = HARBOUR.index(MARKED)
    t = make_target(HARBOUR, s, s + len(MARKED))
    added = " ".join(words).capitalize()
    edited = (
        HARBOUR.replace(MARKED, MARKED + " " + added + end.rstrip())
        if after
        else HARBOUR.replace(MARKED, added + end + MARKED)
    )
    r = resolve(edited, t)
    assert r.found and found(edited, r) == MARKED
