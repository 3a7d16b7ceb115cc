"""The administrator's form for one tariff line. The form reads the numbers and dates; the
service (``tariff_services.tariff_problems``) decides what is missing or contradictory."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from ..notices.forms import day_validator, parse_rupiah
from ..web.forms import ChoiceRadioField, max_length, parse_int, strip
from .tariff_labels import KIND_LABELS
from .tariff_models import TariffKind, TariffLine
from .tariff_services import DECREE_MAX, NAME_MAX, PRICE_MAX, TariffDraft

KIND_CHOICES = [SelectChoice(kind.value, KIND_LABELS[kind]) for kind in TariffKind]


def _price(form, field) -> None:
    field.amount = None
    if not field.data:
        return
    try:
        amount = parse_rupiah(field.data)
    except ValueError as error:
        raise ValidationError(str(error)) from error
    if amount > PRICE_MAX:
        raise ValidationError(_l("Harga paling sedikit Rp1 dan paling banyak Rp100.000.000."))
    field.amount = amount


_day = day_validator()

class TariffLineForm(FlaskForm):
    version = HiddenField()
    kind = ChoiceRadioField(_l("Jenis tarif"), choices=KIND_CHOICES)
    name = StringField(_l("Nama"), filters=[strip], validators=[max_length(NAME_MAX)])
    price = StringField(_l("Harga satuan (rupiah)"), filters=[strip], validators=[_price])
    decree_number = StringField(_l("Nomor SK yang menetapkan tarif"), filters=[strip],
                                validators=[max_length(DECREE_MAX)])
    decree_date = StringField(_l("Tanggal SK"), filters=[strip], validators=[_day])
    effective_from = StringField(_l("Berlaku mulai"), filters=[strip], validators=[_day])

    def draft(self) -> TariffDraft:
        return TariffDraft(kind=self.kind.data or "", name=self.name.data or "",
                           price=getattr(self.price, "amount", None), decree_number=self.decree_number.data or "",
                           decree_date=getattr(self.decree_date, "day", None),
                           effective_from=getattr(self.effective_from, "day", None))

    def expected_version(self) -> int | None:
        return parse_int(self.version.data, low=0)


def form_from_line(line: TariffLine) -> TariffLineForm:
    return TariffLineForm(formdata=None, version=str(line.version), kind=line.kind, name=line.name,
                          price=str(line.price), decree_number=line.decree_number,
                          decree_date=line.decree_date.isoformat(), effective_from=line.effective_from.isoformat())
