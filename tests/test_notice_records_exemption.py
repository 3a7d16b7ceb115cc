"""A refusal or partial grant records its consequence test as a new decision of the register of
exempt information (issue 15 item 6, second half): PPID Utama's is approved and numbered with the
notice (the letter names the number); a PPID Pelaksana officer's is submitted to PPID Utama (the
letter names none, then or later). What the preview showed is what is issued; bad input comes back
next to its field with nothing written; the notice and the decision are written together or not at
all.

Dates (Asia/Jakarta): the desk works on Wed 4 March 2026.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from ppid_desk.audit.models import Event
from ppid_desk.errors import DomainError, ValidationFailed
from ppid_desk.exemptions.models import ExemptionDecision
from ppid_desk.extensions import db
from ppid_desk.notices.models import ConsequenceTest, WrittenNotice
from tests.factories import make_exemption
from tests.helpers import MONDAY, errors_of, fresh, issue_with_preview, notice_form, preview_digest

WEDNESDAY = datetime(2026, 3, 4, 3, 0, tzinfo=UTC)  # 10.00 WIB

NEW = {"ex_new": "y", "ex_title": "Data pribadi penerima beasiswa daerah",
       "ex_weighing": "Bantuan dapat diawasi lewat data agregat; membuka data pribadi merugikan penerima.",
       "ex_place": "Bandung", "pasal17": ["h"]}


@pytest.fixture
def setting(app, clock, file_request, make_unit, make_user, officer_client):
    from ppid_desk.accounts.models import User
    from ppid_desk.routing.services import request_route

    clock.travel_to(MONDAY)
    unit = make_unit("DISDIK", "Dinas Pendidikan")
    utama_client = officer_client("ppid_utama", name="Dra. Rina Kusuma")
    utama = db.session.scalar(select(User).where(User.email == utama_client.user_email))
    item = file_request()
    request_route(actor=utama, item=item, unit_ids=[unit.id], instruction="Siapkan data.", internal_due=item.notice_due)
    db.session.commit()
    clock.travel_to(WEDNESDAY)
    return {"utama": utama_client, "utama_user": utama, "unit": unit, "item": item,
            "url": f"/meja/permohonan/{item.id}/pemberitahuan"}


def refusal(item, outcome="refused", **overrides):
    """The notice form as posted with the box ticked (the unit: the one the page offers first)."""
    from ppid_desk.organisation.models import Unit

    unit = db.session.scalar(select(Unit.id).where(Unit.code == "DISDIK"))
    return notice_form(fresh(item), outcome, **{**NEW, "ex_unit": str(unit), **overrides})


def counts() -> tuple[int, int, int]:
    db.session.expire_all()
    return (db.session.scalar(select(func.count()).select_from(ExemptionDecision)),
            db.session.scalar(select(func.count()).select_from(WrittenNotice)),
            db.session.scalar(select(func.count()).select_from(Event).where(Event.subject_type == "exemption")))


# --- PPID Utama: approved and numbered with the notice ----------------------------------------------

def test_ppid_utama_records_the_refusals_test_as_an_approved_numbered_decision(setting):
    item, client, url = setting["item"], setting["utama"], setting["url"]
    page = client.get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
    assert 'name="ex_new"' in page and f'<option value="{setting["unit"].id}" selected>' in page  # the routed unit

    preview = client.post(url + "?pratinjau=1", data=refusal(item))
    text = preview.get_data(as_text=True)
    assert preview.status_code == 200 and 'id="preview-new-exemption"' in text
    assert "PRATINJAU — nomor diberikan saat surat terbit" in text  # the letter's row, numbered on issue
    assert "Data pribadi penerima beasiswa daerah" in text and "Bandung" in text
    assert counts() == (0, 0, 0)  # a preview writes nothing

    response = client.post(url, data={**refusal(item), "preview_digest": preview_digest(preview)})
    assert response.status_code == 303
    db.session.expire_all()
    decision = db.session.scalar(select(ExemptionDecision))
    test = db.session.scalar(select(ConsequenceTest))
    assert decision.status == "approved" and decision.number and decision.request_id == item.id
    assert test.exemption_id == decision.id
    assert (decision.title, decision.pasal17_letter, decision.unit_id) == (
        "Data pribadi penerima beasiswa daerah", "h", setting["unit"].id)
    assert decision.description == test.information and decision.legal_basis == test.legal_basis
    assert decision.harm == test.harm and decision.public_interest == test.public_interest
    assert decision.period == test.exemption_period and decision.ends_on is None  # h is permanent
    assert (decision.official_name, decision.official_position, decision.decided_on, decision.decided_place) == (
        "Dra. Rina Kusuma", "PPID Utama", date(2026, 3, 4), "Bandung")
    assert decision.approved_at == fresh(item).notice_at
    # Every step is an event: the decision's, then the request's notice naming it.
    kinds = [(e.kind, e.data) for e in db.session.scalars(
        select(Event).where(Event.subject_type == "exemption").order_by(Event.id))]
    assert [kind for kind, _data in kinds] == ["exemption_created", "exemption_approved"]
    assert kinds[0][1]["request"] == {"id": item.id, "number": item.number}
    issued = db.session.scalar(select(Event).where(Event.kind == "notice_issued"))
    assert issued.data["exemption"] == decision.id

    letter = client.get(url).get_data(as_text=True)
    assert f"Nomor {decision.number} tanggal 4 Maret 2026 tentang Data pribadi penerima beasiswa daerah" in letter
    request_page = client.get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
    assert f'href="/meja/dikecualikan/{decision.id}">{decision.number}</a>' in request_page
    register = client.get(f"/meja/dikecualikan/{decision.id}").get_data(as_text=True)
    assert f'href="/meja/permohonan/{item.id}">{item.number}</a>' in register
    assert "penetapan dicatat dari uji konsekuensinya" in register
    assert f"pemberitahuan tertulis atas permohonan {item.number}" in register  # its history
    public = setting["utama"].application.test_client().get("/informasi-dikecualikan").get_data(as_text=True)
    assert decision.number in public and "saat menjawab permohonan informasi" in public
    assert item.number not in public  # the public register names no request


def test_a_partial_grant_records_a_decision_with_its_end_for_pasal_17_a_to_f(setting):
    item, client = setting["item"], setting["utama"]
    data = refusal(item, "granted_partial", pasal17=["h", "a"], ex_letter="a", ex_ends_on="31/12/2030",
                   ex_legal_basis="KUHAP Pasal 1 angka 2.")
    assert issue_with_preview(client, setting["url"], data).status_code == 303
    decision = db.session.scalar(select(ExemptionDecision))
    assert (decision.pasal17_letter, decision.ends_on, decision.legal_basis) == ("a", date(2030, 12, 31),
                                                                                 "KUHAP Pasal 1 angka 2.")
    assert fresh(item).outcome == "granted_partial" and fresh(item).pasal17_basis == "a,h"


# --- a PPID Pelaksana officer: submitted to PPID Utama -------------------------------------------------

def test_a_pelaksana_officer_proposes_the_decision_and_the_letter_never_names_one(
        setting, file_request, make_unit, officer_client):
    from ppid_desk.accounts.models import User
    from ppid_desk.exemptions.services import exemption_approve
    from ppid_desk.routing.services import request_route

    kec = make_unit("KEC-SKM", "Kecamatan Sukamaju")
    kec.issues_notices = True
    db.session.commit()
    item = file_request(email="c@example.id")
    request_route(actor=setting["utama_user"], item=item, unit_ids=[kec.id], instruction="Jawab.",
                  internal_due=item.notice_due)
    db.session.commit()
    pelaksana = officer_client("pembantu", unit=kec)
    page = pelaksana.get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
    assert "diajukan ke PPID Utama sebagai penetapan unit Anda" in page
    assert "Dinas Pendidikan" not in page.split('id="notice-new-exemption"')[1].split("</fieldset>")[0]
    url = f"/meja/permohonan/{item.id}/pemberitahuan"
    # Another unit's id is refused next to the field.
    wrong = issue_with_preview(pelaksana, url, refusal(item, ex_unit=str(setting["unit"].id)))
    assert wrong.status_code == 422 and "ex_unit" in errors_of(wrong)
    preview = pelaksana.post(url + "?pratinjau=1", data=refusal(item, ex_unit=str(kec.id)))
    assert "PRATINJAU — nomor diberikan" not in preview.get_data(as_text=True)
    assert pelaksana.post(url, data={**refusal(item, ex_unit=str(kec.id)),
                                     "preview_digest": preview_digest(preview)}).status_code == 303
    db.session.expire_all()
    decision = db.session.scalar(select(ExemptionDecision))
    assert decision.status == "submitted" and decision.number is None and decision.unit_id == kec.id
    assert db.session.scalar(select(ConsequenceTest.exemption_id)) == decision.id
    assert [e.kind for e in db.session.scalars(select(Event).where(Event.subject_type == "exemption")
                                               .order_by(Event.id))] == ["exemption_created", "exemption_submitted"]
    before = pelaksana.get(url).get_data(as_text=True)
    assert "Penetapan informasi yang dikecualikan" not in before
    # PPID Utama approves it later in the register: the issued letter does not change.
    exemption_approve(actor=db.session.get(User, setting["utama_user"].id), decision=decision)
    db.session.commit()
    after = pelaksana.get(url).get_data(as_text=True)
    assert "Penetapan informasi yang dikecualikan" not in after
    assert fresh(decision).number not in after
    assert f"/meja/dikecualikan/{decision.id}" in pelaksana.get(f"/meja/permohonan/{item.id}").get_data(as_text=True)


# --- bad input: next to the field, nothing written ------------------------------------------------------

@pytest.mark.parametrize("overrides, field, message", [
    ({"ex_title": ""}, "ex_title", "Tulis judul informasi yang dikecualikan"),
    ({"ex_weighing": ""}, "ex_weighing", "mengapa kerugian itu lebih besar"),
    ({"ex_place": ""}, "ex_place", "Tulis tempat penetapan"),
    ({"pasal17": ["a"]}, "ex_ends_on", "tidak bersifat permanen (Pasal 20)"),
    ({"pasal17": ["a"], "ex_ends_on": "01/03/2026"}, "ex_ends_on", "harus sesudah tanggal penetapan"),
    ({"ex_ends_on": "31/02/2030"}, "ex_ends_on", "Tulis tanggal yang benar"),
    ({"pasal17": ["h", "i"]}, "ex_letter", "pilih satu huruf untuk penetapan ini"),
    ({"ex_letter": "b"}, "ex_letter", "juga dipilih di atas"),
    ({"ex_letter": "z"}, "ex_letter", "Pilih dari pilihan yang tersedia"),
    ({"ex_unit": "999999"}, "ex_unit", "Pilih dari pilihan yang tersedia"),
    ({"ex_unit": ""}, "ex_unit", "Pilih unit yang menguasai informasi ini"),
    ({"ex_title": "x" * 301}, "ex_title", "300"),
    ({"ct_exemption_period": "p" * 200}, "ct_exemption_period", "120"),
    ({"ct_harm": ""}, "ct_harm", "Uji konsekuensi"),
])
def test_bad_input_is_refused_next_to_its_field_and_nothing_is_written(setting, overrides, field, message):
    item = setting["item"]
    data = refusal(item, **overrides)
    response = issue_with_preview(setting["utama"], setting["url"], data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422, page[:300]
    assert field in errors_of(response) and message in page
    kept = [data[key] for key in ("ex_title", "ex_weighing", "ex_place", "ct_information") if 0 < len(data[key]) <= 300]
    assert kept and all(value in page for value in kept)  # what was typed is kept
    assert counts() == (0, 0, 0) and fresh(item).notice_at is None


def test_citing_a_decision_and_recording_a_new_one_is_one_choice_too_many(setting):
    decision = make_exemption(setting["unit"], actor=setting["utama_user"], status="approved")
    response = issue_with_preview(setting["utama"], setting["url"],
                                  refusal(setting["item"], ct_exemption=str(decision.id)))
    assert response.status_code == 422 and errors_of(response) == ["ex_new"]
    assert counts()[:2] == (1, 0)


def test_a_grant_ignores_the_new_decision_box_left_ticked_in_the_hidden_section(setting):
    item = setting["item"]
    data = notice_form(fresh(item), "granted_full", ex_new="y", ex_title="", ex_ends_on="bukan tanggal")
    assert issue_with_preview(setting["utama"], setting["url"], data).status_code == 303
    assert counts()[0] == 0 and db.session.scalar(select(ConsequenceTest.id)) is None


def test_an_unticked_box_ignores_what_was_typed_for_a_decision(setting):
    item = setting["item"]
    data = refusal(item, ex_new=None, ex_ends_on="bukan tanggal", ex_title="x" * 400)
    assert issue_with_preview(setting["utama"], setting["url"], data).status_code == 303
    assert counts()[0] == 0 and db.session.scalar(select(ConsequenceTest.exemption_id)) is None


def test_without_javascript_the_box_shows_its_fields_on_the_forms_return(setting):
    item = setting["item"]
    closed = setting["utama"].get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
    assert 'id="notice-new-exemption-fields" hidden' in closed
    response = setting["utama"].post(setting["url"] + "?keputusan=1", data=refusal(item))
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="notice-new-exemption-fields">' in page
    assert counts() == (0, 0, 0)


# --- what was previewed is what is issued; all or nothing ---------------------------------------------

def test_a_decision_changed_after_the_preview_shows_the_new_preview_and_writes_nothing(setting):
    item, client, url = setting["item"], setting["utama"], setting["url"]
    preview = client.post(url + "?pratinjau=1", data=refusal(item))
    changed = client.post(url, data={**refusal(item, ex_place="Cimahi"), "preview_digest": preview_digest(preview)})
    assert changed.status_code == 200 and 'id="preview-changed"' in changed.get_data(as_text=True)
    assert counts() == (0, 0, 0)
    assert client.post(url, data={**refusal(item, ex_place="Cimahi"),
                                  "preview_digest": preview_digest(changed)}).status_code == 303
    assert db.session.scalar(select(ExemptionDecision.decided_place)) == "Cimahi"


def test_a_unit_deactivated_between_preview_and_issue_stops_both(setting):
    item, client, url = setting["item"], setting["utama"], setting["url"]
    preview = client.post(url + "?pratinjau=1", data=refusal(item))
    fresh(setting["unit"]).active = False
    db.session.commit()
    response = client.post(url, data={**refusal(item), "preview_digest": preview_digest(preview)})
    assert response.status_code == 422 and "ex_unit" in errors_of(response)
    assert counts() == (0, 0, 0) and fresh(item).notice_at is None


def test_a_stale_request_issues_no_notice_and_records_no_decision(setting):
    item, client, url = setting["item"], setting["utama"], setting["url"]
    data = refusal(item)
    preview = client.post(url + "?pratinjau=1", data=data)
    fresh(item).version += 1  # another officer changed the request meanwhile
    db.session.commit()
    response = client.post(url, data={**data, "preview_digest": preview_digest(preview)})
    assert response.status_code == 409
    assert counts() == (0, 0, 0)


@pytest.mark.parametrize("role", ["petugas", "atasan", "pengawas", "admin"])
def test_officers_who_do_not_issue_notices_cannot_record_a_decision_through_one(setting, officer_client, role):
    client = officer_client(role)
    response = issue_with_preview(client, setting["url"], refusal(setting["item"]))
    assert response.status_code == 403
    assert counts() == (0, 0, 0)


def test_a_unit_officer_whose_unit_does_not_issue_notices_is_refused(setting, officer_client):
    client = officer_client("pembantu", unit=setting["unit"])
    assert issue_with_preview(client, setting["url"], refusal(setting["item"])).status_code == 403
    assert counts() == (0, 0, 0)


# --- the service on its own ------------------------------------------------------------------------

def _service_parts(setting, **overrides):
    from ppid_desk.exemptions.notice_services import NoticeExemptionDraft, notice_exemption_plan
    from ppid_desk.notices.services import ConsequenceTestDraft, NoticeDraft

    test = ConsequenceTestDraft(letters=("h",), information="Lampiran 3.", legal_basis="UU 27/2022.",
                                harm="Merugikan penerima.", public_interest="Data agregat cukup.",
                                exemption_period="Selama penerima hidup.")
    draft = NoticeDraft(**{"outcome": "refused", "held": True, "consequence": test, **overrides})
    new = NoticeExemptionDraft(unit_id=setting["unit"].id, title="Data pribadi penerima", weighing="Lebih merugikan.",
                               place="Bandung")
    actor = fresh(setting["utama_user"])
    return actor, draft, notice_exemption_plan(actor=actor, test=test, new=new, decided_on=date(2026, 3, 4))


def test_service_a_notice_that_cannot_be_issued_is_refused_before_the_decision_is_written(setting):
    from ppid_desk.exemptions.notice_services import notice_issue_recording_exemption

    actor, draft, plan = _service_parts(setting, held=None)
    with pytest.raises(ValidationFailed) as refused:
        notice_issue_recording_exemption(actor=actor, item=fresh(setting["item"]), draft=draft, plan=plan)
    assert "held" in refused.value.errors
    # Checked before any write: nothing is pending even before the caller rolls back.
    assert db.session.scalar(select(func.count()).select_from(ExemptionDecision)) == 0
    db.session.rollback()


def test_service_refuses_a_grant_and_a_decision_dated_other_than_the_notice(setting):
    from dataclasses import replace

    from ppid_desk.exemptions.notice_services import notice_issue_recording_exemption

    actor, draft, plan = _service_parts(setting)
    with pytest.raises(DomainError):
        notice_issue_recording_exemption(actor=actor, item=fresh(setting["item"]),
                                         draft=replace(draft, outcome="granted_full"), plan=plan)
    stale_plan = replace(plan, draft=replace(plan.draft, decided_on=date(2026, 3, 3)))
    with pytest.raises(DomainError):
        notice_issue_recording_exemption(actor=actor, item=fresh(setting["item"]), draft=draft, plan=stale_plan)
    db.session.rollback()
    assert counts() == (0, 0, 0)


def test_service_writes_both_and_links_them(setting):
    from ppid_desk.exemptions.notice_services import notice_issue_recording_exemption

    actor, draft, plan = _service_parts(setting)
    notice, decision = notice_issue_recording_exemption(actor=actor, item=fresh(setting["item"]), draft=draft,
                                                        plan=plan, notify=False)
    db.session.commit()
    assert fresh(notice).consequence_test.exemption_id == decision.id
    assert fresh(decision).status == "approved" and fresh(decision).request_id == setting["item"].id
