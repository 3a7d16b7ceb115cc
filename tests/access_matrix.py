"""The authorisation matrix's tables and world (tests/test_authz_matrix.py asserts them; the CSRF,
URL-range and staff-on-applicant-pages tests reuse them): every route of the URL map × every role.

Each route has an explicit entry in ``GET_ACCESS`` / ``POST_ACCESS`` saying which roles may use it;
a route without an entry (or an entry without a route) fails ``test_every_route_has_an_entry``.
The arguments of each URL are filled with real objects of one small "world": citizen A's request
(identity document, a task routed to unit A with the unit's answer document, a written notice, a
delivered information file, an answered objection with a dispute) and citizen B's request with
its own objection. Every cell is requested over plain HTTP and over htmx and asserted:

* allowed  → 200 (or a redirect that is not the login page, for the few routes that redirect);
* refused  → 403 / 404, or for anonymous visitors of login-gated pages 302 to /masuk (plain) and
  401 + ``HX-Redirect`` to /masuk (htmx) — never the content.

POST routes: every refused role is refused and nothing in the database changes; every allowed
role gets through the access check (an empty form: 422, 400 or a redirect, never 403/404).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from flask import url_for
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from ppid_desk.extensions import db
from tests.helpers import pdf_bytes, png_bytes

MONDAY = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)  # 10.00 WIB
RESPONDED = datetime(2026, 4, 1, 3, 0, tzinfo=UTC)
LATER = datetime(2026, 4, 6, 3, 0, tzinfo=UTC)  # the day every cell is requested
SAFE_METHODS = {"HEAD", "OPTIONS"}

ANON, CIT_A, CIT_B = "anonymous", "citizen_a", "citizen_b"
PETUGAS, UTAMA, UNIT_RIGHT, UNIT_WRONG = "petugas", "ppid_utama", "unit_right", "unit_wrong"
ATASAN, PENGAWAS, ADMIN = "atasan", "pengawas", "admin"
ROLES = (ANON, CIT_A, CIT_B, PETUGAS, UTAMA, UNIT_RIGHT, UNIT_WRONG, ATASAN, PENGAWAS, ADMIN)

PUBLIC = frozenset(ROLES)
LOGGED_IN = PUBLIC - {ANON}
CITIZENS = frozenset({CIT_A, CIT_B})
READ_ALL = frozenset({PETUGAS, UTAMA, ATASAN, PENGAWAS, ADMIN})  # read every request
ON_REQUEST = READ_ALL | {UNIT_RIGHT}  # desk pages of citizen A's request (routed to unit A)
APPLICANT_READ = READ_ALL | {CIT_A}  # the applicant's pages: the owner, and staff who read all
OBJECTIONS = frozenset({ATASAN, UTAMA, PENGAWAS})
MONEV = frozenset({PENGAWAS, UTAMA, ATASAN, ADMIN})
REGISTERS = frozenset({PENGAWAS, UTAMA, ATASAN, PETUGAS})
IMPORT = frozenset({UTAMA, ADMIN})
INTAKE = frozenset({PETUGAS, UTAMA})
IDENTITY = frozenset({PETUGAS, UTAMA, ATASAN})
ONLY_ADMIN = frozenset({ADMIN})
ONLY_UTAMA = frozenset({UTAMA})
EXEMPTIONS = frozenset({UTAMA, UNIT_RIGHT, UNIT_WRONG})  # the register of exempt information
EXEMPTION_UNIT = frozenset({UTAMA, UNIT_RIGHT})  # a decision of unit A
DIP_EDITORS = frozenset({UTAMA, UNIT_RIGHT, UNIT_WRONG})
DIP_ITEM = frozenset({UTAMA, UNIT_RIGHT})  # the world's catalogue item belongs to unit A
CONSULTATIONS = frozenset({UTAMA, PETUGAS, UNIT_RIGHT, UNIT_WRONG})  # the log of consultations
CONSULTATION_UNIT = frozenset({UTAMA, PETUGAS, UNIT_RIGHT})  # a consultation served by unit A
EVALUATION = frozenset({UTAMA, ADMIN, UNIT_RIGHT, UNIT_WRONG})  # the internal monev's home page
INSTRUMENTS = frozenset({UTAMA, ADMIN})  # the monev questionnaires
EVALUATION_UNIT = frozenset({UTAMA, UNIT_RIGHT})  # unit A's questionnaire of the world's round (read)

# Who may GET each route (plain and htmx). Every route of the URL map must be here.
GET_ACCESS: dict[str, frozenset[str]] = {
    # public pages
    "static": PUBLIC, "pages.home": PUBLIC, "pages.set_language": PUBLIC, "pages.healthz": PUBLIC,
    "accounts.register": PUBLIC, "accounts.register_sent": PUBLIC, "accounts.resend_verification": PUBLIC,
    "accounts.verify_email": PUBLIC, "accounts.login": PUBLIC, "accounts.forgot_password": PUBLIC,
    "accounts.forgot_sent": PUBLIC, "accounts.reset_password": PUBLIC,
    "accounts.email_confirm": PUBLIC,  # the link sent to a new address (the token is the proof)
    # one's own account: everyone edits profile and password; e-mail, claim, deletion are citizens'
    "accounts.profile": LOGGED_IN, "accounts.password": LOGGED_IN,
    "accounts.email": CITIZENS, "accounts.claim": CITIZENS, "accounts.delete": CITIZENS,
    "requests.new_request": PUBLIC, "requests.track_lookup": PUBLIC, "requests.track_token": PUBLIC,
    "monev.public_statistics": PUBLIC, "monev.annual_report_public": PUBLIC,
    "monev.annual_report_public_pdf": PUBLIC,
    # the applicant's side (citizen A's request)
    "requests.my_requests": LOGGED_IN,
    "requests.detail": APPLICANT_READ, "requests.receipt": APPLICANT_READ,
    # applicant's files and receipts: the applicant; staff who read all are sent to the desk (STAFF_TO_DESK)
    "requests.notice_pdf": frozenset({CIT_A}), "requests.download_information": frozenset({CIT_A}),
    "requests.objection_receipt": frozenset({CIT_A}), "requests.objection_response_pdf": frozenset({CIT_A}),
    "requests.dispute_file": frozenset({CIT_A}), "requests.completeness_letter_pdf": frozenset({CIT_A}),
    "requests.official_letter_pdf": frozenset({CIT_A}),
    "requests.file_objection": frozenset({CIT_A}),  # acting for the applicant: the applicant only
    # the satisfaction survey: the applicant only (staff would answer in the applicant's name); the
    # e-mail's survey link opens the request like the tracking link (the token is the proof)
    "requests.survey_form": frozenset({CIT_A}), "requests.survey_link": PUBLIC,
    "requests.withdraw_request": frozenset({CIT_A}), "requests.withdraw_objection": frozenset({CIT_A}),
    # the desk
    "desk.queue": ON_REQUEST | {UNIT_WRONG},
    "routing.unit_tasks": frozenset({UNIT_RIGHT, UNIT_WRONG}),
    "desk.request_page": ON_REQUEST, "routing.task_page": ON_REQUEST, "routing.task_document": ON_REQUEST,
    "notices.notice_letter": ON_REQUEST, "notices.notice_pdf": ON_REQUEST, "notices.download_information": ON_REQUEST,
    "desk.completeness_letter_pdf": READ_ALL,  # the letter names the applicant: not a unit officer
    "desk.official_letter": READ_ALL, "desk.official_letter_pdf": READ_ALL,  # the same for the extension letter
    "desk.download_attachment": IDENTITY,  # filled with the identity document (KTP)
    "objections.objection_document": IDENTITY,  # filled with the objection's power of attorney
    "desk.register_request": INTAKE, "objections.register_objection": INTAKE,
    "objections.objection_queue": OBJECTIONS, "objections.objection_page": OBJECTIONS, "objections.dispute_page": OBJECTIONS,
    "objections.objection_letter": OBJECTIONS, "objections.objection_letter_pdf": OBJECTIONS,
    "objections.dispute_file": OBJECTIONS, "objections.objection_receipt": OBJECTIONS | {PETUGAS},
    "monev.monev_dashboard": MONEV, "monev.overdue_now": MONEV,
    "monev.annual_report_current": MONEV, "monev.annual_report": MONEV, "monev.annual_report_pdf": MONEV,
    "monev.annual_report_xlsx": MONEV, "monev.annual_report_print": MONEV, "monev.annual_report_proof": MONEV,
    # the E-Monev evidence pack: PPID Utama's (the world's 2025 report has a submission proof)
    "monev.evidence_pack_current": ONLY_UTAMA, "monev.evidence_pack": ONLY_UTAMA,
    "monev.evidence_item": ONLY_UTAMA, "monev.evidence_zip": ONLY_UTAMA,
    "monev.register_requests": REGISTERS, "monev.register_objections": REGISTERS,
    "monev.register_import": IMPORT, "monev.register_import_template": IMPORT,
    "workcalendar.calendar_admin": ONLY_ADMIN, "workcalendar.calendar_holiday_edit": ONLY_ADMIN,
    # administration: the body profile; the first administrator's set-password link; the logo
    "organisation.admin_index": ONLY_ADMIN, "organisation.body_profile_edit": ONLY_ADMIN, "organisation.number_preview": ONLY_ADMIN,
    "accounts.set_password": PUBLIC, "organisation.body_logo_image": PUBLIC,
    # the fee tariff: administered by the administrator, published to everyone
    "organisation.tariff_admin": ONLY_ADMIN, "organisation.tariff_edit": ONLY_ADMIN,
    "organisation.tariff_public": PUBLIC,
    # the Daftar Informasi Publik: public catalogue; kept by PPID Utama and the item's unit (unit A)
    "dip.catalogue": PUBLIC, "dip.item_page": PUBLIC, "dip.item_document": PUBLIC, "dip.dip_export_xlsx": PUBLIC, "dip.dip_export_pdf": PUBLIC, "dip.suggestions": PUBLIC,
    "dip.request_summary_page": PUBLIC,
    "dip.sitemap": PUBLIC, "dip.robots": PUBLIC, "monev.annual_report_index": PUBLIC,
    "dip.desk_list": DIP_EDITORS, "dip.desk_new": DIP_EDITORS,
    "dip.desk_item": DIP_ITEM, "dip.desk_document": DIP_ITEM,
    # units (organisation/): the admin pages, and the picker's search every desk form uses
    "organisation.unit_index": ONLY_ADMIN, "organisation.unit_create": ONLY_ADMIN, "organisation.unit_edit": ONLY_ADMIN,
    "organisation.unit_import": ONLY_ADMIN, "organisation.unit_import_template": ONLY_ADMIN,
    "organisation.unit_search": READ_ALL | {UNIT_RIGHT, UNIT_WRONG},
    # officer administration (the target is the wrong unit's officer) and the invitation link
    "accounts.officer_list": ONLY_ADMIN, "accounts.officer_invite_page": ONLY_ADMIN,
    "accounts.officer_page": ONLY_ADMIN, "accounts.officer_import_page": ONLY_ADMIN,
    "accounts.officer_import_template": ONLY_ADMIN, "accounts.accept_invitation": PUBLIC,
    # the register of exempt information: PPID Utama (all), PPID Pembantu (their unit's: unit A's here)
    "exemptions.decision_list": EXEMPTIONS, "exemptions.decision_new": EXEMPTIONS,
    "exemptions.decision_page": EXEMPTION_UNIT, "exemptions.decision_edit": EXEMPTION_UNIT,
    "exemptions.decision_pdf": EXEMPTION_UNIT, "exemptions.annex_pdf": ONLY_UTAMA,
    "exemptions.public_register_page": PUBLIC,
    # consultations: PPID Utama and the desk officers (all), PPID Pembantu (their unit's: unit A's
    # here); turning one into a request is the desk's registration
    "consultations.consultation_list": CONSULTATIONS, "consultations.consultation_new": CONSULTATIONS,
    "consultations.consultation_page": CONSULTATION_UNIT, "consultations.consultation_edit": CONSULTATION_UNIT,
    "consultations.consultation_convert_view": INTAKE,
    "evaluation.home": EVALUATION, "evaluation.questionnaire_list": INSTRUMENTS,
    "evaluation.questionnaire_page": INSTRUMENTS, "evaluation.questionnaire_export": INSTRUMENTS,
    "evaluation.questionnaire_edit_page": INSTRUMENTS, "evaluation.round_new": ONLY_UTAMA,
    "evaluation.round_page": ONLY_UTAMA, "evaluation.fill_page": EVALUATION_UNIT,
    "evaluation.evidence_file": EVALUATION_UNIT,
    # a round's results: the ranking and the round report are PPID Utama's; a unit's results page
    # and report are PPID Utama's and the unit's own (unit A's here); the published results are public
    "evaluation.round_report_pdf": ONLY_UTAMA, "evaluation.round_report_xlsx": ONLY_UTAMA,
    "evaluation.unit_result_page": EVALUATION_UNIT, "evaluation.unit_report_pdf": EVALUATION_UNIT,
    "evaluation.unit_report_xlsx": EVALUATION_UNIT,
    "evaluation.public_results": PUBLIC, "evaluation.public_round_results": PUBLIC,  # the world's published 2025 round
    # verification: PPID Utama's verifiers (the overview of the round, one unit's answers)
    "evaluation.verify_round": ONLY_UTAMA, "evaluation.verify_page": ONLY_UTAMA,
}

# Who may POST to each route. Every route accepting POST must be here.
POST_ACCESS: dict[str, frozenset[str]] = {
    "accounts.register": PUBLIC, "accounts.resend_verification": PUBLIC, "accounts.login": PUBLIC,
    "accounts.logout": PUBLIC, "accounts.forgot_password": PUBLIC, "accounts.reset_password": PUBLIC,
    "requests.new_request": PUBLIC, "requests.track_lookup": PUBLIC,
    # acting for the applicant on citizen A's request: the applicant only (staff have the desk)
    "requests.file_objection": frozenset({CIT_A}), "requests.complete_request": frozenset({CIT_A}),
    "requests.record_dispute": frozenset({CIT_A}), "requests.revoke_tracking_link": frozenset({CIT_A}),
    "requests.withdraw_request": frozenset({CIT_A}), "requests.withdraw_objection": frozenset({CIT_A}),
    "requests.survey_submit_view": frozenset({CIT_A}),
    "accounts.profile": LOGGED_IN, "accounts.password": LOGGED_IN,
    "accounts.email": CITIZENS, "accounts.claim": CITIZENS, "accounts.delete": CITIZENS,
    "desk.register_request": INTAKE, "desk.accept_request": INTAKE, "desk.mark_incomplete": INTAKE,
    "desk.completeness_letter_handover": INTAKE, "desk.close_not_completed": INTAKE,
    "desk.official_letter_handover": INTAKE,
    "objections.register_objection": INTAKE,
    "requests.record_withdrawal": INTAKE, "requests.record_objection_withdrawal": INTAKE,
    "desk.add_note": frozenset({PETUGAS, UTAMA, UNIT_RIGHT, ATASAN}),
    "desk.reveal_identity": IDENTITY,
    "routing.route_request": ONLY_UTAMA, "routing.reassign_task": ONLY_UTAMA,
    # the queue: route the ticked requests; assign a request to an officer; one's own saved filters
    "desk.bulk_route": ONLY_UTAMA, "desk.assign_request": INTAKE,
    "desk.save_filter": READ_ALL | {UNIT_RIGHT, UNIT_WRONG},
    "desk.delete_saved_filter": READ_ALL | {UNIT_RIGHT, UNIT_WRONG},  # another's filter: "not there any more"
    "routing.answer_task": frozenset({UNIT_RIGHT}), "routing.return_task": frozenset({UNIT_RIGHT}),
    "notices.notice_issue": ONLY_UTAMA, "notices.request_extend": ONLY_UTAMA, "notices.request_close": ONLY_UTAMA,
    "notices.delivery_record": frozenset({UTAMA, PETUGAS}), "notices.letter_receipt": INTAKE,
    "objections.response_receipt": frozenset({UTAMA, ATASAN}),
    "objections.release_complied": ONLY_UTAMA, "objections.objection_account": ONLY_UTAMA,
    "objections.objection_respond": frozenset({ATASAN}),
    "objections.dispute_record": frozenset({UTAMA, ATASAN}), "objections.dispute_number": frozenset({UTAMA, ATASAN}),
    "objections.dispute_stage": frozenset({UTAMA, ATASAN}), "objections.dispute_outcome": frozenset({UTAMA, ATASAN}),
    "objections.dispute_court": frozenset({UTAMA, ATASAN}),
    "objections.dispute_court_decision": frozenset({UTAMA, ATASAN}),
    "objections.dispute_court_hearing": frozenset({UTAMA, ATASAN}),
    "objections.dispute_compliance": frozenset({UTAMA, ATASAN}),
    "objections.objection_reaction": frozenset({UTAMA, ATASAN}),
    "monev.annual_report_save": ONLY_UTAMA, "monev.annual_report_submission": ONLY_UTAMA,
    "monev.register_import": IMPORT,
    "workcalendar.calendar_holiday_add": ONLY_ADMIN, "workcalendar.calendar_holiday_edit": ONLY_ADMIN,
    "workcalendar.calendar_holiday_deactivate": ONLY_ADMIN, "workcalendar.calendar_holiday_reactivate": ONLY_ADMIN,
    "workcalendar.calendar_year_import": ONLY_ADMIN,
    "accounts.officer_invite_page": ONLY_ADMIN, "accounts.officer_page": ONLY_ADMIN,
    "accounts.officer_deactivate_page": ONLY_ADMIN, "accounts.officer_reactivate_page": ONLY_ADMIN,
    "accounts.officer_resend_page": ONLY_ADMIN, "accounts.officer_import_page": ONLY_ADMIN,
    "accounts.accept_invitation": PUBLIC,
    "organisation.unit_create": ONLY_ADMIN, "organisation.unit_edit": ONLY_ADMIN, "organisation.unit_deactivate": ONLY_ADMIN,
    "organisation.unit_reactivate": ONLY_ADMIN, "organisation.unit_import": ONLY_ADMIN,
    "organisation.body_profile_update": ONLY_ADMIN, "accounts.set_password": PUBLIC,
    "organisation.tariff_create": ONLY_ADMIN, "organisation.tariff_edit": ONLY_ADMIN,
    "organisation.tariff_deactivate": ONLY_ADMIN, "organisation.tariff_reactivate": ONLY_ADMIN,
    "exemptions.decision_new": EXEMPTIONS, "exemptions.decision_edit": EXEMPTION_UNIT,
    "exemptions.decision_submit": EXEMPTION_UNIT, "exemptions.decision_approve": ONLY_UTAMA,
    "exemptions.decision_return": ONLY_UTAMA, "exemptions.decision_revoke": ONLY_UTAMA,
    "dip.desk_new": DIP_EDITORS, "dip.desk_update": DIP_ITEM, "dip.desk_document_add": DIP_ITEM,
    "dip.desk_document_remove": DIP_ITEM, "dip.desk_submit": DIP_ITEM, "dip.desk_review": DIP_ITEM,
    "dip.desk_approve": ONLY_UTAMA, "dip.desk_return": ONLY_UTAMA, "dip.desk_withdraw": ONLY_UTAMA,
    "dip.answer_publish": DIP_ITEM,  # on citizen A's request (routed to unit A): PPID Utama and unit A
    "dip.item_viewed": PUBLIC,  # the view counter of a published item's page (204; unpublished: 404)
    "consultations.consultation_new": CONSULTATIONS, "consultations.consultation_edit": CONSULTATION_UNIT,
    "consultations.consultation_withdraw_view": CONSULTATION_UNIT, "consultations.consultation_convert_view": INTAKE,
    "evaluation.questionnaire_load": INSTRUMENTS, "evaluation.questionnaire_import": INSTRUMENTS,
    "evaluation.questionnaire_edit_page": INSTRUMENTS, "evaluation.round_new": ONLY_UTAMA,
    # a unit answers only its own questionnaire; PPID Utama reads it but does not answer for it
    "evaluation.fill_save": frozenset({UNIT_RIGHT}), "evaluation.evidence_upload": frozenset({UNIT_RIGHT}),
    "evaluation.evidence_delete": frozenset({UNIT_RIGHT}), "evaluation.fill_submit": frozenset({UNIT_RIGHT}),
    "evaluation.results_publish_view": ONLY_UTAMA, "evaluation.results_unpublish_view": ONLY_UTAMA,
    # a verifier accepts/returns an answer and decides objections; the unit responds and objects
    "evaluation.verify_decide": ONLY_UTAMA, "evaluation.verify_objection": ONLY_UTAMA,
    "evaluation.review_respond": frozenset({UNIT_RIGHT}), "evaluation.review_object": frozenset({UNIT_RIGHT}),
    "evaluation.fill_system_refresh": frozenset({UNIT_RIGHT}),
}

# The applicant's pages of which the desk has its own: staff who read every request are sent there
# (303 to exactly this desk URL), so nothing they do is logged as the applicant's. The desk URL's
# own entry above says who then gets it.
STAFF_TO_DESK = {
    "requests.notice_pdf": "notices.notice_pdf", "requests.download_information": "notices.download_information",
    "requests.objection_receipt": "objections.objection_receipt",
    "requests.objection_response_pdf": "objections.objection_letter_pdf", "requests.dispute_file": "objections.dispute_file",
    "requests.completeness_letter_pdf": "desk.completeness_letter_pdf",
    "requests.official_letter_pdf": "desk.official_letter_pdf",
}

# Allowed GETs that answer with a redirect (to somewhere other than the login page).
REDIRECTING = {"pages.set_language", "requests.track_token", "requests.survey_link", "monev.annual_report_current",
               "monev.evidence_pack_current",
               "accounts.verify_email",
               # citizen A's request has its notice and its objection an answer: nothing to withdraw
               "requests.withdraw_request", "requests.withdraw_objection"}
# Public pages a logged-in user is sent away from (e.g. the login page → home).
REDIRECT_WHEN_LOGGED_IN = {"accounts.login", "accounts.register", "accounts.forgot_password",
                           "accounts.resend_verification", "accounts.reset_password",
                           "accounts.register_sent", "accounts.forgot_sent"}


# --- the world ----------------------------------------------------------------------------------

@dataclass
class World:
    clients: dict
    ids: dict = field(default_factory=dict)


def _stage(app, purpose: str, name: str, content: bytes):
    from ppid_desk.attachments.services import attachment_stage

    with app.test_request_context():
        return attachment_stage(field="document", purpose=purpose, storage=FileStorage(io.BytesIO(content), name))


def build_world(app, clock, make_unit, officer_client, file_request) -> World:
    from ppid_desk.accounts.models import User
    from ppid_desk.attachments.models import Visibility
    from ppid_desk.attachments.services import attachment_claim
    from ppid_desk.desk.intake_services import request_accept, request_mark_incomplete
    from ppid_desk.desk.queue_models import SavedQueueFilter
    from ppid_desk.monev.models import AnnualReport
    from ppid_desk.notices.services import request_extend
    from ppid_desk.objections.dispute_services import dispute_record
    from ppid_desk.organisation.tariff_services import TariffDraft, tariff_line_create
    from ppid_desk.routing.services import request_route
    from ppid_desk.workcalendar.models import Holiday
    from tests.factories import make_consultation, make_exemption, make_objection
    from tests.helpers import issue_with_preview, notice_form

    clock.travel_to(MONDAY)
    unit_a, unit_b = make_unit("UNITA", "Dinas A"), make_unit("UNITB", "Dinas B")
    spec = {CIT_A: ("pemohon", None), CIT_B: ("pemohon", None), PETUGAS: ("petugas", None),
            UTAMA: ("ppid_utama", None), UNIT_RIGHT: ("pembantu", unit_a), UNIT_WRONG: ("pembantu", unit_b),
            ATASAN: ("atasan", None), PENGAWAS: ("pengawas", None), ADMIN: ("admin", None)}
    clients = {ANON: app.test_client()}
    for name, (role, unit) in spec.items():
        clients[name] = officer_client(role, unit=unit)
    user = {name: db.session.scalar(select(User).where(User.email == clients[name].user_email)) for name in spec}

    item = file_request(owner=user[CIT_A], email=user[CIT_A].email)
    other = file_request(owner=user[CIT_B], email=user[CIT_B].email, name="Ani Lain")
    identity = _stage(app, "identity_document", "ktp.png", png_bytes())
    attachment_claim(identity, request_id=item.id)
    other_identity = _stage(app, "identity_document", "ktp-lain.png", png_bytes())
    attachment_claim(other_identity, request_id=other.id)
    # citizen A's request was incomplete once: it has an incomplete-notice letter
    letter = request_mark_incomplete(actor=user[PETUGAS], item=item, missing_items="Surat kuasa.")
    request_accept(actor=user[PETUGAS], item=item)
    [task] = request_route(actor=user[UTAMA], item=item, unit_ids=[unit_a.id], instruction="Siapkan DPA",
                           internal_due=item.notice_due, notify=False)
    # extended before its notice: it has a numbered extension letter
    extension = request_extend(actor=user[UTAMA], item=item, reason="Informasi dikumpulkan dari dua unit kerja.",
                               working_days=7, notify=False)
    answer = _stage(app, "unit_answer", "jawaban.pdf", pdf_bytes())
    answer.task_id, answer.staged_token = task.id, None
    db.session.commit()
    assert issue_with_preview(clients[UTAMA], f"/meja/permohonan/{item.id}/pemberitahuan",
                              notice_form(item)).status_code == 303
    information = _stage(app, "information", "dpa-2025.pdf", pdf_bytes())
    attachment_claim(information, request_id=item.id)
    information.visibility = Visibility.APPLICANT
    other_information = _stage(app, "information", "lain.pdf", pdf_bytes())
    attachment_claim(other_information, request_id=other.id)
    other_information.visibility = Visibility.APPLICANT
    holiday = Holiday(day=date(2026, 6, 17), kind="local_closure", name="Hari jadi kota (uji akses)")
    tariff = tariff_line_create(actor=None, draft=TariffDraft(
        kind="copy", name="A4 hitam-putih", price=500, decree_number="100/1/2026", decree_date=date(2026, 1, 2),
        effective_from=date(2026, 1, 2)))
    saved = SavedQueueFilter(user_id=user[UTAMA].id, name="Terlambat", query="tenggat=overdue")
    db.session.add_all([holiday, saved, AnnualReport(year=2025, published=True, policy="Kebijakan layanan.")])
    db.session.commit()
    # unit A's exemption decisions: a draft (edited, submitted) and an approved one (PDF, revoked)
    draft_exemption = make_exemption(unit_a, actor=user[UNIT_RIGHT])
    approved_exemption = make_exemption(unit_a, actor=user[UNIT_RIGHT], approver=user[UTAMA], status="approved",
                                        title="Data pribadi pegawai", pasal17_letter="h", ends_on=None)
    dip_item, dip_document = _dip_item(user[UNIT_RIGHT], user[UTAMA], unit_a, answered=item)
    consultation = make_consultation(unit_a, actor=user[UNIT_RIGHT])
    evaluation, participant, evidence, evaluation_answer, system_evidence = _evaluation(app, user[UTAMA], unit_a, unit_b)
    objection = make_objection(item, responded_at=RESPONDED)
    other_objection = make_objection(other, responded_at=RESPONDED)
    # one file of every other purpose: the request's power of attorney and completion, the
    # objection's power of attorney and its paper letter
    proof = _stage(app, "annual_report_proof", "tanda-terima-ki.pdf", pdf_bytes())
    proof.annual_report_year, proof.staged_token = 2025, None
    documents = {"identity_document": identity.id, "unit_answer": answer.id, "information": information.id,
                 "dip_document": dip_document, "evaluation_evidence": evidence, "annual_report_proof": proof.id,
                 "evaluation_system": system_evidence}
    for purpose, name, content in (("power_of_attorney", "kuasa.pdf", pdf_bytes()),
                                   ("completion", "lengkap.pdf", pdf_bytes()),
                                   ("objection_attorney", "kuasa-keberatan.png", png_bytes()),
                                   ("objection_document", "surat-keberatan.pdf", pdf_bytes()),
                                   ("letter_receipt", "resi-pos.png", png_bytes())):
        document = _stage(app, purpose, name, content)
        attachment_claim(document, request_id=item.id)
        if purpose.startswith("objection_"):
            document.objection_id = objection.id
        documents[purpose] = document.id
    db.session.commit()
    clock.travel_to(LATER)
    dispute_record(actor=None, objection=objection, level="pusat", filed_date=date(2026, 4, 2))
    db.session.commit()
    ids = {"item": item.id, "other": other.id, "token": item.tracking_token, "other_token": other.tracking_token,
           "task": task.id, "identity": identity.id, "other_identity": other_identity.id, "answer": answer.id,
           "information": information.id, "other_information": other_information.id,
           "objection": objection.id, "other_objection": other_objection.id, "holiday": holiday.id,
           "objection_attorney": documents["objection_attorney"], "documents": documents, "unit": unit_b.id,
           "user": user[UNIT_WRONG].id, "letter": letter.id, "tariff": tariff.id,
           "official_letter": extension.id, "saved": saved.id, "exemption": draft_exemption.id,
           "approved_exemption": approved_exemption.id, "dip_item": dip_item, "dip_document": dip_document,
           "consultation": consultation.id, "questionnaire": evaluation.version.questionnaire_id,
           "round": evaluation.id, "participant": participant, "evidence": evidence,
           "published_round": _published_round(user[UTAMA], unit_a, unit_b),
           "evaluation_answer": evaluation_answer}
    return World(clients=clients, ids=ids)


def _evaluation(app, utama, unit_a, unit_b):
    """A monev round of units A and B, open on the day every cell is requested, and one evidence
    file of unit A's answer (whose id the verification routes take), and one PDF generated by the
    desk for it."""
    from ppid_desk.evaluation.models import Answer
    from tests.factories import make_evaluation_round

    evaluation = make_evaluation_round([unit_a, unit_b], actor=utama, opens_on=date(2026, 4, 1),
                                       closes_on=date(2026, 4, 30))
    participant = next(p for p in evaluation.participants if p.unit_id == unit_a.id)
    answer = Answer(participant_id=participant.id, question_key="B2", value=None, note="")
    db.session.add(answer)
    db.session.flush()
    evidence = _stage(app, "evaluation_evidence", "meja-layanan.png", png_bytes())
    evidence.evaluation_answer_id, evidence.staged_token = answer.id, None
    generated = _stage(app, "evaluation_system", "bukti-sistem.pdf", pdf_bytes())  # as the desk's own PDF
    generated.evaluation_answer_id, generated.staged_token = answer.id, None
    db.session.commit()
    return evaluation, participant.id, evidence.id, answer.id, generated.id


def _published_round(utama, unit_a, unit_b) -> int:
    """Last year's monev round of units A and B, finished, its results published (the public page)."""
    from ppid_desk.evaluation.results_services import results_publish
    from tests.factories import make_evaluation_round

    evaluation = make_evaluation_round([unit_a, unit_b], actor=utama, opens_on=date(2025, 7, 1),
                                       closes_on=date(2025, 7, 31))
    results_publish(actor=utama, evaluation=evaluation, today=date(2026, 4, 6))
    db.session.commit()
    return evaluation.id


