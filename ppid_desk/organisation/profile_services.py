"""Writes on the body profile: check what an administrator typed, save it, log the change with
its before and after in the hash-chained event log. Flush, never commit; the view commits."""

from __future__ import annotations

import hashlib
import io
import re
import string
from dataclasses import dataclass, field
from datetime import date, time
from typing import Any
from urllib.parse import urlsplit

import filetype
from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from PIL import Image, UnidentifiedImageError
from werkzeug.datastructures import FileStorage

from ..accounts.models import User
from ..audit.services import event_log
from ..dbtypes import utcnow
from ..errors import DomainError, FieldError, ValidationFailed
from ..extensions import db
from .profile_models import PROFILE_ID, BodyProfile, ServiceHours, UnitLabel
from .profile_selectors import (
    PATTERN_KINDS,
    PATTERN_SERIES,
    body_profile,
    body_profile_forget,
    body_profile_row,
    configured_patterns,
)

SUBJECT = "body_profile"
LOGO_MAX_BYTES = 1024 * 1024
LOGO_TYPES = {"image/png": "PNG", "image/jpeg": "JPEG"}
LOGO_MIN_SIDE, LOGO_MAX_SIDE = 16, 4000  # pixels
LENGTHS = {"name": 200, "short_name": 60, "address": 300, "phone": 40, "email": 254, "website": 200,
           "utama_name": 200, "utama_position": 200, "atasan_name": 200, "atasan_position": 200}
PATTERN_MAX = 64  # the number columns are String(64)
PLACEHOLDERS = ("seq", "seq4", "month", "month_roman", "year")
PHONE_RE = re.compile(r"^\+?[0-9(][0-9 ().\-/]{4,38}[0-9]$")
NIP_DIGITS = 18
_CLOCK = re.compile(r"^([01]?[0-9]|2[0-3])[.:]?([0-5][0-9])$")
# Sequences a pattern is tried with: small, at each width change, and past four digits.
_SAMPLE_SEQS = (1, 2, 9, 10, 11, 12, 99, 100, 101, 110, 111, 999, 1000, 1001, 1010, 1011, 1111, 9999, 10000,
                10001, 11111, 99999)


class StaleProfile(DomainError):
    """Another administrator saved the profile since this form was opened."""


@dataclass(frozen=True)
class DayDraft:
    """One weekday as typed: open or closed, and four times as text ("08.00")."""

    weekday: int
    open: bool = False
    opens: str = ""
    closes: str = ""
    break_starts: str = ""
    break_ends: str = ""


@dataclass(frozen=True)
class LogoUpload:
    content: bytes
    mime: str
    width: int
    height: int

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


@dataclass(frozen=True)
class ProfileDraft:
    name: str
    address: str
    short_name: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    unit_label: str = UnitLabel.PEMBANTU
    utama_name: str = ""
    utama_position: str = ""
    utama_nip: str = ""
    atasan_name: str = ""
    atasan_position: str = ""
    atasan_nip: str = ""
    patterns: dict[str, str] = field(default_factory=dict)
    days: tuple[DayDraft, ...] = ()
    logo: LogoUpload | None = None
    remove_logo: bool = False


# --- the logo ---------------------------------------------------------------------------------

