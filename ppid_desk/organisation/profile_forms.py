"""The body profile form. It only parses what was typed; the service says what is wrong, field
by field (the same checks serve `flask ppid init`)."""

from __future__ import annotations

from datetime import time

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from ..web.forms import ChoiceRadioField, strip
from .profile_models import UnitLabel
from .profile_selectors import PATTERN_KINDS, WEEKDAY_NAMES, BodySnapshot, DayHours
from .profile_services import (
    DEFAULT_HOURS,
    PATTERN_LABELS,
    DayDraft,
    LogoUpload,
    ProfileDraft,
    day_field,
)

UNIT_LABEL_CHOICES = [
    SelectChoice(UnitLabel.PEMBANTU.value, _l("PPID Pembantu")),
    SelectChoice(UnitLabel.PELAKSANA.value, _l("PPID Pelaksana")),
]
DAY_PARTS = ("opens", "closes", "break_starts", "break_ends")


def _clock(value: time | None) -> str:
    return f"{value:%H.%M}" if value else ""


class BodyProfileForm(FlaskForm):
    name = StringField(_l("Nama badan publik"), filters=[strip])
    short_name = StringField(_l("Nama singkat (tidak wajib)"), filters=[strip])
    address = TextAreaField(_l("Alamat"), filters=[strip])
    phone = StringField(_l("Telepon (tidak wajib)"), filters=[strip])
    email = StringField(_l("E-mail (tidak wajib)"), filters=[strip])
    website = StringField(_l("Situs web (tidak wajib)"), filters=[strip])
    logo = FileField(_l("Logo baru (tidak wajib)"))
    remove_logo = BooleanField(_l("Hapus logo yang sekarang"))
    utama_name = StringField(_l("Nama PPID Utama"), filters=[strip])
    utama_position = StringField(_l("Jabatan PPID Utama"), filters=[strip])
    utama_nip = StringField(_l("NIP PPID Utama (tidak wajib)"), filters=[strip])
    atasan_name = StringField(_l("Nama Atasan PPID"), filters=[strip])
    atasan_position = StringField(_l("Jabatan Atasan PPID"), filters=[strip])
    atasan_nip = StringField(_l("NIP Atasan PPID (tidak wajib)"), filters=[strip])
    unit_label = ChoiceRadioField(_l("Sebutan PPID di unit"), choices=UNIT_LABEL_CHOICES)
    request_number_pattern = StringField(PATTERN_LABELS["request"], filters=[strip])
    notice_number_pattern = StringField(PATTERN_LABELS["notice"], filters=[strip])
    objection_number_pattern = StringField(PATTERN_LABELS["objection"], filters=[strip])
    objection_response_number_pattern = StringField(PATTERN_LABELS["objection_response"], filters=[strip])
    incomplete_number_pattern = StringField(PATTERN_LABELS["incomplete"], filters=[strip])
    not_completed_number_pattern = StringField(PATTERN_LABELS["not_completed"], filters=[strip])
    extension_number_pattern = StringField(PATTERN_LABELS["extension"], filters=[strip])
    withdrawal_number_pattern = StringField(PATTERN_LABELS["withdrawal"], filters=[strip])
    exemption_number_pattern = StringField(PATTERN_LABELS["exemption"], filters=[strip])
    version = HiddenField()

    def day(self, weekday: int, part: str):
        return self[day_field(weekday, part)]

    def days(self) -> list[tuple[int, str]]:
        return [(weekday, str(WEEKDAY_NAMES[weekday])) for weekday in range(7)]

    def patterns(self) -> dict[str, str]:
        return {kind: self[f"{kind}_number_pattern"].data or "" for kind in PATTERN_KINDS}

    def draft(self, logo: LogoUpload | None) -> ProfileDraft:
        text = {name: self[name].data or "" for name in (
            "name", "short_name", "address", "phone", "email", "website", "utama_name", "utama_position",
            "utama_nip", "atasan_name", "atasan_position", "atasan_nip")}
        days = tuple(DayDraft(weekday, bool(self.day(weekday, "open").data),
                              *(self.day(weekday, part).data or "" for part in DAY_PARTS))
                     for weekday in range(7))
        return ProfileDraft(**text, unit_label=self.unit_label.data or "", patterns=self.patterns(), days=days,
                            logo=logo, remove_logo=bool(self.remove_logo.data))

    def expected_version(self) -> int | None:
        try:
            return int(self.version.data)
        except (TypeError, ValueError):
            return None


for _weekday in range(7):
    setattr(BodyProfileForm, day_field(_weekday, "open"), BooleanField(_l("Buka")))
    setattr(BodyProfileForm, day_field(_weekday, "opens"), StringField(_l("Buka pukul"), filters=[strip]))
    setattr(BodyProfileForm, day_field(_weekday, "closes"), StringField(_l("Tutup pukul"), filters=[strip]))
    setattr(BodyProfileForm, day_field(_weekday, "break_starts"),
            StringField(_l("Istirahat mulai"), filters=[strip]))
    setattr(BodyProfileForm, day_field(_weekday, "break_ends"),
            StringField(_l("Istirahat selesai"), filters=[strip]))


def form_from_profile(profile: BodySnapshot) -> BodyProfileForm:
    """The form filled with what is saved (or the configuration defaults before the first save)."""
    data = {
        "name": profile.name, "short_name": profile.short_name, "address": profile.address,
        "phone": profile.phone, "email": profile.email, "website": profile.website,
        "utama_name": profile.utama.name, "utama_position": profile.utama.position,
        "utama_nip": profile.utama.nip_text, "atasan_name": profile.atasan.name,
        "atasan_position": profile.atasan.position, "atasan_nip": profile.atasan.nip_text,
        "unit_label": profile.unit_label, "version": str(profile.version) if profile.stored else "",
    }
    data.update({f"{kind}_number_pattern": profile.patterns[kind] for kind in PATTERN_KINDS})
    hours = profile.hours or (() if profile.stored else tuple(DayHours(*day) for day in DEFAULT_HOURS))
    for day in hours:
        data[day_field(day.weekday, "open")] = True
        for part in DAY_PARTS:
            data[day_field(day.weekday, part)] = _clock(getattr(day, part))
    return BodyProfileForm(formdata=None, data=data)
