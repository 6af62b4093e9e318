"""Text from files, as shown on screen: the one place it becomes inert, literal `Content`.

Article text and titles, file and folder names, notes, tags, layer authors, snippets and error
messages that quote them are data. Everything here makes terminal control characters visible
(`reader.core.inert`: one character for one, so offsets into the text still hold) and never
parses markup: a folder named `[b]bob` shows as `[b]bob`, not a bold "bob". Widgets build their
prompts from these pieces (with `Content.assemble`), never from a markup string.
"""

from __future__ import annotations

from textual.content import Content

from reader.core.inert import inert_name, make_inert


def shown(text: str, style: str = "") -> Content:
    """Text from a file as literal Content, line breaks kept (an article, a note)."""
    return Content.styled(make_inert(text), style) if style else Content(make_inert(text))


def shown_name(text: str, style: str = "") -> Content:
    """A name or message on one line (a file, folder or layer author): line breaks and tabs
    shown as symbols too, so a name cannot pretend to be two."""
    return Content.styled(inert_name(text), style) if style else Content(inert_name(text))


def shown_summary(text: str, cells: int, style: str = "") -> Content:
    """The gist of a longer text on one line (a quote, a note, tags): runs of white space
    become one space, and the text is cut to `cells` terminal cells with an ellipsis (wide
    characters count two)."""
    # Only the head is looked at: a note may be a megabyte long, and the list redraws often.
    head = text[: cells * 4 + 16]
    gist = " ".join(head.split())
    if len(head) < len(text) and len(gist) <= cells:
        gist += "…"  # the rest was white space or beyond the head: say that there is more
    return shown_name(gist, style).truncate(cells, ellipsis=True)


def editable(text: str) -> str:
    """Text from a file put in an editor (a note in a TextArea, tags in an Input): control
    characters shown as symbols, so saving writes the symbols, never the controls."""
    return make_inert(text)
