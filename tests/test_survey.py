"""Issue 16 item 8: the satisfaction survey (survei kepuasan masyarakat) and its index (IKM).

The index is checked against hand-computed values (PermenPANRB 14/2017: the mean of the nine
element means × 25, bands A 88,31–100, B 76,61–88,30, C 65,00–76,60, D 25,00–64,99), the survey
through the applicant's pages: offered only once the service ended, one response per request,
anonymous to the desk (nothing in its tables leads back to the request), answered only by the
request's applicant, and a bad answer refused next to its field with nothing saved.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, inspect, select

from ppid_desk.extensions import db
from ppid_desk.survey.ikm import ELEMENT_KEYS, band_of, index_of
from ppid_desk.survey.models import SurveyResponse, SurveyTicket
from tests.factories import grant
from tests.helpers import errors_of, guest_client

DAY = datetime(2026, 7, 6, 3, 0, tzinfo=UTC)  # Monday 6 July 2026, 10.00 WIB
DELIVERED = datetime(2026, 7, 10, 3, 0, tzinfo=UTC)

# Five responses (rows) on the nine elements (columns), and their hand-computed index:
# element sums 18 17 14 19 17 16 19 13 15 → means 3,6 3,4 2,8 3,8 3,4 3,2 3,8 2,6 3,0;
# their mean 29,6 / 9 = 3,28888… → × 25 = 82,2222… → 82,22, band B (Baik).
FIXTURE = [
    (4, 4, 3, 3, 4, 3, 4, 2, 3),
    (3, 3, 3, 4, 3, 3, 4, 3, 3),
    (4, 3, 2, 4, 3, 4, 4, 3, 4),
    (3, 4, 3, 4, 4, 3, 3, 2, 3),
    (4, 3, 3, 4, 3, 3, 4, 3, 2),
]
FIXTURE_MEANS = ("3.6", "3.4", "2.8", "3.8", "3.4", "3.2", "3.8", "2.6", "3.0")


def as_answers(row) -> dict[str, int]:
    return dict(zip(ELEMENT_KEYS, row, strict=True))


def form_of(row, suggestion: str = "") -> dict[str, str]:
    return {**{key: str(value) for key, value in as_answers(row).items()}, "suggestion": suggestion}


def response_count() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(SurveyResponse))


def ticket_count() -> int:
    return db.session.scalar(select(func.count()).select_from(SurveyTicket))


# --- the index, by hand -------------------------------------------------------------------------

def test_index_of_the_fixture_is_the_hand_computed_one():
    index = index_of(as_answers(row) for row in FIXTURE)
    assert index.respondents == 5
    assert [index.means[key] for key in ELEMENT_KEYS] == [Decimal(m) for m in FIXTURE_MEANS]
    assert index.ikm == Decimal("29.6") / 9
    assert index.converted == Decimal("82.22")
    assert index.band == "B"


@pytest.mark.parametrize(("rows", "converted", "band"), [
    ([(4,) * 9], "100.00", "A"),
    ([(1,) * 9], "25.00", "D"),
    # every element 3,3,3,2,2 → each mean 2,6 → IKM 2,6 → 65,00: the lowest value of C
    ([(3,) * 9, (3,) * 9, (3,) * 9, (2,) * 9, (2,) * 9], "65.00", "C"),
    # every element 3 → IKM 3,0 → 75,00: C
    ([(3,) * 9], "75.00", "C"),
    # one element 4, eight 3 → (8 × 3 + 4) / 9 = 3,111… → 77,78: B
    ([(4, 3, 3, 3, 3, 3, 3, 3, 3)], "77.78", "B"),
    # five 4, four 3 → 32 / 9 = 3,555… → 88,89: A
    ([(4, 4, 4, 4, 4, 3, 3, 3, 3)], "88.89", "A"),
    # four 4, five 3 → 31 / 9 = 3,444… → 86,11: B
    ([(4, 4, 4, 4, 3, 3, 3, 3, 3)], "86.11", "B"),
])
def test_index_of_small_sets(rows, converted, band):
    index = index_of(as_answers(row) for row in rows)
    assert (index.converted, index.band) == (Decimal(converted), band)


@pytest.mark.parametrize(("converted", "band"), [
    ("100", "A"), ("88.31", "A"), ("88.305", "A"),  # rounds half up to 88,31
    ("88.3049", "B"), ("88.30", "B"), ("76.61", "B"), ("76.605", "B"),
    ("76.6049", "C"), ("76.60", "C"), ("65.00", "C"), ("64.995", "C"),
    ("64.99", "D"), ("25.00", "D"),
])
def test_band_edges_of_the_conversion_table(converted, band):
    assert band_of(Decimal(converted)) == band


def test_no_responses_no_index():
    index = index_of([])
    assert (index.respondents, index.ikm, index.converted, index.band) == (0, None, None, None)


# --- a delivered request and its applicant ------------------------------------------------------

@pytest.fixture
def served(app, clock, make_user, make_unit, file_request):
    """A citizen's request routed to unit U1, answered by it, granted and delivered on 10 July."""
    from ppid_desk.notices.services import DeliveryDraft, delivery_record, notice_issue
    from ppid_desk.routing.services import request_route, task_answer

    clock.travel_to(DAY)
    unit = make_unit(code="U1", name="Unit Satu")
    officer = make_user(email="utama@pemda.example.id", roles=("ppid_utama",), name="Rina Utama")
    citizen = make_user(email="warga@example.id")
    item = file_request(owner=citizen, email="warga@example.id", received_at=DAY)
    [task] = request_route(actor=officer, item=item, unit_ids=[unit.id], instruction="Siapkan DPA.",
                           internal_due=date(2026, 7, 14), notify=False)
    task_answer(actor=officer, item=item, task=task, answer_text="Terlampir.")
    notice_issue(actor=officer, item=item, draft=grant(), notify=False)
    db.session.commit()
    clock.travel_to(DELIVERED)
    delivery_record(actor=officer, item=item, draft=DeliveryDraft(method="in_person"))
    db.session.commit()
    return {"item": item, "unit": unit, "officer": officer, "citizen": citizen}


