"""`reader search` building its index says how far it got, on a terminal only."""

import io

from reader.core.search.progress import TerminalProgress, describe, terminal_progress


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_says_files_done_rate_and_time_left() -> None:
    assert describe(0, 2000, 0.0) == "indexing 0/2,000 files"
    assert describe(500, 2000, 10.0) == "indexing 500/2,000 files, 50 files/s, about 30 s left"
    assert describe(30, 20000, 10.0).endswith("3.0 files/s, about 1 h 50 min left")
    assert describe(2000, 2000, 40.0) == "indexing 2,000/2,000 files, 50 files/s"


def test_progress_is_drawn_in_place_on_a_terminal_and_ends_its_line() -> None:
    term = FakeTerminal()
    now = [0.0]
    progress = TerminalProgress(term, clock=lambda: now[0])
    progress(0, 300)
    now[0] = 10.0
    progress(100, 300)
    progress(120, 300)  # too soon after the last redraw: skipped
    now[0] = 30.0
    progress(300, 300)
    progress.finish()
    assert term.getvalue() == (
        "\rindexing 0/300 files"
        "\rindexing 100/300 files, 10 files/s, about 20 s left"
        "\rindexing 300/300 files, 10 files/s" + " " * 17 + "\n"
    )


def test_nothing_is_drawn_when_the_output_is_not_a_terminal() -> None:
    assert terminal_progress(io.StringIO()) is None
    assert isinstance(terminal_progress(FakeTerminal()), TerminalProgress)
