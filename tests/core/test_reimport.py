"""Importing a colleague's file again: Ana edits or deletes marks Ben imported, and sends her
file again. Ben's `reader import` brings what she changed, never undoing what he changed."""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from reader.cli import main
from reader.core.annotation import Annotation, make_target
from reader.core.sharing import find_layers
from reader.core.store import ArticleStore, read_sidecar, sidecar_beside

from ..conftest import XIAOMI

Cap = pytest.CaptureFixture[str]
STUNT = "political publicity stunt"
YAO = "Elliot Yao is a reviewer."


@pytest.fixture
def ana(tmp_path: Path) -> Path:
    """Ana's copy of the Xiaomi article, with two marks of hers."""
    from ..conftest import SEEDS

    art = tmp_path / "ana" / XIAOMI
    art.parent.mkdir()
    shutil.copy(SEEDS / XIAOMI, art)
    opts = ["--author", "Ana"]
    assert main(["annotate", str(art), "--quote", STUNT, "--note", "v1", "--tag", "p", *opts]) == 0
    assert main(["annotate", str(art), "--quote", YAO, *opts]) == 0
    return art


def share(article: Path) -> Path:
    return sidecar_beside(article)


def bring(shared: Path, ben: Path, capsys: Cap, *more: str) -> str:
    """`reader import` Ana's file into Ben's article: its output (stdout, then stderr)."""
    capsys.readouterr()
    assert main(["import", str(shared), "--into", str(ben), *more]) == 0
    got = capsys.readouterr()
    return got.out + got.err


def edit(article: Path, quote: str, **changes: object) -> None:
    """Change a mark as the app saves an edit."""
    store = ArticleStore(article, article.read_text())
    [a] = [a for a in store.annotations if a.target.quote == quote]
    store.put(a.edited(**changes))


def delete(article: Path, quote: str) -> None:
    store = ArticleStore(article, article.read_text())
    [a] = [a for a in store.annotations if a.target.quote == quote]
    store.delete(a.id)


def on_disk(path: Path) -> dict[str, Annotation]:
    return {a.target.quote: a for a in read_sidecar(path).annotations}


def test_what_ana_changed_reaches_ben(ana: Path, seeds_copy: Path, capsys: Cap) -> None:
    ben = seeds_copy / XIAOMI
    bring(share(ana), ben, capsys)
    edit(ana, STUNT, note="v2", color="blue", tags=["p", "chips"])
    out = bring(share(ana), ben, capsys)
    assert "0 added, 1 already there, 1 updated" in out and "skipped" not in out
    mine = on_disk(sidecar_beside(ben))[STUNT]
    assert (mine.note, mine.color, mine.tags, mine.conflict) == ("v2", "blue", ("p", "chips"), "")
    # Once more: nothing new, nothing written.
    before = sidecar_beside(ben).read_bytes()
    assert "0 added, 2 already there (nothing written)" in bring(share(ana), ben, capsys)
    assert sidecar_beside(ben).read_bytes() == before


def test_bens_edit_stays_while_anas_other_edit_arrives(
    ana: Path, seeds_copy: Path, capsys: Cap
) -> None:
    ben = seeds_copy / XIAOMI
    bring(share(ana), ben, capsys)
    edit(ben, STUNT, note="Ben's reading", color="pink")
    edit(ana, YAO, color="green")
    out = bring(share(ana), ben, capsys)
    assert "1 already there, 1 updated" in out and "skipped" not in out
    marks = on_disk(sidecar_beside(ben))
    assert (marks[STUNT].note, marks[STUNT].color, marks[STUNT].conflict) == (
        "Ben's reading",
        "pink",
        "",
    )
    assert marks[YAO].color == "green"


def test_both_edited_merge_field_by_field_with_the_conflict_flag(
    ana: Path, seeds_copy: Path, capsys: Cap
) -> None:
    ben = seeds_copy / XIAOMI
    bring(share(ana), ben, capsys)
    edit(ben, STUNT, note="Ben's reading", color="pink")
    edit(ana, STUNT, note="v2", tags=["p", "chips"])
    out = bring(share(ana), ben, capsys)
    assert "1 merged with your edits (1 flagged as a conflict)" in out
    mine = on_disk(sidecar_beside(ben))[STUNT]
    # Ben's colour (Ana left it), Ana's tags (Ben left them), both notes, flagged.
    assert mine.color == "pink" and mine.tags == ("p", "chips")
    assert mine.note == "Ben's reading\n\n[Ana's version] v2"
    assert mine.conflict == "note: both sides edited it; both versions are kept"
    capsys.readouterr()
    assert main(["notes", str(ben)]) == 0
    assert "conflict: note: both sides edited it" in capsys.readouterr().out


