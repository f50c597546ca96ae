"""The pricing package must stay pure: importable and testable without Flask, a database or Stripe."""

import ast
from pathlib import Path

import pytest

PRICING = Path(__file__).resolve().parents[3] / "shop" / "pricing"
FORBIDDEN = ("flask", "sqlalchemy", "flask_sqlalchemy", "stripe", "shop.extensions", "shop.catalogue", "shop.orders")


def _imports(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


@pytest.mark.parametrize("path", sorted(PRICING.glob("*.py")), ids=lambda p: p.name)
def test_pricing_module_imports_nothing_impure(path):
    bad = [name for name in _imports(path) if name.split(".")[0] in FORBIDDEN or name.startswith(FORBIDDEN)]
    assert bad == [], f"{path.name} imports {bad}"
