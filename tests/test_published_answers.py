"""Answers published from requests (issue 15 item 7): after delivery the desk puts the released
files in the Daftar Informasi Publik as "setiap saat" information with a summary of the request and
never the applicant's identity, at once or after the waiting period, with PPID Utama's approval; the
public item links to the anonymous request summary."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from ppid_desk.attachments.models import Attachment
from ppid_desk.audit.selectors import events_for
from ppid_desk.dip.models import InformationItem
from ppid_desk.extensions import db
from ppid_desk.routing.models import RoutingTask
from tests.helpers import MONDAY, fresh, issue, text_pdf

APPLICANT = "Budi Santoso"  # factories.register_request
RELEASED = "Realisasi belanja sekolah dasar negeri triwulan ketiga"


@pytest.fixture
def world(app, clock, file_request, make_unit, make_user, officer_client):
    clock.travel_to(MONDAY)
    unit = make_unit("DISDIK", "Dinas Pendidikan")
    unit.head_position = "Kepala Dinas Pendidikan"
    utama = officer_client("ppid_utama", name="Rina Utama")
    pembantu = officer_client("pembantu", unit=unit)
    request = file_request()
    router = make_user(email="router@pemda.example.id", roles=("ppid_utama",))
    db.session.add(RoutingTask(request_id=request.id, unit_id=unit.id, instruction="Siapkan data.",
                               internal_due=request.notice_due, routed_by_id=router.id))
    db.session.commit()
    return {"unit": unit, "utama": utama, "pembantu": pembantu, "request": request}


def delivered(world):
    utama, item = world["utama"], world["request"]
    assert issue(utama, fresh(item), "granted_full").status_code == 303
    item = fresh(item)
    response = utama.post(f"/meja/permohonan/{item.id}/penyampaian", content_type="multipart/form-data", data={
        "version": str(item.version), "method": "file", "fee_paid": "0",
        "files": [(io.BytesIO(text_pdf(RELEASED)), "realisasi-tw3.pdf")]})
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    return fresh(item)


def answer_form(item, **overrides):
    files = db.session.scalars(select(Attachment.id).where(Attachment.request_id == item.id,
                                                            Attachment.purpose == "information")).all()
    data = {"title": "Realisasi Belanja SD Negeri Triwulan III 2026",
            "summary": "Realisasi belanja per sekolah dasar negeri, triwulan ketiga 2026.",
            "request_summary": "Pemohon meminta realisasi belanja sekolah dasar negeri triwulan ketiga.",
            "documents": [str(i) for i in files], "timing": "now"}
    data.update(overrides)
    return data


def publish(client, item, **overrides):
    return client.post(f"/meja/permohonan/{item.id}/umumkan-jawaban", data=answer_form(item, **overrides))


def search(client, words):
    return client.get("/informasi", query_string={"q": words}).get_data(as_text=True)


def test_ppid_utama_publishes_the_released_file_at_once_without_the_applicant(world, client):
    item = delivered(world)
    page = world["utama"].get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
    assert 'id="answer-panel"' in page and "realisasi-tw3.pdf" in page
    response = publish(world["utama"], item)
    assert response.status_code == 303
    published = db.session.scalar(select(InformationItem))
    assert (published.status, published.category, published.source_request_id, published.unit_id) == (
        "published", "setiap_saat", item.id, world["unit"].id)
    assert published.official == "Kepala Dinas Pendidikan" and published.published_on == MONDAY.date()
    copies = db.session.scalars(select(Attachment).where(Attachment.item_id == published.id)).all()
    originals = db.session.scalars(select(Attachment).where(Attachment.request_id == item.id,
                                                            Attachment.purpose == "information")).all()
    assert [(c.original_name, c.visibility, c.purpose, c.request_id) for c in copies] == [
        ("realisasi-tw3.pdf", "public", "dip_document", None)]
    assert [(o.visibility, o.item_id) for o in originals] == [("applicant", None)]  # the applicant's copy stays
    assert copies[0].sha256 == originals[0].sha256 and copies[0].stored_name != originals[0].stored_name
    # The public finds it by a word that is only in the PDF, and the page links to the request summary.
    assert f'href="/informasi/{published.id}"' in search(client, "sekolah triwulan")
    public = client.get(f"/informasi/{published.id}").get_data(as_text=True)
    summary_link = f"/informasi/{published.id}/permohonan"
    assert summary_link in public
    summary = client.get(summary_link)
    text = summary.get_data(as_text=True)
    assert summary.status_code == 200 and item.number in text and "realisasi belanja sekolah dasar" in text
    assert "Dinas Pendidikan" in text and "Diberikan seluruhnya" in text
    for personal in (APPLICANT, "budi@example.id", "081234567890", "Jl. Melati", "3201011505900001"):
        assert personal not in public and personal not in text
    assert client.get(f"/informasi/{published.id}/dokumen/{copies[0].id}").status_code == 200
    kinds = [e.kind for e in events_for("request", item.id)]
    assert "answer_proposed_for_catalogue" in kinds
    assert [e.kind for e in events_for("dip_item", published.id)] == [
        "dip_item_created_from_request", "dip_item_submitted", "dip_item_approved"]
    # The panel now records the item and offers nothing more; a second try is refused.
    page = world["utama"].get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
    assert "Diumumkan di Daftar Informasi Publik" in page
    assert f'action="/meja/permohonan/{item.id}/umumkan-jawaban"' not in page
    again = publish(world["utama"], fresh(item))
    assert again.status_code == 422 and "sudah diusulkan atau diumumkan" in again.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(InformationItem)) == 1


def test_a_unit_proposes_with_the_waiting_period_ppid_utama_approves_and_the_sweep_publishes_on_the_day(
        world, client, clock):
    from ppid_desk.notifications.sweep import sweep_run

    item = delivered(world)
    response = publish(world["pembantu"], item, timing="delay")
    assert response.status_code == 303
    proposed = db.session.scalar(select(InformationItem))
    day = item.delivered_on + timedelta(days=14)
    assert (proposed.status, proposed.publish_after) == ("submitted", day)
    assert client.get(f"/informasi/{proposed.id}").status_code == 404
    # PPID Utama approves: it waits as scheduled, still not public nor searchable.
    approve = world["utama"].post(f"/meja/dip/{proposed.id}/setujui")
    assert approve.status_code == 303
    assert fresh(proposed).status == "scheduled" and fresh(proposed).published_on is None
    assert client.get(f"/informasi/{proposed.id}").status_code == 404
    assert f'href="/informasi/{proposed.id}"' not in search(client, "sekolah triwulan")
    desk = world["utama"].get(f"/meja/dip/{proposed.id}").get_data(as_text=True)
    assert 'id="scheduled-note"' in desk and item.number in desk
    # The day before: nothing; on the day: published and searchable, once.
    clock.travel_to(datetime.combine(day - timedelta(days=1), MONDAY.time(), MONDAY.tzinfo))
    assert sweep_run().dip_published == 0
    assert fresh(proposed).status == "scheduled"
    clock.travel_to(datetime.combine(day, MONDAY.time(), MONDAY.tzinfo))
    assert sweep_run().dip_published == 1
    assert (fresh(proposed).status, fresh(proposed).published_on) == ("published", day)
    assert f'href="/informasi/{proposed.id}"' in search(client, "sekolah triwulan")
    assert sweep_run().dip_published == 0
    assert [e.kind for e in events_for("dip_item", proposed.id)][-2:] == [
        "dip_item_scheduled", "dip_item_published_as_scheduled"]


@pytest.mark.parametrize("field, typed, found", [
    ("request_summary", f"{APPLICANT} meminta data belanja sekolah.", "nama pemohon"),
    ("summary", "Data belanja; hubungi budi@example.id untuk rinciannya.", "alamat e-mail"),
    ("title", "Data belanja untuk 3201011505900001", "NIK"),
    ("request_summary", "Permintaan dari 0812-3456-7890 tentang belanja sekolah.", "nomor telepon"),
])
def test_text_naming_the_applicant_is_refused_next_to_its_field_and_nothing_is_written(world, field, typed, found):
    item = delivered(world)
    attachments = db.session.scalar(select(func.count()).select_from(Attachment))
    response = publish(world["utama"], item, **{field: typed})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "tidak boleh memuat identitas pemohon" in page and found in page
    assert typed.split()[0] in page  # what was typed is kept
    assert db.session.scalar(select(func.count()).select_from(InformationItem)) == 0
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == attachments


def test_missing_fields_and_foreign_documents_are_refused_next_to_the_fields(world):
    item = delivered(world)
    response = publish(world["utama"], item, title="", request_summary="", documents=["999999"])
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Tulis judul informasi" in page and "Tulis singkat apa yang diminta" in page
    assert "Pilih berkas dari daftar berkas" in page
    assert db.session.scalar(select(func.count()).select_from(InformationItem)) == 0


def test_nothing_is_offered_before_delivery_or_for_a_refusal(world, officer_client):
    item = world["request"]
    page = world["utama"].get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
    assert 'id="answer-panel"' not in page
    response = publish(world["utama"], fresh(item))
    assert response.status_code == 422 and "setelah informasinya disampaikan" in response.get_data(as_text=True)
    # A desk officer (not a DIP editor) may not publish; an applicant's client is refused too.
    desk = officer_client("petugas")
    assert publish(desk, fresh(item)).status_code in (403, 404)
    assert db.session.scalar(select(func.count()).select_from(InformationItem)) == 0


def test_a_unit_edit_of_a_published_answer_is_checked_for_identity_and_needs_approval_again(world, client):
    item = delivered(world)
    assert publish(world["utama"], item).status_code == 303
    published = db.session.scalar(select(InformationItem))
    form = {"version": str(published.version), "title": published.title, "summary": published.summary,
            "category": "setiap_saat", "unit_id": str(world["unit"].id), "official": published.official,
            "made_when": published.made_when, "made_where": published.made_where, "format": "softcopy",
            "retention": published.retention, "external_url": "", "review_months": "",
            "request_summary": f"Permintaan {APPLICANT} tentang belanja."}
    refused = world["pembantu"].post(f"/meja/dip/{published.id}", data=form)
    assert refused.status_code == 422 and "tidak boleh memuat identitas pemohon" in refused.get_data(as_text=True)
    assert fresh(published).request_summary.startswith("Pemohon meminta")
    form["request_summary"] = "Permintaan data belanja sekolah dasar negeri."
    assert world["pembantu"].post(f"/meja/dip/{published.id}", data=form).status_code == 303
    changed = fresh(published)
    assert changed.status == "submitted" and changed.request_summary == form["request_summary"]
    assert client.get(f"/informasi/{published.id}/permohonan").status_code == 404
