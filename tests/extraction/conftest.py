from __future__ import annotations

from pathlib import Path

import pytest

#: /work-style layout: the repo and ``shared/`` side by side.
SHARED = Path(__file__).resolve().parents[2].parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"shared evaluation data not found at {SHARED} (repo's sibling 'shared/')")
    return SHARED
