"""`run` as people use it: a progress bar on a terminal, nothing extra when piped.

(A closed pipe under `show | head` is checked against a running server in test_serve.py.)
"""

from __future__ import annotations

import io
import sys

from article_pipeline_local import cli


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def feed(progress) -> None:
    """Batches as the chain reports them: only StoreFunction's count, a failed delivery later."""
    progress("CleanFunction", 3, 0)
    progress("StoreFunction", 2, 1)
    progress("StoreFunction", 1, 0)
    progress("StoreFunction", 1, 0)


def test_run_draws_a_bar_of_stored_articles_on_a_terminal(monkeypatch):
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with cli._progress(3, verbose=False) as progress:
        feed(progress)
    drawn = terminal.getvalue()
    assert "0/3" in drawn and "2/3" in drawn and "3/3" in drawn and "CleanFunction" not in drawn


def test_run_prints_nothing_extra_when_piped(monkeypatch):
    piped = io.StringIO()
    monkeypatch.setattr(sys, "stderr", piped)
    with cli._progress(3, verbose=False) as progress:
        feed(progress)
    assert piped.getvalue() == ""
    with cli._progress(3, verbose=True) as progress:
        feed(progress)
    assert piped.getvalue().splitlines() == [
        "CleanFunction: batch of 3", "StoreFunction: batch of 2, 1 failed", "StoreFunction: batch of 1", "StoreFunction: batch of 1"]