def _dip_item(unit_officer, utama, unit, answered) -> tuple[int, int]:
    """A published catalogue item of unit A with one document, standing as the published answer
    of request ``answered`` (so its public request summary exists)."""
    from ppid_desk.dip.services import ItemDraft, document_add, item_approve, item_create

    item = item_create(actor=unit_officer, draft=ItemDraft(
        title="Rencana Kerja 2026", summary="Rencana kerja tahunan.", category="berkala", unit_id=unit.id,
        official="Kepala Dinas A", made_when="2026", made_where="Dinas A", format="softcopy", retention="5 tahun",
        external_url="", review_months=6))
    document = document_add(actor=unit_officer, item=item,
                            storage=FileStorage(io.BytesIO(pdf_bytes()), "renja-2026.pdf"))
    item_approve(actor=utama, item=item, today=date(2026, 3, 2))
    item.source_request_id, item.request_summary = answered.id, "Rencana kerja dinas tahun 2026."
    db.session.commit()
    return item.id, document.id


def stub_pdfs(monkeypatch) -> None:
    """Drawing a PDF takes ~0.5 s and is tested elsewhere; here only who gets it matters."""
    def stub(*args, **kwargs) -> bytes:
        return b"%PDF-1.4\n% stub for the access matrix\n%%EOF\n"

    for target in ("ppid_desk.notices.pdf.notice_pdf", "ppid_desk.objections.response_views.response_pdf",
                   "ppid_desk.objections.dispute_file.response_pdf", "ppid_desk.objections.dispute_file.receipt_pdf",
                   "ppid_desk.monev.annual_pdf.annual_pdf", "ppid_desk.desk.incomplete_views.completeness_letter_pdf",
                   "ppid_desk.desk.letter_views.official_letter_pdf", "ppid_desk.exemptions.pdf.decision_pdf",
                   "ppid_desk.exemptions.pdf.annex_pdf", "ppid_desk.evaluation.results_pdf.round_report_pdf",
                   "ppid_desk.evaluation.results_pdf.unit_report_pdf"):
        monkeypatch.setattr(target, stub)


