"""No module of the library or the local tools imports, even late, one that imports it back.

A circle hides behind an import inside a function as well as at the top of a module, so
every import statement counts, wherever it is. A circle found here is broken by moving what
both sides need down into a module of its own, not by a late import.
"""

from __future__ import annotations

import ast
from pathlib import Path

from support import ROOT

PACKAGES = {
    "article_pipeline": ROOT / "layers" / "shared" / "article_pipeline",
    "article_pipeline_local": ROOT / "tools" / "article_pipeline_local",
}


def modules(packages: dict[str, Path]) -> dict[str, tuple[Path, str]]:
    """Dotted name -> (file, the package its relative imports start from)."""
    found = {}
    for top, folder in packages.items():
        for path in sorted(folder.rglob("*.py")):
            parts = [top, *path.relative_to(folder).with_suffix("").parts]
            if parts[-1] == "__init__":
                parts.pop()
                package = ".".join(parts)
            else:
                package = ".".join(parts[:-1])
            found[".".join(parts)] = (path, package)
    return found


def import_graph(packages: dict[str, Path]) -> dict[str, set[str]]:
    """Module -> the modules of ``packages`` it imports (``from pkg import mod`` names mod)."""
    known = modules(packages)
    graph: dict[str, set[str]] = {}
    for name, (path, package) in known.items():
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                targets |= {alias.name for alias in node.names if alias.name in known}
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - node.level + 1]
                    source = ".".join(base + ([node.module] if node.module else []))
                else:
                    source = node.module or ""
                for alias in node.names:
                    if f"{source}.{alias.name}" in known:
                        targets.add(f"{source}.{alias.name}")
                    elif source in known:
                        targets.add(source)
        graph[name] = targets - {name}
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_check_finds_a_circle_through_a_late_import(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from .b import thing\n")
    (package / "b.py").write_text("thing = 1\n\ndef later():\n    from . import a\n")
    (package / "c.py").write_text("from pkg import a\n")
    assert circles(import_graph({"pkg": package})) == [["pkg.a", "pkg.b"]]


def test_no_module_imports_in_a_circle():
    graph = import_graph(PACKAGES)
    assert len(graph) > 80  # both packages were read
    assert circles(graph) == []
