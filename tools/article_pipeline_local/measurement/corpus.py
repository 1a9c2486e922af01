"""The articles the measurements read: the repository's fixtures and, when present,
``../shared/samples``. Below both the bench and the bill (:mod:`.cost`).
"""

from __future__ import annotations

from pathlib import Path

from ..emulation.template import ROOT

FIXTURES = [
    ROOT / "events" / "seed" / "incoming",
    ROOT / "tests" / "cleaning" / "fixtures",
    ROOT / "tests" / "performance" / "fixtures",
    ROOT.parent / "shared" / "samples",
]


def article_files() -> list[Path]:
    files = []
    for folder in FIXTURES:
        if folder.is_dir():
            files += sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))
    return files
