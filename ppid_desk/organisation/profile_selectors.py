"""Reads on the body profile. Every reader of the body's name, address, service hours, time zone,
signing officials and number patterns asks ``body_profile()``: one query per request (the
snapshot is kept in ``g``), and the configuration defaults (``BODY_NAME`` …) while no profile row
exists yet, so an older database and the tests without a profile keep working."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time

from babel import dates
from flask import current_app, g, has_app_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from ..config import DEFAULTS
from ..extensions import db
from ..operations.data_version import data_token
from .profile_models import PROFILE_ID, BodyProfile, UnitLabel

# Number patterns by kind; the configuration keys that held them before (defaults for `init`).
PATTERN_KINDS = ("request", "notice", "objection", "objection_response", "incomplete", "not_completed",
                 "extension", "withdrawal", "exemption")
PATTERN_CONFIG = {
    "request": "REQUEST_NUMBER_PATTERN",
    "notice": "NOTICE_NUMBER_PATTERN",
    "objection": "OBJECTION_NUMBER_PATTERN",
    "objection_response": "OBJECTION_RESPONSE_NUMBER_PATTERN",
    "incomplete": "INCOMPLETE_NUMBER_PATTERN",  # the letter telling that a request is incomplete
    "not_completed": "NOT_COMPLETED_NUMBER_PATTERN",  # the letter closing it as not completed
    "extension": "EXTENSION_NUMBER_PATTERN",  # the extension letter (Pasal 22(8))
    "withdrawal": "WITHDRAWAL_NUMBER_PATTERN",  # the confirmation that a request was withdrawn
    "exemption": "EXEMPTION_NUMBER_PATTERN",  # a decision exempting information (exemptions/)
}
NOTICE_PATTERN_DEFAULT = "{seq4}/PPID-PT/{month_roman}/{year}"  # when the configuration has none
# The registration counter series each kind of number draws from (requests.numbering).
PATTERN_SERIES = {
    "request": "permohonan",
    "notice": "pemberitahuan",
    "objection": "keberatan",
    "objection_response": "tanggapan-keberatan",
    "incomplete": "surat-belum-lengkap",
    "not_completed": "surat-tidak-dilengkapi",
    "extension": "surat-perpanjangan",
    "withdrawal": "surat-pencabutan",
    "exemption": "penetapan-dikecualikan",
}
UNIT_LABEL_TEXT = {UnitLabel.PEMBANTU: "PPID Pembantu", UnitLabel.PELAKSANA: "PPID Pelaksana"}
WEEKDAY_NAMES = (_l("Senin"), _l("Selasa"), _l("Rabu"), _l("Kamis"), _l("Jumat"), _l("Sabtu"), _l("Minggu"))

_CACHE = "_ppid_body_profile"
_ABSENT = "absent"


@dataclass(frozen=True)
class Official:
    """A signing official: the PPID Utama or the Atasan PPID."""

    name: str = ""
    position: str = ""
    nip: str = ""

    @property
    def nip_text(self) -> str:
        return nip_text(self.nip)


@dataclass(frozen=True)
class DayHours:
    weekday: int  # 0 = Monday
    opens: time
    closes: time
    break_starts: time | None = None
    break_ends: time | None = None

    @property
    def same_hours(self) -> tuple:
        return self.opens, self.closes, self.break_starts, self.break_ends

    @property
    def text(self) -> str:
        return day_hours_text(self)


# BODY_SERVICE_HOURS's shipped default ("Senin–Jumat 08.00–16.00") as structured hours.
DEFAULT_DAY_HOURS = tuple(DayHours(weekday, time(8), time(16)) for weekday in range(5))


@dataclass(frozen=True)
class BodySnapshot:
    """The body profile as every page, letter and e-mail reads it (detached from the session)."""

    stored: bool  # False: no profile row yet, these are the configuration defaults
    name: str
    address: str
    timezone: str
    patterns: Mapping[str, str]
    short_name: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    unit_label: str = UnitLabel.PEMBANTU
    utama: Official = field(default_factory=Official)
    atasan: Official = field(default_factory=Official)
    hours: tuple[DayHours, ...] = ()
    configured_hours: str = ""  # BODY_SERVICE_HOURS, shown while no structured hours exist
    logo_sha256: str | None = None
    logo_type: str | None = None
    logo_width: int | None = None
    logo_height: int | None = None
    version: int = 0

    @property
    def has_logo(self) -> bool:
        return bool(self.logo_sha256)

    @property
    def logo_version(self) -> str:
        """A short fingerprint for the logo's URL: a new logo is a new URL (long caching)."""
        return (self.logo_sha256 or "")[:12]

    @property
    def unit_label_text(self) -> str:
        return UNIT_LABEL_TEXT.get(UnitLabel(self.unit_label), UNIT_LABEL_TEXT[UnitLabel.PEMBANTU])

    @property
    def service_hours_text(self) -> str:
        """The hours in one line, in the visitor's language. Before the administrator enters the
        hours, the configured text: the shipped default is the structured Monday–Friday 08.00–16.00
        (so English reads "Monday–Friday 8:00 AM–4:00 PM"); a body's own text is shown as written."""
        if self.hours:
            return hours_text(self.hours)
        if self.configured_hours == DEFAULTS["BODY_SERVICE_HOURS"]:
            return hours_text(DEFAULT_DAY_HOURS)
        return self.configured_hours

    def hours_table(self) -> list[tuple[str, DayHours | None]]:
        """(weekday name, hours or None when closed) for Monday … Sunday."""
        by_day = {day.weekday: day for day in self.hours}
        return [(str(WEEKDAY_NAMES[weekday]), by_day.get(weekday)) for weekday in range(7)]


