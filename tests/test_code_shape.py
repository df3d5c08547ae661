"""The project's size rules for product code (DEVELOPERS.md): no module over 400 lines, no function over 80."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGES = [p for p in (REPO / "operator" / "tweetbot_operator", REPO / "trainer" / "tweetbot_trainer",
                        REPO / "kubectl-tweetbot") if p.is_dir()]
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 80


def modules() -> list[Path]:
    return sorted(p for package in PACKAGES for p in package.rglob("*.py") if ".venv" not in p.parts)


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(REPO)))
def test_module_and_functions_are_small(path: Path) -> None:
    text = path.read_text()
    lines = len(text.splitlines())
    assert lines <= MAX_MODULE_LINES, f"{path.relative_to(REPO)} has {lines} lines"
    long = [f"{node.name} ({node.end_lineno - node.lineno + 1} lines)" for node in ast.walk(ast.parse(text))
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            and (node.end_lineno or node.lineno) - node.lineno + 1 > MAX_FUNCTION_LINES]
    assert not long, f"{path.relative_to(REPO)}: {', '.join(long)}"


def test_the_operator_is_never_importable_as_operator() -> None:
    """The package is `tweetbot_operator`; a top-level `operator` package would shadow the standard library's."""
    assert not (REPO / "operator" / "__init__.py").exists()
    assert (REPO / "operator" / "tweetbot_operator" / "__init__.py").exists()
