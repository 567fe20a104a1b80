"""The package as a whole: its public surface and its import graph."""

import ast
from pathlib import Path

import framing

PACKAGE = Path(framing.__file__).parent


def _imports() -> dict[str, set[str]]:
    """Module -> the package modules it imports, at top level or inside functions (lazily)."""
    graph = {}
    for path in PACKAGE.glob("*.py"):
        deps = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
                deps.add(node.module.split(".")[0])
        graph[path.stem] = deps
    return graph


def test_no_import_circle_even_through_lazy_imports():
    graph = _imports()
    circles = set()

    def walk(node: str, path: list[str]) -> None:
        for nxt in graph.get(node, ()):
            if nxt in path:
                circles.add(" -> ".join([*path[path.index(nxt):], nxt]))
            else:
                walk(nxt, [*path, nxt])

    for module in graph:
        walk(module, [module])
    assert not circles, circles


def test_public_names_exist_and_modules_are_private():
    for name in framing.__all__:
        assert hasattr(framing, name) or name in ("train", "FramingClassifier"), name
    public_modules = {p.stem for p in PACKAGE.glob("*.py")} - {"__init__", "__main__", "distributed"}
    assert all(m.startswith("_") for m in public_modules), public_modules
