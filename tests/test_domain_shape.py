"""Where things live: objections and monev own their pages' blueprints, and no domain borrows
another's private names (the letterhead builder is public, ``web.letter_pdf``)."""

from __future__ import annotations

import ast
from pathlib import Path

import ppid_desk

PACKAGE = Path(ppid_desk.__file__).parent


def _owner(rule: str) -> str | None:
    """The blueprint a URL of these two domains must hang on (None: not one of theirs).

    Withdrawals (``…/pencabutan``, ``…/cabut``) are pages of ``requests.withdrawal_views``."""
    if rule.endswith(("/pencabutan", "/cabut")):
        return None
    if rule.startswith(("/meja/keberatan", "/meja/permohonan/<int:request_id>/keberatan/baru",
                        "/meja/permohonan/<int:request_id>/perintah-keberatan",
                        "/meja/permohonan/<int:request_id>/berkas-sengketa.zip")):
        return "objections"
    if rule.startswith(("/meja/monev", "/meja/register/", "/statistik", "/laporan-tahunan/")):
        return "monev"
    if rule.startswith("/permohonan/<int:request_id>/keberatan"):
        return "requests"  # the applicant's objection pages stay with their request pages
    return None


def test_objections_and_monev_pages_hang_on_their_own_blueprints(app):
    assert {"objections", "monev"} <= set(app.blueprints)
    seen = {"objections": 0, "monev": 0, "requests": 0}
    for rule in app.url_map.iter_rules():
        owner = _owner(rule.rule)
        if owner is None:
            continue
        assert rule.endpoint.split(".")[0] == owner, (rule.rule, rule.endpoint)
        seen[owner] += 1
    # The desk's objection and dispute pages, monev's desk and public pages, the applicant's
    # filing, receipt, response letter and dispute record.
    assert seen["objections"] >= 15 and seen["monev"] >= 14 and seen["requests"] >= 4, seen


def _imported_privates(path: Path, root: Path = PACKAGE) -> list[tuple[str, str]]:
    """(module, name) pairs of underscore names this file imports from another top-level package."""
    relative = path.relative_to(root)
    own = relative.parts[0] if len(relative.parts) > 1 else relative.stem
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.ImportFrom):
            continue
        if node.level:
            base = list(relative.parts[:-1])[: len(relative.parts) - node.level]
            target = [*base, *(node.module or "").split(".")] if node.module else base
        elif (node.module or "").startswith("ppid_desk."):
            target = node.module.split(".")[1:]
        else:
            continue
        target = [part for part in target if part]
        if not target or target[0] == own:
            continue
        for alias in node.names:
            if alias.name.startswith("_") and not alias.name.startswith("__"):
                found.append((".".join(target), alias.name))
    return found


def test_no_domain_imports_another_domains_private_names():
    offenders = {str(path.relative_to(PACKAGE)): names for path in sorted(PACKAGE.rglob("*.py"))
                 if (names := _imported_privates(path))}
    assert offenders == {}


def test_the_private_name_check_sees_a_cross_domain_import(tmp_path):
    """The check above would have caught objections importing ``notices.pdf._LetterPDF``."""
    (tmp_path / "objections").mkdir()
    module = tmp_path / "objections" / "response_pdf.py"
    module.write_text("from ..notices.pdf import LINE, _LetterPDF\nfrom .models import _local\n"
                      "from ppid_desk.notices.pdf import _unicode_font\n", encoding="utf-8")
    assert _imported_privates(module, tmp_path) == [("notices.pdf", "_LetterPDF"),
                                                     ("notices.pdf", "_unicode_font")]
