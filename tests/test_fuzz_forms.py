"""Issue 6, item 5: hostile input on every form never gives a 500 and is never echoed unescaped.

The forms are discovered, not listed: a small world of requests, tasks and objections in every
state that shows a form is built, each page is fetched as each role that may post there, every
``<form method="post">`` is parsed with ``html.parser`` (hidden ``version`` and ``csrf_token``
fields included, CSRF switched on), and the set of endpoints found is checked against the app's
POST routes. Then, per form:

* one deterministic pass puts markup into each free-text field in turn (the other fields keep
  plausible values, so the markup is usually stored), and
* Hypothesis posts random and hostile values (long, unicode, markup, SQL, NUL and control
  characters, out-of-range numbers, impossible dates; random/empty files) to random fields.

Every response must be something other than a 500 and must not contain the markup unescaped;
afterwards every page that shows the stored data (desk and applicant pages, receipts, queues,
registers, letters, PDFs) is fetched again with the same checks.
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from ppid_desk.extensions import db
from tests.factories import file_objection
from tests.helpers import pdf_bytes, png_bytes, preview_digest

NOW = datetime(2026, 7, 6, 3, 0, tzinfo=UTC)  # Monday 6 July 2026, 10.00 WIB
EXAMPLES = 10  # per form; ~40 forms

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
# What must never appear in a response body: the payloads' markup, unescaped.
UNESCAPED = re.compile(r"<script>alert\(|<img src=x onerror", re.IGNORECASE)

HOSTILE_TEXT = [
    SCRIPT, IMG, "' OR 1=1 --", "'; DROP TABLE information_request; --", "a\x00b", "\x00",
    "\x01\x02\x1b[31m\x7f", "\u202eRTL override\u202c", "مرحبا بالعالم", "👩‍👩‍👧‍👦🇮🇩", "e\u0301\u0301\u0301",
    "zero\u200bwidth\ufeff", "\ud7ff\ue000\uffff", "x" * 10_050, ("<b>" + "ä" * 3000) * 4, " ", "",
    "-1", "0", "99999999999999999999999", "1e309", "NaN", "-9223372036854775809", "3.5",
    "9999-99-99", "0000-00-00", "2026-02-30", "31/02/2026", "99/99/9999", "1900-01-01", "9999-12-31",
    "{{7*7}}", "${7*7}", "%s%s%n", "../../etc/passwd", "javascript:alert(1)",
    "test@example.id\r\nBcc: x@example.id", "a" * 255 + "@example.id",
]
BAD_FILES = [
    (b"", "kosong.pdf"), (b"<html><script>alert(1)</script></html>", "ktp.png"),
    (png_bytes() + b"<script>alert(1)</script>", "poly.png"), (b"PK\x03\x04" + b"\x00" * 40, "arsip.pdf"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "gambar.svg"),
    (png_bytes(), "../../etc/passwd"), (pdf_bytes(), "..\\..\\x.pdf"), (pdf_bytes(), "a\x00b.pdf"),
    (pdf_bytes(), "n" * 300 + ".pdf"), (pdf_bytes(), SCRIPT + ".pdf"),
]

# Plausible values by field name, so a single hostile field usually reaches the service.
GOOD = {
    "email": "budi.fuzz@example.id", "name": "Budi Santoso", "nik": "3201011505900001",
    "address": "Jl. Melati No. 5", "occupation": "Wiraswasta", "phone": "081234567890",
    "rincian": "Dokumen anggaran Dinas Pendidikan 2025.", "tujuan": "Pengawasan anggaran.",
    "password": "rahasia-panjang-1", "password_confirm": "rahasia-panjang-1", "confirm": "rahasia-panjang-1",
    "new_password": "rahasia-panjang-2", "number": "0001/PPID/VII/2026",
    "missing_items": "Fotokopi KTP yang terbaca.", "body": "Catatan uji.", "text": "Teks uji.",
    "instruction": "Mohon siapkan dokumen.", "answer_text": "Dokumen terlampir.", "reason": "Bukan kewenangan unit.",
    "reasons": "Informasi terbuka.", "release_by": "31/07/2026", "internal_due": "2026-07-10",
    "materials": "DPA 2025.", "delivery_form": "Salinan PDF.", "fee_amount": "0", "fee_paid": "0",
    "payment_method": "Tunai", "payment_reference": "KW-1", "note": "Catatan.", "filed_date": "06/07/2026",
    "stage_date": "06/07/2026", "ki_number": "001/KI/VII/2026", "case_summary": "Tidak ditanggapi.",
    "intended_use": "Pengawasan.", "date": "2026-08-17", "label": "Libur uji", "year": "2027",
    "received_date": "06/07/2026", "received_time": "10:00", "note_body": "Catatan uji.",
    "current_password": "rahasia-panjang-1",
    "completion_text": "KTP terlampir.", "day": "17/08/2027", "outcome_date": "06/07/2026",
    "code": "FUZZ-1", "head_name": "Kepala Uji", "head_position": "Sekretaris",
    "occurred_date": "06/07/2026", "occurred_time": "09:00", "topic": "Pertanyaan tentang jadwal layanan.",
}


# --- discovery ------------------------------------------------------------------------------

@dataclass
class Field:
    name: str
    kind: str  # text, textarea, hidden, radio, checkbox, select, file, submit, ...
    values: list[str] = field(default_factory=list)  # default / option values
    checked: list[str] = field(default_factory=list)


@dataclass
class Form:
    page: str
    action: str
    multipart: bool
    fields: dict[str, Field]


class FormParser(HTMLParser):
    def __init__(self, page: str) -> None:
        super().__init__()
        self.page, self.forms, self._form, self._select, self._textarea = page, [], None, None, None

    def _add(self, name, kind, value=None, checked=False):
        entry = self._form.fields.setdefault(name, Field(name, kind))
        if value is not None:
            entry.values.append(value)
            if checked:
                entry.checked.append(value)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "get").lower() == "post":
            self._form = Form(self.page, a.get("action") or self.page,
                              "multipart" in (a.get("enctype") or ""), {})
            self.forms.append(self._form)
        elif self._form is None or not a.get("name") and tag != "option":
            return
        elif tag == "input":
            kind = (a.get("type") or "text").lower()
            self._add(a["name"], kind, a.get("value", "on" if kind in ("radio", "checkbox") else ""),
                      "checked" in a)
        elif tag == "button" and a.get("name"):
            self._add(a["name"], "submit", a.get("value", ""))
        elif tag == "textarea":
            self._textarea = a["name"]
            self._add(a["name"], "textarea", "")
        elif tag == "select":
            self._select = a["name"]
            self._add(a["name"], "select")
        elif tag == "option" and self._select:
            self._add(self._select, "select", a.get("value", ""), "selected" in a)

    def handle_data(self, data):
        if self._form is not None and self._textarea:
            self._form.fields[self._textarea].values[-1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def forms_on(client, page: str) -> list[Form]:
    response = client.get(page)
    assert response.status_code == 200, (page, response.status_code)
    parser = FormParser(page)
    parser.feed(response.get_data(as_text=True))
    return parser.forms


def endpoint_of(app, url: str) -> str:
    adapter = app.url_map.bind("localhost")
    return adapter.match(urlsplit(url).path, method="POST")[0]


def baseline(f: Field) -> str | list[str] | None:
    """A plausible value: what the page offers, else a sensible value for the name."""
    short = f.name.rsplit("-", 1)[-1]
    if f.kind in ("radio", "select"):
        return (f.checked or [v for v in f.values if v] or [None])[0]
    if f.kind == "checkbox":
        return f.checked or f.values[:1]
    if f.kind == "file":
        return None
    current = (f.values or [""])[0]
    return current if current or f.kind == "hidden" else GOOD.get(short, "")


def file_value(content: bytes, name: str):
    return (io.BytesIO(content), name)


# --- posting and checking -----------------------------------------------------------------------

class _Remember(logging.Handler):
    """Keeps the last traceback the app's error handler logged, for the failure message."""

    last = ""

    def emit(self, record) -> None:
        _Remember.last = self.format(record)