def logo_check(field_name: str, storage: FileStorage) -> LogoUpload:
    """Read and check a logo: PNG or JPEG judged from the content (never the name), at most
    1 MB, a picture that decodes completely with sane dimensions. Raises FieldError."""
    content = storage.stream.read(LOGO_MAX_BYTES + 1)
    if not content:
        raise FieldError(field_name, _("Berkas kosong. Pilih gambar PNG atau JPEG."))
    if len(content) > LOGO_MAX_BYTES:
        raise FieldError(field_name, _("Logo lebih dari %(mb)d MB. Perkecil gambarnya lalu unggah lagi.",
                                       mb=LOGO_MAX_BYTES // (1024 * 1024)))
    kind = filetype.guess(content)
    mime = kind.mime if kind is not None else None
    if mime not in LOGO_TYPES:
        raise FieldError(field_name, _("Logo harus berupa gambar PNG atau JPEG."))
    try:
        with Image.open(io.BytesIO(content)) as image:
            if image.format != LOGO_TYPES[mime]:
                raise FieldError(field_name, _("Logo harus berupa gambar PNG atau JPEG."))
            width, height = image.size
            if not (LOGO_MIN_SIDE <= width <= LOGO_MAX_SIDE and LOGO_MIN_SIDE <= height <= LOGO_MAX_SIDE):
                raise FieldError(field_name, _(
                    "Ukuran logo harus antara %(min)d dan %(max)d piksel di setiap sisi (logo ini %(w)d × %(h)d).",
                    min=LOGO_MIN_SIDE, max=LOGO_MAX_SIDE, w=width, h=height))
            image.load()  # decode it all: a truncated or damaged file is refused here
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError, UnidentifiedImageError) as error:
        raise FieldError(field_name, _("Gambar logo rusak atau tidak dapat dibaca. Simpan ulang sebagai PNG "
                                       "atau JPEG lalu unggah lagi.")) from error
    return LogoUpload(content=content, mime=mime, width=width, height=height)


# --- number patterns --------------------------------------------------------------------------

def _render(pattern: str, seq: int, on: date) -> str:
    from ..requests.numbering import format_number

    return format_number(pattern, seq=seq, on=on)


def _samples(pattern: str, year: int) -> dict[str, set[int]]:
    """Each number the pattern gives for the sample sequences in every month of ``year``,
    with the sequences that gave it (more than one: two registrations could share a number)."""
    rendered: dict[str, set[int]] = {}
    for seq in _SAMPLE_SEQS:
        for month in range(1, 13):
            rendered.setdefault(_render(pattern, seq, date(year, month, 1)), set()).add(seq)
    return rendered


def pattern_problem(pattern: str) -> str | None:
    """Why a number pattern cannot be used, or None. A pattern may use only the known
    placeholders and must contain a sequence and the year, so that numbers are unique per year."""
    if not pattern:
        return _("Tulis pola nomor.")
    if len(pattern) > PATTERN_MAX:
        return _("Pola nomor paling banyak %(max)d karakter.", max=PATTERN_MAX)
    try:
        parsed = list(string.Formatter().parse(pattern))
    except ValueError:
        return _("Tanda kurung kurawal { } tidak berpasangan. Tulis penanda seperti {seq4} atau {year}.")
    names = set()
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if name not in PLACEHOLDERS or spec or conversion:
            return _("Penanda {%(name)s} tidak dikenal. Gunakan {seq}, {seq4}, {month}, {month_roman} "
                     "dan {year}.", name=name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else ""))
        names.add(name)
    if not names & {"seq", "seq4"}:
        return _("Pola harus memuat nomor urut {seq} atau {seq4}, agar setiap nomor berbeda.")
    if "year" not in names:
        return _("Pola harus memuat tahun {year}, karena nomor urut dimulai lagi dari 1 setiap tahun.")
    year = 2026
    samples = _samples(pattern, year)
    if any(len(seqs) > 1 for seqs in samples.values()):
        return _("Pola ini dapat memberi nomor yang sama untuk dua pendaftaran dalam satu tahun.")
    if max(len(number) for number in samples) > PATTERN_MAX:
        return _("Nomor dari pola ini bisa lebih dari %(max)d karakter.", max=PATTERN_MAX)
    return None


def patterns_problems(patterns: dict[str, str], field_of) -> dict[str, str]:
    """Each pattern on its own, then no two kinds of number that could ever be the same."""
    problems = {}
    for kind in PATTERN_KINDS:
        problem = pattern_problem(patterns.get(kind, ""))
        if problem:
            problems[field_of(kind)] = problem
    valid = [kind for kind in PATTERN_KINDS if field_of(kind) not in problems]
    seen: dict[str, set[str]] = {}
    for kind in valid:
        numbers = set(_samples(patterns[kind], 2026))
        for other, other_numbers in seen.items():
            if numbers & other_numbers:
                problems[field_of(kind)] = _("Pola ini dapat memberi nomor yang sama dengan pola %(other)s. "
                                             "Beri kode pembeda, misalnya KEB atau PT.",
                                             other=str(PATTERN_LABELS[other]).lower())
                break
        else:
            seen[kind] = numbers
    return problems


