"""The applicant's reaction to the Atasan's response (issue 13, item 8): recorded by the desk from
the objection page through the objection funnel (before/after, the note sealed), read back as
committed, shown in the register keberatan; bad input leaves a message next to its field and
saves nothing; only PPID Utama and the Atasan record it, and only after the response.

Dates: the request is received Mon 2 March 2026, the objection filed Mon 9 March and answered
Fri 13 March 2026 (10.00 WIB); the reaction is recorded on Tue 31 March.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from ppid_desk.audit.models import Event
from ppid_desk.audit.personal import is_sealed, unseal
from ppid_desk.audit.selectors import events_for
from ppid_desk.extensions import db
from ppid_desk.objections.lifecycle import objection_replayed_columns
from tests.factories import make_objection
from tests.helpers import csv_rows, errors_of, fresh

RECEIVED = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)
RESPONDED = datetime(2026, 3, 13, 3, 0, tzinfo=UTC)
TODAY = datetime(2026, 3, 31, 3, 0, tzinfo=UTC)


@pytest.fixture
def answered(app, clock, file_request):
    clock.travel_to(RECEIVED)
    item = file_request(received_at=RECEIVED, name="Bayu Pratama", email="bayu@example.id")
    objection = make_objection(item, filed=date(2026, 3, 9), responded_at=RESPONDED)
    clock.travel_to(TODAY)
    return fresh(objection)


def url(objection) -> str:
    return f"/meja/keberatan/{objection.id}/tanggapan-pemohon"


def form(objection, **overrides) -> dict:
    data = {"version": str(objection.version), "reaction": "to_ki", "reaction_on": "27/03/2026",
            "reaction_note": "Pemohon menyampaikan lewat telepon bahwa ia mendaftarkan sengketa."}
    data.update(overrides)
    return data


def reaction_events(objection) -> list[Event]:
    return [e for e in events_for("objection", objection.id) if e.kind == "objection_reaction_recorded"]


def test_the_reaction_is_recorded_through_the_funnel_and_read_back(answered, officer_client, runner):
    client = officer_client("ppid_utama")
    page = client.get(f"/meja/keberatan/{answered.id}").get_data(as_text=True)
    assert 'id="tanggapan-pemohon"' in page and "Catat tanggapan pemohon" in page

    response = client.post(url(answered), data=form(answered))
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/meja/keberatan/{answered.id}#tanggapan-pemohon")
    stored = fresh(answered)
    assert (stored.reaction, stored.reaction_on) == ("to_ki", date(2026, 3, 27))
    assert stored.reaction_note.startswith("Pemohon menyampaikan lewat telepon")
    [event] = reaction_events(stored)
    assert event.data["before"] == {"reaction": None, "reaction_on": None}
    assert event.data["after"] == {"reaction": "to_ki", "reaction_on": "2026-03-27"}
    # The note is sealed with the applicant's key: not plain in the hash-chained log.
    assert is_sealed(event.data["note"]) and unseal(event.data["note"]) == stored.reaction_note
    assert objection_replayed_columns(stored)["reaction"] == "to_ki"

    # A correction is a second event whose "before" is the first reaction.
    response = client.post(url(stored), data=form(stored, reaction="accepted", reaction_on="30/03/2026",
                                                  reaction_note=""))
    assert response.status_code == 303
    stored = fresh(stored)
    assert (stored.reaction, stored.reaction_on, stored.reaction_note) == ("accepted", date(2026, 3, 30), None)
    assert reaction_events(stored)[-1].data["before"] == {"reaction": "to_ki", "reaction_on": "2026-03-27"}
    assert runner.invoke(args=["ppid", "rebuild-cache", "--check"]).exit_code == 0

    page = client.get(f"/meja/keberatan/{stored.id}").get_data(as_text=True)
    assert "Menerima tanggapan" in page and "Perbarui tanggapan pemohon" in page
    rows = csv_rows(officer_client("atasan").get("/meja/register/keberatan?format=csv"))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Tanggapan pemohon"] == "Menerima tanggapan (diketahui 2026-03-30)"


@pytest.mark.parametrize("overrides, field", [
    ({"reaction": "marah"}, "reaction"),
    ({"reaction": ""}, "reaction"),
    ({"reaction_on": ""}, "reaction_on"),
    ({"reaction_on": "31/02/2026"}, "reaction_on"),
    ({"reaction_on": "12/03/2026"}, "reaction_on"),  # before the response (13 March)
    ({"reaction_on": "01/04/2026"}, "reaction_on"),  # after today (31 March)
    ({"reaction_note": "x" * 501}, "reaction_note"),
])
def test_bad_input_is_shown_next_to_its_field_and_nothing_is_saved(answered, officer_client, overrides, field):
    client = officer_client("atasan")
    version = answered.version
    events_before = db.session.scalar(select(func.count()).select_from(Event))
    response = client.post(url(answered), data=form(answered, **overrides))
    assert response.status_code == 422 and errors_of(response) == [field]
    text = response.get_data(as_text=True)
    assert 'class="error-summary"' in text
    if "reaction_note" in overrides:  # what was typed is kept
        assert "x" * 501 in text
    stored = fresh(answered)
    assert (stored.reaction, stored.reaction_on, stored.reaction_note) == (None, None, None)
    assert stored.version == version
    assert db.session.scalar(select(func.count()).select_from(Event)) == events_before


def test_nothing_to_react_to_before_the_response(app, clock, file_request, officer_client):
    clock.travel_to(RECEIVED)
    item = file_request(received_at=RECEIVED)
    objection = make_objection(item, filed=date(2026, 3, 9))
    clock.travel_to(TODAY)
    client = officer_client("ppid_utama")
    assert 'id="tanggapan-pemohon"' not in client.get(f"/meja/keberatan/{objection.id}").get_data(as_text=True)
    response = client.post(url(objection), data=form(objection))
    assert response.status_code == 422
    assert "setelah Atasan PPID menanggapi" in response.get_data(as_text=True)
    assert fresh(objection).reaction is None and reaction_events(objection) == []


@pytest.mark.parametrize("role, status", [("petugas", 403), ("pengawas", 403)])
def test_only_ppid_utama_and_the_atasan_record_it(answered, officer_client, role, status):
    client = officer_client(role)
    assert client.post(url(answered), data=form(answered)).status_code == status
    assert fresh(answered).reaction is None
    if role == "pengawas":  # reads the objection page, without the form
        page = client.get(f"/meja/keberatan/{answered.id}").get_data(as_text=True)
        assert 'id="tanggapan-pemohon"' in page and "Catat tanggapan pemohon" not in page


def test_a_stale_form_is_refused_and_keeps_the_text(answered, officer_client):
    client = officer_client("atasan")
    seen = form(answered)  # two officers opened the page at the same version
    assert client.post(url(answered), data=seen).status_code == 303
    response = client.post(url(answered), data={**seen, "reaction": "accepted", "reaction_note": "Versi lama."})
    assert response.status_code == 409 and "Versi lama." in response.get_data(as_text=True)
    assert fresh(answered).reaction == "to_ki"
