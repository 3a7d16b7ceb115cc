"""Officer conveniences on the request page (issue 14, item 7): delivery picks the documents a
unit already attached; the notice form shows only the items of the chosen outcome; a preview of
the letter before the numbered issue; the extension asks for confirmation."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from ppid_desk.attachments.models import Attachment, AttachmentPurpose
from ppid_desk.attachments.services import attachment_stage
from ppid_desk.audit.models import Event
from ppid_desk.audit.selectors import events_for
from ppid_desk.extensions import db
from ppid_desk.notices.models import Delivery, WrittenNotice
from ppid_desk.notices.selectors import notice_letter, notice_of
from ppid_desk.requests.models import InformationRequest, OfficialLetter, RegistrationCounter
from ppid_desk.routing.models import RoutingTask
from ppid_desk.routing.services import request_route, task_answer
from ppid_desk.web.formatting import long_date
from ppid_desk.workcalendar.selectors import working_calendar
from tests.factories import grant
from tests.helpers import (
    MONDAY,
    errors_of,
    fresh,
    notice_form,
    pdf_bytes,
    png_bytes,
    preview_digest,
    request_form,
)

REASON = "Informasi masih dikumpulkan dari tiga unit kerja dan arsip daerah."


@pytest.fixture
def utama(officer_client):
    return officer_client("ppid_utama", name="Rina Utama")


@pytest.fixture
def filed(app, clock, file_request):
    clock.travel_to(MONDAY)
    return file_request()


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def page(client, item) -> str:
    return client.get(f"/meja/permohonan/{item.id}").get_data(as_text=True)


# --- 1. delivery picks the documents units attached ---------------------------------------------

def answered_by_unit(item, make_unit, make_user, documents):
    """Route ``item`` to a unit and answer with ``documents`` [(name, bytes)]; returns them."""
    from ppid_desk.notices.services import notice_issue

    unit = make_unit()
    utama = make_user(email="utama-dok@pemda.example.id", roles=("ppid_utama",), name="Rina Utama")
    pembantu = make_user(email="unit-dok@pemda.example.id", roles=("pembantu",), unit=unit, name="Dodi Unit")
    item = db.session.get(InformationRequest, item.id)
    request_route(actor=utama, item=item, unit_ids=[unit.id], instruction="Siapkan DPA 2025.",
                  internal_due=item.notice_due, notify=False)
    task = db.session.scalar(select(RoutingTask).where(RoutingTask.request_id == item.id))
    staged = [attachment_stage(field="documents", purpose=AttachmentPurpose.UNIT_ANSWER,
                               storage=FileStorage(io.BytesIO(content), filename=name))
              for name, content in documents]
    task_answer(actor=pembantu, item=item, task=task, answer_text="DPA terlampir.", documents=staged)
    notice_issue(actor=utama, item=item, draft=grant(), notify=False)
    db.session.commit()
    return [db.session.get(Attachment, a.id) for a in staged]


def deliver(client, item, **fields):
    data = {"version": str(fresh(item).version), "method": "file", "fee_paid": "0", **fields}
    return client.post(f"/meja/permohonan/{item.id}/penyampaian", data=data, content_type="multipart/form-data")


def test_delivery_picks_a_unit_document_without_uploading_it_again(app, filed, utama, make_unit, make_user,
                                                                   mailbox, runner):
    dpa, sketch = answered_by_unit(filed, make_unit, make_user, [("dpa-2025.pdf", pdf_bytes()),
                                                                 ("sketsa-internal.png", png_bytes())])
    html = page(utama, filed)
    assert f'id="delivery-document-{dpa.id}"' in html and f'id="delivery-document-{sketch.id}"' in html
    assert "Dinas Pendidikan" in html  # who attached it
    mailbox.clear()
    response = deliver(utama, filed, documents=[str(dpa.id)], files=[(io.BytesIO(png_bytes()), "bagan.png")])
    assert response.status_code == 303
    delivered = db.session.scalars(select(Attachment).where(Attachment.purpose == "information")
                                   .order_by(Attachment.original_name.desc())).all()
    assert [(a.original_name, a.request_id, a.visibility) for a in delivered] == [
        ("dpa-2025.pdf", filed.id, "applicant"), ("bagan.png", filed.id, "applicant")]
    # The unit's own document is untouched (its purpose, visibility), the unpicked one not delivered.
    assert [(a.purpose, a.visibility) for a in map(fresh, (dpa, sketch))] == [("unit_answer", "private")] * 2
    [event] = [e for e in events_for("request", filed.id) if e.kind == "delivered"]
    assert sorted(event.data["files"]) == sorted(a.id for a in delivered)
    assert event.data["picked"] == [[delivered[0].id, dpa.id, "dpa-2025.pdf"]]
    assert (event.data["before"]["status"], event.data["after"]["status"]) == ("notice_issued", "delivered")
    body = mailbox.wait_for(1)[0].get_content()
    assert "dpa-2025.pdf" in body and "bagan.png" in body and "sketsa-internal.png" not in body

    applicant = app.test_client()
    applicant.get(f"/lacak/{filed.tracking_token}")
    status_page = applicant.get(f"/permohonan/{filed.id}").get_data(as_text=True)
    assert "dpa-2025.pdf" in status_page and "sketsa-internal.png" not in status_page
    download = applicant.get(f"/permohonan/{filed.id}/informasi/{delivered[0].id}")
    assert download.status_code == 200 and download.get_data() == pdf_bytes()
    assert applicant.get(f"/permohonan/{filed.id}/informasi/{sketch.id}").status_code == 404
    assert runner.invoke(args=["ppid", "rebuild-cache", "--check"]).exit_code == 0


def test_delivery_refuses_nothing_picked_and_documents_posted_by_hand(app, client, clock, filed, utama, make_unit,
                                                                      make_user):
    [dpa] = answered_by_unit(filed, make_unit, make_user, [("dpa-2025.pdf", pdf_bytes())])
    # Another request, filed on the web with an identity document (never offered, never delivered).
    client.post("/permohonan/baru", data=request_form(), content_type="multipart/form-data")
    identity = db.session.scalar(select(Attachment).where(Attachment.purpose == "identity_document"))
    assert identity is not None and identity.request_id != filed.id
    assert f'id="delivery-document-{identity.id}"' not in page(utama, filed)

    note = "Diunduh pemohon di halaman permohonan."
    response = deliver(utama, filed, note=note)  # nothing picked, nothing uploaded
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and errors_of(response) == ["files"]
    assert "Centang dokumen yang sudah ada atau unggah" in html and note in html
    for posted in (identity.id, 999_999):  # a document of another request, an id that does not exist
        response = deliver(utama, filed, note=note, documents=[str(dpa.id), str(posted)])
        html = response.get_data(as_text=True)
        assert response.status_code == 422 and errors_of(response) == ["documents"]
        assert note in html and re.search(rf'id="delivery-document-{dpa.id}"[^>]* checked', html)
    assert count(Delivery) == 0 and fresh(filed).status == "notice_issued"
    assert db.session.scalar(select(func.count(Attachment.id)).where(Attachment.purpose == "information")) == 0
    assert deliver(utama, filed, note=note, documents=[str(dpa.id)]).status_code == 303


# --- 2. the notice form shows the items of the chosen outcome -----------------------------------

SECTION_OF = {"holder": "holder_body", "exemption": "ct_harm", "materials": "materials",
              "redactions": "redactions", "delivery": "provide_by"}
SHOWN = {
    "": set(),
    "granted_full": {"materials", "delivery"},
    "granted_partial": {"exemption", "materials", "redactions", "delivery"},
    "refused": {"exemption"},
    "not_held": {"holder"},
    "not_documented": {"delivery"},
}


def shown_sections(html: str) -> set[str]:
    """The notice form's sections not hidden by the server (data-show-for without ``hidden``)."""
    form = html[html.index('id="notice-panel"'):]
    shown = set()
    for name, field in SECTION_OF.items():
        section = re.search(rf'<div data-show-for="notice-outcome:[a-z_ ]+"( hidden)?>(?:(?!<div data-show-for).)*?'
                            rf'name="{field}"', form, re.S)
        assert section, name
        if not section[1]:
            shown.add(name)
    return shown


