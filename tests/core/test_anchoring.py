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
