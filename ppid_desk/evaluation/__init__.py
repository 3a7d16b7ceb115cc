"""Internal monev of the PPID Pembantu (evaluasi, KIP.md §5): versioned questionnaires kept as
data, yearly rounds run by PPID Utama, each unit's self-assessment with evidence, and scores per
category and in total with the questionnaire's bands. Apart from ``monev/`` (the service figures
derived from the request log), which this package may read but never the other way round."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    from ..accounts.roles import EVALUATION_ROLES
    from ..web.registry import register_nav
    from . import results_views, verification_views, views  # noqa: F401  (their routes)
    from .blueprint import bp

    register_nav(47, "evaluation.home", _l("Evaluasi unit"), EVALUATION_ROLES)
    app.register_blueprint(bp)