def _attachment_for(endpoint: str, ids: dict) -> int:
    if endpoint.startswith("evaluation."):
        return ids["evidence"]
    if endpoint.startswith("dip."):
        return ids["dip_document"]
    if endpoint == "routing.task_document":
        return ids["answer"]
    if endpoint == "objections.objection_document":
        return ids["objection_attorney"]
    if endpoint.endswith("download_information"):
        return ids["information"]
    return ids["identity"]


APPROVED_EXEMPTION = {"exemptions.decision_pdf", "exemptions.decision_revoke"}


def url_of(app, rule, ids: dict) -> str:
    values = {"request_id": ids["item"], "task_id": ids["task"], "objection_id": ids["objection"],
              "unit_id": ids["unit"], "user_id": ids["user"], "letter_id": ids["official_letter" if "official_letter" in rule.endpoint else "letter"], "tariff_id": ids["tariff"], "item_id": ids["dip_item"],
              "saved_id": ids["saved"], "holiday_id": ids["holiday"], "consultation_id": ids["consultation"],
              "questionnaire_id": ids["questionnaire"],
              "round_id": ids["published_round" if rule.endpoint == "evaluation.public_round_results" else "round"],
              "participant_id": ids["participant"], "answer_id": ids["evaluation_answer"],
              "decision_id": ids["approved_exemption" if rule.endpoint in APPROVED_EXEMPTION else "exemption"], "year": 2025, "fmt": "csv", "lang": "id", "kind": "request", "letter": "notice",
              "filename": "css/app.css", "key": "formulir-permohonan", "attachment_id": _attachment_for(rule.endpoint, ids),
              "token": ids["token"] if rule.endpoint in ("requests.track_token", "requests.survey_link")
              else "bukan-token-yang-sah"}
    missing = rule.arguments - values.keys()
    assert not missing, f"{rule.endpoint}: no value for {missing}; add one to url_of"
    with app.test_request_context():
        return url_for(rule.endpoint, **{name: values[name] for name in rule.arguments})


