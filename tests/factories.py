"""Factories: build the app's objects THROUGH ITS SERVICES, committed, as a user would leave them.

A factory never copies numbering, deadline or status logic: a request is registered by
``request_register``, an objection filed by ``objection_file``, a task routed by the routing
service. Each commits, so the requests a test then makes (each in its own session) see it.
Fixtures in ``conftest.py`` wrap the common ones (``make_user``, ``file_request`` …).
"""

from __future__ import annotations

from contextlib import contextmanager, nullcontext
from datetime import UTC, date, datetime, timedelta

from ppid_desk.extensions import db
from ppid_desk.notices.services import ConsequenceTestDraft
from tests.helpers import PASSWORD


def make_user(email="warga@example.id", password=PASSWORD, *, name="Siti Warga", roles=("pemohon",),
              verified=True, unit=None):
    """A user with ``roles`` (accounts have no registration service for officers with a password)."""
    from ppid_desk.accounts.models import User, UserRole
    from ppid_desk.dbtypes import utcnow

    user = User(email=email, name=name, email_verified_at=utcnow() if verified else None, unit=unit)
    user.set_password(password)
    user.role_rows = [UserRole(role=r) for r in roles]
    db.session.add(user)
    db.session.commit()
    return user


def make_unit(code="DISDIK", name="Dinas Pendidikan", kind="pembantu", parent=None):
    from ppid_desk.organisation.models import Unit

    unit = Unit(code=code, name=name, kind=kind, parent=parent)
    db.session.add(unit)
    db.session.commit()
    return unit


def register_request(*, received_at: datetime | None = None, email="budi@example.id", name="Budi Santoso",
                     owner=None, channel="online", rincian="Dokumen anggaran Dinas Pendidikan tahun 2025.",
                     actor=None, notify=True, accessibility_needs=(), accessibility_note=None,
                     access_method="salinan_softcopy", copy_delivery="email", nik="3201011505900001",
                     address="Jl. Melati No. 5", phone="081234567890"):
    """A request registered by ``request_register`` (numbered, clocked, logged), committed."""
    from ppid_desk.dbtypes import utcnow
    from ppid_desk.requests.services import ApplicantDetails, RequestDetails, request_register

    item = request_register(
        actor=actor or owner, owner=owner, channel=channel, documents=[],
        received_at=received_at or utcnow(), notify=notify,
        applicant=ApplicantDetails(kind="perorangan", name=name, nik=nik,
                                   legal_approval_number=None, representative_name=None,
                                   address=address, occupation="Wiraswasta",
                                   phone=phone, email=email),
        details=RequestDetails(rincian=rincian, tujuan="Pengawasan anggaran",
                               access_method=access_method, copy_delivery=copy_delivery,
                               accessibility_needs=tuple(accessibility_needs), accessibility_note=accessibility_note),
    )
    db.session.commit()
    return item


def file_objection(item, *, grounds=("c", "g"), filed_at: datetime | None = None, actor=None,
                   channel="online", case_summary="Permohonan tidak ditanggapi sampai batas waktu.",
                   intended_use="Pengawasan anggaran", notify=False):
    """An objection to ``item`` filed by ``objection_file`` (numbered, its clocks set), committed."""
    from ppid_desk import clock
    from ppid_desk.objections.filing_services import objection_file

    objection = objection_file(
        actor=actor, request=item, grounds=list(grounds), case_summary=case_summary,
        intended_use=intended_use, representative_name=None, documents=[],
        filed_at=filed_at or clock.now(), channel=channel, notify=notify)
    db.session.commit()
    return objection


# --- the monev log: eight requests through a quarter (tests/test_monev_metrics.py asserts its metrics) ---

@contextmanager
def clock_at(moment: datetime):
    """Run a service at ``moment`` on the app's clock, then put the clock back where it was."""
    from ppid_desk import clock

    before = clock.now()
    clock.travel_to(moment)
    try:
        yield
    finally:
        clock.travel_to(before)


