"""The written notice (pemberitahuan tertulis): items a–g per outcome, the Pasal 17 letters and
the consequence test, numbering, the letter (HTML and PDF), e-mail, and who may do what."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from ppid_desk.audit.personal import actor_shown
from ppid_desk.audit.selectors import events_for
from ppid_desk.errors import ValidationFailed
from ppid_desk.extensions import db
from ppid_desk.notices.models import ConsequenceTest, WrittenNotice
from ppid_desk.notices.selectors import notice_of
from ppid_desk.notices.services import ConsequenceTestDraft, NoticeDraft, notice_issue
from ppid_desk.requests.lifecycle import cached_columns, replayed_columns, request_event
from ppid_desk.requests.models import InformationRequest
from ppid_desk.web import letter_pdf as letter_pdf_module
from tests.helpers import MONDAY, errors_of, fresh, issue, notice_form, pdf_text


@pytest.fixture
def utama(officer_client):
    return officer_client("ppid_utama", name="Rina Utama")


@pytest.fixture
def filed(app, clock, file_request):
    clock.travel_to(MONDAY)
    return file_request()


def test_full_grant_is_numbered_stops_the_clock_and_is_e_mailed(filed, utama, mailbox, runner):
    mailbox.clear()
    response = issue(utama, filed)
    assert response.status_code == 303 and response.location.endswith(f"/meja/permohonan/{filed.id}")
    item = fresh(filed)
    notice = db.session.scalar(select(WrittenNotice))
    assert notice.number == "0001/PPID-PT/III/2026"
    assert (item.status, item.outcome, item.fee_amount, item.pasal17_basis) == ("notice_issued", "granted_full", 0, None)
    assert item.notice_at is not None and item.closed_at is None
    assert notice.held is True and notice.consequence_test is None and notice.issued_by.name == "Rina Utama"
    event = [e for e in events_for("request", item.id) if e.kind == "notice_issued"][0]
    assert event.data["after"]["status"] == "notice_issued" and event.data["number"] == notice.number
    assert replayed_columns(item) == cached_columns(item)
    message = mailbox.wait_for(1)[0]
    body = message.get_content()
    assert message["To"] == "budi@example.id" and filed.number in message["Subject"]
    assert notice.number in body and "DPA Dinas Pendidikan 2025" in body
    assert f"/lacak/{item.tracking_token}" in body and f"/permohonan/{item.id}/pemberitahuan.pdf" in body
    page = utama.get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
    assert notice.number in page and "selesai" in page  # the clock badge reads stopped
    assert runner.invoke(args=["ppid", "rebuild-cache", "--check"]).exit_code == 0


REQUIRED = {
    "granted_full": {"materials", "delivery_form", "provide_by"},
    "granted_partial": {"materials", "delivery_form", "provide_by", "redactions", "pasal17", "ct_information",
                        "ct_legal_basis", "ct_harm", "ct_public_interest", "ct_exemption_period"},
    "refused": {"pasal17", "ct_information", "ct_legal_basis", "ct_harm", "ct_public_interest",
                "ct_exemption_period"},
    "not_held": {"holder_body"},
    "not_documented": {"provide_by"},
}


@pytest.mark.parametrize("outcome", sorted(REQUIRED))
def test_each_outcome_requires_its_items(filed, utama, outcome):
    held = "no" if outcome == "not_held" else "yes"
    response = utama.post(f"/meja/permohonan/{filed.id}/pemberitahuan",
                          data={"version": str(filed.version), "outcome": outcome, "held": held,
                                "fee_amount": "0", "remarks": "Catatan yang harus tetap ada"})
    assert response.status_code == 422
    assert set(errors_of(response)) == REQUIRED[outcome]
    html = response.get_data(as_text=True)
    assert "Catatan yang harus tetap ada" in html and 'class="error-summary"' in html
    assert db.session.scalar(select(func.count(WrittenNotice.id))) == 0
    assert fresh(filed).status == "registered"
    # A complete form for the same outcome is then accepted, with the first number of the year.
    assert issue(utama, fresh(filed), outcome).status_code == 303
    assert db.session.scalar(select(WrittenNotice.number)) == "0001/PPID-PT/III/2026"


def test_refusal_or_partial_grant_without_pasal17_or_consequence_test_is_refused(filed, utama):
    from ppid_desk.accounts.models import User

    actor = db.session.scalar(select(User).where(User.name == "Rina Utama"))
    bare = NoticeDraft(outcome="refused", held=True)
    with pytest.raises(ValidationFailed) as refused:
        notice_issue(actor=actor, item=filed, draft=bare)
    assert {"pasal17", "ct_harm", "ct_public_interest"} <= set(refused.value.errors)
    letters_only = NoticeDraft(outcome="granted_partial", held=True, materials="x", delivery_form="PDF",
                               redactions="NIK", consequence=ConsequenceTestDraft(letters=("h",)))
    with pytest.raises(ValidationFailed) as partial:
        notice_issue(actor=actor, item=filed, draft=letters_only)
    assert "pasal17" not in partial.value.errors and "ct_information" in partial.value.errors
    db.session.rollback()
    # Over HTTP: the letters ticked but no consequence test → messages next to those fields.
    response = issue(utama, filed, "refused", ct_harm="", ct_legal_basis="")
    assert response.status_code == 422 and set(errors_of(response)) == {"ct_harm", "ct_legal_basis"}
    html = response.get_data(as_text=True)
    assert "Uji konsekuensi: tulis akibat" in html and 'value="h" checked' in html
    assert fresh(filed).notice_at is None


def test_partial_grant_with_letters_and_test_is_issued_and_numbers_stay_gapless(utama, file_request, clock):
    clock.travel_to(MONDAY)
    filed = file_request(copy_delivery="pos")  # a copy sent by post may carry a fee
    second = file_request(email="sari@example.id", name="Sari")
    assert issue(utama, second, "refused", pasal17=[]).status_code == 422  # takes no number
    assert issue(utama, filed, "granted_partial", fee_amount="Rp 15.000", fee_reason="Menurut kuitansi penggandaan.",
                 payment_method="Tunai di meja layanan").status_code == 303
    item = fresh(filed)
    assert (item.status, item.outcome, item.pasal17_basis, item.fee_amount) == (
        "notice_issued", "granted_partial", "b,h", 15000)
    test = db.session.scalar(select(ConsequenceTest))
    assert test.pasal17_letters == ["b", "h"] and "UU 27/2022" in test.legal_basis
    assert issue(utama, fresh(second), "refused").status_code == 303
    numbers = db.session.scalars(select(WrittenNotice.number).order_by(WrittenNotice.id)).all()
    assert numbers == ["0001/PPID-PT/III/2026", "0002/PPID-PT/III/2026"]
    refused = fresh(second)
    assert refused.status == "closed" and refused.closed_at == refused.notice_at
    letter = utama.get(f"/meja/permohonan/{item.id}/pemberitahuan").get_data(as_text=True)
    assert "Ringkasan uji konsekuensi" in letter and "Rp15.000" in letter and "rahasia pribadi" in letter


def test_not_held_closes_and_may_name_no_holder(filed, utama):
    response = issue(utama, filed, "not_held", holder_body="", holder_unknown="y")
    assert response.status_code == 303
    item = fresh(filed)
    assert item.status == "closed" and item.closed_at is not None and item.outcome == "not_held"
    letter = utama.get(f"/meja/permohonan/{item.id}/pemberitahuan").get_data(as_text=True)
    assert "Tidak diketahui badan publik yang menguasai" in letter


def test_not_documented_needs_a_date_not_in_the_past(filed, utama):
    response = issue(utama, filed, "not_documented", provide_by="01/03/2026")
    assert response.status_code == 422 and errors_of(response) == ["provide_by"]
    assert 'value="2026-03-01"' in response.get_data(as_text=True)  # kept, as the date input shows it
    assert issue(utama, fresh(filed), "not_documented", provide_by="30/04/2026").status_code == 303
    assert db.session.scalar(select(WrittenNotice.documented_by)) == date(2026, 4, 30)
    assert fresh(filed).provide_by == date(2026, 4, 30)
    assert fresh(filed).status == "notice_issued"


def test_held_must_agree_with_the_outcome_and_fees_need_a_way_to_pay(utama, file_request, clock):
    clock.travel_to(MONDAY)
    filed = file_request(copy_delivery="pos")
    response = issue(utama, filed, "not_held", held="yes")
    assert response.status_code == 422 and errors_of(response) == ["held"]
    response = issue(utama, filed, "granted_full", fee_amount="15000", fee_reason="Menurut kuitansi penggandaan.")
    assert response.status_code == 422 and errors_of(response) == ["payment_method"]
    response = issue(utama, filed, "granted_full", fee_amount="lima ribu")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and errors_of(response) == ["fee_amount"]
    assert 'value="lima ribu"' in html and "angka saja" in html
    # The fee does not apply to a refusal: what was typed there is carried along (hidden), not
    # checked, and the refusal is previewed and issued without a fee.
    data = notice_form(filed, "refused", fee_amount="5000", payment_method="Tunai")
    preview = utama.post(f"/meja/permohonan/{filed.id}/pemberitahuan?pratinjau=1", data=data)
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "Tidak berlaku: tidak ada biaya." in html
    assert '<input type="hidden" name="fee_amount" value="5000">' in html
    assert issue(utama, filed, "refused", fee_amount="5000", payment_method="Tunai").status_code == 303
    assert (fresh(filed).fee_amount, notice_of(fresh(filed)).payment_method) == (0, None)


def test_notice_only_once_and_only_while_the_request_is_worked_on(filed, utama):
    assert issue(utama, filed).status_code == 303
    again = issue(utama, fresh(filed))
    assert again.status_code == 422 and "sudah terbit" in again.get_data(as_text=True)
    assert db.session.scalar(select(func.count(WrittenNotice.id))) == 1


def test_notice_refused_for_an_incomplete_request(filed, utama):
    request_event(actor=None, item=filed, kind="marked_incomplete",
                  changes={"status": "incomplete", "missing_items": "Scan KTP tidak terbaca."})
    db.session.commit()
    response = issue(utama, fresh(filed))
    assert response.status_code == 422 and "sedang diproses" in response.get_data(as_text=True)


def test_stale_version_keeps_the_typed_text(filed, utama):
    response = issue(utama, filed, materials="Teks yang saya ketik panjang-panjang",
                     version=str(filed.version - 1))
    html = response.get_data(as_text=True)
    assert response.status_code == 409 and "Teks yang saya ketik panjang-panjang" in html
    assert f'name="version" value="{filed.version}"' in html  # resubmitting works
    assert fresh(filed).notice_at is None


def test_letter_html_on_the_letterhead_full_and_htmx(app, filed, utama):
    assert utama.get(f"/meja/permohonan/{filed.id}/pemberitahuan").status_code == 404
    issue(utama, filed)
    notice = db.session.scalar(select(WrittenNotice))
    page = utama.get(f"/meja/permohonan/{filed.id}/pemberitahuan")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "<html" in html
    for text in (app.config["BODY_NAME"], app.config["BODY_ADDRESS"], notice.number, "Budi Santoso",
                 filed.number, "PPID Utama", "Rina Utama", "a. Penguasaan informasi", "g. Biaya"):
        assert text in html, text
    partial = utama.get(f"/meja/permohonan/{filed.id}/pemberitahuan", headers={"HX-Request": "true"})
    body = partial.get_data(as_text=True)
    assert partial.status_code == 200 and "<html" not in body and notice.number in body
    assert "HX-Request" in partial.headers["Vary"]


def test_pdf_letter_with_typographic_marks(filed, utama):
    issue(utama, filed, "granted_partial",
          materials="DPA 2025 — bagian “belanja” • lampiran’s 1–3 … ✓",
          redactions="NIK — dihitamkan • alasan: rahasia pribadi’")
    notice = db.session.scalar(select(WrittenNotice))
    response = utama.get(f"/meja/permohonan/{filed.id}/pemberitahuan.pdf")
    content = response.get_data()
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert content.startswith(b"%PDF") and b"/Type /Page" in content
    assert notice.number.encode() in content  # the document title
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "pemberitahuan-0001-PPID-PT-III-2026.pdf" in response.headers["Content-Disposition"]


def test_pdf_falls_back_to_a_core_font_without_crashing(filed, utama, monkeypatch):
    monkeypatch.setattr(letter_pdf_module, "FONT_CANDIDATES", ())
    issue(utama, filed, materials="Laporan — “final” • versi’2 ✓ 漢字")
    content = utama.get(f"/meja/permohonan/{filed.id}/pemberitahuan.pdf").get_data()
    assert content.startswith(b"%PDF") and b"Helvetica" in content
    assert letter_pdf_module.to_latin1("a — b • c’d “e”") == "a - b * c'd \"e\""


def test_applicant_sees_the_notice_and_downloads_the_pdf_through_the_tracking_link(app, filed, utama):
    issue(utama, filed, "granted_partial")
    item = fresh(filed)
    applicant = app.test_client()
    applicant.get(f"/lacak/{item.tracking_token}")
    page = applicant.get(f"/permohonan/{item.id}").get_data(as_text=True)
    assert "0001/PPID-PT/III/2026" in page and "Diberikan sebagian" in page and "rahasia pribadi" in page
    response = applicant.get(f"/permohonan/{item.id}/pemberitahuan.pdf")
    assert response.status_code == 200 and response.get_data().startswith(b"%PDF")
    assert response.headers["Content-Disposition"].startswith("attachment;")
    db.session.rollback()  # only what the view committed counts
    downloads = [e for e in events_for("request", item.id) if e.kind == "notice_downloaded"]
    assert len(downloads) == 1 and "pemohon" in actor_shown(downloads[0])
    assert app.test_client().get(f"/permohonan/{item.id}/pemberitahuan.pdf").status_code == 404


def test_applicant_pdf_is_404_before_a_notice(app, filed):
    applicant = app.test_client()
    applicant.get(f"/lacak/{filed.tracking_token}")
    assert applicant.get(f"/permohonan/{filed.id}/pemberitahuan.pdf").status_code == 404


# --- access -----------------------------------------------------------------------------------

DESK_URLS = [
    ("get", "/meja/permohonan/{id}/pemberitahuan"),
    ("get", "/meja/permohonan/{id}/pemberitahuan.pdf"),
    ("post", "/meja/permohonan/{id}/pemberitahuan"),
    ("post", "/meja/permohonan/{id}/perpanjangan"),
    ("post", "/meja/permohonan/{id}/penyampaian"),
    ("post", "/meja/permohonan/{id}/tutup"),
    ("get", "/meja/permohonan/{id}/informasi/1"),
]
HTMX = [{}, {"HX-Request": "true"}]


@pytest.mark.parametrize(("method", "url"), DESK_URLS)
@pytest.mark.parametrize("headers", HTMX)
def test_desk_urls_refuse_anonymous_citizens_and_other_units(app, filed, officer_client, make_unit,
                                                             method, url, headers):
    path = url.format(id=filed.id)
    anonymous = getattr(app.test_client(), method)(path, headers=headers)
    assert anonymous.status_code == (401 if headers else 302)
    if headers:
        assert "/masuk" in anonymous.headers["HX-Redirect"]
    assert getattr(officer_client("pemohon"), method)(path, headers=headers).status_code == 403
    other_unit = officer_client("pembantu", unit=make_unit(code="DINKES", name="Dinas Kesehatan"))
    assert getattr(other_unit, method)(path, headers=headers).status_code == 404


@pytest.mark.parametrize("url", ["/meja/permohonan/{id}/pemberitahuan", "/meja/permohonan/{id}/perpanjangan",
                                 "/meja/permohonan/{id}/tutup"])
@pytest.mark.parametrize("headers", HTMX)
def test_only_ppid_utama_issues_extends_and_closes(filed, officer_client, url, headers):
    for role in ("petugas", "atasan", "pengawas", "admin"):
        response = officer_client(role).post(url.format(id=filed.id), data={"version": filed.version},
                                             headers=headers)
        assert response.status_code == 403, role
    assert fresh(filed).status == "registered"


def test_the_compose_form_is_shown_only_to_ppid_utama(filed, utama, officer_client):
    assert 'id="notice-panel"' in utama.get(f"/meja/permohonan/{filed.id}").get_data(as_text=True)
    assert "Pratinjau surat" in utama.get(f"/meja/permohonan/{filed.id}").get_data(as_text=True)
    desk = officer_client("petugas").get(f"/meja/permohonan/{filed.id}").get_data(as_text=True)
    assert "Pratinjau surat" not in desk and "Periksa perpanjangan" not in desk


def test_two_officers_issuing_at_once_cannot_both_win(filed, utama):
    """The loser's request row carries an older version: its UPDATE matches nothing, so it is
    stale, writes nothing and gives its notice number back."""
    from sqlalchemy import update
    from sqlalchemy.orm.exc import StaleDataError

    from ppid_desk.accounts.models import User

    actor = db.session.scalar(select(User).where(User.name == "Rina Utama"))
    item = fresh(filed)
    with db.engine.begin() as other_officer:  # commits first, bumping the version
        other_officer.execute(update(InformationRequest).where(InformationRequest.id == item.id)
                              .values(version=InformationRequest.version + 1))
    draft = NoticeDraft(outcome="granted_full", held=True, materials="DPA 2025", delivery_form="PDF")
    with pytest.raises(StaleDataError):
        notice_issue(actor=actor, item=item, draft=draft)
    db.session.rollback()
    assert db.session.scalar(select(func.count(WrittenNotice.id))) == 0
    assert issue(utama, fresh(filed)).status_code == 303
    assert db.session.scalar(select(WrittenNotice.number)) == "0001/PPID-PT/III/2026"


def test_a_back_dated_notice_without_e_mail_for_imports_and_the_demo(filed, utama, clock):
    from ppid_desk.accounts.models import User
    from ppid_desk.notifications.models import OutboxMessage

    clock.travel_to(datetime(2026, 4, 2, 3, 0, tzinfo=UTC))
    actor = db.session.scalar(select(User).where(User.name == "Rina Utama"))
    at = datetime(2026, 3, 12, 7, 0, tzinfo=UTC)
    before = db.session.scalar(select(func.count(OutboxMessage.id)))
    notice = notice_issue(actor=actor, item=filed, at=at, notify=False,
                          draft=NoticeDraft(outcome="granted_full", held=True, materials="DPA", delivery_form="PDF"))
    db.session.commit()
    item = fresh(filed)
    assert notice.number == "0001/PPID-PT/III/2026" and item.notice_at == at and notice.issued_at == at
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == before
    assert replayed_columns(item) == cached_columns(item)


@pytest.mark.parametrize("headers", HTMX)
def test_the_routed_units_officer_reads_the_letter_but_does_not_act(filed, utama, officer_client, make_unit, headers):
    from ppid_desk.accounts.models import User
    from ppid_desk.routing.services import default_internal_due, request_route

    unit = make_unit()
    actor = db.session.scalar(select(User).where(User.name == "Rina Utama"))
    request_route(actor=actor, item=filed, unit_ids=[unit.id], instruction="Siapkan DPA 2025.",
                  internal_due=default_internal_due(filed, MONDAY.date()), notify=False)
    db.session.commit()
    assert issue(utama, fresh(filed)).status_code == 303
    pembantu = officer_client("pembantu", unit=unit)
    assert pembantu.get(f"/meja/permohonan/{filed.id}/pemberitahuan", headers=headers).status_code == 200
    for url in ("pemberitahuan", "perpanjangan", "penyampaian", "tutup"):
        response = pembantu.post(f"/meja/permohonan/{filed.id}/{url}", data={"version": "1"}, headers=headers)
        assert response.status_code == 403, url


ITEMS_A_TO_G = ["a. Penguasaan informasi", "b. Badan publik yang menguasai", "c. Keputusan",
                "d. Informasi yang diberikan", "e. Bagian yang dihitamkan dan alasannya",
                "f. Cara, format dan waktu penyampaian", "g. Biaya dan cara pembayaran"]


@pytest.mark.parametrize(("outcome", "overrides", "not_applicable"), [
    ("granted_full", {"redactions": ""}, ["Tidak berlaku: informasi dikuasai oleh badan publik kami.",
                                          "Tidak ada bagian yang dihitamkan."]),
    ("not_held", {"holder_body": "Dinas Kesehatan Provinsi"},
     ["Tidak berlaku: tidak ada informasi yang diberikan.", "Tidak berlaku: tidak ada biaya."]),
    ("refused", {}, ["Tidak berlaku: informasi dikuasai oleh badan publik kami.",
                     "Tidak berlaku: tidak ada informasi yang diberikan.", "Tidak berlaku: tidak ada biaya."]),
])
def test_the_letter_always_states_items_a_to_g_in_order(filed, utama, outcome, overrides, not_applicable):
    """Pasal 22(7): the seven items are always there, in order; one that does not apply says so."""
    assert issue(utama, filed, outcome, **overrides).status_code == 303

    def squeezed(text: str) -> str:  # the PDF wraps lines: compare without whitespace
        return "".join(text.split())

    html = utama.get(f"/meja/permohonan/{filed.id}/pemberitahuan").get_data(as_text=True)
    pdf = pdf_text(utama.get(f"/meja/permohonan/{filed.id}/pemberitahuan.pdf").get_data())
    for letter in (squeezed(html), squeezed(pdf)):
        positions = [letter.find(squeezed(item)) for item in ITEMS_A_TO_G]
        assert -1 not in positions and positions == sorted(positions), (outcome, positions)
        for phrase in not_applicable:
            assert squeezed(phrase) in letter
