"""Every test asserts something: a test that only runs code proves only that it does not crash.

A ``test_*`` function passes this check when its body (nested blocks included) holds:

- an ``assert`` statement;
- a call whose name is in ``CHECKING_CALLS`` (``pytest.raises``, ``pytest.warns``, ...);
- a call whose name starts with one of ``CHECKING_PREFIXES``: ``assert`` (``assert_called_once``,
  ``django_assert_num_queries``), ``expect`` (Playwright's ``expect``) or ``check``; a helper
  that asserts for its callers is named that way, so a reader sees that the test checks.
"""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent
CHECKING_PREFIXES = ("assert", "django_assert", "expect", "check")
CHECKING_CALLS = {
    "raises",  # pytest.raises
    "warns",  # pytest.warns
    "fail",  # pytest.fail: the test states its own failure condition
    "call_and_validate",  # schemathesis: validates every response against the document
}


def _called_name(call: ast.Call) -> str:
    function = call.func
    if isinstance(function, ast.Attribute):
        return function.attr
    if isinstance(function, ast.Name):
        return function.id
    return ""


def checks_something(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Whether the function's body asserts, expects an error or calls a checking helper."""
    for node in ast.walk(function):
        if isinstance(node, ast.Assert):
            return True
        if isinstance(node, ast.Call):
            name = _called_name(node)
            if name in CHECKING_CALLS or name.startswith(CHECKING_PREFIXES):
                return True
    return False


def unchecked_tests() -> list[str]:
    """``path::name`` of every test function in tests/ that checks nothing."""
    found = []
    for path in sorted(TESTS.rglob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        found += [
            f"{path.relative_to(TESTS)}::{node.name}"
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            and node.name.startswith("test_")
            and not checks_something(node)
        ]
    return found


def test_every_test_checks_something() -> None:
    assert unchecked_tests() == []


def test_the_check_tells_a_check_from_mere_running() -> None:
    source = """
def test_runs():
    compute()

def test_asserts():
    assert compute() == 1

def test_raises():
    with pytest.raises(ValueError):
        compute()

def test_helper():
    check_totals(compute())

def test_nested():
    for value in values():
        if value:
            assert value > 0
"""
    functions = [node for node in ast.parse(source).body if isinstance(node, ast.FunctionDef)]
    verdicts = {function.name: checks_something(function) for function in functions}
    assert verdicts == {
        "test_runs": False,
        "test_asserts": True,
        "test_raises": True,
        "test_helper": True,
        "test_nested": True,
    }