def next_number(kind: str, pattern: str) -> str:
    """The number the next registration of ``kind`` would get today with ``pattern``."""
    from ..requests.models import RegistrationCounter
    from ..workcalendar.selectors import body_today

    today = body_today()
    counter = db.session.get(RegistrationCounter, (PATTERN_SERIES[kind], today.year))
    return _render(pattern, (counter.last_value if counter else 0) + 1, today)


def _lazy_pattern_labels() -> dict[str, Any]:
    from flask_babel import lazy_gettext as _l

    return {"request": _l("Nomor pendaftaran permohonan"), "notice": _l("Nomor pemberitahuan tertulis"),
            "objection": _l("Nomor keberatan"), "objection_response": _l("Nomor tanggapan atas keberatan"),
            "incomplete": _l("Nomor surat permohonan belum lengkap"),
            "not_completed": _l("Nomor surat penutupan permohonan tidak dilengkapi"),
            "extension": _l("Nomor surat perpanjangan jangka waktu"),
            "withdrawal": _l("Nomor surat konfirmasi pencabutan permohonan"),
            "exemption": _l("Nomor penetapan informasi yang dikecualikan")}


PATTERN_LABELS = _lazy_pattern_labels()


# --- service hours ----------------------------------------------------------------------------

def parse_clock(text: str) -> time | None:
    match = _CLOCK.match((text or "").strip())
    return time(int(match.group(1)), int(match.group(2))) if match else None


def day_field(weekday: int, part: str) -> str:
    return f"day{weekday}_{part}"


def hours_from_drafts(days: tuple[DayDraft, ...]) -> tuple[list[tuple[int, time, time, time | None, time | None]],
                                                           dict[str, str]]:
    """The open days parsed, and the problems by form field."""
    hours, problems = [], {}
    for day in days:
        if not day.open:
            continue
        parsed = {}
        for part in ("opens", "closes", "break_starts", "break_ends"):
            text = getattr(day, part).strip()
            parsed[part] = parse_clock(text) if text else None
            if text and parsed[part] is None:
                problems[day_field(day.weekday, part)] = _("Tulis jam seperti 08.00 atau 16.30.")
        for part, message in (("opens", _("Tulis jam buka.")), ("closes", _("Tulis jam tutup."))):
            if not getattr(day, part).strip():
                problems[day_field(day.weekday, part)] = message
        if any(day_field(day.weekday, p) in problems for p in parsed):
            continue
        opens, closes = parsed["opens"], parsed["closes"]
        starts, ends = parsed["break_starts"], parsed["break_ends"]
        if closes <= opens:
            problems[day_field(day.weekday, "closes")] = _("Jam tutup harus sesudah jam buka.")
            continue
        if (starts is None) != (ends is None):
            missing = "break_ends" if ends is None else "break_starts"
            problems[day_field(day.weekday, missing)] = _("Tulis awal dan akhir istirahat, atau kosongkan keduanya.")
            continue
        if starts is not None and not (opens < starts < ends < closes):
            problems[day_field(day.weekday, "break_starts")] = _(
                "Istirahat harus di antara jam buka dan jam tutup, dan berakhir sesudah dimulai.")
            continue
        hours.append((day.weekday, opens, closes, starts, ends))
    if not problems and not hours:
        problems[day_field(0, "open")] = _("Pilih paling sedikit satu hari layanan.")
    return hours, problems


# --- the whole profile ------------------------------------------------------------------------

def _pattern_field(kind: str) -> str:
    return f"{kind}_number_pattern"


def normalise_nip(value: str) -> str:
    return re.sub(r"[\s.\-]", "", value or "")


