"""No two modules of pyxl import each other, directly or round a loop (DESIGN: every arrow points down).

Every import counts: at the top, inside a function (a lazy import is still an arrow) and under
``if TYPE_CHECKING:``. Importing ``pkg.mod`` is an arrow to ``pkg.mod`` only, not to ``pkg``'s
``__init__`` (which Python runs too, but which only gathers what lies below it).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "pyxl"


def module_names() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    is_package = path.name == "__init__.py"
    here = name.split(".") if is_package else name.split(".")[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            subs = {f"{target}.{a.name}" for a in node.names} & modules.keys()  # `from pkg import submodule`
            found |= subs
            if len(subs) < len(node.names):  # some names are the module's own
                found.add(target)
    return {m for m in found if m in modules and m != name}


def graph() -> dict[str, set[str]]:
    modules = module_names()
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def test_no_import_cycle_inside_pyxl() -> None:
    loops = cycles(graph())
    detail = [" ↔ ".join(c) + ": " + "; ".join(f"{a} → {b}" for a in c for b in sorted(graph()[a]) if b in c)
              for c in loops]
    assert not loops, "modules importing each other:\n" + "\n".join(detail)


def test_the_checker_sees_a_lazy_and_a_type_only_cycle(tmp_path: Path) -> None:
    """The checker itself: a function-level import one way and a TYPE_CHECKING import back is a cycle."""
    edges = {"pyxl.a": {"pyxl.b"}, "pyxl.b": {"pyxl.a"}, "pyxl.c": {"pyxl.a"}}
    assert cycles(edges) == [["pyxl.a", "pyxl.b"]]
    pkg = tmp_path / "pyxl"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("def f():\n    from .b import g\n")
    (pkg / "b.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from . import a\n")
    modules = {"pyxl": pkg / "__init__.py", "pyxl.a": pkg / "a.py", "pyxl.b": pkg / "b.py"}
    found = {n: imports_of(n, p, modules) for n, p in modules.items()}
    assert found["pyxl.a"] == {"pyxl.b"} and found["pyxl.b"] == {"pyxl.a"}
    assert cycles(found) == [["pyxl.a", "pyxl.b"]]
