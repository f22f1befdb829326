"""The protocol package must not depend on Home Assistant (it could become its own library)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PROTOCOL_DIR = Path(__file__).parents[1] / "custom_components" / "furby_connect" / "protocol"


def homeassistant_imports(source: str) -> list[str]:
    """Return every import in ``source`` that names the homeassistant package."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.split(".")[0] == "homeassistant"]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module.split(".")[0] == "homeassistant":
                found.append(node.module)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "__import__"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and str(node.args[0].value).split(".")[0] == "homeassistant"
        ):
            found.append(str(node.args[0].value))
    return found


def test_protocol_sources_exist() -> None:
    """The protocol package has Python sources to check."""
    assert sorted(p.name for p in PROTOCOL_DIR.glob("*.py"))


@pytest.mark.parametrize(
    "path", sorted(PROTOCOL_DIR.rglob("*.py")), ids=lambda p: p.relative_to(PROTOCOL_DIR).as_posix()
)
def test_protocol_module_has_no_homeassistant_import(path: Path) -> None:
    """No protocol module imports homeassistant in any form."""
    assert homeassistant_imports(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "source",
    [
        "import homeassistant",
        "import homeassistant.core as core",
        "from homeassistant.core import HomeAssistant",
        "def f():\n    from homeassistant.helpers import storage",
        "__import__('homeassistant.const')",
    ],
)
def test_checker_catches_each_import_form(source: str) -> None:
    """The checker finds every way of importing homeassistant."""
    assert homeassistant_imports(source) != []


def test_checker_ignores_lookalikes() -> None:
    """The checker does not flag modules that only look like homeassistant."""
    assert homeassistant_imports("import homeassistant_frontend\nfrom . import homeassistant") == []
