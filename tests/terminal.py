"""Run `reader` with its stdout on a pseudo-terminal, as a user's shell does."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path


def on_a_terminal(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> str:
    """What `reader ARGS` writes to stdout when stdout is a terminal."""
    leader, follower = pty.openpty()
    subprocess.run(
        [sys.executable, "-m", "reader", *args],
        stdout=follower,
        stderr=subprocess.DEVNULL,
        timeout=60,
        env=env,
        cwd=cwd,
    )
    os.close(follower)
    out = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed
            break
        if not chunk:
            break
        out += chunk
    os.close(leader)
    return out.decode()
