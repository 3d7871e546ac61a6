"""Dependency rules of the product packages (DESIGN.md, "Where we are going").

Dependencies must point one way: webapp → workflows → (nothing web); letters stands alone;
the engine and the core know no case kind. The graph is read from the source with `ast`, so
imports inside functions count as much as those at the top of a module.
"""
from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("workflows", "webapp", "letters")

Graph = dict[str, set[str]]


def module_files(root: Path, packages: Iterable[str]) -> dict[str, Path]:
    """Dotted module name → source file, for every .py file of the packages under `root`."""
    found = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _absolute_base(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    """The absolute module a `from … import` reads from, relative dots resolved."""
    if node.level == 0:
        return node.module or ""
    package = module.split(".") if is_package else module.split(".")[:-1]
    anchor = package[: len(package) - (node.level - 1)]
    return ".".join(anchor + ([node.module] if node.module else []))


def import_targets(source: str, module: str, is_package: bool, known: set[str]) -> set[str]:
    """Every module the source imports, wherever the statement sits.

    `from pkg import name` points at `pkg.name` when that is a known module, else at `pkg`.
    Parent packages imported implicitly (`import a.b` runs `a/__init__`) are not edges.
    """
    targets: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _absolute_base(node, module, is_package)
            for alias in node.names:
                child = f"{base}.{alias.name}"
                targets.add(child if child in known else base)
    return targets


def import_map(root: Path, packages: Iterable[str]) -> Graph:
    """Module → everything it imports (product modules and third-party names alike)."""
    files = module_files(root, packages)
    known = set(files)
    return {module: import_targets(path.read_text(encoding="utf-8"), module, path.name == "__init__.py", known)
            for module, path in files.items()}


def product_graph(imports: Graph) -> Graph:
    """The import map restricted to edges between the product's own modules."""
    return {module: targets & imports.keys() for module, targets in imports.items()}


def tangles(graph: Graph) -> list[set[str]]:
    """Strongly connected components that hold a cycle (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[set[str]] = []

    def visit(node: str) -> None:  # a few hundred modules, so recursion is fine
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set(stack[stack.index(node):])
            del stack[stack.index(node):]
            if len(component) > 1 or node in graph.get(node, ()):
                found.append(component)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def find_cycles(graph: Graph) -> list[list[str]]:
    """One cycle path (first module repeated at the end) per tangle."""
    return [cycle_through(min(component), component, graph) for component in tangles(graph)]


def cycle_through(start: str, component: set[str], graph: Graph) -> list[str]:
    """A shortest path start → … → start inside one strongly connected component."""
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for target in sorted(graph[node] & component):
            if target == start:
                return paths[node] + [start]
            if target not in paths:
                paths[target] = paths[node] + [target]
                queue.append(target)
    raise AssertionError(f"{start} is not on a cycle")  # unreachable for a real component


def offenders(imports: Graph, importer: str, imported: str) -> list[str]:
    """`module -> target` lines where a module under `importer` imports one under `imported`."""
    def under(name: str, package: str) -> bool:
        return name == package or name.startswith(package + ".")

    return sorted(f"{module} -> {target}" for module, targets in imports.items() if under(module, importer)
                  for target in targets if under(target, imported))


@pytest.fixture(scope="module")
def imports() -> Graph:
    found = import_map(ROOT, PACKAGES)
    assert len(found) > 50 and any(product_graph(found).values()), "the graph builder found no modules"
    return found


def test_detector_finds_a_cycle_in_a_synthetic_package(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("from pkg.b import helper\n")
    (package / "a.py").write_text("from . import b\n")
    (package / "b.py").write_text("def helper():\n    from .a import something\n")
    (package / "c.py").write_text("import pkg.a\n")
    graph = product_graph(import_map(tmp_path, ["pkg"]))
    assert graph == {"pkg": {"pkg.b"}, "pkg.a": {"pkg.b"}, "pkg.b": {"pkg.a"}, "pkg.c": {"pkg.a"}}
    assert find_cycles(graph) == [["pkg.a", "pkg.b", "pkg.a"]]
    assert find_cycles({"x": {"y"}, "y": set()}) == []


def test_no_import_cycles(imports: Graph) -> None:
    graph = product_graph(imports)
    found = [f"{' -> '.join(cycle_through(min(c), c, graph))}  ({len(c)} modules: {', '.join(sorted(c))})"
             for c in tangles(graph)]
    assert not found, "import cycles:\n" + "\n".join(found)


def test_workflows_never_imports_flask(imports: Graph) -> None:
    found = [f"{module} -> {target}" for module, targets in imports.items()
             if module == "workflows" or module.startswith("workflows.")
             for target in targets if target.split(".")[0] == "flask" or target.startswith("flask_")]
    assert not found, "Flask imported under workflows/:\n" + "\n".join(sorted(found))


def test_letters_never_imports_workflows(imports: Graph) -> None:
    found = offenders(imports, "letters", "workflows")
    assert not found, "letters/ must render from primitives only:\n" + "\n".join(found)


def test_engine_and_core_know_no_case_kind(imports: Graph) -> None:
    found = offenders(imports, "workflows.engine", "workflows.kinds") + offenders(imports, "workflows.core",
                                                                                   "workflows.kinds")
    assert not found, "case kinds imported by the engine or the core:\n" + "\n".join(found)


# Lower layers never import higher ones (STYLE.md "Where we are going"); equal layers may
# not import each other either, except inside one package.
LAYERS: dict[str, int] = {
    "workflows.core": 0, "workflows.people": 1, "workflows.engine": 2,
    "workflows.archive": 3, "workflows.records": 3, "workflows.search": 3,
    "workflows.comments": 3,
    # administration sets up the organs whose keys sign letters (archive): above it
    "workflows.administration": 4, "workflows.training": 4, "workflows.warnings": 4, "workflows.kinds": 5,
    "workflows.notifications": 3,
    "workflows.runtime": 6, "workflows.statistics": 6, "workflows.background": 7, "webapp": 8,
}


def layer_of(module: str) -> str | None:
    for package in sorted(LAYERS, key=len, reverse=True):
        if module == package or module.startswith(package + "."):
            return package
    return None


def test_packages_depend_only_downward(imports: Graph) -> None:
    found = []
    for module, targets in product_graph(imports).items():
        here = layer_of(module)
        for target in targets:
            there = layer_of(target)
            if here and there and here != there and LAYERS[there] >= LAYERS[here]:
                found.append(f"{module} -> {target}  ({here} must not depend on {there})")
    assert not found, "imports that point up or sideways:\n" + "\n".join(sorted(found))


def test_every_workflows_package_has_a_layer(imports: Graph) -> None:
    unplaced = sorted({m for m in imports if m.startswith("workflows.") and layer_of(m) is None})
    assert not unplaced, f"place these in LAYERS: {unplaced}"


def test_webapp_runs_no_sql_and_opens_no_transaction() -> None:
    """Handlers parse → call one operation → render: SQL and transactions live in workflows."""
    root = Path(__file__).resolve().parents[2] / "webapp"
    needles = ("import sqlalchemy", "from sqlalchemy", "store.write()", "store.read()", ".commit()", "select(",
               "session.execute", "session.scalars", "session.get(")
    found = [f"{path.relative_to(root.parent)}:{number}: {line.strip()}"
             for path in sorted(root.rglob("*.py"))
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if any(needle in line for needle in needles)]
    assert not found, "SQL or transactions in webapp/:\n" + "\n".join(found)
