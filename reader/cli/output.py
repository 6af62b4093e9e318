"""The one place the command line prints: every line goes through the inert rule.

Ids, quotes, notes, file and folder names come from files and from other people; an escape
sequence among them must reach the terminal as a visible symbol (reader.core.inert), never
as terminal control. `say` and `warn` print one line each; `CliError` is a bad input,
printed by main() as one `reader: ...` line with exit code 2.
"""

from __future__ import annotations

import re
import sys

from reader.core.inert import inert_name

_C1 = re.compile("[\x7f-\x9f\ud800-\udfff]")  # DEL, C1, and lone surrogates (not UTF-8)


class CliError(Exception):
    """Bad input: printed as one line, exit code 2."""


def say(line: str) -> None:
    """One line of output on stdout, inert (newlines and tabs made visible too)."""
    print(printable(inert_name(line)))


def printable(text: str) -> str:
    """text that any UTF-8 stream takes: a file name's bytes that are not UTF-8 (which
    Python holds as lone surrogates) shown as `\\xe9`, as `ls -b` shows them."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        pass
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a surrogate that stands for no byte
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


def warn(message: str, prefix: str | None = "reader") -> None:
    """One line on stderr, `reader: message` (or another prefix, or none), inert."""
    line = printable(inert_name(message))
    print(f"{prefix}: {line}" if prefix else line, file=sys.stderr)


def say_json(data: object) -> None:
    """data as JSON on stdout. Control characters in strings are escaped (`\\u001b`), C1 and
    DEL too (json leaves those raw with ensure_ascii=False), so the data stays exact and the
    terminal sees no control."""
    import json

    print(json_inert(json.dumps(data, ensure_ascii=False, indent=2)))


def json_inert(text: str) -> str:
    """JSON text with DEL, C1 controls and lone surrogates escaped too (the same JSON
    value: Python's json reads `\\udce9` back as it was)."""
    return _C1.sub(_escape, text)


def _escape(m: re.Match[str]) -> str:
    return f"\\u{ord(m.group()):04x}"


def text_arg(option: str, value: str) -> str:
    """An option's text, which must be UTF-8: the shell hands over other bytes as lone
    surrogates (surrogateescape), and those cannot be saved in a UTF-8 file."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise CliError(f"{option} is not UTF-8 text; nothing changed") from None
    return value


# What a parser of someone else's file raises on a shape it did not expect. Caught where
# such a file is parsed, so a shape nobody foresaw is one line (with the error, for a bug
# report), not a traceback.
SHAPE_ERRORS = (TypeError, ValueError, AttributeError, KeyError, IndexError, RecursionError)


def shape_problem(path: object, err: BaseException) -> str:
    if isinstance(err, UnicodeEncodeError):  # a ValueError too, but not about a shape
        return f"{path}: a name in it is not UTF-8 text; reader cannot use it"
    if isinstance(err, RecursionError):
        return f"{path}: nested too deeply to read"
    return f"{path}: not a shape reader can read ({type(err).__name__}: {err})"


def os_problem(err: OSError, fallback: object = "") -> str:
    """An OSError in a few words, naming its file: `PATH: No space left on device`."""
    where = err.filename if err.filename is not None else fallback
    why = err.strerror or str(err)
    return f"{where}: {why}" if where else why
