"""The import rules that keep the layers honest, read from the source (AST), not from a running app.

Every import counts, including the ones inside functions: a late import hides a circle from
Python, not from the next engineer. The rules:

* the domains below ``monev`` never import it (they announce changes with ``ppid_desk.signals``
  and ``monev`` listens);
* a service or selector module never imports a view module;
* ``sla/`` is pure: no Flask;
* no import circle joins files of different domains.
"""

from __future__ import annotations

import ast
from functools import lru_cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "ppid_desk"
BELOW_MONEV = ("requests", "workcalendar", "routing", "notices", "objections")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    if not is_package:
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


@lru_cache(maxsize=1)
def import_graph() -> dict[str, set[str]]:
    """{module: every ppid_desk module it imports}, function-level imports included."""
    files = {_module_name(path): path for path in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for module, path in files.items():
        targets: set[str] = set()
        is_package = path.name == "__init__.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = _resolve(module, is_package, node)
                # ``from . import x`` imports the module x when there is one, else the package.
                names = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in files else base
                         for alias in node.names]
            else:
                continue
            for name in names:
                while name and name not in files:
                    name = name.rpartition(".")[0]
                if name.startswith("ppid_desk") and name != module:
                    targets.add(name)
        graph[module] = targets
    return graph


def external_imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            names.add(node.module.split(".")[0])
    return names


def strongly_connected(graph: dict[str, set[str]]) -> list[set[str]]:
    """Tarjan's strongly connected components with more than one member (the circles)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []
    counter = 0

    def visit(root: str) -> None:
        nonlocal counter
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.add(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(component)

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def _domain(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 else module


def _is_view(module: str) -> bool:
    leaf = module.rpartition(".")[2]
    return leaf == "views" or leaf.endswith("_views")


def _is_service(module: str) -> bool:
    leaf = module.rpartition(".")[2]
    return leaf in ("services", "selectors") or leaf.endswith(("_services", "_selectors"))


def test_the_graph_sees_function_level_and_relative_imports():
    graph = import_graph()
    # ``from . import predicates as P`` in monev.tallies, and a late import inside a function.
    assert "ppid_desk.monev.predicates" in graph["ppid_desk.monev.tallies"]
    assert "ppid_desk.monev.metrics" in graph["ppid_desk.monev.tallies"]
    assert strongly_connected({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [{"a", "b", "c"}]


def test_nothing_below_monev_imports_monev():
    offenders = sorted(f"{module} -> {target}" for module, targets in import_graph().items()
                       if _domain(module) in BELOW_MONEV
                       for target in targets if _domain(target) == "monev")
    assert offenders == []


def test_no_service_or_selector_imports_a_view_module():
    offenders = sorted(f"{module} -> {target}" for module, targets in import_graph().items()
                       if _is_service(module) for target in targets if _is_view(target))
    assert offenders == []


def test_sla_imports_no_flask_and_no_app_module():
    for path in (PACKAGE / "sla").rglob("*.py"):
        assert not external_imports(path) & {"flask", "flask_babel", "flask_login", "sqlalchemy"}, path
    graph = import_graph()
    assert {t for m, ts in graph.items() if _domain(m) == "sla" for t in ts if _domain(t) != "sla"} == set()


def test_no_import_circle_joins_files_of_different_domains():
    circles = [sorted(component) for component in strongly_connected(import_graph())
               if len({_domain(module) for module in component}) > 1]
    assert circles == []


def test_selectors_and_services_never_read_the_session_or_the_logged_in_user():
    """The views read the session and ``current_user`` and pass the user and the grants."""
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if not _is_service(_module_name(path)):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module in ("flask", "flask_login"):
                names = {alias.name for alias in node.names} & {"session", "current_user"}
                offenders += [f"{_module_name(path)}: {name}" for name in sorted(names)]
    assert offenders == []


def test_each_role_group_is_defined_once():
    """One name per meaning: the role groups live in accounts.roles, nowhere else."""
    definitions = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target] \
                if isinstance(node, ast.AnnAssign) else []
            definitions += [f"{_module_name(path)}.{t.id}" for t in targets
                            if isinstance(t, ast.Name) and t.id.endswith("_ROLES")]
    # Beside them only the per-action table and groups with one meaning each (no twin).
    assert sorted(d for d in definitions if not d.startswith("ppid_desk.accounts.roles.")) == [
        "ppid_desk.desk.policy.ACTION_ROLES",
        "ppid_desk.monev.annual_views.EDIT_ROLES",  # who writes the annual report: PPID Utama
        "ppid_desk.monev.import_views.IMPORT_ROLES",  # who imports register rows: PPID Utama, admin
        "ppid_desk.monev.register_views.REGISTER_ROLES",  # who reads the registers
    ]


def test_the_calendar_recounts_no_clock_itself():
    """A calendar change is announced (``signals.calendar_changed``); each domain that stores a
    clock recounts its own subjects in its listener. The calendar's writes and reads import none
    of those domains (its pages may use the desk's access rules)."""
    clocked = {"requests", "routing", "objections", "notices", "desk", "monev"}
    offenders = sorted(f"{module} -> {target}" for module, targets in import_graph().items()
                       if _domain(module) == "workcalendar" and _is_service(module)
                       for target in targets if _domain(target) in clocked)
    assert offenders == []
