"""Paths the tests share (importable thanks to pytest's ``pythonpath = tests``)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SAMPLE = ROOT / "events" / "seed" / "incoming" / "harbour-bridge.txt"


def wait_for(check, timeout: float = 60.0):
    """``check()``'s first truthy value, asked every 0.2 s, or an AssertionError after ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := check():
            return value
        time.sleep(0.2)
    raise AssertionError(f"nothing after {timeout} s")


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
        self.stress = ""

    def as_dict(self) -> dict:
        return {**vars(self), "bad_inputs": sorted(self.bad_inputs), "fault_kinds": sorted(self.fault_kinds)}

    def merge(self, other: dict | None) -> None:
        """Add a worker's ledger (``as_dict``) to this one: the suite's counts over all workers."""
        if not other:
            return
        self.bad_inputs.update(other["bad_inputs"])
        self.fault_kinds.update(other["fault_kinds"])
        self.stress = self.stress or other.get("stress", "")
        for name in ("articles", "lost", "double_writes"):
            setattr(self, name, getattr(self, name) + other[name])

    def summary(self) -> str:
        return (
            f"reliability: {len(self.bad_inputs)} bad inputs handled, {len(self.fault_kinds)} fault kinds injected, "
            f"{self.articles} articles checked, {self.lost} articles lost, {self.double_writes} double writes"
            + (f"; {self.stress}" if self.stress else "")
        )


LEDGER = Ledger()
