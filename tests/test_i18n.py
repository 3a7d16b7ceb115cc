"""English translation, the language switch and locale-aware formatting (issue 6, item 11)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from markupsafe import escape

from ppid_desk.web import formatting
from ppid_desk.web.language import safe_next

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "translations" / "en" / "LC_MESSAGES" / "messages.po"
MO = PO.with_suffix(".mo")
PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%[sdif]")


def _load_catalogue():
    with PO.open("rb") as handle:
        return read_po(handle, locale="en")


CATALOGUE = _load_catalogue()


def _key(message) -> str:
    return message.id if isinstance(message.id, str) else message.id[0]


def _forms(value) -> tuple[str, ...]:
    return value if isinstance(value, tuple) else (value,)


@pytest.fixture(scope="module", autouse=True)
def compiled_catalogue(_app):
    """``make setup`` compiles the catalogue; compile it here too when it is missing or stale."""
    if not MO.exists() or MO.stat().st_mtime < PO.stat().st_mtime:
        tmp = MO.with_suffix(".mo.tmp")
        with tmp.open("wb") as handle:
            write_mo(handle, CATALOGUE)
        tmp.replace(MO)  # atomic: another test worker may be reading it
    with _app.app_context():  # forget a catalogue loaded before it was compiled
        _app.extensions["babel"].instance.domain_instance.cache.clear()


def en(msgid: str) -> str:
    """The English text of ``msgid``, HTML-escaped as Jinja writes it."""
    message = CATALOGUE.get(msgid)
    assert message is not None and message.string, msgid
    return str(escape(_forms(message.string)[0]))


def english(client) -> None:
    response = client.get("/bahasa/en?next=/")
    assert response.status_code == 303


# --- the catalogue -------------------------------------------------------------------------------

def test_every_message_is_translated_with_the_same_placeholders():
    problems = []
    for message in CATALOGUE:
        if not message.id:
            continue
        ids, strings = _forms(message.id), _forms(message.string)
        if message.fuzzy:
            problems.append(f"fuzzy: {_key(message)!r}")
        if not all(s.strip() for s in strings):
            problems.append(f"untranslated: {_key(message)!r}")
            continue
        wanted = sorted(PLACEHOLDER.findall(ids[0]))
        for text in strings:
            if sorted(PLACEHOLDER.findall(text)) != wanted:
                problems.append(f"placeholders differ: {_key(message)!r} -> {text!r}")
    assert not problems, "\n".join(problems[:40])
    assert sum(1 for m in CATALOGUE if m.id) > 1000


def test_the_catalogue_covers_every_string_in_the_source():
    """A string added or changed in the code without its translation fails here:
    run ``make messages``, translate the empty and fuzzy entries, ``make setup``."""
    with (ROOT / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None,
                "lazy_ngettext": (1, 2)}
    known = {_key(m) for m in CATALOGUE if m.id}
    missing = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=keywords):
        msgid = message if isinstance(message, str) else message[0]
        if msgid and msgid not in known:
            missing.add(msgid)
    assert not missing, "not in translations/en: " + "\n".join(sorted(missing)[:40])


# --- the language switch -------------------------------------------------------------------------

def test_default_is_indonesian_and_the_switch_is_in_the_header(client):
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="id">' in html and "Anda berhak tahu" in html
    header = html[html.index("<header"):html.index("</header>")]
    assert 'href="/bahasa/en?next=/"' in header and 'lang="en"' in header and ">English<" in header


def test_switching_to_english_translates_the_home_page_and_persists(client):
    response = client.get("/bahasa/en?next=/lacak")
    assert response.status_code == 303 and response.headers["Location"] == "/lacak"
    cookie = response.headers["Set-Cookie"]
    assert "ppid_lang=en" in cookie and "Max-Age=31536000" in cookie and "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie

    for _ in range(2):  # the choice holds on every later request
        html = client.get("/").get_data(as_text=True)
        assert '<html lang="en">' in html
        assert en("Anda berhak tahu") in html and "Anda berhak tahu" not in html
        assert en("Ajukan permohonan") in html
        header = html[html.index("<header"):html.index("</header>")]
        assert ">Bahasa Indonesia<" in header and ">English<" not in header
    assert en("Lacak permohonan") in client.get("/lacak").get_data(as_text=True)

    back = client.get("/bahasa/id?next=/")
    assert "ppid_lang=id" in back.headers["Set-Cookie"]
    assert "Anda berhak tahu" in client.get("/").get_data(as_text=True)


def test_the_cookie_alone_is_remembered_without_a_session(app):
    fresh = app.test_client()
    fresh.set_cookie("ppid_lang", "en")
    assert '<html lang="en">' in fresh.get("/").get_data(as_text=True)
    fresh.set_cookie("ppid_lang", "xx")  # not an offered language: ignored
    assert '<html lang="id">' in fresh.get("/").get_data(as_text=True)


@pytest.mark.parametrize("accept", ["en", "en-GB,en;q=0.9", "en-US,en;q=0.9,id;q=0.1", "*"])
def test_bahasa_indonesia_whatever_the_browser_says_until_english_is_picked(app, accept):
    browser = app.test_client()
    headers = {"Accept-Language": accept}
    first = browser.get("/lacak", headers=headers)
    html = first.get_data(as_text=True)
    assert '<html lang="id">' in html and "Lacak permohonan" in html
    assert first.headers["Content-Language"] == "id"
    assert browser.get("/bahasa/en?next=/lacak", headers=headers).status_code == 303  # the visitor picks English
    assert '<html lang="en">' in browser.get("/lacak", headers=headers).get_data(as_text=True)
    browser.get("/bahasa/id?next=/", headers=headers)  # and back
    assert '<html lang="id">' in browser.get("/lacak", headers=headers).get_data(as_text=True)


def test_unknown_language_changes_nothing(client):
    response = client.get("/bahasa/fr?next=/lacak")
    assert response.status_code == 303 and "ppid_lang" not in response.headers.get("Set-Cookie", "")
    assert '<html lang="id">' in client.get("/").get_data(as_text=True)


def test_switch_link_returns_to_the_same_page_without_a_stale_lang(client):
    html = client.get("/lacak?lang=id&nomor=1").get_data(as_text=True)
    assert 'href="/bahasa/en?next=/lacak?nomor%3D1"' in html


@pytest.mark.parametrize("target", [
    "//evil.example/", "https://evil.example/", "http:evil.example", "/\\evil.example",
    "\\\\evil.example", "/\t/evil.example", " //evil.example", "javascript:alert(1)", "evil.example",
    "%2F%2Fevil.example",
])
def test_the_switch_never_redirects_to_another_site(client, target):
    response = client.get("/bahasa/en", query_string={"next": target})
    assert response.status_code == 303 and response.headers["Location"] == "/"


def test_safe_next_keeps_local_paths():
    assert safe_next("/meja/?status=baru&halaman=2", "/") == "/meja/?status=baru&halaman=2"
    assert safe_next(None, "/x") == "/x"
    assert safe_next("/ok\nLocation: //evil", "/") == "/"


# --- English across the app --------------------------------------------------------------------

def test_request_form_and_its_errors_in_english(client):
    english(client)
    html = client.get("/permohonan/baru").get_data(as_text=True)
    assert en("Ajukan permohonan informasi") in html
    assert en("Nama lengkap") in html and en("Rincian informasi yang dibutuhkan") in html
    assert "Nama lengkap" not in html

    response = client.post("/permohonan/baru", data={"applicant_kind": "perorangan", "name": ""},
                           content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert en("Tulis nama lengkap sesuai KTP, atau nama badan hukum/kelompok.") in html
    assert en("Tulis alamat lengkap.") in html
    assert "Tulis alamat lengkap." not in html


def test_desk_queue_in_english(officer_client):
    officer = officer_client("ppid_utama")
    english(officer)
    empty = "Tidak ada permohonan yang sedang berjalan. Permohonan baru akan muncul di sini."
    html = officer.get("/meja/").get_data(as_text=True)
    assert '<html lang="en">' in html and en("Antrean permohonan") in html
    assert "Antrean permohonan" not in html and en(empty) in html
    partial = officer.get("/meja/", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert en(empty) in partial and empty not in partial


def test_monev_dashboard_in_english(officer_client):
    officer = officer_client("ppid_utama")
    english(officer)
    html = officer.get("/meja/monev").get_data(as_text=True)
    assert en("Monev layanan informasi") in html and "Monev layanan informasi" not in html
    assert en("Permohonan diterima") in html


def test_official_documents_stay_indonesian(officer_client):
    officer = officer_client("ppid_utama")
    english(officer)
    heading = officer.get("/meja/register/permohonan?format=csv").get_data(as_text=True).splitlines()[0]
    assert "Nomor pendaftaran" in heading and en("Nomor pendaftaran") not in heading
    html = officer.get("/meja/register/permohonan").get_data(as_text=True)  # the screen is English
    assert '<html lang="en">' in html and en("Register permohonan informasi publik") in html


# --- formatting per locale -----------------------------------------------------------------------

def test_dates_per_locale(app):
    day = date(2026, 11, 23)
    # One way to write a date (issue 14 item 5), in each language.
    assert formatting.long_date(day, "id") == "23 November 2026"
    assert formatting.long_date(day, "en") == "23 November 2026"  # day first, as the letters
    assert formatting.long_date(date(2026, 12, 3), "id") == "3 Desember 2026"
    assert formatting.long_date(date(2026, 12, 3), "en") == "3 December 2026"
    assert formatting.long_date(date(2026, 4, 1), "id") == "1 April 2026"  # no padded day
    # The weekday only in the day-by-day count of a deadline.
    assert formatting.weekday_date(day, "id") == "Senin, 23 November 2026"
    assert formatting.weekday_date(day, "en") == "Monday, 23 November 2026"
    moment = datetime(2026, 11, 23, 4, 49, tzinfo=UTC)  # 11.49 in Jakarta
    assert formatting.local_datetime(moment, "id") == "23 November 2026 11.49 WIB"
    assert formatting.local_datetime(moment, "en") == "23 November 2026 11:49 WIB"
    # a moment just after midnight in Jakarta is the next day there, in any language
    assert formatting.long_date(datetime(2026, 11, 22, 17, 30, tzinfo=UTC), "en") == "23 November 2026"
    assert formatting.month_year(day, "en") == "November 2026" and formatting.month_year(day, "id") == "November 2026"


def test_numbers_percentages_and_rupiah_per_locale(app):
    assert formatting.number(1234.5, "id") == "1.234,5"
    assert formatting.number(1234.5, "en") == "1,234.5"
    assert formatting.number(1234567, "id") == "1.234.567"
    assert formatting.decimal(Decimal("4.25"), 1, "id") == "4,2"
    assert formatting.decimal(4.0, 2, "en") == "4"
    assert formatting.percent(0.875, 1, "id") == "87,5%"
    assert formatting.percent(0.875, 1, "en") == "87.5%"
    assert formatting.percent(1, 0, "en") == "100%"
    assert formatting.rupiah(15000, "id") == "Rp15.000"
    assert formatting.rupiah(1234567, "en") == "IDR 1,234,567"  # the ISO code, then a space
    assert formatting.rupiah(0, "en") == "IDR 0" and formatting.rupiah(1234567, "id") == "Rp1.234.567"
    assert formatting.rupiah(None, "id") == "Rp0"
    assert "," not in formatting.rupiah(10000, "id") and "." not in formatting.rupiah(10000, "en")


def test_helpers_follow_the_request_locale(app):
    from flask_babel import refresh

    with app.test_request_context("/", headers={"Cookie": "ppid_lang=en"}):
        refresh()
        assert formatting.rupiah(10000) == "IDR 10,000"
        assert formatting.long_date(date(2026, 1, 2)) == "2 January 2026"
    with app.test_request_context("/"):
        refresh()
        assert formatting.rupiah(10000) == "Rp10.000"
        assert formatting.long_date(date(2026, 1, 2)) == "2 Januari 2026"
    with app.test_request_context("/meja/monev/laporan-tahunan/2026.pdf", headers={"Cookie": "ppid_lang=en"}):
        refresh()
        assert formatting.rupiah(10000) == "Rp10.000"  # letters and reports are Indonesian
    with app.test_request_context("/meja/register/permohonan?format=xlsx", headers={"Cookie": "ppid_lang=en"}):
        refresh()
        assert formatting.long_date(date(2026, 1, 2)) == "2 Januari 2026"


def test_filters_in_templates(app):
    from flask_babel import refresh

    with app.test_request_context("/?lang=en"):
        refresh()
        template = app.jinja_env.from_string(
            "{{ 15000|rupiah }} | {{ 1234.5|number }} | {{ 0.5|percent }} | {{ day|long_date }}")
        assert template.render(day=date(2026, 11, 23)) == "IDR 15,000 | 1,234.5 | 50.0% | 23 November 2026"


def test_mail_about_a_request_is_written_in_the_body_language_whoever_acts(app, file_request):
    """An officer (or a citizen) browsing in English still sends Indonesian correspondence;
    an explicit locale (account e-mails follow whoever asked for them) is honoured."""
    from flask_babel import get_locale, lazy_gettext
    from sqlalchemy import select

    from ppid_desk.extensions import db
    from ppid_desk.notifications.models import OutboxMessage
    from ppid_desk.notifications.services import outbox_enqueue, outbox_render

    with app.test_request_context("/?lang=en"):
        assert str(get_locale()) == "en"
        item = file_request(email="ani@example.id")
        receipt = db.session.scalars(select(OutboxMessage).where(OutboxMessage.request_id == item.id)).one()
        assert receipt.subject == f"Tanda bukti permohonan informasi {item.number}"
        # The receipt is rendered by the sender, in the language it was queued in (even here).
        assert receipt.locale == "id" and "telah kami terima dan terdaftar" in outbox_render(receipt)
        english = outbox_enqueue(
            recipient="ani@example.id", locale="en", template="email/account_verify.txt",
            subject=lazy_gettext("Tanda bukti permohonan informasi %(number)s", number=item.number),
            user=None, verify_url="http://localhost/v", valid_for="1 hari", body_name="Pemda")
        assert english.subject == f"Receipt for information request {item.number}"
        assert "Terima kasih" not in english.body and "Pemda" in english.body
