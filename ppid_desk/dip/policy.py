"""Who may do what with the Daftar Informasi Publik: a PPID Pembantu officer keeps its own unit's
items; PPID Utama keeps every item and alone approves, returns and withdraws."""

from __future__ import annotations

from ..accounts.models import Role, User
from ..accounts.roles import DIP_EDITOR_ROLES
from .models import InformationItem

EDITORS = DIP_EDITOR_ROLES


def is_editor(user: User | None) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return user.has_role(Role.PPID_UTAMA) or (user.has_role(Role.PEMBANTU) and user.unit_id is not None)


def approves(user: User | None) -> bool:
    return user is not None and user.is_authenticated and user.has_role(Role.PPID_UTAMA)


def may_edit(user: User | None, item: InformationItem) -> bool:
    if approves(user):
        return True
    return is_editor(user) and user.unit_id == item.unit_id


def unit_fixed(user: User) -> int | None:
    """The unit a non-approver's items belong to (their own); None: the editor picks the unit."""
    return None if approves(user) else user.unit_id
