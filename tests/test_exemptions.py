"""The register of exempt information (issue 15, item 5): exemption decisions drafted by a unit,
approved and numbered by PPID Utama, the public register, the SK annex PDF, and the sweep's
reminder before an exemption under Pasal 17 a–f ends (Pasal 20).

Dates (Asia/Jakarta): the desk works on Mon 2 March 2026.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from ppid_desk.audit.models import Event
from ppid_desk.exemptions.models import ExemptionDecision
from ppid_desk.extensions import db
from ppid_desk.notifications.models import OutboxMessage
from tests.factories import make_exemption
from tests.helpers import errors_of

MONDAY = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)  # 10.00 WIB


def form(unit, **overrides) -> dict:
    values = {"unit_id": str(unit.id), "title": "Berkas penyidikan pelanggaran Perda 12/2026",
              "description": "Berita acara pemeriksaan perkara 12/PPNS/2026.", "pasal17_letter": "a",
              "legal_basis": "KUHAP Pasal 1 angka 2.", "harm": "Menghambat penyidikan.",
              "public_interest": "Penegakan Perda yang transparan.",
              "weighing": "Penyidikan yang gagal lebih merugikan publik.", "period": "5 tahun",
              "ends_on": "01/03/2031", "official_name": "Dra. Rina Kusuma", "official_position": "Kepala Dinas",
              "official_nip": "197001011990032001", "decided_place": "Bandung", "decided_on": "02/03/2026"}
    values.update(overrides)
    return values


@pytest.fixture
def desk(app, clock, make_unit, make_user, officer_client):
    """PPID Utama and PPID Pembantu officers of two units, each with a client."""
    from ppid_desk.accounts.models import User

    clock.travel_to(MONDAY)
    units = {"disdik": make_unit("DISDIK", "Dinas Pendidikan"), "dinkes": make_unit("DINKES", "Dinas Kesehatan")}
    clients = {"utama": officer_client("ppid_utama"), "disdik": officer_client("pembantu", unit=units["disdik"]),
               "dinkes": officer_client("pembantu", unit=units["dinkes"]), "atasan": officer_client("atasan"),
               "petugas": officer_client("petugas")}
    users = {name: db.session.scalar(select(User).where(User.email == client.user_email))
             for name, client in clients.items()}
    return {"units": units, "clients": clients, "users": users}


def fresh(decision_id: int) -> ExemptionDecision:
    db.session.expire_all()
    return db.session.get(ExemptionDecision, decision_id)


def events(decision_id: int) -> list[str]:
    return list(db.session.scalars(select(Event.kind).where(
        Event.subject_type == "exemption", Event.subject_id == decision_id).order_by(Event.id)))


# --- access ---------------------------------------------------------------------------------------

def test_a_unit_drafts_and_submits_and_ppid_utama_approves_with_a_number(desk):
    c, units = desk["clients"], desk["units"]
    response = c["disdik"].post("/meja/dikecualikan/baru", data=form(units["disdik"]))
    assert response.status_code == 303
    decision = db.session.scalar(select(ExemptionDecision))
    assert decision.status == "draft" and decision.number is None and decision.unit_id == units["disdik"].id
    assert decision.ends_on == date(2031, 3, 1) and decision.official_nip == "197001011990032001"
    # the unit may not approve its own decision; PPID Utama may
    assert c["disdik"].post(f"/meja/dikecualikan/{decision.id}/setujui").status_code == 403
    assert c["disdik"].post(f"/meja/dikecualikan/{decision.id}/ajukan",
                            data={"version": str(decision.version)}).status_code == 303
    assert fresh(decision.id).status == "submitted"
    # submitted: the unit no longer edits it
    edit = c["disdik"].get(f"/meja/dikecualikan/{decision.id}/ubah")
    assert edit.status_code == 303
    response = c["utama"].post(f"/meja/dikecualikan/{decision.id}/setujui",
                               data={"version": str(fresh(decision.id).version)})
    assert response.status_code == 303
    approved = fresh(decision.id)
    assert approved.status == "approved" and approved.number == "0001/PPID-DIK/2026"
    assert approved.approved_by_id == desk["users"]["utama"].id
    assert events(decision.id) == ["exemption_created", "exemption_submitted", "exemption_approved"]
    page = c["disdik"].get(f"/meja/dikecualikan/{decision.id}").get_data(as_text=True)
    assert "0001/PPID-DIK/2026" in page and "Ditetapkan" in page


def test_each_unit_sees_only_its_own_decisions_and_other_roles_none(desk):
    c, u, units = desk["clients"], desk["users"], desk["units"]
    mine = make_exemption(units["disdik"], actor=u["disdik"], title="Informasi Disdik")
    theirs = make_exemption(units["dinkes"], actor=u["dinkes"], title="Informasi Dinkes")
    listing = c["disdik"].get("/meja/dikecualikan").get_data(as_text=True)
    assert "Informasi Disdik" in listing and "Informasi Dinkes" not in listing
    everything = c["utama"].get("/meja/dikecualikan").get_data(as_text=True)
    assert "Informasi Disdik" in everything and "Informasi Dinkes" in everything
    for url in (f"/meja/dikecualikan/{theirs.id}", f"/meja/dikecualikan/{theirs.id}/ubah"):
        assert c["disdik"].get(url).status_code == 404
    assert c["disdik"].post(f"/meja/dikecualikan/{theirs.id}/ajukan").status_code == 404
    for role in ("atasan", "petugas"):
        assert c[role].get("/meja/dikecualikan").status_code == 403
        assert c[role].get(f"/meja/dikecualikan/{mine.id}").status_code == 403
    # a unit officer cannot file a decision in another unit's name
    response = c["disdik"].post("/meja/dikecualikan/baru", data=form(units["dinkes"]))
    assert response.status_code == 422 and "unit_id" in errors_of(response)
    assert db.session.scalar(select(func.count()).select_from(ExemptionDecision)) == 2


def test_return_needs_a_reason_and_gives_the_draft_back(desk):
    c, u, units = desk["clients"], desk["users"], desk["units"]
    decision = make_exemption(units["disdik"], actor=u["disdik"], status="submitted")
    refused = c["utama"].post(f"/meja/dikecualikan/{decision.id}/kembalikan",
                              data={"return-version": str(decision.version), "return-reason": ""})
    assert refused.status_code == 422 and "return-reason" in errors_of(refused)
    assert fresh(decision.id).status == "submitted"
    c["utama"].post(f"/meja/dikecualikan/{decision.id}/kembalikan",
                    data={"return-version": str(decision.version), "return-reason": "Uraikan periode dokumennya."})
    returned = fresh(decision.id)
    assert returned.status == "draft" and returned.returned_reason == "Uraikan periode dokumennya."
    assert "Uraikan periode dokumennya." in c["disdik"].get(f"/meja/dikecualikan/{decision.id}").get_data(as_text=True)
    # the unit corrects it: an event with the fields changed
    response = c["disdik"].post(f"/meja/dikecualikan/{decision.id}/ubah",
                                data=form(units["disdik"], period="4 tahun", version=str(returned.version)))
    assert response.status_code == 303 and fresh(decision.id).period == "4 tahun"
    assert events(decision.id)[-1] == "exemption_updated"


def test_a_stale_edit_keeps_the_typed_text_and_saves_nothing(desk):
    c, u, units = desk["clients"], desk["users"], desk["units"]
    decision = make_exemption(units["disdik"], actor=u["disdik"])
    response = c["disdik"].post(f"/meja/dikecualikan/{decision.id}/ubah",
                                data=form(units["disdik"], title="Judul baru yang diketik", version="999"))
    assert response.status_code == 409 and "Judul baru yang diketik" in response.get_data(as_text=True)
    assert fresh(decision.id).title != "Judul baru yang diketik"


# --- bad input ---------------------------------------------------------------------------------

REQUIRED = ("unit_id", "title", "description", "pasal17_letter", "legal_basis", "harm", "public_interest",
            "weighing", "period", "official_name", "official_position", "decided_place", "decided_on")


def test_an_empty_form_marks_every_required_field_and_saves_nothing(desk):
    response = desk["clients"]["utama"].post("/meja/dikecualikan/baru", data={name: "" for name in form(desk["units"]["disdik"])})
    assert response.status_code == 422
    assert set(errors_of(response)) == set(REQUIRED)
    assert db.session.scalar(select(func.count()).select_from(ExemptionDecision)) == 0


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"ends_on": ""}, "ends_on", "tidak bersifat permanen"),  # Pasal 17 a: an end date is required
    ({"ends_on": "01/03/2026"}, "ends_on", "sesudah tanggal penetapan"),
    ({"ends_on": "31/02/2030"}, "ends_on", "Tulis tanggal yang benar"),
    ({"decided_on": "99/99/9999"}, "decided_on", "Tulis tanggal yang benar"),
    ({"official_nip": "1970-01"}, "official_nip", "18 angka"),
    ({"pasal17_letter": "k"}, "pasal17_letter", "Pilih salah satu pilihan"),
    ({"unit_id": "999999"}, "unit_id", "Pilih unit dari daftar"),
    ({"title": "x" * 301}, "title", "301"),
    ({"weighing": "   "}, "weighing", "lebih besar daripada kepentingan publik"),
])
def test_each_bad_field_gets_its_message_and_the_rest_is_kept(desk, overrides, field, message):
    data = form(desk["units"]["disdik"], description="Uraian yang sudah diketik panjang.", **overrides)
    response = desk["clients"]["utama"].post("/meja/dikecualikan/baru", data=data)
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert errors_of(response) == [field]
    match = re.search(rf'id="{field}-error">(.*?)</p>', body, re.S)
    assert message in match.group(1) or (message == "301" and "Paling banyak" in match.group(1))
    assert "Uraian yang sudah diketik panjang." in body
    assert db.session.scalar(select(func.count()).select_from(ExemptionDecision)) == 0


def test_letters_g_to_j_need_no_end_date(desk):
    response = desk["clients"]["utama"].post("/meja/dikecualikan/baru",
                                             data=form(desk["units"]["disdik"], pasal17_letter="h", ends_on=""))
    assert response.status_code == 303
    assert db.session.scalar(select(ExemptionDecision.ends_on)) is None


# --- numbering ---------------------------------------------------------------------------------

def test_numbers_follow_the_approval_year_in_sequence(desk, clock):
    u, units = desk["users"], desk["units"]
    first = make_exemption(units["disdik"], actor=u["disdik"], approver=u["utama"], status="approved")
    draft = make_exemption(units["dinkes"], actor=u["dinkes"])  # not numbered until approved
    second = make_exemption(units["dinkes"], actor=u["dinkes"], approver=u["utama"], status="approved")
    clock.travel_to(datetime(2027, 1, 4, 3, 0, tzinfo=UTC))
    next_year = make_exemption(units["disdik"], actor=u["disdik"], approver=u["utama"], status="approved")
    assert [fresh(d.id).number for d in (first, second, next_year)] == [
        "0001/PPID-DIK/2026", "0002/PPID-DIK/2026", "0001/PPID-DIK/2027"]
    assert fresh(draft.id).number is None


def test_the_number_follows_the_bodys_pattern(desk, app):
    """No profile row in the tests: the pattern comes from the configuration, as for every number."""
    u, units = desk["users"], desk["units"]
    app.config["EXEMPTION_NUMBER_PATTERN"] = "SK-{seq}/DIK/{month_roman}/{year}"
    try:
        decision = make_exemption(units["disdik"], actor=u["disdik"], approver=u["utama"], status="approved")
    finally:
        app.config["EXEMPTION_NUMBER_PATTERN"] = "{seq4}/PPID-DIK/{year}"
    assert fresh(decision.id).number == "SK-1/DIK/III/2026"

# --- the public register ---------------------------------------------------------------------------

def test_the_public_register_shows_approved_and_revoked_never_drafts_and_marks_the_expired(desk, clock, client):
    u, units = desk["users"], desk["units"]
    make_exemption(units["disdik"], actor=u["disdik"], title="Draf rahasia belum disetujui")
    make_exemption(units["disdik"], actor=u["disdik"], title="Diajukan belum disetujui", status="submitted")
    make_exemption(units["disdik"], actor=u["disdik"], approver=u["utama"], status="approved",
                   title="Rencana operasi penertiban", ends_on=date(2026, 6, 30))
    make_exemption(units["dinkes"], actor=u["dinkes"], approver=u["utama"], status="revoked",
                   title="Catatan lama yang dicabut", pasal17_letter="h", ends_on=None)
    page = client.get("/informasi-dikecualikan")
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and "<script" not in body.split("<main", 1)[-1]
    assert "Draf rahasia" not in body and "Diajukan belum" not in body
    assert "Rencana operasi penertiban" in body and "Pasal 17 huruf a UU 14/2008 (penegakan hukum)" in body
    assert "Catatan lama yang dicabut" in body and "Dicabut" in body
    assert "Kedaluwarsa" not in body
    # the exempt content is never there: the decision's reason for revoking stays on the desk
    assert "Hasil peninjauan kembali." not in body
    clock.travel_to(datetime(2026, 7, 1, 3, 0, tzinfo=UTC))
    assert "Kedaluwarsa" in client.get("/informasi-dikecualikan").get_data(as_text=True)


# --- expiry (Pasal 20) ------------------------------------------------------------------------------

def test_the_sweep_reminds_once_before_the_end_and_the_list_flags_it(desk, clock, runner, mailbox):
    u, units, c = desk["users"], desk["units"], desk["clients"]
    ending = make_exemption(units["disdik"], actor=u["disdik"], approver=u["utama"], status="approved",
                            ends_on=date(2026, 5, 1))
    permanent = make_exemption(units["dinkes"], actor=u["dinkes"], approver=u["utama"], status="approved",
                               pasal17_letter="h", ends_on=None)
    assert runner.invoke(args=["ppid", "sweep"]).exit_code == 0  # 60 days before: nothing
    assert fresh(ending.id).reminded_for is None
    assert "Berakhir dalam" not in c["utama"].get("/meja/dikecualikan").get_data(as_text=True)

    clock.travel_to(datetime(2026, 4, 6, 3, 0, tzinfo=UTC))  # 25 days before the end
    assert "Berakhir dalam 25 hari" in c["utama"].get("/meja/dikecualikan").get_data(as_text=True)
    result = runner.invoke(args=["ppid", "sweep"])
    assert result.exit_code == 0 and "exemptions ending: 1" in result.output
    assert fresh(ending.id).reminded_for == date(2026, 5, 1)
    messages = list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
    recipients = {m.recipient for m in messages if "0001/PPID-DIK/2026" in m.subject}
    assert recipients == {u["utama"].email, u["disdik"].email}  # not the other unit's officer
    assert events(ending.id)[-1] == "exemption_expiry_reminded"
    assert runner.invoke(args=["ppid", "sweep"]).exit_code == 0  # again: no second reminder
    clock.travel_to(datetime(2026, 5, 4, 3, 0, tzinfo=UTC))  # ended: still no second reminder
    assert "exemptions ending: 0" in runner.invoke(args=["ppid", "sweep"]).output
    assert events(ending.id).count("exemption_expiry_reminded") == 1
    assert events(permanent.id).count("exemption_expiry_reminded") == 0
    listing = c["utama"].get("/meja/dikecualikan").get_data(as_text=True)
    assert "Kedaluwarsa" in listing


def test_the_reminder_window_is_a_setting(desk, clock, runner, app):
    u, units = desk["users"], desk["units"]
    decision = make_exemption(units["disdik"], actor=u["disdik"], approver=u["utama"], status="approved",
                              ends_on=date(2026, 5, 1))
    app.config["EXEMPTION_REMINDER_DAYS"] = 90
    try:
        runner.invoke(args=["ppid", "sweep"])
    finally:
        app.config["EXEMPTION_REMINDER_DAYS"] = 30
    assert fresh(decision.id).reminded_for == date(2026, 5, 1)


# --- revoking ------------------------------------------------------------------------------------

def test_revoking_needs_a_reason_and_takes_the_decision_off_the_annex(desk):
    c, u, units = desk["clients"], desk["users"], desk["units"]
    decision = make_exemption(units["disdik"], actor=u["disdik"], approver=u["utama"], status="approved")
    refused = c["utama"].post(f"/meja/dikecualikan/{decision.id}/cabut",
                              data={"revoke-version": str(decision.version), "revoke-reason": " "})
    assert refused.status_code == 422 and "revoke-reason" in errors_of(refused)
    assert c["disdik"].post(f"/meja/dikecualikan/{decision.id}/cabut",
                            data={"revoke-reason": "x"}).status_code == 403
    c["utama"].post(f"/meja/dikecualikan/{decision.id}/cabut",
                    data={"revoke-version": str(decision.version), "revoke-reason": "Putusan Komisi Informasi."})
    revoked = fresh(decision.id)
    assert revoked.status == "revoked" and revoked.revoked_reason == "Putusan Komisi Informasi."
    from ppid_desk.exemptions.selectors import annex_decisions, approved_decisions

    assert annex_decisions(2026) == [] and approved_decisions() == []


# --- the SK annex ----------------------------------------------------------------------------------

def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_annex_and_a_decision_render_as_pdfs(desk, artifacts):
    c, u, units = desk["clients"], desk["users"], desk["units"]
    first = make_exemption(units["disdik"], actor=u["disdik"], approver=u["utama"], status="approved")
    make_exemption(units["dinkes"], actor=u["dinkes"], approver=u["utama"], status="approved",
                   title="Data kesehatan pasien", pasal17_letter="h", ends_on=None, period="Permanen",
                   legal_basis="UU 17/2023 tentang Kesehatan.")
    make_exemption(units["dinkes"], actor=u["dinkes"], title="Draf yang tidak masuk lampiran")
    annex = c["utama"].get("/meja/dikecualikan/lampiran/2026.pdf")
    assert annex.status_code == 200 and annex.mimetype == "application/pdf"
    (artifacts / "exemption-annex.pdf").write_bytes(annex.data)
    text = " ".join(_pdf_text(annex.data).split())
    assert "LAMPIRAN KEPUTUSAN PPID" in text and "TENTANG PENETAPAN INFORMASI YANG DIKECUALIKAN" in text
    squeezed = "".join(text.split())  # table cells wrap their lines
    for expected in ("0001/PPID-DIK/2026", "0002/PPID-DIK/2026", "Berkas penyidikan", "Data kesehatan pasien",
                     "Pasal 17 huruf h", "UU 17/2023", "berakhir 1 Maret 2031"):
        assert "".join(expected.split()) in squeezed, expected
    assert "Drafyangtidakmasuk" not in squeezed
    assert c["disdik"].get("/meja/dikecualikan/lampiran/2026.pdf").status_code == 403

    one = c["disdik"].get(f"/meja/dikecualikan/{first.id}/lampiran.pdf")
    assert one.status_code == 200
    (artifacts / "exemption-decision.pdf").write_bytes(one.data)
    text = " ".join(_pdf_text(one.data).split())
    for expected in ("PENETAPAN INFORMASI YANG DIKECUALIKAN", "Nomor: 0001/PPID-DIK/2026", "Uji konsekuensi",
                     "menghambat proses penyidikan", "Ditetapkan di Bandung",
                     "Dra. Rina Kusuma", "197001011990032001", "Pasal 20"):
        assert "".join(expected.split()) in "".join(text.split()), expected


def test_a_draft_has_no_pdf(desk):
    decision = make_exemption(desk["units"]["disdik"], actor=desk["users"]["disdik"])
    assert desk["clients"]["utama"].get(f"/meja/dikecualikan/{decision.id}/lampiran.pdf").status_code == 404


# --- what the written notice may cite later (item 6) ------------------------------------------------

def test_the_selectors_for_the_notice_form(desk):
    from ppid_desk.exemptions.selectors import approved_decisions, decision_get

    u, units = desk["users"], desk["units"]
    disdik = make_exemption(units["disdik"], actor=u["disdik"], approver=u["utama"], status="approved")
    dinkes = make_exemption(units["dinkes"], actor=u["dinkes"], approver=u["utama"], status="approved")
    make_exemption(units["disdik"], actor=u["disdik"])
    assert {d.id for d in approved_decisions()} == {disdik.id, dinkes.id}
    assert [d.id for d in approved_decisions(unit_id=units["disdik"].id)] == [disdik.id]
    assert decision_get(disdik.id).number == "0001/PPID-DIK/2026" and decision_get(999_999) is None


def test_the_year_is_that_of_the_approval_in_the_bodys_time_zone(desk, clock):
    """Approved at 00.30 WIB on 1 January 2027 (still 31 December in UTC): a 2027 number."""
    u, units = desk["users"], desk["units"]
    clock.travel_to(datetime(2026, 12, 31, 17, 30, tzinfo=UTC))
    decision = make_exemption(units["disdik"], actor=u["disdik"], approver=u["utama"], status="approved",
                              decided_on=date(2026, 12, 31))
    assert fresh(decision.id).number == "0001/PPID-DIK/2027"
    from ppid_desk.exemptions.selectors import annex_decisions

    assert [d.id for d in annex_decisions(2027)] == [decision.id] and annex_decisions(2026) == []
