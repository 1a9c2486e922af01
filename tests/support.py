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