def citizen_client(app, email="warga@example.id"):
    client = app.test_client()
    assert client.post("/masuk", data={"email": email, "password": "rahasia-panjang-1"}).status_code == 303
    return client


def test_survey_is_offered_after_delivery_and_answered_once(app, served):
    item = served["item"]
    client = citizen_client(app)
    page = client.get(f"/permohonan/{item.id}").get_data(as_text=True)
    assert 'id="survey-panel"' in page
    status = page[page.index('id="next-step"'):page.index("</div>", page.index('id="next-step"'))]
    assert f'href="/permohonan/{item.id}/survei"' in status  # beside the objection link in "what next"
    form = client.get(f"/permohonan/{item.id}/survei")
    assert form.status_code == 200 and 'id="survey-form"' in form.get_data(as_text=True)

    response = client.post(f"/permohonan/{item.id}/survei", data=form_of(FIXTURE[0], "Ruang tunggu kurang kursi."))
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/permohonan/{item.id}")
    assert response_count() == 1 and ticket_count() == 1
    stored = db.session.scalar(select(SurveyResponse))
    assert [getattr(stored, key) for key in ELEMENT_KEYS] == list(FIXTURE[0])
    assert (stored.unit_id, stored.year, stored.month) == (served["unit"].id, 2026, 7)  # the answering unit
    assert stored.suggestion == "Ruang tunggu kurang kursi."

    # A second attempt is refused politely and changes nothing.
    again = client.post(f"/permohonan/{item.id}/survei", data=form_of(FIXTURE[1]), follow_redirects=True)
    assert again.status_code == 200 and "sudah diisi" in again.get_data(as_text=True)
    assert response_count() == 1 and ticket_count() == 1
    assert 'id="survey-form"' not in client.get(f"/permohonan/{item.id}/survei").get_data(as_text=True)
    page = client.get(f"/permohonan/{item.id}").get_data(as_text=True)
    assert "Anda sudah mengisi survei kepuasan" in page and f"/permohonan/{item.id}/survei\"" not in page


def test_a_guest_answers_from_the_link_in_the_delivery_email(app, served):
    from ppid_desk.notifications.models import OutboxMessage

    item = served["item"]
    body = db.session.scalar(select(OutboxMessage.body).where(OutboxMessage.request_id == item.id)
                             .where(OutboxMessage.subject.contains("telah disampaikan")))
    link = f"/lacak/{item.tracking_token}/survei"
    assert link in body
    guest = app.test_client()
    opened = guest.get(link)
    assert opened.status_code == 303 and opened.headers["Location"].endswith(f"/permohonan/{item.id}/survei")
    assert guest.post(f"/permohonan/{item.id}/survei", data=form_of(FIXTURE[2])).status_code == 303
    assert response_count() == 1
    # A link that is not (or no longer) a request's opens nothing.
    stranger = app.test_client()
    assert stranger.get("/lacak/bukan-token/survei").status_code == 303
    assert stranger.get(f"/permohonan/{item.id}/survei").status_code == 404


def test_only_the_applicant_may_answer(app, served, make_user, officer_client):
    item = served["item"]
    make_user(email="lain@example.id", name="Warga Lain")
    other = citizen_client(app, "lain@example.id")
    petugas = officer_client("petugas")
    anonymous = app.test_client()
    for client, status in ((other, 404), (anonymous, 404), (petugas, 403)):
        assert client.get(f"/permohonan/{item.id}/survei").status_code == status
        assert client.post(f"/permohonan/{item.id}/survei", data=form_of(FIXTURE[0])).status_code == status
    # Staff read the applicant's page but are not offered the survey.
    assert 'id="survey-panel"' not in petugas.get(f"/permohonan/{item.id}").get_data(as_text=True)
    assert response_count() == 0 and ticket_count() == 0
    # The applicant as a guest with the tracking grant may.
    assert guest_client(app, item).post(f"/permohonan/{item.id}/survei", data=form_of(FIXTURE[0])).status_code == 303
    assert response_count() == 1