def check(response, what) -> None:
    assert response.status_code != 500, (what, _Remember.last[-2500:])
    if response.mimetype == "text/html":
        body = response.get_data(as_text=True)
        match = UNESCAPED.search(body)
        assert match is None, (what, body[max(0, match.start() - 300):match.end() + 100])


def post(client, form: Form, values: dict, files: dict, follow: bool = True) -> int:
    data = {k: v for k, v in values.items() if v is not None}
    if form.multipart or files:
        for name, spec in files.items():
            data[name] = [file_value(*s) for s in spec] if isinstance(spec, list) else file_value(*spec)
        response = client.post(form.action, data=data, content_type="multipart/form-data")
    else:
        response = client.post(form.action, data=data)
    check(response, (form.action, {k: (v[:80] if isinstance(v, str) else v) for k, v in data.items()}))
    if follow and response.status_code in (302, 303) and response.location:
        target = urlsplit(response.location)
        if not target.netloc or target.netloc == "localhost":
            check(client.get(target.path + ("?" + target.query if target.query else "")),
                  ("after", form.action))
    return response.status_code


def fresh_form(client, form: Form) -> Form:
    """The form as the page shows it now (a new version after each successful post)."""
    for candidate in forms_on_lenient(client, form.page):
        if candidate.action == form.action and candidate.fields.keys() == form.fields.keys():
            return candidate
    return form


def forms_on_lenient(client, page: str) -> list[Form]:
    response = client.get(page)
    check(response, ("page", page))
    if response.status_code != 200:
        return []
    parser = FormParser(page)
    parser.feed(response.get_data(as_text=True))
    return parser.forms


def values_for(form: Form) -> tuple[dict, dict]:
    values = {name: baseline(f) for name, f in form.fields.items() if f.kind not in ("file", "submit")}
    submits = [f for f in form.fields.values() if f.kind == "submit"]
    for f in submits[:1]:
        values[f.name] = f.values[0]
    files = {name: (png_bytes(), "ktp.png") for name, f in form.fields.items() if f.kind == "file"}
    return values, files


STRUCTURED = {"email", "nik", "phone", "password", "confirm", "new_password", "number", "day", "year",
              "received_date", "received_time", "filed_date", "stage_date", "outcome_date", "release_by",
              "internal_due", "provide_by", "fee_amount", "fee_paid", "working_days", "link_url",
              "code", "parent"}


