"""The import rule of ``docs/architecture.md``, checked over the whole import graph of ``src/``.

Every ``import`` and ``from ... import`` in every module counts, also inside functions and under
``if TYPE_CHECKING``: an import that only runs later is still a dependency. Capability apps are
found, not listed: every package directly under ``src/burgerlink/`` except ``core``, ``web`` and
``api`` is one, so an app added tomorrow is held to the rule without touching this file.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
ROOT = SRC / "burgerlink"
PLATFORM = {"core", "web", "api"}
# What capability apps may import from `web`: the staff shell.
SHELL = ("burgerlink.web.shell",)


@dataclass(frozen=True)
class Import:
    """One import statement's target, resolved to a module of ``burgerlink``."""

    source: str
    target: str
    line: int


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def modules() -> dict[str, Path]:
    """Every module of the package by dotted name (packages by their ``__init__``)."""
    return {_module_name(path): path for path in sorted(ROOT.rglob("*.py"))}


def _resolve(name: str) -> str | None:
    """The deepest known module that ``name`` is or lies in (``a.b.C`` -> ``a.b``)."""
    known = modules()
    while name:
        if name in known:
            return name
        name = name.rpartition(".")[0]
    return None


def _imports_of(module: str, path: Path) -> Iterator[Import]:
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                origin = ".".join([*base, *([node.module] if node.module else [])])
            else:
                origin = node.module or ""
            # `from pkg import sub` imports the module pkg.sub; `from mod import name`, mod.
            names = [f"{origin}.{alias.name}" for alias in node.names]
        for name in names:
            if not name.startswith("burgerlink"):
                continue
            target = _resolve(name)
            if target is not None and target != module:
                yield Import(module, target, node.lineno)


@cache
def imports() -> tuple[Import, ...]:
    """Every import between modules of ``burgerlink``."""
    return tuple(found for module, path in modules().items() for found in _imports_of(module, path))


def capability_apps() -> set[str]:
    """Packages directly under ``burgerlink`` that are not the platform (core, web, api)."""
    return {
        path.parent.name for path in ROOT.glob("*/__init__.py") if path.parent.name not in PLATFORM
    }


def _area(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (ROOT / parts[-1]).is_dir() else ""


def _within(module: str, prefixes: tuple[str, ...]) -> bool:
    return any(module == prefix or module.startswith(prefix + ".") for prefix in prefixes)


def allowed(source: str, target: str, apps: set[str]) -> bool:
    """Whether ``source`` may import ``target`` under the rule of ``docs/architecture.md``."""
    here, there = _area(source), _area(target)
    if here == there or there == "core" and here in {"web", "api", *apps}:
        return True
    if here in apps:
        return _within(target, SHELL)
    if here == "api":  # mounts routers: each app's `api` module, nothing else of an app
        return there in apps and target == f"burgerlink.{there}.api"
    return here == ""  # settings, urls, cli: the project itself wires everything together


def test_apps_are_discovered_from_the_source_tree() -> None:
    apps = capability_apps()
    assert {"charters", "surveys"} <= apps
    assert not apps & PLATFORM


def test_the_import_graph_sees_imports_inside_functions(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "def later():\n"
        "    from burgerlink.core import tasks\n"
        "    if True:\n"
        "        from . import notify\n"
        "    import burgerlink.core.permissions\n"
        "    from burgerlink.core.models import Organisation\n",
        encoding="utf-8",
    )
    found = {i.target for i in _imports_of("burgerlink.core.sample", sample)}
    assert found == {
        "burgerlink.core.tasks",
        "burgerlink.core.notify",
        "burgerlink.core.permissions",
        "burgerlink.core.models",
    }


def test_capability_apps_import_only_core_and_the_shell_and_core_imports_no_app() -> None:
    apps = capability_apps()
    violations = sorted(
        f"{i.source} (line {i.line}) imports {i.target}"
        for i in imports()
        if not allowed(i.source, i.target, apps)
    )
    assert violations == []


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges.get(root, ()))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
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


def test_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles_between_modules() -> None:
    edges: dict[str, set[str]] = {module: set() for module in modules()}
    for found in imports():
        edges[found.source].add(found.target)
    assert _cycles(edges) == []


def test_no_import_cycles_between_the_parts_of_an_app() -> None:
    # charter -> records -> charter through two different modules is still a cycle of parts.
    def part(module: str) -> str:
        return ".".join(module.split(".")[:3])

    edges: dict[str, set[str]] = {part(module): set() for module in modules()}
    for found in imports():
        if part(found.source) != part(found.target):
            edges[part(found.source)].add(part(found.target))
    assert _cycles(edges) == []


def _nodes() -> Iterator[tuple[str, ast.AST]]:
    for module, path in modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            yield module, node


def _imported_names(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom) and node.module:
        return [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
    return []


def test_tasks_are_queued_only_through_core_tasks() -> None:
    queued_elsewhere = [
        f"{module} (line {node.lineno})"
        for module, node in _nodes()
        if module != "burgerlink.core.tasks"
        and isinstance(node, ast.Attribute)
        and node.attr in {"enqueue", "aenqueue"}
    ]
    assert queued_elsewhere == []


def test_e_mail_is_sent_only_through_core_notify() -> None:
    mail_elsewhere = [
        f"{module} (line {getattr(node, 'lineno', 0)})"
        for module, node in _nodes()
        if not _within(module, ("burgerlink.core.notify",))
        and any(name.startswith("django.core.mail") for name in _imported_names(node))
    ]
    assert mail_elsewhere == []
