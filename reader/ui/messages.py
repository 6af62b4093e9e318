"""Messages (Textual's toasts): saying again what is still on screen shows it once, anew.

Every message reaches the user through `App.notify` (`tell`, and any widget's `notify`), and
ReaderApp's `notify` passes each through `Messages.showing`. A key pressed five times that
says "No shared layers..." five times leaves one row, shown again for its full time, not five.
"""

from __future__ import annotations

from threading import Lock

from textual.notifications import Notification

_Said = tuple[str, str, str, bool]  # message, title, severity, markup


class Messages:
    """The messages reader has put on screen, by what they say, while they show."""

    def __init__(self) -> None:
        self._shown: dict[_Said, Notification] = {}
        self._lock = Lock()  # App.notify may be called from a worker's thread

    def showing(self, new: Notification) -> None:
        """Note a message about to be shown; the same one still on screen is retired."""
        said = (new.message, new.title, new.severity, new.markup)
        with self._lock:
            old = self._shown.pop(said, None)
            if old is not None and not old.has_expired:
                # Expired now: Textual drops an expired notification, and takes its toast
                # away, when it adds the new one (notifications are public dataclasses).
                old.timeout = 0
            self._shown = {k: n for k, n in self._shown.items() if not n.has_expired}
            self._shown[said] = new