# --- formatting -------------------------------------------------------------------------------

def nip_text(nip: str) -> str:
    """An 18-digit NIP grouped as it is printed: ``19700101 199003 1 001``."""
    digits = "".join(ch for ch in nip or "" if ch.isdigit())
    if len(digits) != 18:
        return nip or ""
    return f"{digits[:8]} {digits[8:14]} {digits[14]} {digits[15:]}"


def clock_text(moment: time) -> str:
    """``08.00`` in Bahasa Indonesia, ``8:00 AM`` in English (CLDR short time)."""
    from ..web.language import active_locale

    return dates.format_time(moment, format="short", locale=active_locale())


def day_hours_text(day: DayHours) -> str:
    text = f"{clock_text(day.opens)}–{clock_text(day.closes)}"
    if day.break_starts and day.break_ends:
        text += " " + str(_l("(istirahat %(start)s–%(end)s)", start=clock_text(day.break_starts),
                                 end=clock_text(day.break_ends)))
    return text


def hours_text(hours: tuple[DayHours, ...]) -> str:
    """The maklumat in one line: consecutive days with the same hours grouped,
    ``Senin–Kamis 08.00–16.00 (istirahat 12.00–13.00); Jumat 08.00–16.30``."""
    groups: list[list[DayHours]] = []
    for day in sorted(hours, key=lambda d: d.weekday):
        last = groups[-1][-1] if groups else None
        if last is not None and last.weekday + 1 == day.weekday and last.same_hours == day.same_hours:
            groups[-1].append(day)
        else:
            groups.append([day])
    parts = []
    for group in groups:
        first, last = group[0], group[-1]
        days = str(WEEKDAY_NAMES[first.weekday])
        if last.weekday != first.weekday:
            days += "–" + str(WEEKDAY_NAMES[last.weekday])
        parts.append(f"{days} {day_hours_text(first)}")
    return "; ".join(parts)


# --- reading ----------------------------------------------------------------------------------

def configured_patterns() -> dict[str, str]:
    config = current_app.config
    return {kind: config.get(key) or (NOTICE_PATTERN_DEFAULT if kind == "notice" else "")
            for kind, key in PATTERN_CONFIG.items()}


def _from_config() -> BodySnapshot:
    config = current_app.config
    return BodySnapshot(
        stored=False, name=config["BODY_NAME"], address=config["BODY_ADDRESS"],
        timezone=config["BODY_TIMEZONE"], patterns=configured_patterns(),
        configured_hours=config.get("BODY_SERVICE_HOURS", ""),
    )