def markup_pass(client, form: Form) -> None:
    """Append markup to every free-text field at once (the structured ones stay plausible)."""
    for payload in (SCRIPT, IMG):
        current = fresh_form(client, form)
        values, files = values_for(current)
        for name, f in current.fields.items():
            if (f.kind in ("text", "textarea", "search") and name.rsplit("-", 1)[-1] not in STRUCTURED
                    and isinstance(values.get(name), str)):
                values[name] = (values[name] + " " + payload).strip()
        post(client, current, values, files)


def hostile_value(f: Field):
    texts = st.one_of(st.sampled_from(HOSTILE_TEXT), st.text(max_size=40),
                      st.integers(min_value=-(10**20), max_value=10**20).map(str))
    if f.kind == "file":
        return st.one_of(st.sampled_from(BAD_FILES),
                         st.tuples(st.binary(max_size=64), st.sampled_from(["x.pdf", "x.png", "x"])),
                         st.just(None))
    if f.kind == "checkbox":
        return st.one_of(st.just(None), texts, st.lists(texts, max_size=3))
    return st.one_of(st.just(None), texts, st.sampled_from(f.values) if f.values else texts)


def fuzz(client, form: Form) -> None:
    names = sorted(form.fields)
    state = {"form": fresh_form(client, form)}

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def run(data):
        current = state["form"]
        values, files = values_for(current)
        chosen = data.draw(st.sets(st.sampled_from(names), min_size=1, max_size=len(names)), label="fields")
        for name in sorted(chosen):
            f = current.fields[name]
            value = data.draw(hostile_value(f), label=name)
            if f.kind == "file":
                files.pop(name, None)
                if value is not None:
                    files[name] = value
            else:
                values[name] = value
        if post(client, current, values, files, follow=False) < 400:
            state["form"] = fresh_form(client, form)  # a new version of the request

    run()


# --- the world: one request, task and objection in every state that shows a form -------------------

@dataclass
class World:
    clients: dict[str, object]
    pages: dict[str, list[str]]  # role -> pages whose forms that role posts
    shows: dict[str, list[str]]  # role -> pages that show stored data
    # Forms that end their request or objection (withdrawals) are fuzzed only on these pages, each
    # of a subject made for it, so that they do not close the subjects the other forms work on.
    ending_pages: set[str] = field(default_factory=set)


