"""Helpers shared by the tests: paths, files to upload, forms, ports, the SMTP mailbox, HTML.

Plain functions and classes only (fixtures live in ``conftest.py``, object builders in
``factories.py``). Test modules import from here, never from one another.
"""

from __future__ import annotations

import io
import os
import re
import secrets
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import zlib
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
REFERENCE_HOLIDAYS = ROOT / "tests" / "data" / "id-holidays-2024-2026.csv"  # see tests/data/README.md
ARTIFACTS = ROOT / "test-artifacts"
PASSWORD = "rahasia-panjang-1"
NIK = "3201011505900001"  # the applicant's NIK in request_form and tests/factories.py


# --- the test app ----------------------------------------------------------------------------

def xdist_worker() -> str:
    """The xdist worker's name (gw0 … ), or gw0 without xdist."""
    return os.environ.get("PYTEST_XDIST_WORKER", "gw0")


def build_test_config(database_url: str, instance: Path, smtp_port: int) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": True,  # initialised on; each test starts with limits off
        # `make test` shares one Redis between the xdist workers (PPID_RATELIMIT_STORAGE_URI):
        # each worker's keys get their own prefix, so one worker's reset leaves the others' alone.
        "RATELIMIT_STORAGE_OPTIONS": {"key_prefix": f"ppid-test-{xdist_worker()}"},
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": smtp_port,
        "UPLOAD_FOLDER": str(instance / "uploads"),
        "SERVER_NAME": None,
        # scrypt costs ~0.1 s a hash; the suite logs in hundreds of times. Production keeps scrypt.
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
    }


# --- network ----------------------------------------------------------------------------------

class Mailbox:
    """A real SMTP server on loopback that keeps what it receives: the recipients' inboxes.

    A web request only queues its e-mails in the outbox; the outbox sender that runs beside the
    web workers (``flask ppid outbox --loop``) sends them. So reading the mailbox (``messages``,
    ``to``, ``wait_for``, and ``clear`` before it empties) first runs one pass of that sender,
    ``deliver``, which the ``mailbox`` fixture sets: in its own application context and session,
    as the separate process would. ``received`` is what arrived, without running the sender.
    """

    def __init__(self) -> None:
        self.received: list = []
        self.deliver = None  # the outbox sender's pass (set by the `mailbox` fixture)
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd handler hook
        from email import message_from_bytes
        from email.policy import default

        with self._lock:
            self.received.append(message_from_bytes(envelope.content, policy=default))
        return "250 OK"

    def _send_outbox(self) -> None:
        if self.deliver is not None:
            self.deliver()

    @property
    def messages(self) -> list:
        self._send_outbox()
        return self.received

    def clear(self) -> None:
        self._send_outbox()  # what earlier steps queued is sent (and dropped here), as before
        with self._lock:
            self.received.clear()

    def to(self, address: str) -> list:
        return [m for m in self.messages if m["To"] == address]

    def wait_for(self, count: int, timeout: float = 5.0) -> list:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return list(self.received)


def send_outbox(app):
    """One pass of the outbox sender (`flask ppid outbox`) in its own application context and
    session, as the process beside the web workers runs it; its ``DeliveryResult``."""
    from ppid_desk.notifications.sender import sender_pass

    with app.app_context():
        return sender_pass()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]



# --- files and forms ---------------------------------------------------------------------------

