"""Where each role lands after logging in (issue "Ready for a real office", item 8).

A person with several roles lands on the first work in this order: the request work of the desk
comes before supervision and administration, so an administrator who is also PPID Utama starts
at the queue (the administration is one click away in the desk menu).
"""

from __future__ import annotations

from flask import current_app, url_for

from .models import Role, User

LANDINGS: tuple[tuple[frozenset[str], str], ...] = (
    (frozenset({Role.PETUGAS, Role.PPID_UTAMA}), "desk.queue"),
    (frozenset({Role.PEMBANTU}), "routing.unit_tasks"),
    (frozenset({Role.ATASAN}), "objections.objection_queue"),
    (frozenset({Role.PENGAWAS}), "monev.monev_dashboard"),
    (frozenset({Role.ADMIN}), "organisation.admin_index"),
)
CITIZEN_LANDING = "requests.my_requests"


def landing_endpoint(user: User) -> str:
    """The endpoint of the user's own work (a citizen: their requests)."""
    endpoints = current_app.view_functions
    for roles, endpoint in LANDINGS:
        if user.has_role(*roles) and endpoint in endpoints:
            return endpoint
    return CITIZEN_LANDING


def landing_url(user: User) -> str:
    return url_for(landing_endpoint(user))