@pytest.fixture
def world(request, app, clock, make_user, make_unit, officer_client, file_request):
    from ppid_desk.accounts.tokens import reset_token
    from ppid_desk.desk.intake_services import request_mark_incomplete
    from ppid_desk.routing.models import RoutingTask

    clock.travel_to(NOW)
    remember = _Remember()
    app.logger.addHandler(remember)
    request.addfinalizer(lambda: app.logger.removeHandler(remember))
    unit = make_unit()
    retired = make_unit("LAMA", "Unit Lama")
    retired.active = False
    db.session.commit()
    citizen = make_user(email="warga@example.id", name="Siti Warga")
    resetter = make_user(email="lupa@example.id", name="Lupa Sandi")
    clients = {role: officer_client(role, unit=unit if role == "pembantu" else None)
               for role in ("petugas", "ppid_utama", "atasan", "pembantu", "admin")}
    clients["anonymous"] = app.test_client()
    citizen_client = app.test_client()
    assert citizen_client.post("/masuk", data={"email": "warga@example.id",
                                               "password": "rahasia-panjang-1"}).status_code == 303
    clients["pemohon"] = citizen_client
    make_user(email="pergi@example.id", name="Akan Pergi")  # deletes the account: a client of its own
    leaver_client = app.test_client()
    assert leaver_client.post("/masuk", data={"email": "pergi@example.id",
                                              "password": "rahasia-panjang-1"}).status_code == 303
    clients["leaver"] = leaver_client
    app.config.update(WTF_CSRF_ENABLED=True)  # every form now carries (and checks) its token
    utama, atasan = clients["ppid_utama"], clients["atasan"]

    def valid_post(client, url, data):
        forms = [f for f in forms_on(client, page_of[url]) if urlsplit(f.action).path == url]
        assert forms, (url, page_of[url])
        values, _files = values_for(forms[0])
        values.update(data)
        response = client.post(forms[0].action, data=values)
        if response.status_code == 200:  # the notice's preview or the extension's confirmation, then the write
            digest = preview_digest(response)
            values.update({"preview_digest": digest} if digest else {"konfirmasi": "1"})
            response = client.post(forms[0].action, data=values)
        assert response.status_code == 303, (url, values, re.findall(
            r'class="field-error"[^>]*>(.*?)</p>|<main.*', response.get_data(as_text=True), re.S))

    # Received a month ago and never answered: its notice is overdue, so the objection form is offered.
    clock.travel_to(NOW - timedelta(days=30))
    fresh_item = file_request(owner=citizen, email="warga@example.id", received_at=NOW - timedelta(days=30))
    clock.travel_to(NOW)
    incomplete = file_request(owner=citizen, email="warga@example.id")
    request_mark_incomplete(actor=db.session.get(type(citizen), citizen.id), item=incomplete,
                            missing_items="KTP tidak terbaca.")
    # Without e-mail: its letter waits for the desk to record the hand-over. And one whose
    # completion period has passed: the desk may close it as not completed (an ending form).
    walk_in = file_request(email="", notify=False)
    request_mark_incomplete(actor=db.session.get(type(citizen), citizen.id), item=walk_in,
                            missing_items="Surat kuasa.")
    clock.travel_to(datetime(2026, 6, 2, 3, 0, tzinfo=UTC))
    lapsed = file_request(email="", notify=False)
    request_mark_incomplete(actor=db.session.get(type(citizen), citizen.id), item=lapsed,
                            missing_items="Surat kuasa.")
    clock.travel_to(NOW)
    db.session.commit()
    routed = file_request()
    granted = file_request()
    delivered = file_request()
    posted = file_request()  # its notice went by post: the desk records the day it was received
    extended = file_request(email="", notify=False)  # its extension letter went by post: its hand-over
    page_of = {f"/meja/permohonan/{routed.id}/disposisi": f"/meja/permohonan/{routed.id}",
               f"/meja/permohonan/{granted.id}/pemberitahuan": f"/meja/permohonan/{granted.id}",
               f"/meja/permohonan/{posted.id}/pemberitahuan": f"/meja/permohonan/{posted.id}",
               f"/meja/permohonan/{delivered.id}/pemberitahuan": f"/meja/permohonan/{delivered.id}",
               f"/meja/permohonan/{delivered.id}/penyampaian": f"/meja/permohonan/{delivered.id}"}
    valid_post(utama, f"/meja/permohonan/{routed.id}/disposisi", {"units": str(unit.id)})
    for item in (granted, delivered):
        valid_post(utama, f"/meja/permohonan/{item.id}/pemberitahuan",
                   {"outcome": "granted_full", "held": "yes"})
    valid_post(utama, f"/meja/permohonan/{posted.id}/pemberitahuan",
               {"outcome": "granted_full", "held": "yes", "sent_via": "post"})
    valid_post(utama, f"/meja/permohonan/{delivered.id}/penyampaian", {"method": "in_person"})
    # the citizen's delivered request: the satisfaction survey is offered on it
    rated = file_request(owner=citizen, email="warga@example.id")
    page_of[f"/meja/permohonan/{rated.id}/pemberitahuan"] = f"/meja/permohonan/{rated.id}"
    page_of[f"/meja/permohonan/{rated.id}/penyampaian"] = f"/meja/permohonan/{rated.id}"
    valid_post(utama, f"/meja/permohonan/{rated.id}/pemberitahuan", {"outcome": "granted_full", "held": "yes"})
    valid_post(utama, f"/meja/permohonan/{rated.id}/penyampaian", {"method": "in_person"})
    page_of[f"/meja/permohonan/{extended.id}/perpanjangan"] = f"/meja/permohonan/{extended.id}"
    valid_post(utama, f"/meja/permohonan/{extended.id}/perpanjangan",
               {"reason": "Informasi masih dikumpulkan dari beberapa unit kerja.", "working_days": "7",
                "sent_via": "post"})
    task = db.session.scalar(select(RoutingTask).where(RoutingTask.request_id == routed.id))

    objection_item = file_request(owner=citizen, email="warga@example.id")
    registered = _objection(app, objection_item, grounds=("c", "g"))
    overturned_item = file_request(owner=citizen, email="warga@example.id")
    overturned = _objection(app, overturned_item, grounds=("a",))
    page_of[f"/meja/keberatan/{overturned.id}/tanggapan"] = f"/meja/keberatan/{overturned.id}"
    valid_post(atasan, f"/meja/keberatan/{overturned.id}/tanggapan",
               {"decision": "overturned_full", "reasons": "Informasi terbuka.", "release_by": "31/07/2026"})
    disputed_item = file_request(owner=citizen, email="warga@example.id")
    disputed = _objection(app, disputed_item, grounds=("c",))
    page_of[f"/meja/keberatan/{disputed.id}/tanggapan"] = f"/meja/keberatan/{disputed.id}"
    valid_post(atasan, f"/meja/keberatan/{disputed.id}/tanggapan",
               {"decision": "upheld", "reasons": "Informasi dikecualikan."})
    posted_objection = _objection(app, file_request(), grounds=("c",))  # its response went by courier
    page_of[f"/meja/keberatan/{posted_objection.id}/tanggapan"] = f"/meja/keberatan/{posted_objection.id}"
    valid_post(atasan, f"/meja/keberatan/{posted_objection.id}/tanggapan",
               {"decision": "upheld", "reasons": "Informasi dikecualikan.", "sent_via": "courier"})
    page_of[f"/meja/keberatan/{disputed.id}/sengketa"] = f"/meja/keberatan/{disputed.id}/sengketa"
    valid_post(utama, f"/meja/keberatan/{disputed.id}/sengketa", {"level": "provinsi"})
    # After the KI (issue 13, item 9): its decision, a case at the PTUN (its hearing and decision
    # forms appear), and a mediated dispute whose final decision shows the compliance form.
    for path in ("putusan", "pengadilan"):
        page_of[f"/meja/keberatan/{disputed.id}/sengketa/{path}"] = f"/meja/keberatan/{disputed.id}/sengketa"
    valid_post(utama, f"/meja/keberatan/{disputed.id}/sengketa/putusan",
               {"ki_decision": "granted_full", "outcome": "Dikabulkan.", "outcome_date": "06/07/2026",
                "received_body": "06/07/2026", "received_applicant": ""})
    valid_post(utama, f"/meja/keberatan/{disputed.id}/sengketa/pengadilan",
               {"first-appellant": "body", "first-court": "ptun", "first-court_name": "PTUN Contoh",
                "first-filed_date": "06/07/2026"})
    mediated = _objection(app, file_request(owner=citizen, email="warga@example.id"), grounds=("c",))
    for path in ("tanggapan", "sengketa", "sengketa/putusan"):
        page_of[f"/meja/keberatan/{mediated.id}/{path}"] = f"/meja/keberatan/{mediated.id}" + (
            "" if path == "tanggapan" else "/sengketa")
    valid_post(atasan, f"/meja/keberatan/{mediated.id}/tanggapan",
               {"decision": "upheld", "reasons": "Informasi dikecualikan."})
    valid_post(utama, f"/meja/keberatan/{mediated.id}/sengketa", {"level": "provinsi"})
    valid_post(utama, f"/meja/keberatan/{mediated.id}/sengketa/putusan",
               {"ki_decision": "mediation", "outcome": "Sepakat.", "outcome_date": "06/07/2026",
                "received_body": "", "received_applicant": ""})
    page_of["/meja/kalender/libur"] = "/meja/kalender"
    valid_post(clients["admin"], "/meja/kalender/libur", {})
    from ppid_desk.workcalendar.models import Holiday

    holiday = db.session.scalar(select(Holiday).order_by(Holiday.id.desc()))
    page_of["/meja/kalender/libur"] = "/meja/kalender?tahun=2027"
    valid_post(clients["admin"], "/meja/kalender/libur", {"day": "18/08/2027"})
    inactive = db.session.scalar(select(Holiday).order_by(Holiday.id.desc()))
    page_of[f"/meja/kalender/libur/{inactive.id}/nonaktifkan"] = "/meja/kalender?tahun=2027"
    valid_post(clients["admin"], f"/meja/kalender/libur/{inactive.id}/nonaktifkan", {})
    # the fee tariff: one rate in use, one taken out of use (its "aktifkan kembali" form)
    from ppid_desk.organisation.tariff_models import TariffLine
    from ppid_desk.organisation.tariff_services import (
        TariffDraft,
        tariff_line_create,
        tariff_line_set_active,
    )

    def rate(name: str) -> TariffLine:
        return tariff_line_create(actor=None, draft=TariffDraft(
            kind="copy", name=name, price=500, decree_number="SK 1/2026", decree_date=date(2026, 1, 2),
            effective_from=date(2026, 1, 2)))

    tariff_line, retired_rate = rate("A4 hitam-putih"), rate("Folio")
    tariff_line_set_active(actor=None, line=retired_rate, active=False)
    db.session.commit()
    db.session.expire_all()
    resetter = db.session.get(type(resetter), resetter.id)
    reset_url = f"/lupa-sandi/{reset_token(user_id=resetter.id, password_hash=resetter.password_hash)}"
    from ppid_desk.accounts.invitations import invitation_token

    invited = make_user(email="undangan@example.id", name="Admin Baru", roles=("admin",), verified=False)
    invite_url = f"/atur-sandi/{invitation_token(invited)}"

    file_request(email="warga@example.id")  # filed as a guest with the account's address: claimable
    leaving = file_request(owner=citizen, email="warga@example.id")
    leaving_objection = _objection(app, file_request(owner=citizen, email="warga@example.id"), grounds=("c",))
    desk_leaving = file_request()
    desk_leaving_objection = _objection(app, file_request(), grounds=("c",))
    ending_pages = {f"/permohonan/{leaving.id}/cabut",
                    f"/permohonan/{leaving_objection.request_id}/keberatan/{leaving_objection.id}/cabut",
                    f"/meja/permohonan/{desk_leaving.id}", f"/meja/permohonan/{desk_leaving_objection.request_id}",
                    f"/meja/permohonan/{lapsed.id}"}

    from ppid_desk.accounts.officer_services import (
        OfficerDetails,
        officer_deactivate,
        officer_invite,
    )

    invited, switched_off = (
        officer_invite(actor=None, actor_label="Uji", email=f"{name}@pemda.example.id",
                       details=OfficerDetails(name=name.title(), roles=frozenset({"petugas"})))
        for name in ("undangan", "nonaktif"))
    officer_deactivate(actor=None, actor_label="Uji", user=switched_off.user)
    db.session.commit()
    officer_pages = ["/meja/pengguna/undang", f"/meja/pengguna/{invited.user.id}",
                     f"/meja/pengguna/{switched_off.user.id}", "/meja/pengguna/impor"]

    # the queue with a filter (its save form) and a saved filter (its delete button), the rows ticked for bulk routing
    from ppid_desk.accounts.models import User
    from ppid_desk.desk.queue_models import SavedQueueFilter

    utama_id = db.session.scalar(select(User.id).where(User.email == clients["ppid_utama"].user_email))
    db.session.add(SavedQueueFilter(user_id=utama_id, name="Semua status", query="status=semua"))
    db.session.commit()
    # exemption decisions of the unit: a draft (edit, submit), a submitted one (approve, return), an
    # approved one (revoke)
    from tests.factories import make_exemption

    unit_officer, utama_user = (db.session.scalar(select(User).where(User.email == clients[role].user_email))
                                for role in ("pembantu", "ppid_utama"))
    exempt_draft = make_exemption(unit, actor=unit_officer)
    exempt_submitted = make_exemption(unit, actor=unit_officer, status="submitted", title="Diajukan")
    exempt_approved = make_exemption(unit, actor=unit_officer, approver=utama_user, status="approved",
                                     title="Ditetapkan")
    exemption_pages = [f"/meja/dikecualikan/{exempt_submitted.id}", f"/meja/dikecualikan/{exempt_approved.id}"]

    # catalogue items of the unit: a draft (edit, attach, submit), a submitted one (approve, return)
    # and a published one with a document (review, withdraw, remove the document)
    from werkzeug.datastructures import FileStorage

    from ppid_desk.dip.services import (
        ItemDraft,
        document_add,
        item_approve,
        item_create,
        item_submit,
    )
    from tests.helpers import text_pdf

    def catalogue_item(title: str):
        return item_create(actor=unit_officer, draft=ItemDraft(
            title=title, summary="Ringkasan.", category="setiap_saat", unit_id=unit.id, official="Kepala",
            made_when="2026", made_where="Kantor", format="softcopy", retention="5 tahun", external_url="",
            review_months=None))

    dip_draft, dip_submitted, dip_published = (catalogue_item(t) for t in ("Draf", "Diajukan", "Terbit"))
    item_submit(actor=unit_officer, item=dip_submitted)
    document_add(actor=unit_officer, item=dip_published, storage=FileStorage(io.BytesIO(text_pdf("isi")), "isi.pdf"))
    document_add(actor=unit_officer, item=dip_published, storage=FileStorage(io.BytesIO(text_pdf("dua")), "dua.pdf"))
    item_approve(actor=utama_user, item=dip_published, today=date(2026, 3, 2))
    db.session.commit()
    dip_pages = [f"/meja/dip/{dip_submitted.id}", f"/meja/dip/{dip_published.id}"]

    # consultations of the unit: one corrected, one withdrawn from its page, one turned into a request
    from tests.factories import make_consultation

    consult_edit, consult_page, consult_convert = (
        make_consultation(unit, actor=unit_officer, topic=topic) for topic in ("Ubah", "Halaman", "Permohonan"))
    consultation_pages = ["/meja/konsultasi/baru", f"/meja/konsultasi/{consult_edit.id}/ubah",
                          f"/meja/konsultasi/{consult_page.id}"]
    # the internal monev: a round open now for the unit, its questionnaire with one evidence file and
    # one question the system answers (its refresh button)
    from ppid_desk.evaluation.services import evidence_add
    from tests.factories import evaluation_document, make_evaluation_round

    evaluation = make_evaluation_round([unit], actor=utama_user, document=evaluation_document(system=True))
    participant = evaluation.participants[0]
    evidence_add(actor=unit_officer, participant=participant, question_key="B2", today=date(2026, 7, 6),
                 storage=FileStorage(io.BytesIO(png_bytes()), "meja.png"))
    db.session.commit()
    questionnaire_id, fill_url = evaluation.version.questionnaire_id, f"/meja/evaluasi/isi/{participant.id}"
    # last year's rounds, finished: one to publish, one published (to withdraw)
    from ppid_desk.evaluation.results_services import results_publish

    to_publish, published = (make_evaluation_round([unit], actor=utama_user, opens_on=date(2025, month, 1),
                                                   closes_on=date(2025, month, 28)) for month in (3, 7))
    results_publish(actor=utama_user, evaluation=published, today=date(2026, 7, 6))
    db.session.commit()
    result_pages = [f"/meja/evaluasi/putaran/{to_publish.id}", f"/meja/evaluasi/putaran/{published.id}"]
    review_url, verify_url, verify_round_url = _evaluation_in_review(unit, utama_user, unit_officer)

    desk_pages = [f"/meja/permohonan/{i.id}" for i in
                  (fresh_item, incomplete, walk_in, routed, granted, delivered, posted, extended, objection_item,
                   overturned_item, disputed_item)]
    objection_pages = [f"/meja/keberatan/{o.id}" for o in (registered, overturned, disputed, posted_objection)]
    pages = {
        "anonymous": ["/masuk", "/daftar", "/daftar/kirim-ulang", "/lupa-sandi", reset_url, invite_url, "/lacak",
                      "/permohonan/baru", f"/informasi/{dip_published.id}",  # its view counter
                      urlsplit(invited.url).path],  # accepting logs in: last
        "pemohon": ["/permohonan/baru", f"/permohonan/{incomplete.id}",
                    f"/permohonan/{fresh_item.id}/keberatan", f"/permohonan/{overturned_item.id}",
                    f"/permohonan/{rated.id}/survei",
                    "/akun", "/akun/kata-sandi", "/akun/email", "/akun/permohonan-tamu",
                    *sorted(page for page in ending_pages if not page.startswith("/meja/"))],
        "leaver": ["/akun/hapus"],
        "petugas": ["/meja/permohonan/baru", f"/meja/permohonan/{fresh_item.id}",
                    f"/meja/permohonan/{fresh_item.id}/keberatan/baru",
                    *sorted(page for page in ending_pages if page.startswith("/meja/"))],
        "ppid_utama": [*desk_pages, *objection_pages, "/meja/?status=semua", f"/meja/keberatan/{disputed.id}/sengketa",
                       f"/meja/keberatan/{overturned.id}/sengketa", f"/meja/keberatan/{mediated.id}/sengketa",
                       "/meja/monev/laporan-tahunan/2026", "/meja/monev/laporan-tahunan/2025", *exemption_pages,
                       *dip_pages, "/meja/evaluasi/putaran/baru", *result_pages, verify_url, f"{verify_url}?kategori=B",
                       f"/meja/konsultasi/{consult_convert.id}/jadikan-permohonan"],
        "pembantu": [f"/meja/tugas/{task.id}", "/meja/dikecualikan/baru", f"/meja/dikecualikan/{exempt_draft.id}",
                     "/meja/dip/baru", f"/meja/dip/{dip_draft.id}",
                     f"/meja/dikecualikan/{exempt_draft.id}/ubah", *consultation_pages, fill_url, f"{fill_url}?kategori=B",
                     review_url, f"{review_url}?kategori=B"],
        "atasan": [f"/meja/keberatan/{registered.id}"],
        "admin": ["/meja/kalender", "/meja/kalender?tahun=2027", "/meja/kalender?tahun=2031",
                  f"/meja/kalender/libur/{holiday.id}", "/meja/monev/impor", "/meja/admin/profil",
                  "/meja/unit/baru", f"/meja/unit/{unit.id}", f"/meja/unit/{retired.id}", "/meja/unit/impor",
                  "/meja/admin/tarif", f"/meja/admin/tarif/{tariff_line.id}", *officer_pages,
                  "/meja/evaluasi/kuesioner", f"/meja/evaluasi/kuesioner/{questionnaire_id}/ubah"],
    }
    applicant_pages = [f"/permohonan/{i.id}" for i in
                       (fresh_item, incomplete, objection_item, overturned_item, disputed_item)]
    shows = {
        "ppid_utama": [*desk_pages, *objection_pages, "/meja/", "/meja/keberatan", "/meja/register/permohonan",
                       "/meja/register/keberatan", f"/meja/keberatan/{disputed.id}/sengketa",
                       f"/meja/keberatan/{mediated.id}/sengketa",
                       *[f"/meja/permohonan/{i.id}/pemberitahuan" for i in (granted, delivered)],
                       *[f"/meja/permohonan/{i.id}/pemberitahuan.pdf" for i in (granted, delivered)],
                       f"/meja/keberatan/{disputed.id}/tanggapan", f"/meja/keberatan/{disputed.id}/tanggapan.pdf",
                       f"/meja/keberatan/{registered.id}/tanda-terima",
                       f"/meja/permohonan/{disputed_item.id}/berkas-sengketa.zip",
                       "/meja/monev/laporan-tahunan/2026", "/meja/monev/laporan-tahunan/2026.pdf",
                       "/meja/monev/laporan-tahunan/2026.xlsx", "/meja/monev/laporan-tahunan/2026/cetak",
                       "/meja/dikecualikan", *exemption_pages, f"/meja/dikecualikan/{exempt_draft.id}",
                       f"/meja/dikecualikan/{exempt_approved.id}/lampiran.pdf", "/meja/dikecualikan/lampiran/2026.pdf",
                       "/meja/evaluasi", f"/meja/evaluasi/putaran/{evaluation.id}", fill_url, *result_pages,
                       f"/meja/evaluasi/putaran/{evaluation.id}/laporan.pdf",
                       f"/meja/evaluasi/hasil/{participant.id}", f"/meja/evaluasi/hasil/{participant.id}/laporan.pdf",
                       verify_url, f"{verify_url}?kategori=B", verify_round_url, review_url],
        "pembantu": ["/meja/tugas", f"/meja/tugas/{task.id}", "/meja/dikecualikan", "/meja/konsultasi",
                     *[f"/meja/konsultasi/{c.id}" for c in (consult_edit, consult_page, consult_convert)],
                     "/meja/konsultasi?tampil=dibatalkan", "/meja/evaluasi", fill_url, f"{fill_url}?kategori=B",
                     review_url, f"{review_url}?kategori=B"],
        "admin": ["/meja/kalender", "/meja/monev", "/meja/admin", "/meja/admin/profil", "/meja/unit", f"/meja/unit/{unit.id}",
                  "/meja/pengguna", *officer_pages[1:3], "/meja/admin/tarif", "/meja/evaluasi/kuesioner",
                  f"/meja/evaluasi/kuesioner/{questionnaire_id}"],
        "pemohon": ["/permohonan-saya", "/akun", *applicant_pages, f"/permohonan/{leaving.id}",
                    f"/permohonan/{rated.id}", f"/permohonan/{rated.id}/survei",
                    *[f"/permohonan/{i.id}/tanda-bukti" for i in (fresh_item, incomplete)]],
        "anonymous": ["/statistik", "/laporan-tahunan/2026", "/tarif", "/informasi-dikecualikan", "/", "/hasil-evaluasi",
                      f"/hasil-evaluasi/{published.id}"],
    }
    return World(clients=clients, pages=pages, shows=shows, ending_pages=ending_pages)