def png_bytes(width: int = 2, height: int = 2) -> bytes:
    """A real, tiny PNG image."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def pdf_bytes() -> bytes:
    return (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def request_form(**overrides) -> dict:
    """A complete, valid guest request form (perorangan) with a KTP image."""
    data = {
        "applicant_kind": "perorangan",
        "name": "Budi Santoso",
        "nik": "3201011505900001",
        "address": "Jl. Melati No. 5, RT 01/RW 02, Kelurahan Sukamaju",
        "occupation": "Wiraswasta",
        "phone": "0812 3456 7890",
        "email": "budi@example.id",
        "rincian": "Dokumen pelaksanaan anggaran (DPA) Dinas Pendidikan tahun 2025.",
        "tujuan": "Pengawasan penggunaan anggaran pendidikan di kelurahan kami.",
        "access_method": "salinan_softcopy",
        "copy_delivery": "email",
        "declaration": "y",
        "identity_document": (io.BytesIO(png_bytes()), "ktp-budi.png"),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# --- real servers (gunicorn) on the test database ------------------------------------------------

# The servers run without TESTING, so they need a real session secret (one for all, so that a
# session begun on one server goes on on another).
SERVER_SECRET = secrets.token_urlsafe(48)


TOKEN_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def server_environment(app, instance: Path, **env_extra: str) -> dict[str, str]:
    """The environment of a real server or `flask` command on the test database, uploads and SMTP
    server, with ``instance`` as its instance folder (the session secret and data key shared)."""
    env = dict(os.environ)
    env.update({
        "PPID_INSTANCE_PATH": str(instance),
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "PPID_SECRET_KEY": SERVER_SECRET,
        "PPID_RATELIMIT_ENABLED": "false",
        "PPID_MAIL_PORT": str(app.config["MAIL_PORT"]),
        "PPID_UPLOAD_FOLDER": app.config["UPLOAD_FOLDER"],
        **env_extra,
    })
    from ppid_desk.privacy import encrypt_bytes

    encrypt_bytes(b"")  # resolve the data key (configured, or the test instance's key file)
    if app.config.get("DATA_KEY"):
        env["PPID_DATA_KEY"] = app.config["DATA_KEY"]
    return env


def start_server(app, port: int, instance: Path, *, threads: int = 8, workers: int = 1,
                 **env_extra: str) -> subprocess.Popen:
    """The real app under gunicorn (``workers`` processes, one by default) on the test database,
    uploads and SMTP server."""
    env = server_environment(app, instance, **env_extra)
    # A loaded CI machine (two cores, xdist workers, Chromium) can keep a worker from its
    # heartbeat for longer than gunicorn's default 30 s: the arbiter would kill it mid-request and
    # the test would see "connection reset". The log goes to a file (append mode, so reading it
    # from the start never moves where gunicorn writes), never to a pipe nobody empties.
    log = open(instance / f"gunicorn-{port}.log", "a+b")  # noqa: SIM115 (lives as long as the server)
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--threads", str(threads),
         "--timeout", "300", "--graceful-timeout", "10", "--bind", f"127.0.0.1:{port}", "ppid_desk:create_app()"],
        env=env, stdout=subprocess.DEVNULL, stderr=log,
    )
    process.stderr = ServerLog(log)  # callers read the whole log with process.stderr.read()
    return process


def stop_server(process: subprocess.Popen, timeout: float = 30) -> None:
    """Stop a test's gunicorn at once: SIGQUIT is gunicorn's quick shutdown. (SIGTERM's graceful
    stop waits for each worker's next loop turn and idle kept-alive connections, 2 to 3 s a server;
    the tests have every answer in hand by then.)"""
    if process.poll() is None:
        process.send_signal(signal.SIGQUIT)
    process.wait(timeout=timeout)


def app_tracebacks(log: str) -> list[str]:
    """The tracebacks in a test server's log, but the one a quick shutdown itself can log: a worker
    told to quit (SIGQUIT, ``stop_server``) while it was still writing an answer exits from inside
    the write (``handle_quit``); that is the test stopping the server, not an error of the app."""
    blocks = re.split(r"(?=Traceback \(most recent call last\):)", log)[1:]
    return [block for block in blocks if "in handle_quit" not in block]


class ServerLog:
    """A server's log file, read from its start each time."""

    def __init__(self, file) -> None:
        self.file = file

    def read(self) -> bytes:
        self.file.seek(0)
        return self.file.read()


def wait_until_up(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(process.stderr.read().decode())
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"server on {port} did not start")


# --- forms and pages: the written notice, field errors, reloading what was committed -------------

MONDAY = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)  # Mon 2 March 2026, 10.00 WIB; a notice falls due on 16 March


CONSEQUENCE = {
    "pasal17": ["h", "b"],
    "ct_information": "Data pribadi penerima beasiswa dalam lampiran 3.",
    "ct_legal_basis": "Pasal 17 huruf h UU 14/2008; UU 27/2022 tentang Pelindungan Data Pribadi.",
    "ct_harm": "Membuka NIK dan alamat penerima merugikan mereka.",
    "ct_public_interest": "Kepentingan publik terpenuhi oleh data agregat per kecamatan.",
    "ct_exemption_period": "Selama penerima masih hidup.",
}


def fresh(row):
    """``row`` as committed now (any model with an ``id``), read again from the database."""
    from ppid_desk.extensions import db

    db.session.expire_all()
    return db.session.get(type(row), row.id)


def default_provide_by(item) -> str:
    """The promised day the notice form offers (and an officer who leaves it sends): the app's own
    default for ``item`` as of the app's today (``ppid_desk.clock``)."""
    from ppid_desk.notices.services import provide_by_default
    from ppid_desk.workcalendar.selectors import body_today

    return provide_by_default(item, body_today()).isoformat()


