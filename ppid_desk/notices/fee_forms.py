"""The fee part of the written-notice form (item g): a quantity for each tariff line in effect,
a few manual lines, and the reason for an amount outside the tariff.

The tariff lines are rows in the database, so the form class is built for the tariff of the
day (``notice_form_class``); each quantity is a plain field ``fee_qty_<tariff id>``, so that a
message sits next to its own input and in the error summary like every other field."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.validators import ValidationError

from ..organisation.tariff_models import TariffLine
from ..web.forms import max_length, parse_int, strip
from .fee_services import QTY_MAX, FeeLineDraft
from .forms import parse_rupiah

QTY_PREFIX = "fee_qty_"
MANUAL_LINES = 2


def qty_field(tariff_id: int) -> str:
    return f"{QTY_PREFIX}{tariff_id}"


def _quantity(form, field) -> None:
    field.number = None
    if not field.data:
        return
    number = parse_int(field.data, low=0, high=QTY_MAX)
    if number is None:
        raise ValidationError(_l("Tulis jumlah dengan angka bulat 0 sampai %(max)d, contoh 12.", max=QTY_MAX))
    field.number = number


def _price(form, field) -> None:
    field.amount = None
    if not field.data:
        return
    try:
        field.amount = parse_rupiah(field.data)
    except ValueError as error:
        raise ValidationError(str(error)) from error


def notice_form_class(base: type, tariff: Sequence[TariffLine]) -> type:
    """``base`` (the NoticeForm) with the fee fields for this tariff: created here, after the
    base's fields, so they come after them in the error summary."""
    fields: dict = {qty_field(line.id): StringField(line.name, filters=[strip], validators=[_quantity])
                    for line in tariff}
    for n in range(1, MANUAL_LINES + 1):
        fields[f"fee_manual{n}_description"] = StringField(_l("Uraian biaya di luar tarif %(n)d", n=n),
                                                           filters=[strip], validators=[max_length(200)])
        fields[f"fee_manual{n}_quantity"] = StringField(_l("Jumlah (baris %(n)d)", n=n), filters=[strip],
                                                        validators=[_quantity])
        fields[f"fee_manual{n}_price"] = StringField(_l("Harga satuan dalam rupiah (baris %(n)d)", n=n),
                                                     filters=[strip], validators=[_price])
    fields["fee_reason"] = TextAreaField(_l("Alasan biaya di luar tarif"), filters=[strip],
                                         validators=[max_length(2000)])
    form_class = type(base.__name__, (base,), fields)
    form_class.tariff = list(tariff)
    form_class.manual_lines = range(1, MANUAL_LINES + 1)
    return form_class


def fee_line_drafts(form) -> tuple[FeeLineDraft, ...]:
    """The lines the officer filled in: tariff lines with a quantity above zero, then each
    manual line with anything typed in it."""
    lines = []
    for line in form.tariff:
        field = getattr(form, qty_field(line.id))
        if field.errors or getattr(field, "number", None):
            lines.append(FeeLineDraft(tariff_line_id=line.id, quantity=getattr(field, "number", None),
                                      field=field.name))
    for n in form.manual_lines:
        description, quantity, price = (getattr(form, f"fee_manual{n}_{part}")
                                        for part in ("description", "quantity", "price"))
        if any(f.data for f in (description, quantity, price)):
            lines.append(FeeLineDraft(tariff_line_id=None, quantity=getattr(quantity, "number", None),
                                      description=description.data or "",
                                      unit_price=getattr(price, "amount", None), field=f"fee_manual{n}"))
    return tuple(lines)


def fee_total(form) -> int | None:
    """The total typed, or None when left empty (the sum of the lines)."""
    if not (form.fee_amount.data or "").strip():
        return None
    return getattr(form.fee_amount, "amount", None) or 0


def stale_quantities(form, formdata: Mapping) -> bool:
    """Whether quantities were posted for tariff lines no longer in effect (the tariff changed
    while the form was open): nothing may be dropped silently from a fee."""
    known = {qty_field(line.id) for line in form.tariff}
    return any(key.startswith(QTY_PREFIX) and key not in known and (formdata.get(key) or "").strip() not in ("", "0")
               for key in formdata)