@pytest.mark.parametrize("broken", [{"u3_time": None}, {"u3_time": "5"}, {"u3_time": "0"}, {"u3_time": "x"},
                                    {"suggestion": "s" * 2001}])
def test_bad_input_is_refused_next_to_the_field_and_nothing_saved(app, served, broken):
    item = served["item"]
    client = citizen_client(app)
    data = {**form_of(FIXTURE[0], "Saran saya."), **broken}
    data = {key: value for key, value in data.items() if value is not None}
    response = client.post(f"/permohonan/{item.id}/survei", data=data)
    assert response.status_code == 422
    field = next(iter(broken))
    assert errors_of(response) == [field]
    html = response.get_data(as_text=True)
    assert 'class="error-summary"' in html and f'href="#{field}"' in html
    if field != "suggestion":  # what was typed is kept
        assert '>Saran saya.</textarea>' in html
        assert 'id="u1_requirements-3" name="u1_requirements" value="4" checked' in html
    assert response_count() == 0 and ticket_count() == 0


def test_offered_only_when_the_service_ended(app, clock, make_user, file_request):
    from ppid_desk.notices.services import NoticeDraft, notice_issue
    from ppid_desk.requests.withdrawal import request_withdraw

    clock.travel_to(DAY)
    officer = make_user(email="utama@pemda.example.id", roles=("ppid_utama",), name="Rina Utama")
    citizen = make_user(email="warga@example.id")
    open_item, granted, not_held, withdrawn = (file_request(owner=citizen, email="warga@example.id")
                                               for _ in range(4))
    notice_issue(actor=officer, item=granted, draft=grant(), notify=False)  # promised, not yet delivered
    notice_issue(actor=officer, item=not_held, draft=NoticeDraft(outcome="not_held", held=False,
                                                                 holder_unknown=True))
    request_withdraw(actor=citizen, item=withdrawn, reason="Tidak diperlukan lagi.", notify=False)
    db.session.commit()
    client = citizen_client(app)
    for item in (open_item, granted, withdrawn):
        page = client.get(f"/permohonan/{item.id}/survei").get_data(as_text=True)
        assert 'id="survey-not-yet"' in page and 'id="survey-form"' not in page
        assert client.post(f"/permohonan/{item.id}/survei", data=form_of(FIXTURE[0])).status_code == 303
        assert 'id="survey-panel"' not in client.get(f"/permohonan/{item.id}").get_data(as_text=True)
    assert response_count() == 0
    # "Not held" is a final notice: offered, and its e-mail carries the link.
    from ppid_desk.notifications.models import OutboxMessage

    bodies = db.session.scalars(select(OutboxMessage.body).where(OutboxMessage.request_id == not_held.id,
                                                                 OutboxMessage.body.is_not(None)))  # not the receipt: the sender renders it
    assert any(f"/lacak/{not_held.tracking_token}/survei" in body for body in bodies)
    assert client.post(f"/permohonan/{not_held.id}/survei", data=form_of(FIXTURE[0])).status_code == 303
    assert response_count() == 1
    stored = db.session.scalar(select(SurveyResponse))
    assert stored.unit_id is None  # no unit and no PPID Utama unit in this world


def test_the_stored_response_does_not_lead_back_to_the_request(app, served):
    from ppid_desk.audit.models import Event

    item = served["item"]
    client = citizen_client(app)
    events_before = db.session.scalar(select(func.max(Event.id)))
    assert client.post(f"/permohonan/{item.id}/survei", data=form_of(FIXTURE[0], "Baik.")).status_code == 303
    db.session.expire_all()
    # No event: the log (the request's timeline included) does not say when or whether it was answered.
    assert db.session.scalar(select(func.max(Event.id))) == events_before
    inspector = inspect(db.engine)
    for table in ("survey_response", "survey_ticket"):
        columns = {column["name"] for column in inspector.get_columns(table)}
        assert not {name for name in columns
                    if any(part in name for part in ("request", "applicant", "user", "_at", "date", "number",
                                                     "token", "email"))}
        targets = {fk["referred_table"] for fk in inspector.get_foreign_keys(table)}
        assert targets <= {"unit"}
    assert {c["name"] for c in inspector.get_columns("survey_ticket")} == {"digest"}
    # The ticket is a keyed digest: neither the request's id, number nor tracking token in any form.
    [ticket] = db.session.scalars(select(SurveyTicket.digest))
    import hashlib

    plain = {str(item.id), item.number, item.tracking_token}
    assert ticket not in plain | {hashlib.sha256(value.encode()).hexdigest() for value in plain}
    response = db.session.scalar(select(SurveyResponse))
    assert response.id not in plain and not response.id.isdigit()


