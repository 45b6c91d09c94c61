"""The shape of the package: no import circles, no borrowing of another feature's privates.

Both checks read the source with ``ast`` (nothing is imported), so they see every module,
including the ones no test happens to load. Imports under ``if TYPE_CHECKING:`` are left out:
they never run. Imports inside functions count: a deferred import still ties two modules.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "marketplace"


@dataclass(frozen=True)
class Edge:
    """``importer`` imports ``names`` from ``imported`` (both dotted module names)."""

    importer: str
    imported: str
    names: tuple[str, ...]


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in sorted((ROOT / PACKAGE).rglob("*.py"))}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement that runs, however deeply nested (not TYPE_CHECKING blocks)."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _is_type_checking(node):
            yield from (inner for child in node.orelse for inner in _imports_in(child))
            continue
        yield from _imports_in(node)


def _imports_in(node: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    if isinstance(node, ast.Import | ast.ImportFrom):
        yield node
    else:
        yield from _imports(node)


def _absolute(module: str, node: ast.ImportFrom, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    if not is_package:
        base.pop()
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _edges(modules: dict[str, Path]) -> list[Edge]:
    edges: list[Edge] = []
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        is_package = path.name == "__init__.py"
        for node in _imports(tree):
            if isinstance(node, ast.Import):
                edges += [Edge(module, alias.name, ()) for alias in node.names
                          if alias.name in modules]
                continue
            source = _absolute(module, node, is_package)
            for alias in node.names:
                # ``from pkg import sub`` imports the module ``pkg.sub`` when there is one.
                target = f"{source}.{alias.name}"
                if target in modules:
                    edges.append(Edge(module, target, ()))
                elif source in modules:
                    edges.append(Edge(module, source, (alias.name,)))
    return edges


class _Tarjan:
    """Strongly connected components of a directed graph (Tarjan's algorithm)."""

    def __init__(self, graph: dict[str, set[str]]) -> None:
        self.graph = graph
        self.index: dict[str, int] = {}
        self.low: dict[str, int] = {}
        self.stack: list[str] = []
        self.components: list[list[str]] = []

    def run(self) -> list[list[str]]:
        for node in sorted(self.graph):
            if node not in self.index:
                self.visit(node)
        return self.components

    def visit(self, node: str) -> None:
        self.index[node] = self.low[node] = len(self.index)
        self.stack.append(node)
        for successor in sorted(self.graph[node]):
            if successor not in self.index:
                self.visit(successor)
                self.low[node] = min(self.low[node], self.low[successor])
            elif successor in self.stack:
                self.low[node] = min(self.low[node], self.index[successor])
        if self.low[node] == self.index[node]:
            position = self.stack.index(node)
            self.components.append(sorted(self.stack[position:]))
            del self.stack[position:]


def _graph(modules: dict[str, Path], edges: list[Edge]) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for edge in edges:
        if edge.importer != edge.imported:
            graph[edge.importer].add(edge.imported)
    return graph


def _cycles(modules: dict[str, Path], edges: list[Edge]) -> list[list[str]]:
    """The groups of modules that import each other, directly or round a circle, sorted."""
    components = _Tarjan(_graph(modules, edges)).run()
    return sorted(component for component in components if len(component) > 1)


def _shortest_cycle(graph: dict[str, set[str]], start: str) -> list[str]:
    """The shortest import circle from ``start`` back to it (breadth first), or []."""
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for successor in sorted(graph[node]):
            if successor == start:
                return [*paths[node], start]
            if successor not in paths:
                paths[successor] = [*paths[node], successor]
                queue.append(successor)
    return []


def _describe(modules: dict[str, Path], edges: list[Edge]) -> str:
    """Each cycle group with the shortest circle through each of its modules."""
    graph = _graph(modules, edges)
    lines = []
    for component in _cycles(modules, edges):
        lines.append(f"{len(component)} modules: {', '.join(component)}")
        circles = {" -> ".join(_shortest_cycle(graph, node)) for node in component}
        lines += [f"    {circle}" for circle in sorted(circles)]
    return "\n".join(lines)


def _feature(module: str) -> str:
    """``marketplace.requests.forms`` -> ``marketplace.requests``; top-level modules are their
    own unit (``marketplace.geo``)."""
    return ".".join(module.split(".")[:2])


def test_no_import_cycle_between_marketplace_modules() -> None:
    modules = _modules()
    edges = _edges(modules)
    assert not _cycles(modules, edges), "import cycles:\n" + _describe(modules, edges)


def test_no_feature_imports_another_features_private_names() -> None:
    modules = _modules()
    borrowed = sorted(
        f"{edge.importer} imports {name} from {edge.imported}"
        for edge in _edges(modules)
        if _feature(edge.importer) != _feature(edge.imported)
        for name in (edge.names or (edge.imported.rsplit(".", 1)[-1],))
        if name.startswith("_") and not name.startswith("__")
    )
    assert not borrowed, borrowed


def _is_empty_class(node: ast.ClassDef) -> bool:
    """Nothing in the body but a docstring or ``pass``."""
    return all(
        isinstance(item, ast.Pass)
        or (isinstance(item, ast.Expr) and isinstance(item.value, ast.Constant))
        for item in node.body
    )


def test_one_csrf_only_form() -> None:
    """A button that changes something uses ``fields.CsrfOnlyForm``; no feature defines its
    own empty form under another name."""
    empty_forms = sorted(
        f"{module}.{node.name}"
        for module, path in _modules().items()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ClassDef) and _is_empty_class(node)
        and any(isinstance(base, ast.Name) and base.id == "FlaskForm" for base in node.bases)
    )
    assert empty_forms == ["marketplace.fields.CsrfOnlyForm"]