def profile_problems(draft: ProfileDraft) -> dict[str, str]:
    """Every problem of a draft, by form field."""
    problems: dict[str, str] = {}
    if not draft.name:
        problems["name"] = _("Tulis nama badan publik.")
    if not draft.address:
        problems["address"] = _("Tulis alamat badan publik.")
    for name, limit in LENGTHS.items():
        if name not in problems and len(getattr(draft, name)) > limit:
            problems[name] = _("Paling banyak %(max)d karakter.", max=limit)
    if draft.phone and "phone" not in problems and not PHONE_RE.match(draft.phone):
        problems["phone"] = _("Nomor telepon hanya berisi angka, spasi dan tanda hubung, boleh diawali +, "
                              "contoh (022) 420 0100.")
    if draft.email and "email" not in problems:
        try:
            validate_email(draft.email, check_deliverability=False)
        except EmailNotValidError:
            problems["email"] = _("Alamat e-mail tidak valid, contoh: ppid@contoh.go.id")
    if draft.website and "website" not in problems:
        parts = urlsplit(draft.website)
        if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in draft.website):
            problems["website"] = _("Tulis alamat situs lengkap yang diawali https://, contoh https://ppid.contoh.go.id")
    if draft.unit_label not in {label.value for label in UnitLabel}:
        problems["unit_label"] = _("Pilih salah satu pilihan yang tersedia.")
    for prefix in ("utama", "atasan"):
        nip = normalise_nip(getattr(draft, f"{prefix}_nip"))
        if nip and (not nip.isdigit() or len(nip) != NIP_DIGITS):
            problems[f"{prefix}_nip"] = _("NIP terdiri dari %(n)d angka, contoh 19700101 199003 1 001. "
                                          "Kosongkan jika pejabat tidak memiliki NIP.", n=NIP_DIGITS)
        if nip and not getattr(draft, f"{prefix}_name"):
            problems[f"{prefix}_name"] = _("Tulis nama pejabat pemilik NIP ini.")
    problems.update(patterns_problems(draft.patterns, _pattern_field))
    problems.update(hours_from_drafts(draft.days)[1])
    return problems


def _audit_values(row: BodyProfile) -> dict[str, Any]:
    """What the log records of a profile: every field, the logo by its digest, hours as text."""
    values = {name: getattr(row, name) for name in (
        "name", "short_name", "address", "phone", "email", "website", "timezone", "unit_label",
        "utama_name", "utama_position", "utama_nip", "atasan_name", "atasan_position", "atasan_nip")}
    values.update({_pattern_field(kind): getattr(row, _pattern_field(kind)) for kind in PATTERN_KINDS})
    values["logo_sha256"] = row.logo_sha256
    values["service_hours"] = [_hours_value(h.weekday, h.opens, h.closes, h.break_starts, h.break_ends)
                               for h in sorted(row.hours, key=lambda h: h.weekday)]
    return values


def _hours_value(weekday: int, opens: time, closes: time, starts: time | None, ends: time | None) -> str:
    text = f"{weekday} {opens:%H:%M}-{closes:%H:%M}"
    return text + (f" {starts:%H:%M}-{ends:%H:%M}" if starts and ends else "")


def _apply(row: BodyProfile, draft: ProfileDraft, hours) -> None:
    for name in ("name", "short_name", "address", "phone", "email", "website", "unit_label",
                 "utama_name", "utama_position", "atasan_name", "atasan_position"):
        setattr(row, name, getattr(draft, name))
    row.utama_nip = normalise_nip(draft.utama_nip)
    row.atasan_nip = normalise_nip(draft.atasan_nip)
    for kind in PATTERN_KINDS:
        setattr(row, _pattern_field(kind), draft.patterns[kind])
    wanted = {weekday: (opens, closes, starts, ends) for weekday, opens, closes, starts, ends in hours}
    for existing in list(row.hours):
        if existing.weekday not in wanted:
            row.hours.remove(existing)
    current = {h.weekday: h for h in row.hours}
    for weekday, (opens, closes, starts, ends) in sorted(wanted.items()):
        day = current.get(weekday)
        if day is None:
            day = ServiceHours(weekday=weekday)
            row.hours.append(day)
        day.opens, day.closes, day.break_starts, day.break_ends = opens, closes, starts, ends
    if draft.logo is not None:
        _set_logo(row, draft.logo)
    elif draft.remove_logo:
        row.logo = row.logo_type = row.logo_sha256 = row.logo_width = row.logo_height = None