def _evaluation_in_review(unit, utama_user, unit_officer) -> tuple[str, str, str]:
    """A monev round of June whose objection window is open now: the unit's answers submitted,
    one returned and responded to (the verifier decides it again), one returned (the unit responds
    or objects), one accepted (the unit objects), one objected to (the verifier decides). Returns
    the unit's filling page, the verification page and the round's overview."""
    from ppid_desk.evaluation.services import answers_save, participant_submit
    from ppid_desk.evaluation.verification_services import (
        answer_accept,
        answer_object,
        answer_respond,
        answer_return,
    )
    from tests.factories import make_evaluation_round

    evaluation = make_evaluation_round([unit], actor=utama_user, opens_on=date(2026, 6, 1), closes_on=date(2026, 6, 20))
    participant = evaluation.participants[0]
    answers_save(actor=unit_officer, participant=participant, category_key="A", notes={"A1": "SK 1/2026"},
                 raw={"A1": ["ya"], "A2": ["lama"], "A3": ["web"], "A4": ["Kendala."]}, today=date(2026, 6, 10))
    answers_save(actor=unit_officer, participant=participant, category_key="B", notes={},
                 raw={"B1": ["12"], "B3": ["ya"]}, today=date(2026, 6, 10))
    participant_submit(actor=unit_officer, participant=participant, today=date(2026, 6, 10))
    answer = {a.question_key: a for a in participant.answers}
    for key in ("A1", "A2", "A3", "B3"):
        answer_return(actor=utama_user, answer=answer[key], comment=f"Perbaiki {key}.", today=date(2026, 6, 25))
    answer_accept(actor=utama_user, answer=answer["B1"], today=date(2026, 6, 25))
    answer_respond(actor=unit_officer, answer=answer["A1"], raw=["ya"], note="SK 2/2026", response="Diperbaiki.",
                   today=date(2026, 6, 26))
    answer_object(actor=unit_officer, answer=answer["A3"], reason="Kanal sudah benar.", today=date(2026, 7, 6))
    db.session.commit()
    return (f"/meja/evaluasi/isi/{participant.id}", f"/meja/evaluasi/verifikasi/{participant.id}",
            f"/meja/evaluasi/putaran/{evaluation.id}/verifikasi")