def test_both_edited_without_the_kept_copy_lose_nothing(
    ana: Path, seeds_copy: Path, capsys: Cap
) -> None:
    """The copy in the user data folder is gone (another machine): every field that differs
    is taken as changed on both sides; both values stay, and it is flagged."""
    from reader.core.reimport import bases_file

    ben = seeds_copy / XIAOMI
    bring(share(ana), ben, capsys)
    kept = bases_file(sidecar_beside(ben))
    assert kept.is_file()
    kept.unlink()
    edit(ben, STUNT, note="Ben's reading", color="pink")
    edit(ana, STUNT, note="v2", tags=["p", "chips"])
    assert "1 merged with your edits" in bring(share(ana), ben, capsys)
    mine = on_disk(sidecar_beside(ben))[STUNT]
    assert mine.color == "pink" and mine.tags == ("p", "chips")
    assert mine.note == "Ben's reading\n\n[Ana's version] v2"
    assert "note: both sides edited it" in mine.conflict
    assert "color: ours='pink' theirs='yellow'" in mine.conflict


def test_a_mark_ana_deleted_is_removed_and_said(ana: Path, seeds_copy: Path, capsys: Cap) -> None:
    ben = seeds_copy / XIAOMI
    bring(share(ana), ben, capsys)
    delete(ana, YAO)
    out = bring(share(ana), ben, capsys)
    assert "removed 1: deleted by Ana" in out
    assert set(on_disk(sidecar_beside(ben))) == {STUNT}


def test_a_mark_ana_deleted_but_ben_edited_is_kept_and_said(
    ana: Path, seeds_copy: Path, capsys: Cap
) -> None:
    ben = seeds_copy / XIAOMI
    bring(share(ana), ben, capsys)
    edit(ben, YAO, note="keep this")
    delete(ana, YAO)
    out = bring(share(ana), ben, capsys)
    assert f"“{YAO}”: deleted by Ana since you imported it, but you changed your copy: kept" in out
    assert "removed" not in out
    assert on_disk(sidecar_beside(ben))[YAO].note == "keep this"


def test_bens_own_marks_are_never_touched(ana: Path, seeds_copy: Path, capsys: Cap) -> None:
    ben = seeds_copy / XIAOMI
    assert main(["annotate", str(ben), "--quote", "Xring O1 chip", "--note", "mine"]) == 0
    assert main(["annotate", str(ben), "--quote", "TSMC", "--note", "also mine"]) == 0
    bring(share(ana), ben, capsys)
    own = {q: a for q, a in on_disk(sidecar_beside(ben)).items() if q not in (STUNT, YAO)}
    # Ana's file now holds a mark with the id of one of Ben's own, and she edited hers.
    text = ana.read_text()
    s = text.index("TSMC")
    clash = Annotation(make_target(text, s, s + 4), id=own["TSMC"].id, note="clash", author="Ana")
    ArticleStore(ana, text).add(clash)
    edit(ana, STUNT, note="v2")
    out = bring(share(ana), ben, capsys)
    assert "already used by a different annotation of yours: skipped" in out
    assert "1 updated" in out and "removed" not in out
    after = on_disk(sidecar_beside(ben))
    assert after[STUNT].note == "v2"
    assert {q: after[q] for q in own} == own  # not changed, not removed


def test_a_sidecar_from_before_reimports_as_before(
    ana: Path, seeds_copy: Path, capsys: Cap
) -> None:
    """A mark imported before imports were recorded (no `imported` key) is left as it was:
    an edit of Ana's is skipped with a word, her deletion does not remove it; a recorded
    one beside it is brought up to date."""
    ben = seeds_copy / XIAOMI
    bring(share(ana), ben, capsys)
    side = sidecar_beside(ben)
    raw = side.read_text()
    stunt_at = raw.index(f'quote = "{STUNT}"')
    start = raw.rindex("[[annotation]]", 0, stunt_at)
    old = re.sub(r"^imported = .*\n", "", raw[start:stunt_at], count=1, flags=re.M)
    side.write_text(raw[:start] + old + raw[stunt_at:])
    edit(ana, STUNT, note="v2")
    edit(ana, YAO, color="green")
    out = bring(share(ana), ben, capsys)
    assert "its id is already used by a different annotation of yours: skipped" in out
    assert "1 updated" in out
    marks = on_disk(side)
    assert marks[STUNT].note == "v1" and marks[STUNT].imported == ""
    assert marks[YAO].color == "green"
    delete(ana, STUNT)
    before = side.read_bytes()
    assert "removed" not in bring(share(ana), ben, capsys)
    assert side.read_bytes() == before