def notice_form(item, outcome: str = "granted_full", **overrides) -> dict:
    data = {"version": str(item.version), "outcome": outcome, "held": "yes",
            "materials": "DPA Dinas Pendidikan 2025 (PDF, 12 halaman).",
            "delivery_form": "Salinan PDF yang diunduh di halaman permohonan.", "fee_amount": "0"}
    if outcome == "granted_partial":
        data.update(CONSEQUENCE, redactions="NIK dan alamat penerima beasiswa dihitamkan.")
    if outcome == "refused":
        data.update(CONSEQUENCE)
    if outcome == "not_held":
        data.update(held="no", holder_body="Dinas Kesehatan Kota Contoh")
    if outcome in ("granted_full", "granted_partial"):
        data.update(provide_by=default_provide_by(item))
    if outcome == "not_documented":
        data.update(provide_by="2026-04-30")
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def preview_digest(response) -> str | None:
    """The digest a notice preview page carries to its "Terbitkan" button (None: not a preview)."""
    found = re.search(r'name="preview_digest" value="([0-9a-f]+)"', response.get_data(as_text=True))
    return found[1] if found else None


def issue_with_preview(client, url: str, data: dict):
    """Issue a written notice as an officer does: the preview first, then "Terbitkan" with what
    the preview carries. A form the preview refuses comes back as that response."""
    preview = client.post(url + "?pratinjau=1", data=data)
    digest = preview_digest(preview)
    if preview.status_code != 200 or digest is None:
        return preview
    return client.post(url, data={**data, "preview_digest": digest})


def issue(client, item, outcome="granted_full", **overrides):
    return issue_with_preview(client, f"/meja/permohonan/{item.id}/pemberitahuan", notice_form(item, outcome, **overrides))


def extend_confirmed(client, url: str, data: dict):
    """Grant an extension as an officer does: the form shows the new date to confirm, and the
    confirmation writes it. A form the first step refuses comes back as that response."""
    check = client.post(url, data=data)
    if check.status_code != 200 or 'name="konfirmasi"' not in check.get_data(as_text=True):
        return check
    return client.post(url, data={**data, "konfirmasi": "1"})


def errors_of(response) -> list[str]:
    """The ids of the fields the page marks as invalid."""
    return re.findall(r'<p class="field-error" id="([a-z0-9_-]+)-error">', response.get_data(as_text=True))


# --- forms: objections ---------------------------------------------------------------------------