def table_counts() -> dict[str, int]:
    db.session.expire_all()
    return {table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in db.metadata.sorted_tables}


# --- the tests ------------------------------------------------------------------------------------

NOBODY: frozenset[str] = frozenset()
# Who may download a file of each purpose of citizen A's request, through each route that serves
# files. Files that may carry identity need the identity permission wherever they are served; an
# objection's papers are served from the objection, a unit's answer also from its task.
DOCUMENT_ACCESS: dict[str, dict[str, frozenset[str]]] = {
    "identity_document": {"request": IDENTITY, "objection": NOBODY, "task": NOBODY},
    "power_of_attorney": {"request": IDENTITY, "objection": NOBODY, "task": NOBODY},
    "completion": {"request": IDENTITY, "objection": NOBODY, "task": NOBODY},
    "objection_attorney": {"request": NOBODY, "objection": IDENTITY, "task": NOBODY},
    "objection_document": {"request": NOBODY, "objection": IDENTITY, "task": NOBODY},
    "letter_receipt": {"request": IDENTITY, "objection": NOBODY, "task": NOBODY},  # a postal receipt of the notice
    "unit_answer": {"request": ON_REQUEST, "objection": NOBODY, "task": ON_REQUEST},
    "information": {"request": ON_REQUEST, "objection": NOBODY, "task": NOBODY},
    # a catalogue item's document is served from the catalogue (GET_ACCESS), never as a request's
    "dip_document": {"request": NOBODY, "objection": NOBODY, "task": NOBODY},
    # a unit's monev evidence is served from its questionnaire (GET_ACCESS), never as a request's
    "evaluation_evidence": {"request": NOBODY, "objection": NOBODY, "task": NOBODY},
    # the desk's generated evidence of a system-answered monev answer: served like the unit's own
    "evaluation_system": {"request": NOBODY, "objection": NOBODY, "task": NOBODY},
    # the proof of the annual report's submission is served from the annual report page (GET_ACCESS)
    "annual_report_proof": {"request": NOBODY, "objection": NOBODY, "task": NOBODY},
}
