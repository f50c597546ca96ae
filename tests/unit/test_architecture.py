"""The shape of the code, proved: the import contracts in pyproject.toml hold, a new upward import breaks
them, no module imports another in a cycle or inside a function, and no module grows past 400 lines.

The contracts are import-linter's (`make lint` runs `lint-imports` on them too); this test builds the
same import graph with grimp, checks every contract, then adds one import that runs the wrong way and
checks that the contracts catch it, so a contract that cannot fail would fail here.
"""

import ast
import copy
import os
from pathlib import Path

import grimp
import pytest
from importlinter import api
from importlinter.contracts.acyclic_siblings import AcyclicSiblingsContract
from importlinter.contracts.forbidden import ForbiddenContract
from importlinter.contracts.layers import LayersContract
from importlinter.contracts.protected import ProtectedContract

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "shop"
CONTRACT_TYPES = {"layers": LayersContract, "forbidden": ForbiddenContract, "protected": ProtectedContract,
                  "acyclic_siblings": AcyclicSiblingsContract}
MAX_LINES = 400
LONG = 300
LONG_REASON = "Over 300 lines:"  # a module this long says why at its top, after these words


@pytest.fixture(scope="module")
def configuration():
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        return api.read_configuration(str(ROOT / "pyproject.toml"))
    finally:
        os.chdir(cwd)


@pytest.fixture(scope="module")
def graph(configuration):
    external = configuration["session_options"].get("include_external_packages") in (True, "True", "true")
    return grimp.build_graph("shop", include_external_packages=external, cache_dir=None)


def _contracts(configuration):
    for options in configuration["contracts_options"]:
        contract_class = CONTRACT_TYPES[options["type"]]
        yield options["id"], contract_class(name=options["name"], session_options=configuration["session_options"],
                                            contract_options=options)


def _broken(configuration, graph):
    return sorted(contract_id for contract_id, contract in _contracts(configuration)
                  if not contract.check(copy.deepcopy(graph), verbose=False).kept)


def test_every_import_contract_is_kept(configuration, graph):
    assert len(configuration["contracts_options"]) >= 5
    assert _broken(configuration, graph) == []


@pytest.mark.parametrize(("importer", "imported", "breaks"), [
    # a domain service reaching up into a back-office room
    ("shop.orders.services", "shop.backoffice.desk.views", {"layers", "no-views-below", "acyclic"}),
    # a model reaching up into a service
    ("shop.catalogue.models", "shop.orders.services", {"layers", "models-below-services", "acyclic"}),
    # the pure pricing module reaching for the database, or another module for the SDK
    ("shop.pricing.engine", "sqlalchemy", {"pure-pricing"}),
    ("shop.orders.refunds", "stripe", {"stripe-in-one-module"}),
    # two services of one package importing each other
    ("shop.orders.status", "shop.orders.services", {"acyclic"}),
])
def test_an_import_that_runs_the_wrong_way_breaks_the_contracts(configuration, graph, importer, imported, breaks):
    wrong = copy.deepcopy(graph)
    wrong.add_import(importer=importer, imported=imported, line_number=1, line_contents=f"import {imported}")
    assert breaks <= set(_broken(configuration, wrong))


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        yield (name[: -len(".__init__")] if name.endswith(".__init__") else name), path


def _imports(module, path, tree):
    """(imported module, line, inside a function) for every import of the shop's own modules."""
    known = dict(_modules())
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    top = {id(node) for node in tree.body}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([node.module] if node.module else []))
            names = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
        else:
            continue
        for name in names:
            if name in known:
                yield name, node.lineno, id(node) not in top


def test_no_module_imports_inside_a_function():
    """Every import sits at the top of its module, where the graph and the reader both see it."""
    found = []
    for module, path in _modules():
        tree = ast.parse(path.read_text())
        top = {id(node) for node in tree.body}
        found += [f"{module}:{node.lineno}" for node in ast.walk(tree)
                  if isinstance(node, ast.Import | ast.ImportFrom) and id(node) not in top]
    assert found == []


def _cycles(edges):
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, found, counter = {}, {}, [], set(), [], [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for other in edges.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                other = stack.pop()
                on_stack.discard(other)
                component.append(other)
                if other == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in list(edges):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycle_between_modules():
    """Counting every import, at the top or not, and a package's __init__ like any module."""
    edges = {}
    for module, path in _modules():
        tree = ast.parse(path.read_text())
        edges[module] = {name for name, _, _ in _imports(module, path, tree) if name != module}
    assert _cycles(edges) == []


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_module_is_over_400_lines_and_a_long_one_says_why():
    problems = []
    for module, path in _modules():
        text = path.read_text()
        lines = text.count("\n")
        if lines > MAX_LINES:
            problems.append(f"{module}: {lines} lines (at most {MAX_LINES})")
        elif lines > LONG and LONG_REASON not in (ast.get_docstring(ast.parse(text)) or ""):
            problems.append(f"{module}: {lines} lines and no “{LONG_REASON}” reason in its docstring")
    assert problems == []


UNTYPED_AREAS = ("backoffice", "storefront")  # pages: read a form, call a service, render
UNTYPED_FILES = ("views.py", "forms.py", "models.py", "__init__.py")
UNTYPED_MODULES = {"shop.cli", "shop.devserver", "shop.templating", "shop.models", "shop.extensions",
                   "shop.catalogue.demo_data"}


def test_every_public_function_of_the_services_has_type_hints():
    """pricing, money and every domain service: each public function says what it takes and gives."""
    missing = []
    for module, path in _modules():
        if (any(part in UNTYPED_AREAS for part in path.parts) or path.name in UNTYPED_FILES
                or module in UNTYPED_MODULES):
            continue
        for node in ast.parse(path.read_text()).body:
            functions = [node] if isinstance(node, ast.FunctionDef) else (
                [f for f in node.body if isinstance(f, ast.FunctionDef)] if isinstance(node, ast.ClassDef) else [])
            for function in functions:
                if function.name.startswith("_") and function.name != "__init__":
                    continue
                arguments = [a for a in function.args.args + function.args.kwonlyargs if a.arg not in ("self", "cls")]
                if function.returns is None or any(a.annotation is None for a in arguments):
                    missing.append(f"{module}.{function.name}")
    assert missing == []