# --- the index where it is shown ----------------------------------------------------------------

def store_responses(unit, rows, year=2026, month=7):
    """Responses as the survey stores them (the service needs a served request per response)."""
    import secrets

    for row in rows:
        db.session.add(SurveyResponse(id=secrets.token_hex(16), unit_id=unit.id if unit else None, year=year,
                                      month=month, suggestion=None, **as_answers(row)))
    db.session.commit()


def test_satisfaction_index_selector_per_unit_and_period(app, make_unit):
    from ppid_desk.survey.selectors import satisfaction_by_unit, satisfaction_index

    u1, u2 = make_unit("U1", "Unit Satu"), make_unit("U2", "Unit Dua")
    store_responses(u1, FIXTURE)
    store_responses(u2, [(4,) * 9] * 4)
    store_responses(u1, [(1,) * 9], month=10)  # another quarter
    q3 = (date(2026, 7, 1), date(2026, 9, 30))
    result = satisfaction_index([u1.id], q3)
    assert (result.respondents, result.converted, result.band, result.shown) == (5, Decimal("82.22"), "B", True)
    assert [result.means[key] for key in ELEMENT_KEYS] == [Decimal(m) for m in FIXTURE_MEANS]
    below = satisfaction_index([u2.id], start=q3[0], end=q3[1])
    assert (below.respondents, below.shown) == (4, False)  # below the minimum of 5
    # The whole body in Q3: 9 respondents; the sums 18+16, 17+16, … over 9.
    body = satisfaction_index(None, q3)
    assert body.respondents == 9
    # element sums 18+16 … 15+16: 292 in all → 292 / 9 / 9 = 3,6049… → × 25 = 90,12 (A)
    assert (body.converted, body.band) == (Decimal("90.12"), "A")
    year = satisfaction_index([u1.id], (date(2026, 1, 1), date(2026, 12, 31)))
    assert year.respondents == 6
    rows = {row.code: (row.index.respondents, row.index.shown) for row in satisfaction_by_unit(q3)}
    assert rows == {"U1": (5, True), "U2": (4, False)}
    app.config["SURVEY_MIN_RESPONDENTS"] = 4
    try:
        assert satisfaction_index([u2.id], q3).shown is True
    finally:
        app.config["SURVEY_MIN_RESPONDENTS"] = 5


def test_the_index_on_the_dashboard_the_annual_report_and_the_public_statistics(app, clock, make_unit,
                                                                                officer_client):
    from ppid_desk.monev.annual_selectors import annual_figures, year_metrics

    clock.travel_to(datetime(2026, 12, 1, 3, 0, tzinfo=UTC))
    u1, u2 = make_unit("U1", "Unit Satu"), make_unit("U2", "Unit Dua")
    store_responses(u1, FIXTURE)
    store_responses(u2, [(4,) * 9] * 2)

    dashboard = officer_client("pengawas").get("/meja/monev?periode=tahun&tahun=2026").get_data(as_text=True)
    section = dashboard[dashboard.index('id="satisfaction"'):]
    # 7 respondents: element sums 26 25 22 27 25 24 27 21 23 = 220 → 220 / 7 / 9 = 3,4920… → 87,30 (B)
    assert "<span data-ikm>87,30</span>" in section
    assert "Unit Satu" in section and "82,22" in section
    assert "tidak ditampilkan (responden kurang dari 5)" in section  # unit 2: 2 respondents

    rows = {row.label: row.value for table in annual_figures(year_metrics(2026)) for row in table.rows}
    assert rows["Jumlah responden"] == 7
    assert rows["Nilai IKM (konversi 25–100); mutu pelayanan B (Baik)"] == pytest.approx(87.30)
    assert rows["Unit Satu: nilai IKM (5 responden; mutu B (Baik))"] == pytest.approx(82.22)
    assert rows["Unit Dua: 2 responden (indeks tidak ditampilkan)"] is None

    public = app.test_client().get("/statistik").get_data(as_text=True)
    assert "<span data-ikm>87,30</span>" in public
    assert public.count("tidak ditampilkan (responden kurang dari 5)") == 1
    # Below the minimum for the whole body: the count only.
    db.session.execute(SurveyResponse.__table__.delete().where(SurveyResponse.unit_id == u1.id))
    db.session.commit()
    from ppid_desk.monev.public_cache import cache_clear

    cache_clear()
    public = app.test_client().get("/statistik").get_data(as_text=True)
    assert "data-ikm>" not in public and "data-ikm-hidden" in public
