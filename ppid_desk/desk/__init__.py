"""The officer desk: the request queue, registration and the completeness check at the desk, and
the officer's request page that other domains add their panels to."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    from ..accounts.models import Role
    from ..web.registry import ACTION, desk_nav, register_nav, register_panel
    from . import (  # noqa: F401  (their routes)
        assignment_views,
        incomplete_views,
        intake_views,
        letter_views,
        queue_bulk_views,
        queue_saved_views,
        queue_views,
        request_page_views,
    )
    from .blueprint import bp
    from .policy import STAFF_ROLES

    register_nav(10, "desk.queue", _l("Antrean permohonan"), STAFF_ROLES)
    register_nav(20, "desk.register_request", _l("Registrasi permohonan"), {Role.PETUGAS, Role.PPID_UTAMA})
    # who handles the request: a record at the top of the case (its select for those who may assign)
    register_panel(5, "desk/_assignment_panel.html", assignment_views.assignment_panel)
    register_panel(10, "desk/_intake_panel.html", intake_views.intake_panel, kind=ACTION, key="intake",
                   available=lambda c: c["intake_shown"] or c["intake_unsent"])
    register_panel(12, "desk/_letters_panel.html", incomplete_views.letters_panel)
    register_panel(13, "desk/_official_letters_panel.html", letter_views.official_letters_panel)
    register_panel(20, "desk/_documents_panel.html", intake_views.documents_panel)
    register_panel(90, "desk/_notes_panel.html", intake_views.notes_panel)
    app.jinja_env.globals["desk_nav"] = desk_nav
    app.register_blueprint(bp)
