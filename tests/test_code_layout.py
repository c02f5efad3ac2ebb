"""The code's layout keeps its promises: one package per component, listed in one registry, no import cycles, no
module past what one reads in a sitting."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import baselinegen
from baselinegen.components.registry import REGISTRY
from baselinegen.version import __version__

PACKAGE = Path(baselinegen.__file__).resolve().parent
ROOT = PACKAGE.parent
MAX_MODULE_LINES = 320


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, modules: set[str]) -> set[str]:
    """Every baselinegen module ``path`` imports, at module level or inside a function."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            for alias in node.names:
                found.add(f"{source}.{alias.name}" if f"{source}.{alias.name}" in modules else source)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {module for module in found if module in modules and module != name}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (iterative Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            for successor in successors:
                if successor not in index:
                    index[successor] = low[successor] = len(index)
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(sorted(graph[successor]))))
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


def _source_files() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def test_no_module_of_baselinegen_imports_itself_back_through_others():
    files = _source_files()
    modules = {_module_name(p) for p in files}
    graph = {_module_name(p): _imports(p, modules) for p in files}
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle_through_a_function_level_import():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]


def test_no_module_of_baselinegen_is_longer_than_one_reads_in_a_sitting():
    lengths = {str(p.relative_to(ROOT)): len(p.read_text().splitlines()) for p in _source_files()}
    assert {path: n for path, n in lengths.items() if n > MAX_MODULE_LINES} == {}


@pytest.mark.parametrize("component", REGISTRY, ids=lambda c: c.id)
def test_each_registered_component_is_one_package_with_its_template_folder(component):
    package = type(component).__module__.rsplit(".", 1)[0]
    assert package == f"baselinegen.components.{component.id}"
    assert type(component).__module__ == f"{package}.component"
    assert (ROOT / "templates" / component.id).is_dir()
    model = (PACKAGE / "components" / component.id / "model.py").read_text()
    assert "from ...profile" not in model and "from ..." not in model.replace("from ..cloudtrail.model", "")  # data only


def test_the_profile_is_typed_by_each_component_s_model():
    from baselinegen.profile import model

    for component in REGISTRY:
        field_type = model.Profile.__dataclass_fields__[component.id].type
        assert getattr(model, field_type).__module__ == f"baselinegen.components.{component.id}.model"


def test_the_registry_lists_every_component_package_once():
    packages = sorted(p.name for p in (PACKAGE / "components").iterdir() if (p / "component.py").is_file())
    assert sorted(c.id for c in REGISTRY) == packages
    assert len({c.id for c in REGISTRY}) == len(REGISTRY)


def test_the_package_version_is_the_one_pyproject_declares():
    declared = re.search(r'(?m)^version = "([^"]+)"$', (ROOT / "pyproject.toml").read_text())
    assert declared is not None and declared[1] == __version__