def objection_form(**overrides) -> dict:
    data = {
        "grounds": ["c", "g"],
        "case_summary": "Sampai batas waktu saya tidak menerima pemberitahuan tertulis apa pun.",
        "intended_use": "Pengawasan anggaran pendidikan.",
        "representative_name": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def guest_client(app, item):
    client = app.test_client()
    assert client.get(f"/lacak/{item.tracking_token}").status_code == 303
    return client


def desk_objection_form(**overrides) -> dict:
    data = {**objection_form(), "channel": "letter", "received_date": "2026-03-10", "received_time": "09.15"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# --- forms: the desk's request registration ------------------------------------------------------

def desk_request_form(**overrides) -> dict:
    """A complete desk registration: a walk-in on 3 March 2026 at 06.00 WIB, no e-mail."""
    data = {
        "channel": "walk_in", "received_date": "2026-03-03", "received_time": "06:00",
        "applicant_kind": "perorangan", "name": "Sri Rahayu", "nik": NIK,
        "address": "Jl. Kenanga No. 7, Kelurahan Sukamaju", "occupation": "Petani",
        "phone": "0813 1111 2222", "email": "",
        "rincian": "Daftar penerima bantuan pupuk bersubsidi di desa kami tahun 2025.",
        "tujuan": "Memastikan kelompok tani kami terdaftar.",
        "access_method": "salinan_hardcopy", "copy_delivery": "ambil_langsung",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# --- officers: invitations and their events ------------------------------------------------------

NEW_PASSWORD = "kata-sandi-petugas-baru"


def fresh_user(email: str):
    """The user with ``email`` as committed now, or None."""
    from sqlalchemy import select

    from ppid_desk.accounts.models import User
    from ppid_desk.extensions import db

    db.session.expire_all()
    return db.session.scalar(select(User).where(User.email == email))


def user_events(user_id: int, kind: str | None = None) -> list:
    """The audit events of a user account, oldest first (of ``kind`` only, if given)."""
    from sqlalchemy import select

    from ppid_desk.audit.models import Event
    from ppid_desk.extensions import db

    db.session.expire_all()
    query = select(Event).where(Event.subject_type == "user", Event.subject_id == user_id)
    if kind:
        query = query.where(Event.kind == kind)
    return list(db.session.scalars(query.order_by(Event.id)))


def invitation_paths(email: str) -> list[str]:
    """The invitation links e-mailed to ``email``, oldest first."""
    from urllib.parse import urlsplit

    from sqlalchemy import select

    from ppid_desk.extensions import db
    from ppid_desk.notifications.models import OutboxMessage

    db.session.expire_all()
    bodies = db.session.scalars(select(OutboxMessage.body).where(OutboxMessage.recipient == email)
                                .order_by(OutboxMessage.id))
    return [urlsplit(url).path for body in bodies for url in re.findall(r"https?://\S+", body)
            if "/undangan/" in url]


def accept(client, path: str, password: str = NEW_PASSWORD):
    return client.post(path, data={"password": password, "password_confirm": password})


# --- downloads -----------------------------------------------------------------------------------

def csv_rows(response) -> list[list[str]]:
    """The rows of a CSV download (UTF-8 with a BOM, as spreadsheets want it)."""
    import csv

    body = response.data
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(body[3:].decode("utf-8"))))


# --- the text of a PDF we drew (no PDF reader is installed: enough of one for fpdf2's output) -----

def _pdf_literal(raw: bytes) -> bytes:
    """The bytes of a PDF literal string's body (escapes resolved)."""
    out, i = bytearray(), 0
    escapes = {ord("n"): b"\n", ord("r"): b"\r", ord("t"): b"\t", ord("b"): b"\b", ord("f"): b"\f"}
    while i < len(raw):
        ch = raw[i]
        if ch == 0x5C and i + 1 < len(raw):  # backslash
            nxt = raw[i + 1]
            if 0x30 <= nxt <= 0x37:
                digits = re.match(rb"[0-7]{1,3}", raw[i + 1:i + 4]).group()
                out.append(int(digits, 8) & 0xFF)
                i += 1 + len(digits)
                continue
            out += escapes.get(nxt, bytes([nxt]))
            i += 2
            continue
        out.append(ch)
        i += 1
    return bytes(out)


def pdf_text(content: bytes) -> str:
    """The text drawn in a PDF made by fpdf2 (letters, receipts): each string shown, one per line,
    decoded through its font's ToUnicode map. Compare with whitespace removed: lines wrap."""
    import zlib

    objects: dict[int, tuple[bytes, bytes | None]] = {}
    for match in re.finditer(rb"(\d+) 0 obj(.*?)endobj", content, re.S):
        body = match.group(2)
        stream = re.search(rb"stream\r?\n(.*?)\r?\nendstream", body, re.S)
        data = None
        if stream:
            data = stream.group(1)
            if b"/FlateDecode" in body[:stream.start()]:
                data = zlib.decompress(data)
            body = body[:stream.start()]
        objects[int(match.group(1))] = (body, data)

    def cmap_of(number: int) -> dict[int, str]:
        text = (objects[number][1] or b"").decode("latin-1")
        mapping: dict[int, str] = {}
        for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
            for src, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                mapping[int(src, 16)] = bytes.fromhex(dst).decode("utf-16-be")
        for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
            for lo, hi, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                for offset, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                    mapping[code] = chr(int(dst, 16) + offset)
        return mapping

    fonts: dict[bytes, dict[int, str] | None] = {}
    for body, _data in objects.values():
        for name, number in re.findall(rb"/(F\d+)\s+(\d+) 0 R", body):
            font = objects.get(int(number), (b"", None))[0]
            to_unicode = re.search(rb"/ToUnicode\s+(\d+) 0 R", font)
            fonts[name] = cmap_of(int(to_unicode.group(1))) if to_unicode else None

    token = re.compile(rb"/(F\d+)\s+[\d.]+\s+Tf|<([0-9A-Fa-f\s]*)>|\(((?:\\.|[^\\)])*)\)|(Tj|TJ|'|\")", re.S)
    lines: list[str] = []
    for _body, data in objects.values():
        if not data or b"BT" not in data:
            continue
        cmap, pieces = None, []
        for match in token.finditer(data):
            font, hexed, literal, operator = match.groups()
            if font is not None:
                cmap = fonts.get(font)
            elif operator is not None:
                if pieces:
                    lines.append("".join(pieces))
                pieces = []
            else:
                raw = bytes.fromhex(hexed.decode().replace(" ", "").replace("\n", "")) if hexed is not None \
                    else _pdf_literal(literal)
                if cmap:
                    codes = [int.from_bytes(raw[i:i + 2], "big") for i in range(0, len(raw), 2)]
                    pieces.append("".join(cmap.get(code, "") for code in codes))
                else:
                    pieces.append(raw.decode("latin-1"))
    return "\n".join(lines)


# --- documents with text (the catalogue's full-text search reads them) ---------------------------

def text_pdf(text: str) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.multi_cell(0, 8, text)
    return bytes(pdf.output())


def text_docx(text: str) -> bytes:
    from docx import Document

    document = Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def text_xlsx(*cells: str) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(list(cells))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@contextmanager
def templates_rendered(app):
    """The names of the templates ``app`` renders inside the block (Flask's ``template_rendered``):
    tells a page rendered now from one kept (render_cache) or never rendered in a request."""
    from flask import template_rendered

    names: list[str] = []

    def _record(_sender, template, context, **_extra):
        names.append(template.name)

    template_rendered.connect(_record, app)
    try:
        yield names
    finally:
        template_rendered.disconnect(_record, app)