def respond_objection(objection, *, at: datetime | None = None, decision="upheld",
                      reasons="Informasi dikecualikan berdasarkan Pasal 17 huruf h.", release_by=None,
                      settlement=None, actor=None, notify=False):
    """The Atasan PPID's numbered response by ``objection_respond`` (at ``at``), committed."""
    from ppid_desk.objections.response_services import objection_respond

    actor = actor or atasan()
    with clock_at(at) if at else nullcontext():
        objection_respond(actor=actor, objection=objection, decision=decision, reasons=reasons,
                          release_by=release_by, settlement=settlement, expected_version=None, notify=notify)
        db.session.commit()
    return objection


def atasan():
    """The Atasan PPID who answers objections in the factories (made once per test)."""
    from sqlalchemy import select

    from ppid_desk.accounts.models import User

    email = "atasan.factory@pemda.example.id"
    return db.session.scalar(select(User).where(User.email == email)) or make_user(
        email, roles=("atasan",), name="Atasan PPID")


def make_objection(item, *, filed: date = date(2026, 3, 2), responded_at: datetime | None = None):
    """An objection to ``item`` filed on ``filed`` (10.00 WIB), upheld at ``responded_at`` if given."""
    objection = file_objection(item, filed_at=datetime.combine(filed, datetime.min.time(), tzinfo=UTC)
                               + timedelta(hours=3))
    if responded_at is not None:
        respond_objection(objection, at=responded_at)
    return objection


# The monev quarter: July to September 2026, "today" its last day.
START, END, TODAY = date(2026, 7, 1), date(2026, 9, 30), date(2026, 9, 30)


def quarter_figures(app, unit_code=None, *, refresh=True) -> tuple[dict, dict]:
    """(with tallies, all live) monev figures for the quarter, of the whole body or of one unit;
    ``refresh`` re-sums the quarter's tallies first (as the sweep does)."""
    from ppid_desk.monev.metrics import monev_metrics
    from ppid_desk.monev.tallies import tallies_ensure

    if refresh:
        tallies_ensure(START, END)
        db.session.commit()
    app.config["MONEV_TALLIES"] = True
    tallied = monev_metrics(start=START, end=END, unit_code=unit_code, today=TODAY)
    app.config["MONEV_TALLIES"] = False
    try:
        live = monev_metrics(start=START, end=END, unit_code=unit_code, today=TODAY)
    finally:
        app.config["MONEV_TALLIES"] = True
    return tallied, live


def assert_same_both_ways(app, *, refresh=True, units=("U1", "U2")) -> dict:
    """The body and each of ``units`` give identical figures with and without tallies; returns
    the body's."""
    body, live = quarter_figures(app, refresh=refresh)
    assert body == live
    for code in units:
        tallied, live = quarter_figures(app, code, refresh=False)
        assert tallied == live
    return body

TEST = ConsequenceTestDraft(letters=("h", "b"), information="Lampiran 3", legal_basis="Pasal 17 UU 14/2008",
                            harm="Membuka data pribadi.", public_interest="Data agregat cukup.",
                            exemption_period="Selama penerima hidup.")


def at(month: int, day: int) -> datetime:
    """A day of 2026 at 10.00 WIB."""
    return datetime(2026, month, day, 3, 0, tzinfo=UTC)  # 10.00 WIB


def grant(outcome="granted_full", fee=0, **extra):
    """A notice draft granting the request (in full by default); a fee is a total outside the
    tariff, with its reason (the request must be one that may carry a fee: a copy not e-mailed).
    Without ``provide_by`` the notice promises the information by the service's default day."""
    from ppid_desk.notices.services import NoticeDraft

    return NoticeDraft(outcome=outcome, held=True, materials="DPA 2025", delivery_form="PDF",
                       fee_amount=fee, payment_method="Tunai" if fee else None,
                       fee_reason="Biaya salinan menurut kuitansi penggandaan." if fee else None, **extra)


