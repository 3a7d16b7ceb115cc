"""The Daftar Informasi Publik: items of information the body publishes without being asked,
kept by their units, approved by PPID Utama, searchable by anyone."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    from ..accounts.roles import DIP_EDITOR_ROLES
    from ..attachments.services import DOCUMENT_TYPES
    from ..web.registry import ACTION, register_nav, register_panel
    from ..workcalendar.selectors import body_today
    from . import answer_views, labels, selectors, views  # noqa: F401  (their routes)
    from .blueprint import bp

    app.jinja_env.globals["dip_labels"] = labels
    app.jinja_env.globals["dip_latest"] = selectors.latest  # the home page's "newly published"
    # … and its "most viewed" (over the last 90 days up to the body's today)
    app.jinja_env.globals["dip_most_viewed"] = lambda limit=5: selectors.most_viewed(body_today(), limit)
    app.jinja_env.filters["file_kind"] = lambda mime: DOCUMENT_TYPES.get(mime, "")
    # After delivery: publish the released documents as "setiap saat" information (issue 15 item 7).
    register_panel(47, "dip/_answer_panel.html", answer_views.answer_panel, kind=ACTION, key="publish_answer",
                   available=lambda c: c["answer_allowed"])
    register_nav(25, "dip.desk_list", _l("Daftar Informasi Publik"), DIP_EDITOR_ROLES)
    app.register_blueprint(bp)