def snapshot_of(row: BodyProfile) -> BodySnapshot:
    return BodySnapshot(
        stored=True, name=row.name, short_name=row.short_name or "", address=row.address or "",
        phone=row.phone or "", email=row.email or "", website=row.website or "", timezone=row.timezone,
        unit_label=row.unit_label or UnitLabel.PEMBANTU,
        utama=Official(row.utama_name or "", row.utama_position or "", row.utama_nip or ""),
        atasan=Official(row.atasan_name or "", row.atasan_position or "", row.atasan_nip or ""),
        patterns={kind: getattr(row, f"{kind}_number_pattern") for kind in PATTERN_KINDS},
        hours=tuple(DayHours(h.weekday, h.opens, h.closes, h.break_starts, h.break_ends) for h in row.hours),
        configured_hours=current_app.config.get("BODY_SERVICE_HOURS", ""),
        logo_sha256=row.logo_sha256, logo_type=row.logo_type, logo_width=row.logo_width,
        logo_height=row.logo_height, version=row.version,
    )


def body_profile_row() -> BodyProfile | None:
    with db.session.no_autoflush:
        return db.session.get(BodyProfile, PROFILE_ID)


# The profile's stamp: its version (bumped by every UPDATE of the row, ``version_id_col``; saving
# the service hours updates the row too) and the moment of its last save.
_PROFILE = BodyProfile.__table__
_STAMP = select(_PROFILE.c.version, _PROFILE.c.updated_at).where(_PROFILE.c.id == PROFILE_ID)


def _cached() -> BodySnapshot | str:
    """The snapshot of this request. Each worker also keeps the last one it read, with the data
    version token (``operations.data_version``) and the profile's stamp it was read under: a page
    reads nothing while no write happened anywhere, and after a write that was not the profile's
    (a filing, say) one small statement tells that the kept snapshot still holds, instead of two
    statements and the snapshot built again."""
    cached = g.get(_CACHE)
    if cached is None:
        token = data_token()
        held = current_app.extensions.get(_CACHE)  # (token, stamp, snapshot)
        if token is not None and held is not None and held[0] == token:
            cached = held[2]
        else:
            stamp = db.session.execute(_STAMP).first()  # a table's statement: no autoflush
            stamp = tuple(stamp) if stamp is not None else None
            if held is not None and held[1] == stamp:
                cached = held[2]
                # Inside a write (no token to read) the snapshot stays tied to the token it was read under.
                token = held[0] if token is None else token
            else:
                row = body_profile_row()
                cached = snapshot_of(row) if row is not None else _ABSENT
            current_app.extensions[_CACHE] = (token, stamp, cached)
        setattr(g, _CACHE, cached)
    return cached


def body_profile() -> BodySnapshot:
    """The body profile, read once per request (or CLI run); the configuration defaults while
    no profile row exists. Writers call ``body_profile_forget()``."""
    cached = _cached()
    return _from_config() if cached is _ABSENT else cached


def body_profile_forget() -> None:
    """Drop the snapshot of this request (after a write, or a rollback)."""
    if has_app_context():
        g.pop(_CACHE, None)


def body_profile_for_templates() -> BodySnapshot:
    """As ``body_profile()``, but an error page rendered while the database is failing still
    shows the configured name instead of failing itself."""
    try:
        return body_profile()
    except SQLAlchemyError:
        db.session.rollback()
        return _from_config()


def body_timezone() -> str:
    """The body's IANA zone (every local date depends on it; called for every row of a register)."""
    cached = _cached()
    return current_app.config["BODY_TIMEZONE"] if cached is _ABSENT else cached.timezone


def number_pattern(kind: str) -> str:
    """The pattern of the numbers of one of ``PATTERN_KINDS`` (``request``, ``notice`` …)."""
    return body_profile().patterns[kind]


def body_logo() -> tuple[bytes, str] | None:
    """The logo's bytes and MIME type, or None."""
    if not body_profile().has_logo:
        return None
    with db.session.no_autoflush:
        row = db.session.execute(
            select(BodyProfile.logo, BodyProfile.logo_type).where(BodyProfile.id == PROFILE_ID)).first()
    if row is None or not row.logo:
        return None
    return bytes(row.logo), row.logo_type


def signature_of(official: Official, *, fallback_name: str) -> dict:
    """What a letter is signed with ({name, position, nip}), copied onto the notice or the
    response when it is issued; the issuing officer's name while the profile names nobody."""
    if not official.name:
        return {"name": fallback_name, "position": "", "nip": ""}
    return {"name": official.name, "position": official.position, "nip": official.nip}


def utama_signature(*, fallback_name: str) -> dict:
    return signature_of(body_profile().utama, fallback_name=fallback_name)


def atasan_signature(*, fallback_name: str) -> dict:
    return signature_of(body_profile().atasan, fallback_name=fallback_name)
