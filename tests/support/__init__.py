"""Helpers the tests share (never fixtures' home: those stay in the conftests). Test modules import from here and
from tests.factories, never from one another (tests/unit/test_test_layout.py checks it)."""