def test_a_deletion_counts_only_from_the_same_file_by_the_same_author(
    ana: Path, seeds_copy: Path, tmp_path: Path, capsys: Cap
) -> None:
    ben = seeds_copy / XIAOMI
    bring(share(ana), ben, capsys)
    delete(ana, YAO)
    elsewhere = tmp_path / "downloads" / "ana.toml"
    elsewhere.parent.mkdir()
    shutil.copy(share(ana), elsewhere)
    # Another file (not the one it was imported from) lacking it: not a deletion.
    out = bring(elsewhere, ben, capsys)
    assert "removed" not in out and YAO in on_disk(sidecar_beside(ben))
    # The same file, now holding someone else's marks only: not sure, kept and said.
    saved = share(ana).read_bytes()
    carl = tmp_path / "carl" / XIAOMI
    carl.parent.mkdir()
    shutil.copy(ana, carl)
    assert main(["annotate", str(carl), "--quote", "TSMC", "--author", "Carl"]) == 0
    shutil.copy(share(carl), share(ana))
    out = bring(share(ana), ben, capsys)
    assert "removed" not in out and "the file holds nothing by Ana now: kept" in out
    assert {STUNT, YAO} <= set(on_disk(sidecar_beside(ben)))
    # Ana's own file again, at the path it came from: now it is her deletion.
    share(ana).write_bytes(saved)
    assert "removed 1: deleted by Ana" in bring(share(ana), ben, capsys)
    assert YAO not in on_disk(sidecar_beside(ben))


def test_a_layer_reimported_is_anas_new_version(ana: Path, seeds_copy: Path, capsys: Cap) -> None:
    ben = seeds_copy / XIAOMI
    bring(share(ana), ben, capsys, "--as-layer", "ana")
    edit(ana, STUNT, note="v2")
    delete(ana, YAO)
    out = bring(share(ana), ben, capsys, "--as-layer", "ana")
    assert "1 updated, removed 1: deleted by Ana" in out and "skipped" not in out
    [layer] = find_layers(ben, [seeds_copy])
    assert [(a.target.quote, a.note) for a in layer.annotations] == [(STUNT, "v2")]
    assert not sidecar_beside(ben).exists()


def test_a_w3c_export_sent_again_brings_the_edit(
    ana: Path, seeds_copy: Path, tmp_path: Path, capsys: Cap
) -> None:
    ben = seeds_copy / XIAOMI
    sent = tmp_path / "ana.json"
    assert main(["export", str(ana), "--format", "w3c", "-o", str(sent)]) == 0
    bring(sent, ben, capsys)
    assert main(["export", str(ana), "--format", "w3c", "-o", str(sent)]) == 0
    assert "0 added, 2 already there (nothing written)" in bring(sent, ben, capsys)
    edit(ana, STUNT, note="v2", color="green")
    assert main(["export", str(ana), "--format", "w3c", "-o", str(sent)]) == 0
    assert "1 updated" in bring(sent, ben, capsys)
    mine = on_disk(sidecar_beside(ben))[STUNT]
    assert (mine.note, mine.color) == ("v2", "green")


def test_an_unreadable_sidecar_is_not_overwritten_by_a_reimport(
    ana: Path, seeds_copy: Path, capsys: Cap
) -> None:
    ben = seeds_copy / XIAOMI
    bring(share(ana), ben, capsys)
    edit(ana, STUNT, note="v2")
    side = sidecar_beside(ben)
    side.write_text(side.read_text() + "\n[[annotation]\n")
    before = side.read_bytes()
    capsys.readouterr()
    assert main(["import", str(share(ana)), "--into", str(ben)]) == 2
    assert "read-only until this is fixed" in capsys.readouterr().err
    assert side.read_bytes() == before


