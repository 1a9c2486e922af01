"""Shared helpers for the cleaning tests: where the optional real samples live."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"
# The project's shared folder sits beside the repository checkout.
SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"


@pytest.fixture
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"shared samples folder not found at {SHARED.resolve()} (it sits beside the repo)")
    return SHARED
