"""Human labels of the roles, and which roles are staff roles (DESIGN §3)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .models import Role
from .roles import (
    STAFF_ROLES,  # the roles an administrator gives to officers (defined in accounts.roles)
)

ROLE_LABELS = {
    Role.PEMOHON.value: _l("Pemohon"),
    Role.PETUGAS.value: _l("Petugas layanan informasi"),
    Role.PPID_UTAMA.value: _l("PPID Utama"),
    Role.PEMBANTU.value: _l("PPID Pembantu"),
    Role.ATASAN.value: _l("Atasan PPID"),
    Role.PENGAWAS.value: _l("Pengawas (monev)"),
    Role.ADMIN.value: _l("Administrator"),
}


def sorted_roles(roles) -> list[str]:
    """``roles`` in the order of ``STAFF_ROLES`` (the citizen role last)."""
    order = {role: index for index, role in enumerate(STAFF_ROLES)}
    return sorted(roles, key=lambda role: order.get(role, len(order)))


def roles_text(roles) -> str:
    """The roles in words, e.g. "PPID Utama, Administrator"."""
    return ", ".join(str(ROLE_LABELS.get(role, role)) for role in sorted_roles(roles))
