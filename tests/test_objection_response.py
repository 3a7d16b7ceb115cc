"""The Atasan PPID's side of an objection (issue 4, items 4–5): the queue, the objection page,
PPID Utama's account, the written response (uphold / overturn / settle), its numbered letter
(HTML + PDF), the release order as a tracked clock on the request, and the applicant's view.

Objections are filed through the filing service (``make_objection``, tests/factories.py).
Dates: requests received Mon 2026-07-06; objections filed the same day answer by 30 WD later.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from ppid_desk.audit.models import Event
from ppid_desk.extensions import db
from ppid_desk.notifications.models import OutboxMessage
from ppid_desk.objections.models import Objection, ObjectionStatus
from ppid_desk.objections.response_services import objection_respond
from ppid_desk.requests.models import InformationRequest
from tests.factories import file_objection

NOW = datetime(2026, 7, 6, 3, 0, tzinfo=UTC)  # Mon 10:00 WIB
HX = {"HX-Request": "true"}


@pytest.fixture
def make_objection(app, clock, file_request):
    """An objection filed through the filing service, with its own request. ``late``: the request
    was received four months earlier, so its 30-WD filing window has long passed."""
    counter = iter(range(1, 1000))

    def _make(*, grounds=("c", "g"), late=False, filed_at=NOW, item=None, email=None, name="Budi Santoso"):
        received_at = filed_at - timedelta(days=120) if late else filed_at
        clock.travel_to(received_at)
        item = item or file_request(received_at=received_at, name=name,
                                   email=email or f"pemohon{next(counter)}@example.id")
        clock.travel_to(filed_at)
        objection = file_objection(item, grounds=grounds, filed_at=filed_at)
        assert objection.late == late
        return objection

    return _make


def fresh(objection: Objection) -> Objection:
    db.session.expire_all()
    return db.session.get(Objection, objection.id)


def kinds(subject_type: str, subject_id: int) -> list[str]:
    return list(db.session.scalars(select(Event.kind).where(
        Event.subject_type == subject_type, Event.subject_id == subject_id).order_by(Event.id)))


def respond(client, objection, **data):
    form = {"version": str(objection.version), **data}
    return client.post(f"/meja/keberatan/{objection.id}/tanggapan", data=form)


# --- access ---------------------------------------------------------------------------------

def test_every_url_refuses_those_who_may_not_see_objections(make_objection, officer_client, client, make_user,
                                                             app, make_unit):
    objection = make_objection()
    atasan = officer_client("atasan")
    assert respond(atasan, objection, decision="upheld", reasons="Sudah sesuai.").status_code == 303
    objection = fresh(objection)
    gets = ["/meja/keberatan", f"/meja/keberatan/{objection.id}", f"/meja/keberatan/{objection.id}/tanggapan",
            f"/meja/keberatan/{objection.id}/tanggapan.pdf"]
    posts = [f"/meja/keberatan/{objection.id}/tanggapan-ppid", f"/meja/keberatan/{objection.id}/tanggapan"]
    for url in gets + posts:
        send = client.post if url in posts else client.get
        response = send(url)
        assert response.status_code == 302 and "/masuk" in response.headers["Location"], url
        response = send(url, headers=HX)
        assert response.status_code == 401 and "/masuk" in response.headers["HX-Redirect"], url
    make_user(email="warga@example.id")
    citizen = app.test_client()
    assert citizen.post("/masuk", data={"email": "warga@example.id",
                                        "password": "rahasia-panjang-1"}).status_code == 303
    for url in gets:
        assert citizen.get(url).status_code == 403, url
    unit = make_unit()
    for role in ("pembantu", "petugas"):
        officer = officer_client(role, unit=unit if role == "pembantu" else None)
        for url in gets:
            assert officer.get(url).status_code == 403, (role, url)
        for url in posts:
            assert officer.post(url, data={"version": "1", "text": "x"}).status_code == 403, (role, url)
    for role in ("atasan", "ppid_utama", "pengawas"):
        viewer = officer_client(role)
        for url in gets:
            assert viewer.get(url).status_code == 200, (role, url)
            assert viewer.get(url, headers=HX).status_code == 200, (role, url)
    assert officer_client("atasan").get("/meja/keberatan/99999").status_code == 404


def test_only_the_atasan_responds_and_only_ppid_utama_records_its_account(make_objection, officer_client):
    objection = make_objection()
    for role in ("ppid_utama", "pengawas"):
        assert respond(officer_client(role), objection, decision="upheld", reasons="x").status_code == 403
    for role in ("atasan", "pengawas"):
        response = officer_client(role).post(f"/meja/keberatan/{objection.id}/tanggapan-ppid",
                                             data={"version": str(objection.version), "text": "x"})
        assert response.status_code == 403
    page = officer_client("pengawas").get(f"/meja/keberatan/{objection.id}").get_data(as_text=True)
    assert "Terbitkan tanggapan" not in page and "Simpan tanggapan PPID" not in page
    assert "Terbitkan tanggapan" in officer_client("atasan").get(f"/meja/keberatan/{objection.id}").get_data(as_text=True)
    assert fresh(objection).status == ObjectionStatus.REGISTERED


# --- queue ----------------------------------------------------------------------------------

def test_queue_lists_open_objections_by_nearest_due_with_filters(make_objection, officer_client, clock,
                                                                 count_queries):
    early = make_objection(filed_at=NOW, email="awal@example.id")
    late = make_objection(filed_at=NOW + timedelta(days=7), late=True, email="akhir@example.id",
                          name="Rina Akhirani")
    done = make_objection(filed_at=NOW + timedelta(days=1), email="selesai@example.id")
    atasan = officer_client("atasan")
    assert respond(atasan, done, decision="upheld", reasons="Keputusan PPID sudah tepat.").status_code == 303
    body = atasan.get("/meja/keberatan").get_data(as_text=True)
    assert body.index(early.number) < body.index(late.number) and done.number not in body
    assert "diajukan lewat waktu" in body and 'aria-current="page">Keberatan' in body
    rows = atasan.get("/meja/keberatan?terlambat=ya", headers=HX)
    text = rows.get_data(as_text=True)
    assert rows.status_code == 200 and "<html" not in text and 'id="objection-rows"' in text
    assert late.number in text and early.number not in text
    assert done.number in atasan.get("/meja/keberatan?status=responded").get_data(as_text=True)
    assert late.number in atasan.get("/meja/keberatan?q=akhir").get_data(as_text=True)
    searched = atasan.get(f"/meja/keberatan?q={early.request.number}").get_data(as_text=True)
    assert early.number in searched and late.number not in searched
    unknown = atasan.get("/meja/keberatan?tenggat=kapan").get_data(as_text=True)
    assert "diabaikan" in unknown and early.number in unknown
    # Overdue: past the 30-WD response due of both open objections.
    clock.travel_to(datetime.combine(late.response_due + timedelta(days=3), datetime.min.time(), tzinfo=UTC))
    overdue = atasan.get("/meja/keberatan?tenggat=overdue").get_data(as_text=True)
    assert early.number in overdue and late.number in overdue and "terlambat" in overdue
    assert early.number not in atasan.get("/meja/keberatan?tenggat=on_track").get_data(as_text=True)
    atasan.get("/meja/keberatan")  # warm up: calendar and session
    with count_queries() as few:
        atasan.get("/meja/keberatan?status=semua")
    for n in range(6):
        make_objection(filed_at=NOW + timedelta(days=n), email=f"lagi{n}@example.id")
    atasan.get("/meja/keberatan")  # sends the registration e-mails queued by the set-up
    with count_queries() as many:
        assert atasan.get("/meja/keberatan?status=semua").status_code == 200
    assert len(many) == len(few), "\n---\n".join(many)


# --- PPID Utama's account -------------------------------------------------------------------

def test_ppid_utama_records_its_account_and_a_stale_form_keeps_the_text(make_objection, officer_client):
    objection = make_objection()
    filed_version = objection.version
    utama = officer_client("ppid_utama")
    url = f"/meja/keberatan/{objection.id}/tanggapan-ppid"
    empty = utama.post(url, data={"version": str(objection.version), "text": "  "})
    assert empty.status_code == 422 and "Tulis tanggapan PPID" in empty.get_data(as_text=True)
    assert utama.post(url, data={"version": str(objection.version), "text": "Permohonan terlambat dijawab "
                                 "karena dokumen tersebar di tiga unit."}).status_code == 303
    objection = fresh(objection)
    assert objection.ppid_account.startswith("Permohonan terlambat") and objection.version == filed_version + 1
    assert kinds("objection", objection.id) == ["filed", "objection_account_recorded"]
    assert "objection_account_recorded" in kinds("request", objection.request_id)
    stale = utama.post(url, data={"version": str(filed_version), "text": "Teks yang saya ketik"})
    assert stale.status_code == 409 and "Teks yang saya ketik" in stale.get_data(as_text=True)
    assert "tiga unit" in atasan_page(officer_client, objection)


def atasan_page(officer_client, objection) -> str:
    return officer_client("atasan").get(f"/meja/keberatan/{objection.id}").get_data(as_text=True)


# --- the response ---------------------------------------------------------------------------

def test_uphold_needs_reasons_and_the_form_keeps_what_was_typed(make_objection, officer_client):
    objection = make_objection()
    atasan = officer_client("atasan")
    response = respond(atasan, objection, decision="upheld", reasons="", settlement="catatan saya")
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and "Tulis alasan tanggapan" in body and "field-error" in body
    assert 'value="upheld" checked' in body
    missing = respond(atasan, objection, reasons="x")
    assert missing.status_code == 422 and "Pilih tanggapan Atasan PPID" in missing.get_data(as_text=True)
    assert fresh(objection).status == ObjectionStatus.REGISTERED and fresh(objection).response_number is None


def test_overturn_partial_needs_a_release_date_after_today(make_objection, officer_client):
    objection = make_objection()
    atasan = officer_client("atasan")
    none = respond(atasan, objection, decision="overturned_partial", reasons="Sebagian dapat dibuka.")
    assert none.status_code == 422 and "Tulis tanggal paling lambat" in none.get_data(as_text=True)
    today = respond(atasan, objection, decision="overturned_partial", reasons="Sebagian dapat dibuka.",
                    release_by="2026-07-06")
    assert today.status_code == 422 and "sesudah hari ini" in today.get_data(as_text=True)
    garbled = respond(atasan, objection, decision="overturned_full", reasons="x", release_by="besok")
    assert garbled.status_code == 422 and "Tulis tanggal yang benar" in garbled.get_data(as_text=True)
    assert fresh(objection).response_number is None


def test_settlement_is_refused_when_ground_a_is_included(make_objection, officer_client):
    objection = make_objection(grounds=("a", "c"))
    atasan = officer_client("atasan")
    page = atasan.get(f"/meja/keberatan/{objection.id}").get_data(as_text=True)
    assert 'value="settled"' not in page and "Musyawarah tidak tersedia" in page
    refused = respond(atasan, objection, decision="settled", settlement="Sepakat diberikan.")
    assert refused.status_code == 422
    with pytest.raises(Exception) as error:
        objection_respond(actor=None, objection=fresh(objection), decision="settled", reasons=None,
                          release_by=None, settlement="Sepakat", expected_version=None)
    assert "huruf b sampai g" in str(error.value)
    db.session.rollback()


def test_settlement_for_grounds_b_to_g_closes_by_agreement(make_objection, officer_client, runner):
    objection = make_objection(grounds=("c", "g"))
    atasan = officer_client("atasan")
    empty = respond(atasan, objection, decision="settled")
    assert empty.status_code == 422 and "Tulis apa yang disepakati" in empty.get_data(as_text=True)
    assert respond(atasan, objection, decision="settled",
                   settlement="PPID menyerahkan salinan DPA dalam 5 hari kerja.").status_code == 303
    objection = fresh(objection)
    assert objection.status == ObjectionStatus.SETTLED and objection.decision == "settled"
    assert objection.response_number == "0001/TGP-KEB/VII/2026"
    assert objection.request.release_due is None
    assert "objection_settled" in kinds("request", objection.request_id)
    assert kinds("objection", objection.id) == ["filed", "objection_settled"]
    assert runner.invoke(args=["ppid", "rebuild-cache", "--check"]).exit_code == 0


def test_overturn_sets_the_release_clock_and_confirmation_stops_it(make_objection, officer_client, runner,
                                                                   mailbox, clock):
    objection = make_objection(grounds=("a",))
    atasan = officer_client("atasan", name="Ibu Atasan")
    response = respond(atasan, objection, decision="overturned_full",
                       reasons="Informasi anggaran bukan informasi yang dikecualikan.", release_by="20/07/2026")
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/meja/keberatan/{objection.id}")
    objection = fresh(objection)
    item = objection.request
    assert objection.status == ObjectionStatus.RESPONDED and objection.release_by == date(2026, 7, 20)
    assert item.release_due == date(2026, 7, 20) and item.released_at is None
    assert kinds("objection", objection.id) == ["filed", "objection_responded"]
    assert kinds("request", item.id)[-2:] == ["objection_responded", "email_queued"]
    assert runner.invoke(args=["ppid", "rebuild-cache", "--check"]).exit_code == 0
    # The applicant gets the letter link.
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.request_id == item.id)
                                .order_by(OutboxMessage.id.desc()))
    assert objection.response_number in message.body and "Ibu Atasan" not in message.subject
    assert f"/permohonan/{item.id}/keberatan/{objection.id}/tanggapan.pdf" in message.body
    assert "20 Juli 2026" in message.body
    # The desk request page shows the new clock; PPID Utama confirms the release.
    utama = officer_client("ppid_utama")
    page = utama.get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
    assert 'id="release-order"' in page and "hari kerja lagi" in page
    assert "Informasi sudah diberikan sesuai perintah" in page
    assert "Informasi sudah diberikan sesuai perintah" not in atasan.get(
        f"/meja/permohonan/{item.id}").get_data(as_text=True)
    assert atasan.post(f"/meja/permohonan/{item.id}/perintah-keberatan",
                       data={"version": str(item.version)}).status_code == 403
    stale = utama.post(f"/meja/permohonan/{item.id}/perintah-keberatan", data={"version": "1"})
    assert stale.status_code == 409
    clock.travel_to(datetime(2026, 7, 14, 3, 0, tzinfo=UTC))
    db.session.expire_all()
    item = db.session.get(InformationRequest, item.id)
    assert utama.post(f"/meja/permohonan/{item.id}/perintah-keberatan",
                      data={"version": str(item.version)}).status_code == 303
    db.session.expire_all()
    item = db.session.get(InformationRequest, item.id)
    assert item.released_at is not None
    assert kinds("objection", objection.id)[-1] == "release_complied"
    page = utama.get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
    assert "selesai" in page and "Sudah diberikan" in page
    assert runner.invoke(args=["ppid", "rebuild-cache", "--check"]).exit_code == 0
    # A second response is refused: the objection is closed.
    again = respond(atasan, objection, decision="upheld", reasons="x")
    assert again.status_code == 422 and 'id="response-number"' in again.get_data(as_text=True)


def test_a_stale_response_form_gets_409_with_the_text_kept(make_objection, officer_client):
    objection = make_objection()
    atasan = officer_client("atasan")
    assert officer_client("ppid_utama").post(f"/meja/keberatan/{objection.id}/tanggapan-ppid", data={
        "version": str(objection.version), "text": "Duduk perkara."}).status_code == 303
    stale = atasan.post(f"/meja/keberatan/{objection.id}/tanggapan", data={
        "version": "1", "decision": "upheld", "reasons": "Alasan panjang yang saya ketik"})
    body = stale.get_data(as_text=True)
    assert stale.status_code == 409 and "Alasan panjang yang saya ketik" in body and "Duduk perkara." in body
    assert fresh(objection).response_number is None


def test_response_numbers_are_gapless_across_refusals(make_objection, officer_client):
    first, second, third = (make_objection(email=f"n{i}@example.id") for i in range(3))
    atasan = officer_client("atasan")
    assert respond(atasan, first, decision="upheld", reasons="Tepat.").status_code == 303
    assert respond(atasan, second, decision="overturned_full", reasons="x").status_code == 422  # no number taken
    assert respond(atasan, second, decision="upheld", reasons="Tepat.").status_code == 303
    assert respond(atasan, third, decision="settled", settlement="Sepakat.").status_code == 303
    numbers = [fresh(o).response_number for o in (first, second, third)]
    assert numbers == ["0001/TGP-KEB/VII/2026", "0002/TGP-KEB/VII/2026", "0003/TGP-KEB/VII/2026"]


# --- the letter and the applicant ------------------------------------------------------------

def test_letter_html_and_pdf(make_objection, officer_client):
    objection = make_objection(grounds=("a",))
    atasan = officer_client("atasan", name="Dr. Atasan Contoh")
    assert officer_client("pengawas").get(f"/meja/keberatan/{objection.id}/tanggapan").status_code == 404
    respond(atasan, objection, decision="overturned_partial", reasons="Sebagian informasi dapat dibuka.",
            release_by="2026-07-27")
    objection = fresh(objection)
    html = atasan.get(f"/meja/keberatan/{objection.id}/tanggapan")
    text = html.get_data(as_text=True)
    assert html.status_code == 200 and objection.response_number in text and "Dr. Atasan Contoh" in text
    assert "27 Juli 2026" in text and "huruf a" in text and "<html" in text
    partial = atasan.get(f"/meja/keberatan/{objection.id}/tanggapan", headers=HX).get_data(as_text=True)
    assert "<html" not in partial and 'id="response-letter"' in partial
    pdf = atasan.get(f"/meja/keberatan/{objection.id}/tanggapan.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    assert "attachment" in pdf.headers["Content-Disposition"]
    assert "tanggapan-keberatan-0001-TGP-KEB-VII-2026.pdf" in pdf.headers["Content-Disposition"]


def test_applicant_sees_the_response_through_a_tracking_link_and_a_stranger_gets_404(make_objection,
                                                                                    officer_client, app):
    objection = make_objection(grounds=("c",))
    item = objection.request
    applicant = app.test_client()
    applicant.get(f"/lacak/{item.tracking_token}")
    pdf_url = f"/permohonan/{item.id}/keberatan/{objection.id}/tanggapan.pdf"
    assert applicant.get(pdf_url).status_code == 404  # nothing answered yet
    assert "Tanggapan atas keberatan" not in applicant.get(f"/permohonan/{item.id}").get_data(as_text=True)
    respond(officer_client("atasan"), objection, decision="upheld", reasons="Permohonan sudah dijawab lengkap.")
    page = applicant.get(f"/permohonan/{item.id}").get_data(as_text=True)
    assert "Menguatkan keputusan PPID" in page and "Permohonan sudah dijawab lengkap." in page
    assert pdf_url in page
    pdf = applicant.get(pdf_url)
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert "objection_response_downloaded" in kinds("request", item.id)
    stranger = app.test_client()
    assert stranger.get(pdf_url).status_code == 404
    assert stranger.get(f"/permohonan/{item.id}").status_code == 404
    other = make_objection(email="lain@example.id")
    assert applicant.get(f"/permohonan/{item.id}/keberatan/{other.id}/tanggapan.pdf").status_code == 404


def test_objection_page_shows_the_case_clock_and_its_own_timeline(make_objection, officer_client):
    objection = make_objection(late=True)
    utama = officer_client("ppid_utama")
    utama.post(f"/meja/keberatan/{objection.id}/tanggapan-ppid",
               data={"version": str(objection.version), "text": "Penjelasan PPID."})
    full = utama.get(f"/meja/keberatan/{objection.id}")
    text = full.get_data(as_text=True)
    assert full.status_code == 200 and "<html" in text
    for expected in (objection.number, "diajukan lewat waktu", "hari kerja lagi", "Mengapa tanggal ini?",
                     f"/meja/permohonan/{objection.request_id}", "Tanggapan PPID Utama atas keberatan dicatat",
                     "huruf c", "Permohonan tidak ditanggapi"):
        assert expected in text, expected
    partial = utama.get(f"/meja/keberatan/{objection.id}", headers=HX).get_data(as_text=True)
    assert "<html" not in partial and 'id="objection-main"' in partial