def test_the_git_merge_driver_keeps_the_later_import_record_without_a_flag() -> None:
    from reader.core.merge import merge_annotations

    text = "Some text worth marking here."
    a = Annotation(make_target(text, 10, 15), author="Ana", imported="2026-01-01T00:00:00Z")
    ours = replace(a, imported="2026-02-01T00:00:00Z 0123456789ab ana.toml")
    theirs = replace(a, imported="2026-03-01T00:00:00Z 0123456789ab ana.toml")
    [merged], flagged = merge_annotations([a], [ours], [theirs])
    assert merged.imported == theirs.imported and merged.conflict == "" and flagged == []


def test_a_page_of_a_longer_search_reply_deletes_nothing(
    seeds_copy: Path, tmp_path: Path, capsys: Cap
) -> None:
    """A Hypothesis search reply holding 1 of its 2 results (a page): the other one is not
    taken for deleted. The whole reply, lacking it, is."""
    import json

    ben = seeds_copy / XIAOMI
    text = ben.read_text()

    def row(quote: str, hid: str) -> dict[str, object]:  # as Hypothesis's API gives one
        s = text.index(quote)
        quoted = {"type": "TextQuoteSelector", "exact": quote, "prefix": text[s - 20 : s]}
        page = {"source": "https://example.com/x.html", "selector": [quoted]}
        return {"id": hid, "user": "acct:ada@hypothes.is", "text": "", "target": [page]}

    rows = [row(STUNT, "h1"), row(YAO, "h2")]
    reply = tmp_path / "ada.json"
    reply.write_text(json.dumps({"total": 2, "rows": rows}))
    assert "2 added" in bring(reply, ben, capsys)
    reply.write_text(json.dumps({"total": 2, "rows": rows[:1]}))
    out = bring(reply, ben, capsys)
    assert "no longer in it, but the file holds only part of a set: kept" in out
    assert "removed" not in out and YAO in on_disk(sidecar_beside(ben))
    reply.write_text(json.dumps({"total": 1, "rows": rows[:1]}))
    assert "removed 1: deleted by ada" in bring(reply, ben, capsys)
    assert set(on_disk(sidecar_beside(ben))) == {STUNT}


def test_a_layer_filed_before_records_takes_the_new_version(
    ana: Path, seeds_copy: Path, capsys: Cap
) -> None:
    """A layer is Ana's file kept apart (read-only in the app): one filed before imports
    were recorded takes her edit too; her deletion, which cannot be proven, keeps it."""
    ben = seeds_copy / XIAOMI
    bring(share(ana), ben, capsys, "--as-layer", "ana")
    [layer] = find_layers(ben, [seeds_copy])
    layer.path.write_text(re.sub(r"^imported = .*\n", "", layer.path.read_text(), flags=re.M))
    edit(ana, STUNT, note="v2")
    delete(ana, YAO)
    out = bring(share(ana), ben, capsys, "--as-layer", "ana")
    assert "1 updated" in out and "removed" not in out and "skipped" not in out
    [layer] = find_layers(ben, [seeds_copy])
    assert {a.target.quote: a.note for a in layer.annotations} == {STUNT: "v2", YAO: ""}


def test_an_id_twice_in_a_file_is_imported_once(
    seeds_copy: Path, tmp_path: Path, capsys: Cap
) -> None:
    import json

    ben = seeds_copy / XIAOMI
    text = ben.read_text()
    items = []
    for quote, note in ((STUNT, "first"), (YAO, "second")):
        s = text.index(quote)
        a = Annotation(make_target(text, s, s + len(quote)), id="same", note=note)
        items.append({**a.to_dict(), "path": XIAOMI})
    sent = tmp_path / "twice.json"
    sent.write_text(json.dumps(items))
    out = bring(sent, ben, capsys)
    assert "1 added" in out and "its id is in the file more than once: skipped" in out
    assert [a.note for a in read_sidecar(sidecar_beside(ben)).annotations] == ["first"]


