"""Paths the tests share (importable thanks to pytest's ``pythonpath = tests``)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def shared_path(*parts: str) -> Path:
    """A file of the team's shared folder, or a skip that says why it is missing."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{Path('shared', *parts)} is not beside the checkout; this test reads real data from it")
    return path


class Ledger:
    """What the reliability tests actually checked, for the suite's closing summary line."""

    def __init__(self) -> None:
        self.bad_inputs: set[str] = set()
        self.fault_kinds: set[str] = set()
        self.articles = 0
        self.lost = 0
        self.double_writes = 0

    def summary(self) -> str:
        return (
            f"reliability: {len(self.bad_inputs)} bad inputs handled, {len(self.fault_kinds)} fault kinds injected, "
            f"{self.articles} articles checked, {self.lost} articles lost, {self.double_writes} double writes"
        )


LEDGER = Ledger()
