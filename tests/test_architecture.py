"""The shape of the package (ARCHITECTURE.md): every import points down, and nothing goes round.

Walks the imports of every module in framing/ (module-level and inside functions; imports under
``if TYPE_CHECKING:`` are for type hints only and are left out) and checks them against the
layers below, lowest first. A module may import from its own layer or any lower one.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "framing"

#: Lowest first. A name stands for the module and everything inside it.
LAYERS: list[tuple[str, ...]] = [
    ("framing.errors", "framing.labels", "framing.lexicon", "framing.metrics", "framing.aggregate"),
    ("framing.text",),
    ("framing.article", "framing.cues"),
    ("framing.nn",),
    ("framing.classify",),
    ("framing.attribution",),
    ("framing.context",),
    ("framing.model",),
    ("framing.rows", "framing.render"),
    ("framing.results",),
    ("framing.pipeline",),
    ("framing.batch", "framing.evaluation", "framing.compare"),
    ("framing.train", "framing.cli", "framing", "framing.__main__"),
]


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _layer(module: str) -> int:
    best, depth = None, -1
    for k, names in enumerate(LAYERS):
        for name in names:
            if (module == name or module.startswith(name + ".")) and len(name) > depth:
                best, depth = k, len(name)
    assert best is not None, f"{module} is in no layer: add it to LAYERS and ARCHITECTURE.md"
    return best


def _imports(path: Path, module: str, known: set[str]) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    hints = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            hints.update(id(n) for n in ast.walk(node))
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    out: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in hints:
            continue
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            names = [base] + [f"{base}.{a.name}" for a in node.names]
        for name in names:
            while name and name not in known:
                name = name.rsplit(".", 1)[0] if "." in name else ""
            if name and name != module:
                out.add(name)
    return out


def _graph() -> dict[str, set[str]]:
    files = {_module(p): p for p in PACKAGE.rglob("*.py")}
    return {m: _imports(p, m, set(files)) for m, p in files.items()}


def test_every_import_points_down():
    upward = [
        f"{m} (layer {_layer(m)}) imports {t} (layer {_layer(t)})"
        for m, targets in _graph().items() for t in targets
        if t != "framing" and _layer(t) > _layer(m)
    ]
    assert not upward, "imports pointing up:\n" + "\n".join(sorted(upward))


def test_no_import_cycles():
    graph = {m: {t for t in ts if t != "framing"} for m, ts in _graph().items()}
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append(path[path.index(nxt):] + [nxt] if nxt in path else [node, nxt])
            elif nxt not in state:
                visit(nxt, path + [nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


def test_the_layers_name_every_module():
    for module in _graph():
        _layer(module)
