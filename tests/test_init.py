"""The package as a whole: its public surface and its import graph."""

import ast
from pathlib import Path

import framing

PACKAGE = Path(framing.__file__).parent


def _name(parts: tuple[str, ...] | list[str]) -> str:
    return ".".join(parts) or "__init__"


def _imports() -> dict[str, set[str]]:
    """Module -> the package modules it imports, at top level or inside functions (lazily).

    Subpackages are walked too: a module is named by its dotted path inside ``framing``
    (``_attribution.tagger``; a subpackage's ``__init__`` by the subpackage's name, the
    package's own by ``__init__``), and relative imports of any level are resolved."""
    paths = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        is_package = parts[-1] == "__init__"
        module = parts[:-1] if is_package else parts
        paths[_name(module)] = (path, module if is_package else module[:-1])

    def known(parts: list[str]) -> str | None:
        # The longest prefix that is a module of the package ("from ._x.y import z" -> "_x.y").
        for k in range(len(parts), -1, -1):
            if _name(parts[:k]) in paths:
                return _name(parts[:k])
        return None

    graph = {}
    for name, (path, package) in paths.items():
        deps = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.ImportFrom) and node.level >= 1):
                continue
            base = list(package[: len(package) - (node.level - 1)])
            if node.module:
                deps.add(known(base + node.module.split(".")))
            else:  # "from . import x": x is a module or a name in the package's __init__
                deps.update(known([*base, alias.name]) for alias in node.names)
        graph[name] = deps - {None, name}
    return graph


def test_the_import_graph_covers_subpackages():
    graph = _imports()
    assert {"_api", "_attribution", "_attribution.assemble", "_attribution.train"} <= graph.keys()
    assert "_attribution" in graph["_api"]
    assert {"_attribution.tagger", "_attribution.model"} <= graph["_attribution.assemble"]
    assert "_modelfile" in graph["_attribution.model"]


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
    subpackages = {p.parent.name for p in PACKAGE.glob("*/__init__.py")}
    assert all(m.startswith("_") for m in subpackages), subpackages
