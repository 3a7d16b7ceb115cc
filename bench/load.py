"""Load benchmark (issue 6, item 9): the real app under gunicorn, citizens filing while officers work.

Makes a throwaway instance (a temp dir as ``PPID_INSTANCE_PATH``; ``flask db upgrade`` and
``flask ppid calendar import``; the demo units and ``--officers`` officer accounts), serves it
with gunicorn (``--workers``, default 2, on a free loopback port; SQLite in WAL mode) with the
outbox sender (``flask ppid outbox --loop``) beside it, and runs a local SMTP sink for the
receipt e-mails. Then, at the same time:

- ``--citizens`` citizens, ``--concurrency`` of them at once, each with its own HTTP session:
  GET the public form, POST it (CSRF token scraped from the form, a small valid PNG or PDF
  identity scan as a real multipart upload, unique per citizen), follow to the receipt page;
- ``--officers`` officers, each logged in through ``/masuk`` with its own session, page through
  the desk queue ``/meja/`` and open request pages found on it, until every citizen is done.

Afterwards ``/healthz`` is hammered by the same number of clients (``--health-requests``) as the
comparison. Rate limits are disabled on the throwaway instance (``PPID_RATELIMIT_ENABLED=false``).
The database is then checked: every HTTP response as expected, every submission present exactly
once (by its unique e-mail and by the request id it was redirected to), registration numbers
unique and gapless (1..N for the year), one identity document per request whose stored file
decrypts to the bytes that citizen uploaded, one receipt e-mail per request received by the
SMTP sink, no unclaimed upload left. Exit status 1 when any check fails.

    .venv/bin/python bench/load.py                                       # SQLite, 300 citizens
    .venv/bin/python bench/load.py --citizens 500 --concurrency 40 --officers 10
    .venv/bin/python bench/load.py --database postgresql                 # a throwaway PostgreSQL database
    make bench-load                                                      # both

PostgreSQL: ``DATABASE_URL`` (default ``postgresql://ppid_test:ppid_test@127.0.0.1:5432/postgres``)
must be allowed to ``CREATE DATABASE``; ``ppid_bench_load_<random>`` is made and dropped.
Traffic goes to 127.0.0.1 only; every loop is bounded by its count and by ``--duration``.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import random
import re
import secrets
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
DEFAULT_PG = "postgresql://ppid_test:ppid_test@127.0.0.1:5432/postgres"
OFFICER_PASSWORD = "bench-load-" + secrets.token_hex(6)
TOKEN_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')
DESK_LINK_RE = re.compile(r'href="/meja/permohonan/(\d+)"')
PAGE_LINK_RE = re.compile(r'halaman=(\d+)')
RECEIPT_RE = re.compile(r"/permohonan/(\d+)/tanda-bukti$")
TIMEOUT = 120


# --- what a simulated user sends ------------------------------------------------------------

def png_for(i: int) -> bytes:
    """A valid 2×2 PNG whose pixels encode ``i``: every citizen's scan is different."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rgb = (i.to_bytes(12, "big"))
    raw = b"\x00" + rgb[0:6] + b"\x00" + rgb[6:12]
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def pdf_for(i: int) -> bytes:
    return (b"%PDF-1.4\n% bench citizen " + str(i).encode() + b"\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def scan_for(i: int) -> tuple[str, bytes, str]:
    """Every fifth citizen scans to PDF, the others photograph their KTP."""
    if i % 5 == 4:
        return f"ktp-{i}.pdf", pdf_for(i), "application/pdf"
    return f"ktp-{i}.png", png_for(i), "image/png"


def citizen_email(i: int) -> str:
    return f"warga{i}@load.bench.example"


def form_data(i: int, token: str) -> dict:
    access = ("melihat", "salinan_softcopy", "salinan_hardcopy")[i % 3]
    data = {
        "csrf_token": token, "applicant_kind": "perorangan", "name": f"Pemohon Beban {i}",
        "nik": "3201011505900001", "address": f"Jl. Uji Beban No. {i}, RT 01/RW 02, Kelurahan Sukamaju",
        "occupation": "Wiraswasta", "phone": "0812 3456 7890", "email": citizen_email(i),
        "rincian": f"Dokumen pelaksanaan anggaran tahun 2025, permohonan uji beban nomor {i}.",
        "tujuan": "Pengawasan penggunaan anggaran.", "access_method": access, "declaration": "y",
    }
    if access != "melihat":
        data["copy_delivery"] = "email"
    return data


def csrf_token(html: str) -> str:
    match = TOKEN_RE.search(html)
    if not match:
        raise ValueError("no csrf_token in the form")
    return next(g for g in match.groups() if g)


# --- measurements ---------------------------------------------------------------------------

@dataclass
class Recorder:
    samples: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def call(self, kind: str, expected: int, send) -> requests.Response | None:
        """Time one HTTP request; anything but the expected status is an error (kept, not raised)."""
        start = time.perf_counter()
        try:
            response = send()
        except requests.RequestException as error:
            with self.lock:
                self.errors.append(f"{kind}: {type(error).__name__}: {error}")
            return None
        elapsed = time.perf_counter() - start
        with self.lock:
            self.samples[kind].append(elapsed)
            if response.status_code != expected:
                snippet = " ".join(response.text[:300].split())
                self.errors.append(f"{kind}: HTTP {response.status_code} (expected {expected}) {snippet}")
                return None
        return response

    def fail(self, message: str) -> None:
        with self.lock:
            self.errors.append(message)


def percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return float("nan")
    k = (len(sorted_values) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (k - lo)


def report(title: str, samples: dict[str, list[float]], elapsed: float) -> None:
    total = sum(len(v) for v in samples.values())
    print(f"\n  {title}: {total} requests in {elapsed:.1f} s = {total / elapsed:.1f} req/s")
    print(f"    {'kind':<16}{'count':>7}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}")
    for kind, values in samples.items():
        ordered = sorted(values)
        print(f"    {kind:<16}{len(ordered):>7}{len(ordered) / elapsed:>9.1f}"
              + "".join(f"{percentile(ordered, q) * 1000:>9.0f}" for q in (0.5, 0.95, 0.99))
              + f"{ordered[-1] * 1000:>9.0f}")


# --- the simulated users --------------------------------------------------------------------

def citizen(base: str, i: int, rec: Recorder, filed: dict[int, int]) -> None:
    http = requests.Session()
    page = rec.call("form page", 200, lambda: http.get(f"{base}/permohonan/baru", timeout=TIMEOUT))
    if page is None:
        return
    name, content, mime = scan_for(i)
    sent = rec.call("submission", 303, lambda: http.post(
        f"{base}/permohonan/baru", data=form_data(i, csrf_token(page.text)),
        files={"identity_document": (name, content, mime)}, allow_redirects=False, timeout=TIMEOUT))
    if sent is None:
        return
    match = RECEIPT_RE.search(sent.headers.get("Location", ""))
    if not match:
        rec.fail(f"submission {i}: redirected to {sent.headers.get('Location')!r}")
        return
    request_id = int(match.group(1))
    with rec.lock:
        filed[i] = request_id
    receipt = rec.call("receipt page", 200, lambda: http.get(f"{base}{sent.headers['Location']}", timeout=TIMEOUT))
    if receipt is not None and "/PPID/" not in receipt.text:
        rec.fail(f"receipt {request_id}: no registration number on the page")


def officer(base: str, email: str, rec: Recorder, done: threading.Event, deadline: float, seed: int) -> None:
    rng = random.Random(seed)
    http = requests.Session()
    form = rec.call("login form", 200, lambda: http.get(f"{base}/masuk", timeout=TIMEOUT))
    if form is None:
        return
    login = {"csrf_token": csrf_token(form.text), "email": email, "password": OFFICER_PASSWORD}
    if rec.call("login", 303, lambda: http.post(f"{base}/masuk", data=login, allow_redirects=False,
                                                timeout=TIMEOUT)) is None:
        return
    pages = 1
    while not done.is_set() and time.monotonic() < deadline:
        number = rng.randint(1, pages)
        url = f"{base}/meja/" + (f"?halaman={number}" if number > 1 else "")
        queue = rec.call("queue page", 200, lambda url=url: http.get(url, timeout=TIMEOUT, allow_redirects=False))
        if queue is None:
            time.sleep(0.5)
            continue
        pages = max([pages, *(int(p) for p in PAGE_LINK_RE.findall(queue.text))])
        ids = sorted(set(DESK_LINK_RE.findall(queue.text)))
        for request_id in rng.sample(ids, min(2, len(ids))):
            rec.call("request page", 200, lambda rid=request_id: http.get(
                f"{base}/meja/permohonan/{rid}", timeout=TIMEOUT, allow_redirects=False))
        if not ids:
            time.sleep(0.2)  # nothing filed yet


def hammer_health(base: str, clients: int, count: int, rec: Recorder, deadline: float) -> None:
    remaining = iter(range(count))
    lock = threading.Lock()

    def client() -> None:
        http = requests.Session()
        while time.monotonic() < deadline:
            with lock:
                if next(remaining, None) is None:
                    return
            rec.call("healthz", 200, lambda: http.get(f"{base}/healthz", timeout=TIMEOUT))

    with ThreadPoolExecutor(max_workers=clients) as pool:
        for future in [pool.submit(client) for _ in range(clients)]:
            future.result()


def warm_up(base: str, workers: int) -> None:
    """A few untimed GETs, so each worker has loaded its templates before the clock starts."""
    http = requests.Session()
    for _ in range(4 * workers):
        for path in ("/healthz", "/permohonan/baru", "/masuk", "/"):
            http.get(f"{base}{path}", timeout=TIMEOUT)


# --- the instance and the server ------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpSink:
    """A local SMTP server that counts the messages per recipient."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        self.received: dict[str, int] = defaultdict(int)
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd handler hook
        for recipient in envelope.rcpt_tos:
            self.received[recipient.lower()] += 1
        return "250 OK"

    def __enter__(self) -> SmtpSink:
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()


def flask_cli(env: dict, *args: str) -> None:
    subprocess.run([str(BIN / "flask"), "--app", "ppid_desk", *args], env=env, check=True,
                   stdout=subprocess.DEVNULL, cwd=ROOT)


def prepare(env: dict, officers: int) -> list[str]:
    """Migrate, import this year's calendar, create the demo units and the officers; their e-mails."""
    from ppid_desk import create_app
    from ppid_desk.workcalendar.selectors import body_today

    flask_cli(env, "db", "upgrade")
    app = create_app()
    with app.app_context():
        year = body_today().year
    flask_cli(env, "ppid", "calendar", "import", str(year), str(year + 1))
    with app.app_context():
        from ppid_desk.accounts.models import Role, User, UserRole
        from ppid_desk.dbtypes import utcnow
        from ppid_desk.demo import UTAMA_CODE, _units
        from ppid_desk.extensions import db

        units, _ = _units()
        probe = User()
        probe.set_password(OFFICER_PASSWORD)
        emails = []
        for n in range(officers):
            role = Role.PPID_UTAMA if n % 3 == 0 else Role.PETUGAS
            user = User(email=f"petugas{n}@load.bench.example", name=f"Petugas Beban {n}",
                        unit=units[UTAMA_CODE], email_verified_at=utcnow(), active=True)
            user.password_hash = probe.password_hash
            user.role_rows = [UserRole(role=str(role))]
            db.session.add(user)
            emails.append(user.email)
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return emails


def start_server(env: dict, port: int, workers: int, threads: int, log: Path) -> subprocess.Popen:
    command = [str(BIN / "gunicorn"), "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
               "--timeout", "120", "--backlog", "2048"]
    if threads > 1:
        command += ["--threads", str(threads)]
    server = subprocess.Popen([*command, "ppid_desk:create_app()"], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=log.open("w"))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited: {log.read_text()[-2000:]}")
        with contextlib.suppress(requests.RequestException):
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200:
                return server
        time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not answer /healthz within 60 s")


# --- checks against the database ------------------------------------------------------------

def verify(filed: dict[int, int], citizens: int, sink: SmtpSink) -> list[str]:
    """Everything that must hold after the run; returns the problems found."""
    from sqlalchemy import func, select

    from ppid_desk import create_app
    from ppid_desk.attachments.models import Attachment, AttachmentPurpose
    from ppid_desk.attachments.services import attachment_read, upload_folder
    from ppid_desk.audit.models import Event
    from ppid_desk.extensions import db
    from ppid_desk.requests.models import Applicant, InformationRequest, RegistrationCounter

    problems: list[str] = []
    app = create_app()
    with app.app_context():
        rows = db.session.execute(
            select(InformationRequest.id, InformationRequest.year, InformationRequest.seq,
                   InformationRequest.number, Applicant.email)
            .join(Applicant, Applicant.id == InformationRequest.applicant_id)).all()
        by_email: dict[str, list[int]] = defaultdict(list)
        for row in rows:
            by_email[row.email].append(row.id)
        if len(rows) != citizens:
            problems.append(f"{len(rows)} requests in the database for {citizens} citizens")
        for i in range(citizens):
            ids = by_email.get(citizen_email(i), [])
            if len(ids) != 1:
                problems.append(f"citizen {i}: {len(ids)} requests")
            elif filed.get(i) not in (None, ids[0]):
                problems.append(f"citizen {i}: redirected to request {filed[i]}, stored as {ids[0]}")
        if len(filed) != citizens:
            problems.append(f"only {len(filed)} of {citizens} submissions were redirected to a receipt")
        numbers = [row.number for row in rows]
        if len(set(numbers)) != len(numbers):
            problems.append(f"{len(numbers) - len(set(numbers))} duplicated registration numbers")
        seqs_by_year: dict[int, list[int]] = defaultdict(list)
        for row in rows:
            seqs_by_year[row.year].append(row.seq)
        for year, seqs in seqs_by_year.items():
            if sorted(seqs) != list(range(1, len(seqs) + 1)):
                missing = sorted(set(range(1, max(seqs) + 1)) - set(seqs))
                problems.append(f"{year}: sequence not 1..{len(seqs)} (missing {missing[:10]}, "
                                f"{len(seqs) - len(set(seqs))} repeated)")
            last = db.session.scalar(select(RegistrationCounter.last_value)
                                     .where(RegistrationCounter.year == year))
            if last != len(seqs):
                problems.append(f"{year}: registration counter at {last}, {len(seqs)} requests")
        documents = db.session.scalars(select(Attachment).where(
            Attachment.purpose == AttachmentPurpose.IDENTITY_DOCUMENT)).all()
        by_request: dict[int | None, list[Attachment]] = defaultdict(list)
        for document in documents:
            by_request[document.request_id].append(document)
        if by_request.get(None):
            problems.append(f"{len(by_request[None])} identity documents not claimed by a request")
        email_of = {row.id: row.email for row in rows}
        index_of = {citizen_email(i): i for i in range(citizens)}
        for request_id, email in email_of.items():
            docs = by_request.get(request_id, [])
            if len(docs) != 1:
                problems.append(f"request {request_id}: {len(docs)} identity documents")
                continue
            if not (upload_folder() / docs[0].stored_name).is_file():
                problems.append(f"request {request_id}: identity file missing")
                continue
            expected = scan_for(index_of[email])[1] if email in index_of else None
            if expected is not None and hashlib.sha256(attachment_read(docs[0])).digest() != \
                    hashlib.sha256(expected).digest():
                problems.append(f"request {request_id}: identity file is not what {email} uploaded")
        files = {p.name for p in upload_folder().iterdir() if p.is_file()}
        stored = set(db.session.scalars(select(Attachment.stored_name)))
        if files - stored:
            problems.append(f"{len(files - stored)} orphaned files in the upload folder")
        registered = db.session.scalar(select(func.count()).select_from(Event).where(Event.kind == "registered"))
        if registered != len(rows):
            problems.append(f"{registered} 'registered' events for {len(rows)} requests")
        for i in range(citizens):
            if sink.received.get(citizen_email(i), 0) != 1:
                problems.append(f"citizen {i}: {sink.received.get(citizen_email(i), 0)} receipt e-mails")
                break
        db.session.remove()
        db.engine.dispose()
    return problems


# --- one run --------------------------------------------------------------------------------

def run(label: str, database_url: str | None, args) -> bool:
    from ppid_desk.config import normalise_database_url

    tmp = Path(tempfile.mkdtemp(prefix="ppid-bench-load-"))
    url = normalise_database_url(database_url) if database_url else f"sqlite:///{tmp / 'ppid.sqlite3'}"
    port = free_port()
    with SmtpSink() as sink:
        env = dict(os.environ)
        env.update({
            "PPID_INSTANCE_PATH": str(tmp), "DATABASE_URL": url,
            "PPID_SECRET_KEY": secrets.token_hex(32), "PPID_RATELIMIT_ENABLED": "false",
            "PPID_MAIL_SERVER": "127.0.0.1", "PPID_MAIL_PORT": str(sink.port),
            "PPID_PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
        })
        from cryptography.fernet import Fernet

        env["PPID_DATA_KEY"] = Fernet.generate_key().decode()  # a throwaway key for a throwaway instance
        os.environ.update(env)  # the checks below read the same instance
        emails = prepare(env, args.officers)
        server = start_server(env, port, args.workers, args.threads, tmp / "gunicorn.log")
        # The receipts leave through the outbox sender beside the web workers, as in production.
        sender = subprocess.Popen([str(BIN / "flask"), "--app", "ppid_desk", "ppid", "outbox", "--loop"],
                                  env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                                  stderr=(tmp / "outbox.log").open("w"))
        try:
            base = f"http://127.0.0.1:{port}"
            mode = ""
            if url.startswith("sqlite"):
                import sqlite3

                with contextlib.closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as conn:
                    mode = f", journal_mode={conn.execute('PRAGMA journal_mode').fetchone()[0]}"
            print(f"\n== {label}{mode}: gunicorn --workers {args.workers}"
                  + (f" --threads {args.threads}" if args.threads > 1 else "")
                  + f" on {base}; {args.citizens} citizens ({args.concurrency} at once), "
                  f"{args.officers} officers; rate limits disabled (PPID_RATELIMIT_ENABLED=false); "
                  f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
            warm_up(base, args.workers)
            rec, filed, done = Recorder(), {}, threading.Event()
            deadline = time.monotonic() + args.duration
            started, client_cpu = time.perf_counter(), time.process_time()
            with ThreadPoolExecutor(max_workers=args.officers) as desk:
                desk_jobs = [desk.submit(officer, base, email, rec, done, deadline, n)
                             for n, email in enumerate(emails)]
                with ThreadPoolExecutor(max_workers=args.concurrency) as public:
                    jobs = [public.submit(lambda i=i: time.monotonic() < deadline and citizen(base, i, rec, filed))
                            for i in range(args.citizens)]
                    for job in jobs:
                        job.result()
                done.set()
                for job in desk_jobs:
                    job.result()
            elapsed = time.perf_counter() - started
            report("citizens and officers together", rec.samples, elapsed)
            print(f"    (the load generator itself used {time.process_time() - client_cpu:.0f} s of CPU "
                  f"in those {elapsed:.0f} s, on the same 2 cores)")
            health = Recorder()
            started = time.perf_counter()
            hammer_health(base, args.concurrency + args.officers, args.health_requests, health,
                          time.monotonic() + args.duration)
            report(f"/healthz alone, {args.concurrency + args.officers} clients", health.samples,
                   time.perf_counter() - started)
            print(f"  load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        finally:
            server.terminate()
            server.wait(timeout=30)
            sender.terminate()  # finishes the batch in hand
            sender.wait(timeout=60)
        flask_cli(env, "ppid", "outbox")  # what was queued after the sender's last pass
        problems = [*rec.errors, *health.errors, *verify(filed, args.citizens, sink)]
    print(f"  HTTP errors: {len(rec.errors) + len(health.errors)}")
    if problems:
        print(f"  FAILED: {len(problems)} problems")
        for problem in problems[:20]:
            print(f"    - {problem}")
    else:
        print(f"  checked: {args.citizens} requests, each once; numbers 1..{args.citizens} unique and gapless; "
              "one identity file each, decrypting to the uploaded bytes; one receipt e-mail each; "
              "no orphaned upload")
    if args.keep:
        print(f"  kept: {tmp} ({url})")
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    return not problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="sqlite")
    parser.add_argument("--citizens", type=int, default=300, help="submissions in all (default 300)")
    parser.add_argument("--concurrency", type=int, default=30, help="citizens filing at once (default 30)")
    parser.add_argument("--officers", type=int, default=10, help="officers working the queue (default 10)")
    parser.add_argument("--health-requests", type=int, default=3000, help="GET /healthz afterwards (default 3000)")
    parser.add_argument("--duration", type=float, default=900,
                        help="upper bound in seconds for each phase; stops early (default 900)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (default 2)")
    parser.add_argument("--threads", type=int, default=1, help="threads per worker (default 1: sync workers)")
    parser.add_argument("--keep", action="store_true", help="keep the instance folder (and PostgreSQL database)")
    args = parser.parse_args()
    admin_url = os.environ.get("DATABASE_URL") or DEFAULT_PG  # read before a run points it at its instance
    ok = True
    if args.database in ("sqlite", "both"):
        ok &= run("sqlite", None, args)
    if args.database in ("postgresql", "both"):
        from bench.common import scratch_postgresql

        with scratch_postgresql(admin_url, prefix="ppid_bench_load", keep=args.keep) as url:
            ok &= run("postgresql", url, args)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
