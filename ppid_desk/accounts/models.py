"""Users and their roles (DESIGN §3)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ..dbtypes import UTCDateTime, utcnow
from ..extensions import db
from ..organisation.models import Unit


def hash_password(password: str) -> str:
    """Hash with the configured KDF: scrypt (memory-hard) by default; tests pick a cheap one."""
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


class Role(StrEnum):
    PEMOHON = "pemohon"
    PETUGAS = "petugas"
    PPID_UTAMA = "ppid_utama"
    PEMBANTU = "pembantu"
    ATASAN = "atasan"
    PENGAWAS = "pengawas"
    ADMIN = "admin"


class User(UserMixin, db.Model):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(256))
    phone: Mapped[str | None] = mapped_column(String(32))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    unit: Mapped[Unit | None] = relationship()
    role_rows: Mapped[list[UserRole]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def roles(self) -> set[str]:
        return {row.role for row in self.role_rows}

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    def get_id(self) -> str:
        """Session identity: the id plus a fingerprint of the password hash and of the user's
        last logout, so that changing the password or logging out ends every session and
        "remember me" cookie of this user (a replayed old cookie no longer matches)."""
        from .selectors import last_logout_marker
        from .tokens import session_fingerprint

        return f"{self.id}:{session_fingerprint(self.password_hash, last_logout_marker(self.id))[:16]}"

    def set_password(self, password: str) -> None:
        self.password_hash = hash_password(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class UserRole(db.Model):
    __tablename__ = "user_role"

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(16), primary_key=True)
