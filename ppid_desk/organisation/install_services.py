"""Installing PPID Desk for a real office (`flask ppid init`): on an empty database, the body
profile, the PPID Utama unit, the first administrator (who sets a password through a one-time
link) and this year's and next year's holidays. Nothing else — no demo data. Flush, never commit.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import exists, inspect, select

from ..accounts.invitations import invitation_link, invitation_send
from ..accounts.models import Role, User, UserRole
from ..accounts.selectors import normalise_email
from ..audit.services import event_log
from ..dbtypes import utcnow
from ..errors import DomainError, ValidationFailed
from ..extensions import db
from .models import Unit, UnitKind
from .profile_models import PROFILE_ID, BodyProfile
from .profile_services import DEFAULT_HOURS, LENGTHS, body_profile_create, check_timezone

INSTALLER = "flask ppid init"
UTAMA_CODE = "UTAMA"


class AlreadyInstalled(DomainError):
    """The database already has a body profile or an administrator: `init` changes nothing."""


@dataclass(frozen=True)
class Installation:
    profile: BodyProfile
    unit: Unit
    admin: User
    set_password_link: str
    calendar: dict[int, int | None]  # year → holidays imported (None: already imported)


def install_refusal() -> str | None:
    """Why this database cannot be installed, or None. Reads only, and tolerates a database
    whose migrations are not applied yet."""
    tables = set(inspect(db.session.connection()).get_table_names())
    if "body_profile" in tables and db.session.get(BodyProfile, PROFILE_ID) is not None:
        return "this database already has a body profile: it is installed. Nothing was changed."
    if "user_role" in tables and db.session.scalar(select(exists().where(UserRole.role == Role.ADMIN.value))):
        return "this database already has an administrator: it is installed. Nothing was changed."
    return None


def install_problems(*, body_name: str, admin_email: str, admin_name: str, timezone: str) -> dict[str, str]:
    problems = {}
    if not body_name.strip():
        problems["body_name"] = "the body's name is empty"
    elif len(body_name.strip()) > LENGTHS["name"]:
        problems["body_name"] = f"the body's name is longer than {LENGTHS['name']} characters"
    try:
        validate_email(admin_email, check_deliverability=False)
    except EmailNotValidError:
        problems["admin_email"] = f"{admin_email!r} is not an e-mail address"
    if not admin_name.strip() or len(admin_name.strip()) > 200:
        problems["admin_name"] = "the administrator's name must have 1 to 200 characters"
    if check_timezone(timezone):
        problems["timezone"] = f"{timezone!r} is not a known time zone (e.g. Asia/Jakarta, Asia/Makassar)"
    return problems


def body_install(*, body_name: str, admin_email: str, admin_name: str, timezone: str,
                 body_address: str = "") -> Installation:
    """Create what an office needs to start; raises AlreadyInstalled or ValidationFailed."""
    from ..workcalendar.services import calendar_year_import

    refusal = install_refusal()
    if refusal:
        raise AlreadyInstalled(refusal)
    problems = install_problems(body_name=body_name, admin_email=admin_email, admin_name=admin_name,
                                timezone=timezone)
    if problems:
        raise ValidationFailed(problems)
    body_name = body_name.strip()
    profile = body_profile_create(actor=None, actor_label=INSTALLER, name=body_name, address=body_address.strip(),
                                  timezone=timezone, hours=DEFAULT_HOURS)
    unit = Unit(code=UTAMA_CODE, name="PPID Utama", kind=UnitKind.UTAMA.value, parent=None, active=True)
    db.session.add(unit)
    db.session.flush()
    event_log(actor=None, actor_label=INSTALLER, subject_type="unit", subject_id=unit.id, kind="unit_created",
              data={"code": unit.code, "name": unit.name, "kind": unit.kind})

    admin = User(email=normalise_email(admin_email), name=admin_name.strip(), active=True, email_verified_at=None)
    admin.set_password(secrets.token_urlsafe(32))  # never told to anyone: the link sets the real one
    admin.role_rows = [UserRole(role=Role.ADMIN.value)]
    db.session.add(admin)
    db.session.flush()
    event_log(actor=None, actor_label=INSTALLER, subject_type="user", subject_id=admin.id,
              kind="account_created", data={"roles": [Role.ADMIN.value]})
    link = invitation_link(admin)
    invitation_send(admin, link=link, body_name=body_name)

    this_year = utcnow().astimezone(_zone(timezone)).year
    calendar = {year: calendar_year_import(year) for year in (this_year, this_year + 1)}
    return Installation(profile=profile, unit=unit, admin=admin, set_password_link=link, calendar=calendar)


def _zone(name: str):
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)