def monev_log():
    """Eight cohort requests A–H and one withdrawn request W, through the services (except the
    two states the services refuse, written as legacy data). Calendar: July 2026 has no holidays;
    a request received Mon 6 July is due Mon 20 July (10 WD); a 7-WD extension moves it to Wed
    29 July; 17 and 25 Aug are holidays. "Today" (where the clock is left) is 30 Sep 2026.
    The ``log`` fixture (conftest.py) returns it."""
    from ppid_desk import clock
    from ppid_desk.notices.models import WrittenNotice
    from ppid_desk.notices.services import (
        DeliveryDraft,
        NoticeDraft,
        delivery_record,
        notice_issue,
        request_extend,
    )
    from ppid_desk.objections.filing_services import objection_file
    from ppid_desk.objections.response_services import objection_respond
    from ppid_desk.requests.lifecycle import request_event
    from ppid_desk.routing.services import request_route, task_answer

    file_request = register_request
    u1, u2 = make_unit(code="U1", name="Unit Satu"), make_unit(code="U2", name="Unit Dua")
    officer = make_user(email="utama@pemda.example.id", roles=("ppid_utama",), name="Rina Utama")
    clock.travel_to(at(7, 6))
    posted = {"access_method": "salinan_hardcopy", "copy_delivery": "pos"}  # B pays for its copies
    r = {key: file_request(received_at=at(7, 6), email=f"{key.lower()}@example.id", **(posted if key == "B" else {}))
         for key in "ABCDEFGW"}

    def act(month, day, fn, **kwargs):
        clock.travel_to(at(month, day))
        result = fn(actor=officer, at=at(month, day), **kwargs)
        db.session.commit()
        return result

    # A: routed to U1 (1 WD), answered (2 WD later, by the internal due), granted in 4 WD, delivered in 5 WD.
    [task] = act(7, 7, request_route, item=r["A"], unit_ids=[u1.id], instruction="Siapkan DPA.",
                 internal_due=date(2026, 7, 14), notify=False)
    act(7, 9, task_answer, item=r["A"], task=task, answer_text="Terlampir.")
    act(7, 10, notice_issue, item=r["A"], draft=grant(), notify=False)
    act(7, 13, delivery_record, item=r["A"], draft=DeliveryDraft(method="in_person"), notify=False)
    # B: extended validly on 15 July (to 29 July), partial grant with a fee on 27 July (15 WD).
    act(7, 15, request_extend, item=r["B"], reason="Dokumen tersebar di beberapa bidang.", working_days=7,
        notify=False)
    act(7, 27, notice_issue, item=r["B"], draft=grant("granted_partial", fee=10000, redactions="NIK",
                                                     consequence=TEST), notify=False)
    # C: "extended" on 22 July, after its due (the service refuses: logged directly), granted 24 July (14 WD).
    clock.travel_to(at(7, 22))
    request_event(actor=officer, item=r["C"], kind="extended", at=at(7, 22),
                  changes={"extended_due": date(2026, 7, 31), "due_date": date(2026, 7, 31),
                           "extension_reason": "Terlambat diperpanjang."}, data={"working_days": 7})
    db.session.commit()
    act(7, 24, notice_issue, item=r["C"], draft=grant(), notify=False)
    # D: late notice (not held) on 22 July (12 WD); objection filed 23 July, answered late (upheld).
    act(7, 22, notice_issue, item=r["D"], draft=NoticeDraft(outcome="not_held", held=False, holder_unknown=True),
        notify=False)
    # E: routed to U1 on 8 July (2 WD), never answered: open and overdue.
    act(7, 8, request_route, item=r["E"], unit_ids=[u1.id], instruction="Siapkan data.",
        internal_due=date(2026, 7, 14), notify=False)
    # F: refused with Pasal 17 letters and a consequence test on 14 July (6 WD); objection answered on time.
    act(7, 14, notice_issue, item=r["F"], draft=NoticeDraft(outcome="refused", held=True, consequence=TEST),
        notify=False)
    # G: refused on 8 July (2 WD) with a letter but no consequence test (notice row written directly).
    clock.travel_to(at(7, 8))
    request_event(actor=officer, item=r["G"], kind="notice_issued", at=at(7, 8),
                  changes={"status": "closed", "notice_at": at(7, 8), "closed_at": at(7, 8),
                           "outcome": "refused", "pasal17_basis": "c", "fee_amount": 0},
                  data={"number": "G-1", "held": True, "pasal17": ["c"]})
    db.session.add(WrittenNotice(request_id=r["G"].id, number="G-1", outcome="refused", held=True,
                                 fee_amount=0, issued_at=at(7, 8), issued_by_id=officer.id))
    # W: withdrawn (counts only in outcomes).
    request_event(actor=officer, item=r["W"], kind="withdrawn", at=at(7, 8),
                  changes={"status": "withdrawn", "outcome": "withdrawn", "closed_at": at(7, 8)})
    db.session.commit()
    # Objections: on F (filed 15 July, due 28 Aug, overturned on 3 Aug) and on D (filed 23 July, due 7 Sep,
    # upheld on 9 Sep: late).
    objections = {}
    for key, grounds, filed in (("F", ["a"], at(7, 15)), ("D", ["g"], at(7, 23))):
        clock.travel_to(filed)
        objections[key] = objection_file(actor=None, request=r[key], grounds=grounds, case_summary="Kasus.",
                                         intended_use="Pengawasan.", representative_name=None, documents=[],
                                         filed_at=filed, channel="online", notify=False)
        db.session.commit()
    assert (objections["F"].response_due, objections["D"].response_due) == (date(2026, 8, 28), date(2026, 9, 7))
    clock.travel_to(at(8, 3))
    objection_respond(actor=officer, objection=objections["F"], decision="overturned_full", reasons="Terbuka.",
                      release_by=date(2026, 8, 10), settlement=None, expected_version=None, notify=False)
    db.session.commit()
    clock.travel_to(at(9, 9))
    objection_respond(actor=officer, objection=objections["D"], decision="upheld", reasons="Tidak dikuasai.",
                      release_by=None, settlement=None, expected_version=None, notify=False)
    db.session.commit()
    # H: received 28 Sep, due 12 Oct: open and not yet due (not counted); routed to U2 the next day (1 WD).
    clock.travel_to(at(9, 28))
    r["H"] = file_request(received_at=at(9, 28), email="h@example.id")
    act(9, 29, request_route, item=r["H"], unit_ids=[u2.id], instruction="Siapkan.",
        internal_due=date(2026, 10, 5), notify=False)
    clock.travel_to(at(9, 30))
    assert {k: v.notice_due for k, v in r.items() if k in "AH"} == {"A": date(2026, 7, 20), "H": date(2026, 10, 12)}
    return r


