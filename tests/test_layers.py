"""The packages' layers, read from the imports: one direction, no cycles.

    pages  ->  dashboard.ui  ->  dashboard.store  ->  schema  ->  dashboard.domain
    data_loaders (command-line entry points)  ->  dashboard.store / schema / domain / geo

``schema`` is the SQLAlchemy model, its migrations and the data versions that every
transaction raises (``data_loaders.models``, ``.db``, ``.migrations``, ``.versions``). ``dashboard.domain`` is pure: no SQLAlchemy, no Streamlit. Only
``dashboard.ui`` and ``pages`` import Streamlit (and the entry scripts that start it).
"""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ["dashboard", "data_loaders", "geo", "pages"]
SCHEMA = ("data_loaders.models", "data_loaders.db", "data_loaders.migrations",
          "data_loaders.versions")


def layer(module: str) -> str:
    if module in ("dashboard", "data_loaders"):  # empty package files: no layer of their own
        return "other"
    if module.startswith("dashboard.domain"):
        return "domain"
    if module.startswith(SCHEMA):
        return "schema"
    if module.startswith("dashboard.store"):
        return "store"
    if module.startswith("dashboard.ui"):
        return "ui"
    if module.startswith("pages"):
        return "pages"
    if module.startswith("data_loaders"):
        return "loaders"
    if module.startswith("geo"):
        return "geo"
    return "other"


# Which layers each layer may import (besides itself and third-party libraries).
ALLOWED = {
    "domain": {"geo"},
    "geo": {"domain"},
    "schema": {"domain", "geo"},
    "store": {"domain", "schema", "geo"},
    "ui": {"domain", "schema", "store", "geo"},
    "pages": {"domain", "store", "ui", "geo"},
    "loaders": {"domain", "schema", "store", "geo"},
}
FORBIDDEN_LIBRARIES = {
    "domain": ("sqlalchemy", "streamlit", "alembic"),
    "geo": ("streamlit",),
    "schema": ("streamlit",),
    "store": ("streamlit",),
    "loaders": ("streamlit",),
}


def module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports() -> dict[str, set[str]]:
    """Every project module and the modules it imports at any level of its code."""
    found: dict[str, set[str]] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            name = module_name(path)
            targets: set[str] = set()
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if isinstance(node, ast.Import):
                    targets |= {a.name for a in node.names}
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    targets.add(node.module)
                    targets |= {f"{node.module}.{a.name}" for a in node.names}
            found[name] = targets
    return found


def project(target: str, modules: set[str]) -> str | None:
    """The project module an import refers to (``from x import y`` may name a function)."""
    return target if target in modules else None


def test_imports_point_down_the_layers_only() -> None:
    graph = imports()
    modules = set(graph)
    wrong = []
    for source, targets in graph.items():
        src = layer(source)
        for target in targets:
            lib = target.split(".")[0]
            if lib in FORBIDDEN_LIBRARIES.get(src, ()):
                wrong.append(f"{source} ({src}) imports {target}")
            dst = layer(target) if project(target, modules) else None
            if dst and dst not in (src, "other") and dst not in ALLOWED[src]:
                wrong.append(f"{source} ({src}) imports {target} ({dst})")
    assert wrong == []


def test_no_import_cycles_between_modules() -> None:
    graph = imports()
    modules = set(graph)
    edges = {source: {t for t in map(lambda x: project(x, modules), targets)
                      if t and t != source and not source.startswith(t + ".")}  # own package
             for source, targets in graph.items()}
    try:
        TopologicalSorter(edges).prepare()
        cycle = None
    except CycleError as e:
        cycle = e.args[1]
    assert cycle is None


def test_the_layer_rule_itself_catches_a_wrong_way_arrow() -> None:
    assert "ui" not in ALLOWED["store"] and "store" not in ALLOWED["domain"]
    assert layer("dashboard.domain.spc") == "domain" and layer("data_loaders.models") == "schema"
    assert layer("data_loaders.seed") == "loaders" and "loaders" not in ALLOWED["store"]