def test_the_checks_see_cycles_and_privates() -> None:
    """The helpers find what they are meant to find (guards against a vacuous pass)."""
    modules = {"marketplace.a.x": Path(), "marketplace.b.y": Path(), "marketplace.c": Path()}
    edges = [
        Edge("marketplace.a.x", "marketplace.b.y", ("_helper",)),
        Edge("marketplace.b.y", "marketplace.a.x", ()),
        Edge("marketplace.c", "marketplace.a.x", ()),
    ]
    assert _cycles(modules, edges) == [["marketplace.a.x", "marketplace.b.y"]]
    assert _feature("marketplace.a.x") != _feature("marketplace.b.y")


#: Statuses still written outside a ``lifecycle.py`` (each its feature's one writer, in a
#: services module). The sociale kaart's are not here: ``socialmap/lifecycle.py`` writes them.
STATUS_WRITERS_OUTSIDE_A_LIFECYCLE = {
    "marketplace.concerns.services": "Concern.status",
    "marketplace.rounds.services": "MatchingRound.status",
    "marketplace.tasks.services": "Task.status",
}
#: Models whose status only their lifecycle may give, not even in the constructor.
LIFECYCLE_MODELS = ("Service", "Suggestion")


def _status_writes(tree: ast.AST) -> list[int]:
    """Lines that assign a ``.status``, ``setattr(x, "status", ...)`` or construct a
    :data:`LIFECYCLE_MODELS` row with ``status=``."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "status" and isinstance(
                node.ctx, ast.Store):
            lines.append(node.lineno)
        if not isinstance(node, ast.Call):
            continue
        name = ast.unparse(node.func)
        if name == "setattr" and len(node.args) > 1 and isinstance(
                node.args[1], ast.Constant) and node.args[1].value == "status":
            lines.append(node.lineno)
        if name.rsplit(".", 1)[-1] in LIFECYCLE_MODELS and any(
                keyword.arg == "status" for keyword in node.keywords):
            lines.append(node.lineno)
    return lines


def test_statuses_are_written_by_lifecycle_modules_only() -> None:
    """A status changes through its feature's ``lifecycle.py`` (allowed moves, audited), so
    no other module assigns one. (A ``setattr`` loop over field names is checked where the
    names are defined, e.g. ``tests/socialmap/test_lifecycle.py``.)"""
    offenders = {
        module: lines for module, path in _modules().items()
        if not module.endswith(".lifecycle") and module not in STATUS_WRITERS_OUTSIDE_A_LIFECYCLE
        and (lines := _status_writes(ast.parse(path.read_text(encoding="utf-8"))))
    }
    assert offenders == {}, f"status written outside a lifecycle module: {offenders}"
    writing = {module for module, path in _modules().items()
               if _status_writes(ast.parse(path.read_text(encoding="utf-8")))}
    assert "marketplace.socialmap.lifecycle" in writing  # the scan sees the real writer
    assert set(STATUS_WRITERS_OUTSIDE_A_LIFECYCLE) <= writing, "an exception is no longer needed"


def test_the_status_check_sees_every_way_of_writing() -> None:
    source = """
service.status = ServiceStatus.INACTIVE
setattr(service, "status", "x")
Suggestion(service_id=1, status=SuggestionStatus.APPROVED)
models.Service(name="x", status="active")
service.status == ServiceStatus.ACTIVE
setattr(service, "name", "x")
"""
    assert _status_writes(ast.parse(source)) == [2, 3, 4, 5]