def exemption_draft(unit, **overrides):
    """A complete exemption decision as typed (exemptions.services.ExemptionDraft)."""
    from ppid_desk.exemptions.services import ExemptionDraft

    values = dict(unit_id=unit.id, title="Berkas penyidikan pelanggaran Perda 12/2026",
                  description="Berita acara pemeriksaan dan laporan penyidikan perkara nomor 12/PPNS/2026.",
                  pasal17_letter="a", legal_basis="KUHAP Pasal 1 angka 2; UU 8/1981.",
                  harm="Membuka berkas menghambat proses penyidikan yang sedang berjalan.",
                  public_interest="Kepentingan publik atas penegakan Perda yang transparan.",
                  weighing="Penyidikan yang gagal merugikan publik lebih besar daripada keterbukaan sekarang.",
                  period="5 tahun", ends_on=date(2031, 3, 1), official_name="Dra. Rina Kusuma",
                  official_position="Kepala Dinas Komunikasi dan Informatika", official_nip="197001011990032001",
                  decided_place="Bandung", decided_on=date(2026, 3, 2))
    values.update(overrides)
    return ExemptionDraft(**values)


def make_exemption(unit, *, actor, approver=None, status="draft", **overrides):
    """An exemption decision through its services, committed: a draft, submitted, approved
    (by ``approver``, a PPID Utama user) or revoked."""
    from ppid_desk.exemptions.services import (
        exemption_approve,
        exemption_create,
        exemption_revoke,
        exemption_submit,
    )

    decision = exemption_create(actor=actor, draft=exemption_draft(unit, **overrides))
    if status in ("submitted", "approved", "revoked"):
        exemption_submit(actor=actor, decision=decision)
    if status in ("approved", "revoked"):
        exemption_approve(actor=approver or actor, decision=decision)
    if status == "revoked":
        exemption_revoke(actor=approver or actor, decision=decision, reason="Hasil peninjauan kembali.")
    db.session.commit()
    return decision


