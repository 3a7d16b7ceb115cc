"""Rules of the test suite itself (issue 12, item 2): test modules share code only through
tests/helpers.py, tests/factories.py and other non-test modules, never by importing one another
(or a conftest, whose fixtures pytest hands out by name)."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.helpers import ROOT

TESTS = ROOT / "tests"


def _imported_modules(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = "." * node.level + (node.module or "")
            found.append((node.lineno, base))
            if not node.module:  # `from . import test_x`
                found += [(node.lineno, alias.name) for alias in node.names]
    return found


def _is_test_module(dotted: str) -> bool:
    last = dotted.rsplit(".", 1)[-1]
    return last.startswith("test_") or last == "conftest"


def test_no_test_module_imports_another_test_module_or_a_conftest():
    offences = []
    for path in sorted(TESTS.rglob("*.py")):
        for line, module in _imported_modules(path):
            if _is_test_module(module):
                offences.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert not offences, "move the shared code to tests/helpers.py or tests/factories.py:\n" + "\n".join(offences)


def test_the_rule_sees_every_form_of_import(tmp_path):
    for source in ("from tests.test_notices import issue", "import test_notices", "from .test_x import y",
                   "from . import test_x", "from conftest import free_port", "from tests.conftest import x",
                   "def f():\n    from tests.test_disputes import make_objection"):
        module = tmp_path / "test_probe.py"
        module.write_text(source + "\n")
        assert any(_is_test_module(name) for _, name in _imported_modules(module)), source
    allowed = tmp_path / "test_ok.py"
    allowed.write_text("from tests.helpers import png_bytes\nfrom tests import factories\nimport pytest\n")
    assert not any(_is_test_module(name) for _, name in _imported_modules(allowed))
