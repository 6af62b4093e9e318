"""Terminal control characters made visible: text from files is data, never terminal
control. One character in, one out, so offsets into the text do not move.

Small and with no imports beyond `re`, so the command line can use it on a path it prints.
"""

from __future__ import annotations

import re


def inert(ch: str) -> str:
    """One char in, one char out: control characters become visible symbols."""
    o = ord(ch)
    if o < 0x20 and ch not in "\n\t":
        return chr(0x2400 + o)
    if o == 0x7F:
        return "\u2421"
    if 0x80 <= o <= 0x9F:
        return "\ufffd"
    return ch


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def make_inert(text: str) -> str:
    """Replace terminal control characters (ESC, BEL, C1...) by visible symbols."""
    # A regex touches only the control characters: str.translate would walk all 20 MB.
    return _CONTROL.sub(_inert_match, text)


def _inert_match(m: re.Match[str]) -> str:
    return inert(m.group())


def inert_name(name: str) -> str:
    """Text to show on one line (a file name, a message, a note's summary): newlines and
    tabs made visible as well."""
    return make_inert(name).replace("\n", "\u2424").replace("\t", "\u2409")