def _set_logo(row: BodyProfile, logo: LogoUpload) -> None:
    row.logo, row.logo_type, row.logo_sha256 = logo.content, logo.mime, logo.sha256
    row.logo_width, row.logo_height = logo.width, logo.height


def _new_row(*, name: str, address: str, timezone: str) -> BodyProfile:
    config_patterns = configured_patterns()
    row = BodyProfile(id=PROFILE_ID, name=name, address=address, timezone=timezone,
                      unit_label=UnitLabel.PEMBANTU.value, short_name="", phone="", email="", website="",
                      utama_name="", utama_position="", utama_nip="", atasan_name="", atasan_position="",
                      atasan_nip="", updated_at=utcnow(), hours=[],
                      **{_pattern_field(kind): config_patterns[kind] for kind in PATTERN_KINDS})
    return row


def body_profile_save(*, actor: User, draft: ProfileDraft, expected_version: int | None) -> list[str]:
    """Save the administrator's draft; returns the names of the fields that changed (none: no
    event). The first save of an older database creates the row from the configuration."""
    problems = profile_problems(draft)
    if problems:
        raise ValidationFailed(problems)
    row = body_profile_row()
    if row is None:
        defaults = body_profile()
        row = _new_row(name=defaults.name, address=defaults.address, timezone=defaults.timezone)
        before = None
        db.session.add(row)
    else:
        if expected_version is not None and row.version != expected_version:
            raise StaleProfile(_("Profil baru saja diubah oleh administrator lain. Periksa isian terbaru; "
                                 "perubahan Anda belum disimpan."))
        before = _audit_values(row)
    hours, _problems = hours_from_drafts(draft.days)
    _apply(row, draft, hours)
    after = _audit_values(row)
    changed = sorted(k for k in after if before is None or before[k] != after[k])
    if not changed:
        return []
    row.updated_at = utcnow()
    db.session.flush()
    data = ({"after": after} if before is None else
            {"changed": changed, "before": {k: before[k] for k in changed}, "after": {k: after[k] for k in changed}})
    event_log(actor=actor, subject_type=SUBJECT, subject_id=PROFILE_ID,
              kind="body_profile_created" if before is None else "body_profile_updated", data=data)
    body_profile_forget()
    return changed


def body_profile_create(*, actor: User | None, actor_label: str | None = None, name: str, address: str = "",
                        timezone: str, hours: tuple[tuple[int, time, time, time | None, time | None], ...] = (),
                        logo: LogoUpload | None = None, **fields: str) -> BodyProfile:
    """Create the profile row (installation, the demo); flush, never commit."""
    row = _new_row(name=name, address=address, timezone=timezone)
    for key, value in fields.items():
        if not hasattr(BodyProfile, key):
            raise TypeError(f"unknown profile field {key}")
        setattr(row, key, value)
    row.hours = [ServiceHours(weekday=w, opens=o, closes=c, break_starts=s, break_ends=e)
                 for w, o, c, s, e in hours]
    if logo is not None:
        _set_logo(row, logo)
    db.session.add(row)
    db.session.flush()
    event_log(actor=actor, actor_label=actor_label, subject_type=SUBJECT, subject_id=PROFILE_ID,
              kind="body_profile_created", data={"after": _audit_values(row)})
    body_profile_forget()
    return row


DEFAULT_HOURS = tuple((weekday, time(8), time(16), None, None) for weekday in range(5))  # Senin–Jumat 08.00–16.00


def check_timezone(name: str) -> str | None:
    """Why ``name`` is not a usable time zone, or None."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        return _("Zona waktu %(name)s tidak dikenal; contoh: Asia/Jakarta, Asia/Makassar, Asia/Jayapura.",
                 name=name)
    return None

