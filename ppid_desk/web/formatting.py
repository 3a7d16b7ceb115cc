"""Template helpers: dates in the body's time zone, numbers and Rupiah in the visitor's language.

Every helper takes an optional ``locale`` (default: the locale of the current request, or the
default locale outside one) and uses Babel's CLDR data, so Bahasa Indonesia writes
``23 November 2026`` / ``1.234,5`` / ``Rp15.000`` and English ``23 November 2026`` /
``1,234.5`` / ``IDR 15,000``. Rupiah are shown without decimals (no sen in practice).

English dates are written day-month-year (``3 December 2026``, CLDR's ``en_GB``), the order
Indonesian readers and the body's letters use, rather than the American ``December 3, 2026``.
"""

from __future__ import annotations

import os
import re
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel import Locale, dates, numbers
from flask import Flask
from flask_babel import get_locale

from .language import active_locale

Number = int | float | Decimal


def local(value: datetime) -> datetime:
    from ..organisation.profile_selectors import body_timezone

    return value.astimezone(ZoneInfo(body_timezone()))


def _day(value: date | datetime) -> date:
    return local(value).date() if isinstance(value, datetime) else value


def _date_locale(loc: Locale) -> Locale:
    """The locale whose date patterns to use: plain English writes dates day first (en_GB)."""
    if loc.language == "en" and loc.territory is None:
        return Locale.parse("en_GB")
    return loc


def long_date(value: date | datetime, locale: str | Locale | None = None) -> str:
    """The one way a date is written in text, pages, letters, registers and e-mails (issue 14 item
    5): ``23 November 2026`` / ``23 November 2026`` (CLDR's long pattern, English day first). ISO
    dates are for machine exports only."""
    return dates.format_date(_day(value), format="long", locale=_date_locale(active_locale(locale)))


def weekday_date(value: date | datetime, locale: str | Locale | None = None) -> str:
    """``Sabtu, 2 Mei 2026`` / ``Saturday, 2 May 2026``: only where the weekday is the point, the
    day-by-day count of a deadline (a Saturday is skipped because it is a Saturday)."""
    day, loc = _day(value), _date_locale(active_locale(locale))
    return f"{dates.format_date(day, 'EEEE', locale=loc)}, {long_date(day, loc)}"


def month_year(value: date | datetime, locale: str | Locale | None = None) -> str:
    """``November 2026`` in both; other languages per CLDR (``yMMMM`` skeleton)."""
    loc = _date_locale(active_locale(locale))
    return dates.format_skeleton("yMMMM", _day(value), locale=loc)


def local_datetime(value: datetime, locale: str | Locale | None = None) -> str:
    """``23 November 2026 11.49 WIB`` / ``23 November 2026 11:49 WIB``: always the body's zone."""
    loc = _date_locale(active_locale(locale))
    moment = local(value)
    clock = dates.format_time(moment.time().replace(tzinfo=None), format="short", locale=loc)
    return f"{dates.format_date(moment.date(), format='long', locale=loc)} {clock} {moment.tzname()}"


def number(value: Number, locale: str | Locale | None = None) -> str:
    """A whole or decimal number with the locale's separators: ``1.234,5`` / ``1,234.5``."""
    return numbers.format_decimal(value, locale=active_locale(locale))


def decimal(value: Number, digits: int = 1, locale: str | Locale | None = None) -> str:
    """At most ``digits`` decimals, none when whole: ``4,5`` / ``4.5``."""
    return numbers.format_decimal(value, format="#,##0." + "#" * digits, locale=active_locale(locale))


def percent(share: Number, digits: int = 1, locale: str | Locale | None = None) -> str:
    """A share (0.875) as a percentage: ``87,5%`` / ``87.5%``."""
    pattern = "#,##0%" if digits == 0 else "#,##0." + "0" * digits + "%"
    return numbers.format_percent(share, format=pattern, locale=active_locale(locale))


@lru_cache(maxsize=16)
def _rupiah_pattern(locale_name: str) -> numbers.NumberPattern:
    """The locale's standard currency pattern with its fraction digits removed."""
    pattern = numbers.parse_pattern(Locale.parse(locale_name).currency_formats["standard"])
    pattern.frac_prec = (0, 0)
    return pattern


def rupiah(amount: Number | None, locale: str | Locale | None = None) -> str:
    """An amount in rupiah, no decimals: ``Rp15.000`` / ``IDR 15,000`` (CLDR symbol and layout).

    Where the locale writes the ISO code (English), a space follows it, as style guides and
    Bank Indonesia's English texts do: ``IDR 15,000``, never ``IDR15,000``."""
    loc = active_locale(locale)
    text = _rupiah_pattern(str(loc)).apply(
        Decimal(amount or 0), loc, currency="IDR", currency_digits=False,
    ).replace("\xa0", " ")
    if text.startswith("IDR") and not text.startswith("IDR "):
        text = "IDR " + text[3:]
    elif text.startswith("-IDR") and not text.startswith("-IDR "):
        text = "-IDR " + text[4:]
    return text


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_TYPED_DAY = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")


def date_input_value(value: object) -> str:
    """What an ``<input type="date">`` is given: ISO (``2026-04-30``), the only value a native date
    input shows. A date, or a day typed as ``30/04/2026`` in the text fallback, becomes ISO; any
    other text is returned as typed (a text fallback shows it again next to its error)."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        return local(value).date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    match = _TYPED_DAY.fullmatch(text)
    if match and not _ISO_DAY.fullmatch(text):
        try:
            return date(int(match[3]), int(match[2]), int(match[1])).isoformat()
        except ValueError:
            return text
    return text


def init_app(app: Flask) -> None:
    from ..audit.personal import actor_shown
    from ..requests import labels
    from . import language

    app.jinja_env.filters.update(
        long_date=long_date, weekday_date=weekday_date,
        month_year=month_year,
        local_datetime=local_datetime, number=number, decimal=decimal, percent=percent, rupiah=rupiah,
        actor_shown=actor_shown, date_input_value=date_input_value,
    )
    app.jinja_env.globals.update(
        current_locale=lambda: str(get_locale()), labels=labels, label=labels.label, long_date=long_date,
        language_switch=language.switch_links,
    )

    language.init_app(app)

    # Fetched at set-up (scripts/fetch_htmx.py); pages still work without it.
    htmx_available = os.path.exists(os.path.join(app.static_folder, "vendor", "htmx.min.js"))
    app.jinja_env.globals["htmx_available"] = htmx_available