def test_a_mark_ben_deleted_stays_deleted_unless_ana_changed_it(
    ana: Path, seeds_copy: Path, capsys: Cap, isolated_home: Path
) -> None:
    """As the merge driver honours a deletion unless the other side edited it: Ben deletes
    one of Ana's marks; the same file imported again does not bring it back (and says so),
    a later edit of Ana's does (and says so)."""
    ben = seeds_copy / XIAOMI
    bring(share(ana), ben, capsys)
    delete(ben, STUNT)
    out = bring(share(ana), ben, capsys)
    assert STUNT not in on_disk(sidecar_beside(ben))
    assert "you deleted it since you imported it" in out and "not added again" in out
    assert "0 added" in out
    bring(share(ana), ben, capsys)  # and again, after an import that wrote nothing
    edit(ana, YAO, note="a reviewer")  # an import that writes something keeps it deleted
    bring(share(ana), ben, capsys)
    assert STUNT not in on_disk(sidecar_beside(ben))
    edit(ana, STUNT, note="v2, rewritten")
    out = bring(share(ana), ben, capsys)
    assert on_disk(sidecar_beside(ben))[STUNT].note == "v2, rewritten"
    assert "changed by Ana since: added again" in out


def test_a_mark_missing_from_another_file_of_anas_is_kept_and_said(
    ana: Path, seeds_copy: Path, capsys: Cap, tmp_path: Path
) -> None:
    """Ana's file saved under another name (a mail attachment, a download): a mark it lacks
    is not taken for deleted, and the import says where it came from instead of nothing."""
    ben = seeds_copy / XIAOMI
    bring(share(ana), ben, capsys)
    delete(ana, YAO)
    renamed = tmp_path / "mail2" / "ana-notes (1).toml"
    renamed.parent.mkdir()
    shutil.copy(share(ana), renamed)
    out = bring(renamed, ben, capsys)
    assert YAO in on_disk(sidecar_beside(ben))
    assert "is not in this file: kept (it came from" in out and share(ana).name in out


def test_ana_deleting_her_last_mark_removes_bens_unchanged_copies(
    ana: Path, seeds_copy: Path, tmp_path: Path, capsys: Cap
) -> None:
    """Her sidecar then holds no annotation: it is still her whole set, now empty. Ben's
    copies of marks from it go as any deletion does: only those he did not change, and only
    from that same file."""
    ben = seeds_copy / XIAOMI
    bring(share(ana), ben, capsys)
    edit(ben, STUNT, note="keep this")
    copy = tmp_path / "elsewhere" / share(ana).name
    copy.parent.mkdir()
    delete(ana, YAO)
    delete(ana, STUNT)
    assert read_sidecar(share(ana)).annotations == []
    # The same empty set, from another file than the marks came from: nothing goes.
    shutil.copy(share(ana), copy)
    out = bring(copy, ben, capsys)
    assert "removed" not in out and set(on_disk(sidecar_beside(ben))) == {STUNT, YAO}
    out = bring(share(ana), ben, capsys)
    assert "no annotations in it" in out
    assert "0 added, 0 already there, removed 1: deleted by Ana" in out
    assert (
        f"“{STUNT}”: deleted by Ana since you imported it, but you changed your copy: kept" in out
    )
    assert set(on_disk(sidecar_beside(ben))) == {STUNT}
    # Without --into, the article her sidecar names, as for one with marks.
    edit(ben, STUNT, note="v1")  # (as it came: unchanged again)
    capsys.readouterr()
    old = Path.cwd()
    try:
        os.chdir(seeds_copy)
        assert main(["import", str(share(ana))]) == 0
    finally:
        os.chdir(old)
    assert "removed 1: deleted by Ana" in capsys.readouterr().out
    assert on_disk(sidecar_beside(ben)) == {}


def test_an_empty_w3c_export_removes_nothing(
    ana: Path, seeds_copy: Path, tmp_path: Path, capsys: Cap
) -> None:
    """A W3C (or Hypothesis) list with no items may be an empty page of a longer one, or
    another tool's view: only reader's own sidecar is known to be a whole set."""
    ben = seeds_copy / XIAOMI
    sent = tmp_path / "ana.json"
    assert main(["export", str(ana), "--format", "w3c", "-o", str(sent)]) == 0
    assert "2 added" in bring(sent, ben, capsys)
    delete(ana, YAO)
    delete(ana, STUNT)
    assert main(["export", str(ana), "--format", "w3c", "-o", str(sent)]) == 0
    out = bring(sent, ben, capsys)
    assert "no annotations in it" in out and "removed" not in out
    assert set(on_disk(sidecar_beside(ben))) == {STUNT, YAO}
