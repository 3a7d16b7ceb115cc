"""Every date field is a native date input with a text fallback (issue 14 item 5): the templates
render ``type="date"`` (ISO value, a day-first placeholder only a text box shows), and the parsers
take both what the date input sends (2026-08-17) and a day typed in the fallback (17/08/2026)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from flask_wtf import FlaskForm
from wtforms import StringField

from ppid_desk.notices.forms import day_validator
from ppid_desk.routing.forms import LocalDateField
from ppid_desk.web.formatting import date_input_value
from tests.helpers import ROOT

# Field names that hold a day (not a time, not a number).
DATE_FIELD = re.compile(r"\.(\w*_date|\w*_on|day|\w*_due|provide_by|release_by|effective_from|dari|sampai)\b")


def macro_calls(source: str):
    """``input(...)`` / ``date_input(...)`` calls in a template, with balanced parentheses."""
    for match in re.finditer(r"\b(date_input|input)\(", source):
        depth, i = 1, match.end()
        while depth and i < len(source):
            depth += {"(": 1, ")": -1}.get(source[i], 0)
            i += 1
        yield match.group(1), source[match.end():i - 1]


def test_every_date_field_in_the_templates_is_a_date_input():
    offenders = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        for macro, args in macro_calls(path.read_text()):
            field = args.split(",", 1)[0]
            if not DATE_FIELD.search(field):
                continue
            if macro == "input" and 'type="date"' not in args:
                offenders.append(f"{path.relative_to(ROOT)}: {field}")
    assert offenders == []
    # The hints no longer give a typed example that a date picker makes meaningless.
    hints = "".join(Path(p).read_text() for p in (ROOT / "templates").rglob("*.html"))
    assert "Contoh 30/04/2026" not in hints and "contoh 30/04/2026" not in hints


@pytest.mark.parametrize(("given", "shown"), [
    (None, ""), ("", ""), (date(2026, 8, 17), "2026-08-17"), ("2026-08-17", "2026-08-17"),
    ("17/08/2026", "2026-08-17"), ("7-8-2026", "2026-08-07"), ("17.08.2026", "2026-08-17"),
    ("31/02/2026", "31/02/2026"),  # not a day: kept as typed, next to its error
    ("besok", "besok"),
])
def test_the_value_a_date_input_is_given(given, shown):
    assert date_input_value(given) == shown


class _DayForm(FlaskForm):
    class Meta:
        csrf = False

    day = StringField("Tanggal", validators=[day_validator("Isi tanggalnya.")])
    due = LocalDateField("Batas")


@pytest.mark.parametrize(("typed", "day"), [
    ("2026-04-30", date(2026, 4, 30)),  # what the date input sends
    ("30/04/2026", date(2026, 4, 30)),  # typed where there is no picker
    ("30-04-2026", date(2026, 4, 30)),
    (" 3/5/2026 ", date(2026, 5, 3)),
])
def test_both_forms_of_a_day_are_accepted(app, typed, day):
    with app.test_request_context("/", method="POST", data={"day": typed.strip(), "due": typed}):
        form = _DayForm()
        assert form.validate(), form.errors
        assert form.day.day == day and form.due.data == day
        # shown again as ISO, which a date input can show (another field's error keeps the day)
        assert form.day.data == day.isoformat()


def test_a_wrong_day_is_explained_never_a_500(app):
    with app.test_request_context("/", method="POST", data={"day": "31/02/2026", "due": "32/01/2026"}):
        form = _DayForm()
        assert not form.validate()
        assert form.day.errors and form.due.errors
        assert form.day.data == "31/02/2026"  # what was typed stays


def test_the_holiday_form_renders_a_date_input_and_takes_a_typed_day(officer_client):
    from sqlalchemy import select

    from ppid_desk.extensions import db
    from ppid_desk.workcalendar.models import Holiday

    admin = officer_client("admin")
    page = admin.get("/meja/kalender?tahun=2027").get_data(as_text=True)
    assert re.search(r'<input[^>]*name="day"[^>]*type="date"[^>]*placeholder="hh/bb/tttt"', page)
    english = admin.get("/meja/kalender?tahun=2027&lang=en").get_data(as_text=True)
    assert 'placeholder="dd/mm/yyyy"' in english
    for typed, day in (("14/07/2027", date(2027, 7, 14)), ("2027-07-15", date(2027, 7, 15))):
        response = admin.post("/meja/kalender/libur?tahun=2027",
                              data={"day": typed, "kind": "local_closure", "name": "Hari Jadi Kota Contoh"})
        assert response.status_code == 303, response.get_data(as_text=True)[:300]
        assert db.session.scalar(select(Holiday).where(Holiday.day == day)) is not None
