"""The delivery layer's boundaries, read from the code: what imports what, where middleware lives, and that
no error in the layer is swallowed without a word."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

from config import delivery

ROOT = Path(__file__).resolve().parents[2]
LAYER = ROOT / "config" / "delivery"
DOMAIN_APPS = ("articles", "comments")


def python_files(folder):
    return sorted(
        path for path in folder.rglob("*.py") if "migrations" not in path.parts and "tests" not in path.parts
    )


def imported_modules(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def parse(path):
    return ast.parse(path.read_text(), filename=str(path))


@pytest.mark.parametrize("path", python_files(LAYER), ids=lambda path: str(path.relative_to(ROOT)))
def test_the_layer_imports_no_domain_app(path):
    domain = [name for name in imported_modules(parse(path)) if name.split(".")[0] in DOMAIN_APPS]
    assert not domain, f"{path.relative_to(ROOT)} imports {domain}"


def test_config_imports_no_comments_view():
    importers = [
        str(path.relative_to(ROOT))
        for path in python_files(ROOT / "config")
        if any(name.startswith("comments.views") for name in imported_modules(parse(path)))
    ]
    assert not importers


def test_no_middleware_lives_in_a_domain_app():
    assert not [entry for entry in settings.MIDDLEWARE if entry.split(".")[0] in DOMAIN_APPS]
    # Nor a class shaped like one (``get_response`` kept and called), listed or not.
    shaped = []
    for app in DOMAIN_APPS:
        for path in python_files(ROOT / app):
            for node in ast.walk(parse(path)):
                if isinstance(node, ast.ClassDef) and "get_response" in ast.unparse(node):
                    shaped.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}")
    assert not shaped


def test_the_middleware_order_is_written_once():
    assert settings.MIDDLEWARE == delivery.MIDDLEWARE
    listed = [path for path in python_files(ROOT / "config") if "MIDDLEWARE = [" in path.read_text()]
    assert listed == [LAYER / "__init__.py"]


# Exceptions that are answers, not errors: a value that does not parse, an optional driver, an address that
# names no page or no host of ours. Catching one decides what to answer; nothing failed.
ANSWERS = {"ValueError", "ImportError", "Resolver404", "DisallowedHost"}


def handler_speaks(handler):
    """A handler logs (``logger.*`` or ``logging.*``), warns, raises, or hands the error to what records it
    (the cache's outage log): the error is not lost."""
    caught = {ast.unparse(handler.type)} if handler.type is not None else {"BaseException"}
    if caught <= ANSWERS:
        return True
    for node in ast.walk(handler):
        if isinstance(node, ast.Raise):
            return True
        handed_on = isinstance(node, ast.Call) and any(
            isinstance(arg, ast.Name) and arg.id == handler.name for arg in node.args
        )
        if handler.name and handed_on:
            return True
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            receiver = ast.unparse(node.func.value)
            if receiver in ("logger", "logging", "log", "warnings") or receiver.endswith("logger"):
                return True
    return False


@pytest.mark.parametrize("path", python_files(LAYER), ids=lambda path: str(path.relative_to(ROOT)))
def test_no_error_in_the_layer_is_swallowed(path):
    silent = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for node in ast.walk(parse(path))
        if isinstance(node, ast.ExceptHandler) and not handler_speaks(node)
    ]
    assert not silent, "except without a log line or a raise: " + ", ".join(silent)
