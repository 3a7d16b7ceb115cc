"""Users and their roles (DESIGN §3)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import ForeignKey, Index, String, Text
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
    address: Mapped[str | None] = mapped_column(Text)  # the citizen's own, edited in account settings
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    active: Mapped[bool] = mapped_column(default=True)
    # A new address waiting for its owner to follow the link sent to it (account settings).
    pending_email: Mapped[str | None] = mapped_column(String(254))
    # The citizen deleted the account: the row stays, anonymised and inactive, for the event log.
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
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

        return self.session_id(last_logout_marker(self.id))

    def session_id(self, logout_marker: int) -> str:
        """``get_id`` given the id of the user's last logout event (read with the user)."""
        from .tokens import session_fingerprint

        return f"{self.id}:{session_fingerprint(self.password_hash, logout_marker)[:16]}"

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


class LoginFailure(db.Model):
    """One failed password for a login subject (an address or a client IP, as a keyed digest;
    accounts.throttle). One row per failure, so concurrent workers never lose a count."""

    __tablename__ = "login_failure"
    __table_args__ = (Index("ix_login_failure_subject", "kind", "key", "failed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))  # "account" or "ip"
    key: Mapped[str] = mapped_column(String(64))
    failed_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class LoginThrottle(db.Model):
    """A login subject's state: failures count from ``counted_from`` (reset by a right password
    and by a lock-out), and logging in is refused until ``locked_until``."""

    __tablename__ = "login_throttle"

    kind: Mapped[str] = mapped_column(String(8), primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    counted_from: Mapped[datetime | None] = mapped_column(UTCDateTime())
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())


class AccountMailRequest(db.Model):
    """A "forgot password" or "resend verification" request, kept until the outbox sender turns
    it into an e-mail (accounts.services.account_mail_requests_process) and deletes it. The web
    request stores one for every address typed, with an account or without: both answers do the
    same work, so neither their content nor their time tells whether an account exists."""

    __tablename__ = "account_mail_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # "password_reset" or "verification"
    email: Mapped[str] = mapped_column(String(254))
    locale: Mapped[str] = mapped_column(String(16))  # the asker's language, for the e-mail
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
