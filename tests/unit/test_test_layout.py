"""The test suite's own layout, proved: no test module or conftest is imported by another module, helpers live in
tests/support/ (and factories in tests/factories.py), and tests/unit and tests/integration mirror the shop package.

Read with `ast`, nothing is imported or run.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TESTS = ROOT / "tests"
SHOP = ROOT / "shop"
# Modules of tests/ that are neither tests nor conftests, outside tests/support/.
ALLOWED_HELPERS = {"tests/__init__.py", "tests/factories.py"}


def _module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_test_module(name):
    """tests.<anything>.test_* or a conftest at any depth of tests/."""
    parts = name.split(".")
    return parts[0] == "tests" and len(parts) > 1 and (parts[-1].startswith("test_") or parts[-1] == "conftest")


def imported_modules(source, module_name, is_package=False):
    """Every module `source` (the text of module `module_name`) imports, as dotted names: `import x`, `from x
    import y` (y too, as x.y, since it may be a module), relative imports resolved, and pytest_plugins strings."""
    package = module_name if is_package else module_name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.append(module)
            found += [f"{module}.{alias.name}" for alias in node.names if alias.name != "*"]
        elif isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "pytest_plugins"
                                                   for t in node.targets):
            found += [c.value for c in ast.walk(node.value) if isinstance(c, ast.Constant) and isinstance(c.value, str)]
    return found


def _python_files():
    for folder in (TESTS, ROOT / "bench"):
        yield from sorted(path for path in folder.rglob("*.py") if "__pycache__" not in path.parts)


def test_no_module_imports_a_test_module_or_a_conftest():
    offenders = []
    for path in _python_files():
        name = _module_name(path)
        for imported in imported_modules(path.read_text(encoding="utf-8"), name, path.name == "__init__.py"):
            if is_test_module(imported):
                offenders.append(f"{path.relative_to(ROOT)} imports {imported}")
    assert offenders == [], "move what is shared into tests/support/:\n" + "\n".join(offenders)


def test_the_check_catches_each_way_of_importing_a_test_module():
    """Guard against a check that can never fail."""
    cases = {
        "from tests.integration.web.test_no_server_errors import ODD_VALUES": True,
        "import tests.unit.pricing.test_engine": True,
        "from tests.integration.web import test_no_server_errors": True,
        "from tests.e2e.conftest import DESKTOP": True,
        "from .test_engine import NOW": True,
        "from . import conftest": True,
        'pytest_plugins = ("tests.e2e.conftest",)': True,
        "from tests.support.forms import csrf_token": False,
        "from tests.factories import UserFactory": False,
        'pytest_plugins = ("tests.support.smtp",)': False,
        "import shop.core.text": False,
    }
    for source, bad in cases.items():
        names = imported_modules(source, "tests.unit.pricing.test_properties")
        assert any(is_test_module(name) for name in names) is bad, (source, names)


def test_helpers_live_in_tests_support():
    stray = []
    for path in TESTS.rglob("*.py"):
        relative = path.relative_to(ROOT).as_posix()
        if "__pycache__" in path.parts or relative.startswith("tests/support/") or relative in ALLOWED_HELPERS:
            continue
        if not (path.name.startswith("test_") or path.name in ("conftest.py", "__init__.py")):
            stray.append(relative)
    assert stray == [], f"helper modules outside tests/support/: {stray}"


def test_unit_and_integration_folders_mirror_the_shop_package():
    """tests/unit/<a>/<b>/ and tests/integration/<a>/<b>/ name shop/<a>/<b>/, and each is a package."""
    wrong = []
    for kind in ("unit", "integration"):
        for folder in sorted(p for p in (TESTS / kind).rglob("*") if p.is_dir() and p.name != "__pycache__"):
            mirrored = SHOP / folder.relative_to(TESTS / kind)
            if not (mirrored / "__init__.py").is_file():
                wrong.append(f"{folder.relative_to(ROOT)} has no shop/{folder.relative_to(TESTS / kind)} package")
            if not (folder / "__init__.py").is_file():
                wrong.append(f"{folder.relative_to(ROOT)} has no __init__.py")
    assert wrong == []