def _objection(app, item, *, grounds):
    return file_objection(item, grounds=grounds, filed_at=NOW, case_summary="Permohonan tidak ditanggapi.")


# Posting these would end the session the other forms need; they carry only the CSRF token.
NOT_FUZZED = {"accounts.logout"}
# These end their request or objection: fuzzed only on ``World.ending_pages``.
ENDING = {"requests.withdraw_request", "requests.withdraw_objection", "requests.record_withdrawal",
          "requests.record_objection_withdrawal", "desk.close_not_completed"}


def discover(app, world, roles, half: int | None = None) -> list[tuple[str, Form]]:
    """The forms posted by ``roles`` on their pages (each page fetched as that role); with
    ``half`` (0 or 1), on every other page only.

    A form repeated on one page for each row of a list (the calendar's "nonaktifkan" button on
    each of its ~50 holidays) is one endpoint with one set of fields in one state: it is fuzzed
    once per page. The same form on another page (a request in another state) is fuzzed again."""
    found: list[tuple[str, Form]] = []
    seen: set[tuple] = set()
    for role in roles:
        for page in world.pages[role][slice(half, None, 2) if half is not None else slice(None)]:
            for form in forms_on(world.clients[role], page):
                endpoint = endpoint_of(app, form.action)
                same = (role, page, endpoint, tuple(sorted(form.fields)))
                if same in seen:
                    continue
                seen.add(same)
                if endpoint not in NOT_FUZZED and (endpoint not in ENDING or page in world.ending_pages):
                    found.append((role, form))
    return found