def make_dip_item(unit, *, officer, approver=None, title="Laporan Keuangan Tahun 2025", status="published",
                  today: date = date(2026, 3, 2)):
    """A catalogue item of ``unit`` written by ``officer`` (a unit officer) through the services,
    committed: a draft, or published (approved by ``approver``, a PPID Utama user) with one PDF, or
    published and then withdrawn."""
    import io

    from werkzeug.datastructures import FileStorage

    from ppid_desk.dip.services import (
        ItemDraft,
        document_add,
        item_approve,
        item_create,
        item_withdraw,
    )
    from tests.helpers import text_pdf

    item = item_create(actor=officer, draft=ItemDraft(
        title=title, summary=f"Ringkasan {title}.", category="setiap_saat", unit_id=unit.id, official="Kepala",
        made_when="2025", made_where="Kantor", format="softcopy", retention="5 tahun", external_url="",
        review_months=None))
    document_add(actor=officer, item=item, storage=FileStorage(io.BytesIO(text_pdf(title)), "dokumen.pdf"))
    if status in ("published", "withdrawn"):
        item_approve(actor=approver, item=item, today=today)
    if status == "withdrawn":
        item_withdraw(actor=approver, item=item, reason="Diganti versi baru.")
    db.session.commit()
    return item


def make_consultation(unit, *, actor, occurred_at=None, withdrawn: bool = False, **overrides):
    """A consultation served by ``unit`` through its service, committed (by default an hour ago,
    a walk-in answered on the spot, no contact kept); ``withdrawn`` withdraws it afterwards."""
    from ppid_desk.consultations.services import (
        ConsultationDraft,
        consultation_log,
        consultation_withdraw,
    )
    from ppid_desk.dbtypes import utcnow

    values = dict(occurred_at=occurred_at or utcnow() - timedelta(hours=1), channel="walk_in",
                  topic="Menanyakan jadwal penyaluran bantuan sosial tahun ini; dijawab dari pengumuman.",
                  unit_id=unit.id, resolution="answered")
    values.update(overrides)
    consultation = consultation_log(actor=actor, draft=ConsultationDraft(**values))
    if withdrawn:
        consultation_withdraw(actor=actor, consultation=consultation, reason="Tercatat dua kali.")
    db.session.commit()
    return consultation


def evaluation_document(*, system: bool = False, **overrides):
    """A small questionnaire document with one question of every kind, in two weighted categories
    (hand-computable scores; tests/test_evaluation_scoring.py works them out). ``system``: category
    B also has B4, a number the system answers (the median working days to the written notice)."""
    document = {
        "code": "uji", "title": "Kuesioner uji", "description": "",
        "categories": [
            {"key": "A", "title": "Kategori A", "weight": 60, "questions": [
                {"key": "A1", "kind": "yes_no", "text": "Ada SK PPID?", "score": 10},
                {"key": "A2", "kind": "single_choice", "text": "DIP?", "options": [
                    {"key": "baru", "label": "Mutakhir", "score": 10}, {"key": "lama", "label": "Lama", "score": 4},
                    {"key": "tidak", "label": "Tidak ada", "score": 0}]},
                {"key": "A3", "kind": "multiple_choice", "text": "Kanal?", "score": 10, "options": [
                    {"key": "web", "label": "Laman", "score": 6}, {"key": "mail", "label": "E-mail", "score": 3},
                    {"key": "wa", "label": "WA", "score": 3}]},
                {"key": "A4", "kind": "text", "text": "Kendala?"},
            ]},
            {"key": "B", "title": "Kategori B", "weight": 40, "questions": [
                {"key": "B1", "kind": "number", "text": "Hari kerja?", "unit": "hari", "scale": [
                    {"min": 0, "max": 10, "score": 20}, {"min": 10.01, "max": 17, "score": 10},
                    {"min": 17.01, "max": None, "score": 0}]},
                {"key": "B2", "kind": "evidence", "text": "Foto meja layanan", "score": 5},
                {"key": "B3", "kind": "yes_no", "text": "Ada SOP?", "score": 5, "evidence": "required"},
            ]},
        ]}
    if system:
        document["categories"][1]["questions"].append(
            {"key": "B4", "kind": "number", "text": "Median hari kerja sampai pemberitahuan?", "unit": "hari",
             "source": "requests.median_days", "scale": [{"min": 0, "max": 10, "score": 10},
                                                         {"min": 10.01, "max": None, "score": 0}]})
    document.update(overrides)
    return document


