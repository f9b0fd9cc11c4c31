"""The structure shows itself and stays that way: the layers in pyproject.toml hold (nothing
imports upwards, not even inside a function), there are no import cycles, every error class is
in the one error tree, modules and functions stay small, and docs/architecture.md names only
modules that exist and every package and top-level module there is."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).parents[1]
PACKAGE = ROOT / "coeval"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def _graph() -> grimp.ImportGraph:
    return grimp.build_graph("coeval", include_external_packages=False)


def test_the_layers_hold() -> None:
    lint = Path(sys.executable).parent / "lint-imports"
    done = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_there_are_no_import_cycles_and_nothing_imports_the_public_api() -> None:
    graph = _graph()
    modules = sorted(graph.modules)
    edges = {m: graph.find_modules_directly_imported_by(m) for m in modules}
    for module in modules:
        assert "coeval" not in edges[module] or module == "coeval", module
        for other in edges[module]:
            back = graph.find_shortest_chain(importer=other, imported=module)
            assert back is None, f"cycle: {module} -> {' -> '.join(back or [])}"


def test_every_error_class_is_in_the_error_tree() -> None:
    outside = []
    for path in PACKAGE.rglob("*.py"):
        if path.name == "exceptions.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ClassDef) and any(
                isinstance(base, ast.Name) and base.id.endswith(("Error", "Exception"))
                for base in node.bases
            ):
                outside.append(f"{path.relative_to(ROOT)}: {node.name}")
    assert outside == []


def test_the_store_owns_the_sql() -> None:
    """Nothing outside coeval/store reads the schema or builds a query: callers ask the store
    for what they need. A transaction may be passed through (typed as a Connection), and
    the command line may name SQLAlchemy's error to explain it."""
    allowed = {"sqlalchemy": {"Connection"}, "sqlalchemy.exc": {"SQLAlchemyError"}}
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.parent.name == "store":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = {alias.name for alias in node.names}
                if node.module.startswith("sqlalchemy") and not names <= allowed.get(
                    node.module, set()
                ):
                    found.append(f"{path.relative_to(ROOT)}: {node.module} {sorted(names)}")
                if node.module in ("coeval.store", "coeval.store.schema") and (
                    "schema" in names or node.module.endswith("schema")
                ):
                    found.append(f"{path.relative_to(ROOT)}: the schema")
            if isinstance(node, ast.Import) and any(
                a.name.startswith("sqlalchemy") for a in node.names
            ):
                found.append(f"{path.relative_to(ROOT)}: import sqlalchemy")
            on_connection = isinstance(node, ast.Attribute) and (
                node.attr == "exec_driver_sql"
                or (node.attr == "execute" and "conn" in ast.unparse(node.value))
            )
            if on_connection:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)}(...)")
    assert found == []


def test_modules_and_functions_stay_small() -> None:
    large = []
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text()
        lines = len(text.splitlines())
        if lines > MAX_MODULE_LINES:
            large.append(f"{path.relative_to(ROOT)}: {lines} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    large.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}: {length}")
    assert large == []


def test_the_architecture_map_names_real_modules_and_every_package() -> None:
    text = (ROOT / "docs" / "architecture.md").read_text()
    named = set(re.findall(r"`(coeval/[\w/.]*)`", text))
    missing = [name for name in sorted(named) if not (ROOT / name).exists()]
    assert missing == [], "docs/architecture.md names modules that do not exist"
    for short in re.findall(r"\(`([\w]+\.py)`", text):  # "(`main.py`, ..." beside a package
        assert list(PACKAGE.rglob(short)), short
    tops = [
        p.relative_to(ROOT).as_posix() + ("/" if p.is_dir() else "")
        for p in PACKAGE.iterdir()
        if (p.suffix == ".py" and p.name != "__init__.py") or (p / "__init__.py").is_file()
    ]
    unnamed = [top for top in sorted(tops) if top not in named]
    assert unnamed == [], "add these to docs/architecture.md"
