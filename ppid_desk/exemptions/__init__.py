"""The register of exempt information (Daftar Informasi yang Dikecualikan, DIK): exemption
decisions made with a consequence test, approved and numbered by PPID Utama, printed as the SK
annex, published without the exempt content, and reminded by the sweep before they expire."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    from ..accounts.roles import EXEMPTION_ROLES
    from ..web.registry import register_nav
    from . import labels, views  # noqa: F401  (their routes)
    from .blueprint import bp

    app.jinja_env.globals["exemption_labels"] = labels
    register_nav(40, "exemptions.decision_list", _l("Informasi dikecualikan"), EXEMPTION_ROLES)
    app.register_blueprint(bp)
