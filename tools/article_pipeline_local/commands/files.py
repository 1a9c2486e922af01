"""The files a command takes: as given, a folder standing for the files in it.

Shared by ``run`` (the command line itself) and ``replay``, below both.
"""

from __future__ import annotations

from pathlib import Path


def expand(paths: list[Path]) -> list[Path]:
    """Files as given; a folder stands for the files in it (not hidden ones), in name order."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
        elif path.is_file():
            files.append(path)
    return files