# Fuzzed in groups of roles, each on a world of its own, so that xdist spreads the work; the
# groups are balanced by their number of forms (PPID Utama's desk pages hold most).
GROUPS = {
    "applicants": ("anonymous", "pemohon", "leaver"),
    "desk-and-units": ("petugas", "pembantu", "atasan"),
    "ppid-utama-1": ("ppid_utama",),  # every other page of PPID Utama's: the first half …
    "ppid-utama-2": ("ppid_utama",),  # … and the second
    "admin": ("admin",),
}
HALVES = {"ppid-utama-1": 0, "ppid-utama-2": 1}


def test_every_post_route_has_a_form_that_is_fuzzed(app, world):
    discovered = discover(app, world, sorted(world.pages))
    assert sorted(world.pages) == sorted({role for roles in GROUPS.values() for role in roles})
    found = {endpoint_of(app, form.action) for _role, form in discovered}
    posts = {rule.endpoint for rule in app.url_map.iter_rules() if "POST" in rule.methods}
    assert sorted(posts - found - NOT_FUZZED) == []
    assert [form.action for _role, form in discovered
            if not any(name.endswith("csrf_token") for name in form.fields)] == []


@pytest.mark.parametrize("group", list(GROUPS))
def test_every_form_survives_hostile_input_and_never_echoes_markup(app, world, group):
    discovered = discover(app, world, GROUPS[group], HALVES.get(group))
    assert discovered
    for role, form in discovered:
        client = world.clients[role]
        markup_pass(client, form)
        fuzz(client, form)

    for role, pages in world.shows.items():
        for page in pages:
            check(world.clients[role].get(page), ("show", role, page))