@pytest.mark.parametrize("outcome", sorted(SHOWN))
def test_choosing_the_outcome_without_javascript_shows_only_its_items(filed, utama, outcome):
    data = {**notice_form(filed, "granted_partial"), "outcome": outcome, "remarks": "Catatan tetap ada"}
    response = utama.post(f"/meja/permohonan/{filed.id}/pemberitahuan?keputusan=1", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == (422 if not outcome else 200)
    assert shown_sections(html) == SHOWN[outcome]
    assert errors_of(response) == (["outcome"] if not outcome else [])
    assert re.search(r'<form [^>]*pemberitahuan"[^>]* data-open-action>', html)  # the page keeps it open
    # Everything typed is still in the form, shown or hidden.
    assert "Catatan tetap ada" in html and "NIK dan alamat penerima beasiswa dihitamkan." in html
    assert count(WrittenNotice) == 0 and fresh(filed).status == "registered"


def test_the_first_form_shows_the_outcome_first(filed, utama):
    html = page(utama, filed)
    assert shown_sections(html) == set()
    assert f'formaction="/meja/permohonan/{filed.id}/pemberitahuan?keputusan=1"' in html


def test_items_that_do_not_apply_are_neither_checked_nor_lost(filed, utama):
    # A refusal with nonsense typed in the (hidden) fee and date items: they are not checked …
    data = notice_form(filed, "refused", provide_by="kemarin", fee_amount="lima ribu", materials="Sisa isian")
    response = utama.post(f"/meja/permohonan/{filed.id}/pemberitahuan?pratinjau=1", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and errors_of(response) == []
    # … nor printed in the letter, and they stay in what the preview carries back to the form.
    letter = html[html.index('id="notice-letter"'):html.index("</article>")]
    assert "Sisa isian" not in letter and "lima ribu" not in letter
    for name, value in (("provide_by", "kemarin"), ("fee_amount", "lima ribu"), ("materials", "Sisa isian")):
        assert f'<input type="hidden" name="{name}" value="{value}">' in html
    back = utama.post(f"/meja/permohonan/{filed.id}/pemberitahuan?ubah=1", data=data)
    assert back.status_code == 200 and 'value="lima ribu"' in back.get_data(as_text=True)
    # The same nonsense where it applies is refused next to its fields.
    response = utama.post(f"/meja/permohonan/{filed.id}/pemberitahuan?pratinjau=1",
                          data={**data, "outcome": "granted_full", "held": "yes"})
    assert response.status_code == 422 and set(errors_of(response)) == {"provide_by", "fee_amount"}


# --- 3. a preview of the letter before the numbered issue ----------------------------------------

def test_preview_writes_nothing_and_the_issue_prints_what_was_previewed(app, filed, utama, mailbox):
    url = f"/meja/permohonan/{filed.id}/pemberitahuan"
    data = notice_form(filed, "granted_partial", remarks="Salinan dikirim setelah biaya dibayar.")
    events, version = count(Event), fresh(filed).version
    mailbox.clear()
    preview = utama.post(url + "?pratinjau=1", data=data)
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert re.search(r'id="letter-number">PRATINJAU — belum bernomor<', html)
    assert "NIK dan alamat penerima beasiswa dihitamkan." in html and "Ringkasan uji konsekuensi" in html
    assert (count(Event), count(WrittenNotice), fresh(filed).version) == (events, 0, version)
    assert fresh(filed).notice_at is None and mailbox.messages == []

    # The letter's text, as previewed, is what the issued letter says (its number aside).
    previewed = re.findall(r"<dt>(.*?)</dt><dd class=\"prose\">(.*?)</dd>", html, re.S)
    response = utama.post(url, data={**data, "preview_digest": preview_digest(preview)})
    assert response.status_code == 303
    item = fresh(filed)
    notice = notice_of(item)
    issued = utama.get(url).get_data(as_text=True)
    assert re.findall(r"<dt>(.*?)</dt><dd class=\"prose\">(.*?)</dd>", issued, re.S) == previewed
    # The preview took no number: the counter of notices moved once, for the issue.
    assert db.session.scalar(select(RegistrationCounter.last_value).where(
        RegistrationCounter.series == "pemberitahuan")) == 1
    assert notice_letter(item, notice).rows[3][1] == data["materials"]


def test_a_form_changed_after_the_preview_is_previewed_again(filed, utama):
    url = f"/meja/permohonan/{filed.id}/pemberitahuan"
    data = notice_form(filed, "granted_full")
    digest = preview_digest(utama.post(url + "?pratinjau=1", data=data))
    changed = {**data, "materials": "Dokumen lain yang tidak dipratinjau."}
    changed_preview = utama.post(url, data={**changed, "preview_digest": digest})
    html = changed_preview.get_data(as_text=True)
    response = changed_preview
    assert response.status_code == 200 and 'id="preview-changed"' in html
    assert "Dokumen lain yang tidak dipratinjau." in html  # the new preview shows the change
    assert count(WrittenNotice) == 0
    # Without any preview, "Terbitkan" shows the preview first, and issues nothing.
    response = utama.post(url, data=data)
    assert response.status_code == 200 and preview_digest(response) and count(WrittenNotice) == 0
    assert 'id="preview-changed"' not in response.get_data(as_text=True)
    # Issued from the new preview, the letter says what it showed.
    assert utama.post(url, data={**changed, "preview_digest": preview_digest(changed_preview)}).status_code == 303
    assert notice_of(fresh(filed)).materials == "Dokumen lain yang tidak dipratinjau."


# --- 4. the extension asks for confirmation -------------------------------------------------------

def test_the_extension_is_written_only_by_its_confirmation(filed, utama, mailbox):
    url = f"/meja/permohonan/{filed.id}/perpanjangan"
    data = {"version": str(filed.version), "reason": REASON, "working_days": "7"}
    events = count(Event)
    mailbox.clear()
    response = utama.post(url, data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    shown = re.search(r'id="extension-new-due">(.*?)<', html)[1]
    assert REASON in html and 'name="konfirmasi"' in html
    assert re.search(r'id="extension-confirm"[^>]* data-open-action', html)  # the page keeps it open
    # Nothing written: no new deadline, no numbered letter, no event, no e-mail.
    assert (fresh(filed).extended_due, count(OfficialLetter), count(Event)) == (None, 0, events)
    assert mailbox.messages == []
    # "Ubah" goes back to the form with the text kept; still nothing written.
    back = utama.post(url, data={**data, "ubah": "1"})
    assert back.status_code == 200 and REASON in back.get_data(as_text=True)
    assert 'id="extension-confirm"' not in back.get_data(as_text=True) and fresh(filed).extended_due is None

    assert utama.post(url, data={**data, "konfirmasi": "1"}).status_code == 303
    item = fresh(filed)
    assert long_date(item.extended_due) == shown
    assert item.extended_due == working_calendar().add_working_days(date(2026, 3, 16), 7)
    assert item.extension_reason == REASON and count(OfficialLetter) == 1


def test_a_wrong_extension_is_refused_before_and_at_the_confirmation(filed, utama):
    url = f"/meja/permohonan/{filed.id}/perpanjangan"
    response = utama.post(url, data={"version": str(filed.version), "reason": "Sibuk.", "working_days": "30"})
    assert response.status_code == 422 and set(errors_of(response)) == {"reason", "working_days"}
    assert 'id="extension-confirm"' not in response.get_data(as_text=True)
    # A confirmation posted with a changed, wrong value is checked again: nothing written.
    response = utama.post(url, data={"version": str(filed.version), "reason": "Sibuk.", "working_days": "7",
                                     "konfirmasi": "1"})
    assert response.status_code == 422 and errors_of(response) == ["reason"]
    assert "Sibuk." in response.get_data(as_text=True)
    assert fresh(filed).extended_due is None and count(OfficialLetter) == 0



def test_an_extension_confirmed_on_an_old_version_is_shown_stale_and_writes_nothing(filed, utama, make_unit,
                                                                                    make_user):
    url = f"/meja/permohonan/{filed.id}/perpanjangan"
    old = str(filed.version)
    check = utama.post(url, data={"version": old, "reason": REASON, "working_days": "7"})
    assert check.status_code == 200 and f'name="version" value="{old}"' in check.get_data(as_text=True)
    # Another officer routes the request between the check and the confirmation.
    other = make_user(email="utama-lain@pemda.example.id", roles=("ppid_utama",), name="Ani Utama")
    request_route(actor=other, item=fresh(filed), unit_ids=[make_unit().id], instruction="Siapkan DPA.",
                  internal_due=filed.notice_due, notify=False)
    db.session.commit()
    confirm = utama.post(url, data={"version": old, "reason": REASON, "working_days": "7", "konfirmasi": "1"})
    assert confirm.status_code == 409 and REASON in confirm.get_data(as_text=True)
    assert utama.post(url, data={"version": old, "reason": REASON, "working_days": "7"}).status_code == 409
    assert fresh(filed).extended_due is None and count(OfficialLetter) == 0