def make_evaluation_round(units, *, actor, document=None, opens_on=date(2026, 7, 1), closes_on=date(2026, 7, 31)):
    """A monev round over ``units`` (a list), opened by ``actor`` (a PPID Utama user) with the
    questionnaire ``document`` (``evaluation_document()`` by default), through the services; committed."""
    from datetime import timedelta

    from ppid_desk.evaluation.services import RoundDraft, questionnaire_save, round_create

    version = questionnaire_save(actor=actor, document=document or evaluation_document(), note="uji")
    evaluation = round_create(actor=actor, draft=RoundDraft(
        year=opens_on.year, title=f"Monev {opens_on.year}", version_id=version.id, scope="list", scope_unit_id=None,
        unit_ids=tuple(unit.id for unit in units), opens_on=opens_on, closes_on=closes_on,
        verify_from=closes_on + timedelta(days=1), verify_until=closes_on + timedelta(days=14),
        objection_from=closes_on + timedelta(days=15), objection_until=closes_on + timedelta(days=21)))
    db.session.commit()
    return evaluation


def evaluation_results_document(**overrides):
    """A questionnaire whose totals land on the band edges (tests/test_evaluation_results.py works
    them out): A "Pengelolaan PPID" (1000 possible): A1 yes 100; A2 one of 900 / 700 / 698 / 0;
    A3 free text. B "Sarana" (10 possible): B1 yes 10. Equal weights:
    total = (100 × A points / 1000 + 100 × B points / 10) / 2."""
    document = {
        "code": "hasil", "title": "Monev hasil", "description": "",
        "categories": [
            {"key": "A", "title": "Pengelolaan PPID", "weight": 1, "questions": [
                {"key": "A1", "kind": "yes_no", "text": "Ada SK PPID?", "score": 100},
                {"key": "A2", "kind": "single_choice", "text": "Daftar Informasi Publik mutakhir?", "options": [
                    {"key": "lengkap", "label": "Lengkap", "score": 900}, {"key": "cukup", "label": "Cukup", "score": 700},
                    {"key": "hampir", "label": "Hampir cukup", "score": 698},
                    {"key": "tidak", "label": "Tidak ada", "score": 0}]},
                {"key": "A3", "kind": "text", "text": "Kendala?"}]},
            {"key": "B", "title": "Sarana", "weight": 1, "questions": [
                {"key": "B1", "kind": "yes_no", "text": "Ada meja layanan?", "score": 10}]},
        ]}
    document.update(overrides)
    return document


def submit_results_answers(officer, participant, answers, today):
    """The unit's answers (A1, A2, B1) to ``evaluation_results_document``, saved and submitted on
    ``today`` through the services; committed."""
    from ppid_desk.evaluation.services import answers_save, participant_submit

    a1, a2, b1 = answers
    answers_save(actor=officer, participant=participant, category_key="A",
                 raw={"A1": [a1], "A2": [a2], "A3": ["Anggaran terbatas."]}, notes={"A1": "SK 5/2026"}, today=today)
    answers_save(actor=officer, participant=participant, category_key="B", raw={"B1": [b1]}, notes={}, today=today)
    participant_submit(actor=officer, participant=participant, today=today)
    db.session.commit()


def make_survey_responses(unit, rows, *, year=2026, month=7):
    """Satisfaction-survey responses about ``unit`` (None: no unit) in a month, as the survey stores
    them: anonymous, one row per response of nine scores (1–4). The survey's service needs a served
    request per response; monev and the evaluation only read the stored rows."""
    import secrets

    from ppid_desk.survey.ikm import ELEMENT_KEYS
    from ppid_desk.survey.models import SurveyResponse

    for row in rows:
        db.session.add(SurveyResponse(id=secrets.token_hex(16), unit_id=unit.id if unit else None, year=year,
                                      month=month, suggestion=None, **dict(zip(ELEMENT_KEYS, row, strict=True))))
    db.session.commit()
