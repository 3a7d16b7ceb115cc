"""A refusal or partial grant can cite a decision of the register of exempt information (issue 15
item 6): the decision's consequence test fills what the officer left empty, the notice records
which decision it cites and the letter names its number; an expired or unapproved decision is
refused next to the field, with everything typed kept."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from ppid_desk.extensions import db
from ppid_desk.notices.models import ConsequenceTest
from tests.factories import make_exemption
from tests.helpers import MONDAY, fresh, issue, issue_with_preview, notice_form, preview_digest


@pytest.fixture
def setting(app, clock, file_request, make_unit, make_user, officer_client):
    clock.travel_to(MONDAY)
    unit = make_unit("SATPOLPP", "Satuan Polisi Pamong Praja")
    officer = make_user(email="unit@pemda.example.id", roles=("pembantu",), unit=unit)
    utama_client = officer_client("ppid_utama")
    from ppid_desk.accounts.models import User

    utama_user = db.session.scalar(select(User).where(User.email == utama_client.user_email))
    decision = make_exemption(unit, actor=officer, approver=utama_user, status="approved")
    expired = make_exemption(unit, actor=officer, approver=utama_user, status="approved", title="Lama",
                             ends_on=date(2026, 3, 2), decided_on=date(2021, 3, 1))
    draft = make_exemption(unit, actor=officer, title="Belum disetujui")
    item = file_request()
    return {"utama": utama_client, "decision": decision, "expired": expired, "draft": draft, "item": item}


def cited(item, decision_id, **overrides):
    """A refusal citing a decision, the consequence test left empty but for what is overridden."""
    empty = {"pasal17": None, "ct_information": "", "ct_legal_basis": "", "ct_harm": "", "ct_public_interest": "",
             "ct_exemption_period": ""}
    return notice_form(item, "refused", **{**empty, "ct_exemption": str(decision_id), **overrides})


def test_a_refusal_citing_a_decision_takes_its_test_and_names_it_in_the_letter(setting, clock):
    clock.travel_to(datetime(2026, 3, 4, 3, 0, tzinfo=UTC))
    item, decision = setting["item"], setting["decision"]
    form = setting["utama"].get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
    assert f'<option value="{decision.id}">{decision.number} — {decision.title}' in form
    assert "kedaluwarsa" in form  # the expired one is listed, marked
    assert "Belum disetujui" not in form  # a draft is not
    preview = setting["utama"].post(f"/meja/permohonan/{item.id}/pemberitahuan?pratinjau=1",
                                     data=cited(item, decision.id, ct_harm="Penyidikan perkara 12 terhambat."))
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200 and f"Nomor {decision.number}" in page
    response = setting["utama"].post(f"/meja/permohonan/{item.id}/pemberitahuan",
                                     data={**cited(item, decision.id, ct_harm="Penyidikan perkara 12 terhambat."),
                                           "preview_digest": preview_digest(preview)})
    assert response.status_code == 303
    test = db.session.scalar(select(ConsequenceTest))
    assert test.exemption_id == decision.id and test.pasal17_letters == ["a"]
    assert test.legal_basis == decision.legal_basis and test.harm == "Penyidikan perkara 12 terhambat."
    assert test.information.startswith(decision.title) and test.exemption_period == "5 tahun (sampai 1 Maret 2031)"
    assert fresh(item).outcome == "refused"


@pytest.mark.parametrize("which, message", [
    ("expired", "sudah berakhir jangka waktunya"), ("draft", "Pilih penetapan dari daftar yang tersedia"),
    ("unknown", "Pilih penetapan dari daftar yang tersedia")])
def test_an_expired_or_unapproved_decision_is_refused_next_to_the_field(setting, clock, which, message):
    clock.travel_to(datetime(2026, 3, 4, 3, 0, tzinfo=UTC))
    item = setting["item"]
    decision_id = 999_999 if which == "unknown" else setting[which].id
    response = issue_with_preview(setting["utama"], f"/meja/permohonan/{item.id}/pemberitahuan",
                                  cited(item, decision_id, ct_information="Berkas yang saya ketik sendiri."))
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and message in page
    assert "Berkas yang saya ketik sendiri." in page
    assert db.session.scalar(select(ConsequenceTest.id)) is None


def test_a_grant_ignores_a_cited_decision_left_in_the_hidden_section(setting, clock):
    clock.travel_to(datetime(2026, 3, 4, 3, 0, tzinfo=UTC))
    item = setting["item"]
    assert issue(setting["utama"], item, "granted_full", ct_exemption=str(setting["expired"].id)).status_code == 303
    assert db.session.scalar(select(ConsequenceTest.id)) is None
