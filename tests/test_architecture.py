"""The house rules of docs/ARCHITECTURE.md, checked on the source: data flows one way through the
layers (a lower layer never imports a higher one, lazy imports inside functions included), there
are no import cycles, and modules and functions stay small enough to read."""

import ast
import functools
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "neurosim"

# The layers, bottom to top (docs/ARCHITECTURE.md). A module may import its own layer and below.
LAYERS = {"errors": 0, "textfiles": 0, "outputs": 0, "version": 0, "messages": 0,
          "core": 1, "engines": 2, "files": 3, "views": 4,
          "check": 5, "scenarios": 6, "cli": 7, "__init__": 8, "__main__": 8}
MAX_MODULE_LINES = 320
MAX_FUNCTION_LINES = 60


@functools.cache
def _modules() -> tuple[tuple[str, Path], ...]:
    result = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        result[name] = path
    return tuple(result.items())


def modules() -> dict[str, Path]:
    """Every module of the package by dotted name (the tree is walked once per test session)."""
    return dict(_modules())


@functools.cache
def imports_of(name: str, path: Path) -> tuple[str, ...]:
    """Every neurosim module `name` imports, at the top or inside a function."""
    is_package = path.name == "__init__.py"
    package = name if is_package else name.rpartition(".")[0]
    found, known = [], modules()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.startswith("neurosim"):
                for alias in node.names:
                    sub = f"{target}.{alias.name}"
                    found.append(sub if sub in known else target)
        elif isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.startswith("neurosim")]
    return tuple(found)


def layer_of(name: str) -> int:
    parts = name.split(".")
    return LAYERS["__init__"] if len(parts) == 1 else LAYERS[parts[1]]


def test_every_module_belongs_to_a_layer():
    for name in modules():
        assert len(name.split(".")) == 1 or name.split(".")[1] in LAYERS, f"{name}: not in a known layer"


def test_lower_layers_never_import_higher_ones():
    violations = []
    for name, path in modules().items():
        for target in imports_of(name, path):
            if target in modules() and layer_of(target) > layer_of(name):
                violations.append(f"{name} imports {target}")
    assert not violations, "\n".join(violations)


def test_no_import_cycles():
    graph = {name: {t for t in imports_of(name, path) if t in modules() and t != name}
             for name, path in modules().items()}
    graph["neurosim"] = set()  # the package's public API imports everything; nothing cycles through it
    state: dict[str, int] = {}
    cycles = []

    def visit(node, stack):
        state[node] = 1
        for nxt in sorted(graph.get(nxt_name := node, ())):
            if state.get(nxt) == 1:
                cycles.append(" -> ".join(stack[stack.index(nxt):] + [nxt]))
            elif nxt not in state:
                visit(nxt, stack + [nxt])
        state[nxt_name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert not cycles, "\n".join(cycles)


def test_modules_and_functions_stay_small():
    too_long = []
    for name, path in modules().items():
        text = path.read_text(encoding="utf-8")
        lines = len(text.splitlines())
        if lines > MAX_MODULE_LINES:
            too_long.append(f"{name}: {lines} lines (at most {MAX_MODULE_LINES})")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    too_long.append(f"{name}.{node.name}: {length} lines (at most {MAX_FUNCTION_LINES})")
    assert not too_long, "\n".join(too_long)
