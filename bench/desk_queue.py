"""Benchmark of the desk queue (GET /meja/) on a large body: 100,000 requests.

Builds a throwaway SQLite database — and a throwaway PostgreSQL database too when
DATABASE_URL names a PostgreSQL server (an admin connection that may CREATE DATABASE) — fills
it with bulk core inserts (applicants, requests with a realistic spread of statuses, channels,
due dates and extensions, routing tasks to a dozen units), then times queue pages through the
Flask test client logged in as PPID Utama (and as one PPID Pembantu), printing medians.

    .venv/bin/python bench/desk_queue.py                      # SQLite only
    DATABASE_URL=postgresql://ppid_test:ppid_test@127.0.0.1:5432/postgres .venv/bin/python bench/desk_queue.py
    .venv/bin/python bench/desk_queue.py --requests 20000 --repeat 5 --explain --try-index

Not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import event, insert, text  # noqa: E402

from bench.common import bench_config, scratch_postgresql  # noqa: E402
from ppid_desk import create_app  # noqa: E402
from ppid_desk.accounts.models import User, UserRole  # noqa: E402
from ppid_desk.dbtypes import utcnow  # noqa: E402
from ppid_desk.extensions import db, limiter  # noqa: E402
from ppid_desk.organisation.models import Unit  # noqa: E402
from ppid_desk.requests.models import Applicant, InformationRequest  # noqa: E402
from ppid_desk.requests.numbering import ROMAN_MONTHS  # noqa: E402
from ppid_desk.routing.models import RoutingTask  # noqa: E402
from ppid_desk.workcalendar.selectors import body_today  # noqa: E402
from ppid_desk.workcalendar.services import deadline_calendar  # noqa: E402

PASSWORD = "bench-password-1"
BATCH = 5_000
FIRST_NAMES = ("Budi", "Siti", "Agus", "Dewi", "Rudi", "Ani", "Joko", "Rina", "Bambang", "Sri", "Eko", "Wati",
               "Hendra", "Yuni", "Fajar", "Lestari", "Made", "Putu", "Nyoman", "Andi", "Yohanes", "Maria")
LAST_NAMES = ("Santoso", "Wijaya", "Saputra", "Lestari", "Hidayat", "Nugroho", "Siregar", "Nasution",
              "Pratama", "Kusuma", "Simanjuntak", "Harahap", "Wibowo", "Rahmawati", "Sinaga", "Tanjung")
TOPICS = ("anggaran pendidikan", "pengadaan barang dan jasa", "izin mendirikan bangunan", "dana desa",
          "bantuan sosial", "perjalanan dinas", "laporan keuangan", "rencana tata ruang", "kearsipan",
          "pengelolaan sampah", "jalan kabupaten", "beasiswa daerah", "retribusi pasar", "air bersih")
DOCS = ("Salinan dokumen", "Laporan realisasi", "Daftar penerima", "Kontrak dan addendum", "Notulen rapat",
        "Rencana kerja", "Hasil audit")
UNITS = [("DISDIK", "Dinas Pendidikan"), ("DINKES", "Dinas Kesehatan"), ("DPUPR", "Dinas PUPR"),
         ("DINSOS", "Dinas Sosial"), ("BAPPEDA", "Bappeda"), ("BPKAD", "BPKAD"),
         ("DLH", "Dinas Lingkungan Hidup"), ("DISHUB", "Dinas Perhubungan"), ("DPMPTSP", "DPMPTSP"),
         ("INSPEKTORAT", "Inspektorat"), ("SETDA", "Sekretariat Daerah"), ("DISPERKIM", "Dinas Perkim")]
CHANNELS = ("online",) * 14 + ("walk_in",) * 2 + ("letter",) * 2 + ("email", "phone")
OPEN = ("registered", "routed", "answered", "incomplete")
ENDED = ("closed",) * 6 + ("delivered",) * 2 + ("notice_issued", "withdrawn")


# --- the throwaway databases --------------------------------------------------------------

@contextmanager
def sqlite_database(keep: bool):
    folder = tempfile.mkdtemp(prefix="ppid-bench-queue-")
    try:
        yield f"sqlite:///{folder}/bench.sqlite3", folder
    finally:
        if keep:
            print(f"  kept: sqlite:///{folder}/bench.sqlite3")
        else:
            shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def postgresql_database(admin_url: str, keep: bool):
    folder = tempfile.mkdtemp(prefix="ppid-bench-queue-")
    try:
        with scratch_postgresql(admin_url, keep=keep) as url:
            yield url, folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# --- the body of requests -----------------------------------------------------------------

def seed(total: int, today: date, rng: random.Random) -> dict[str, int]:
    """Insert ``total`` requests with applicants and tasks, in bulk; return a few counts."""
    calendar = deadline_calendar()  # seeding is a write path: it imports the years it reaches
    tz = ZoneInfo("Asia/Jakarta")
    span_days = 3 * 365
    first_day = today - timedelta(days=span_days)
    due_of = {first_day + timedelta(days=d): calendar.add_working_days(first_day + timedelta(days=d), 10)
              for d in range(span_days + 1)}
    extended_of = {due: calendar.add_working_days(due, 7) for due in set(due_of.values())}
    db.session.commit()  # holiday years imported by the calendar

    units = [Unit(code=code, name=name, kind="pembantu") for code, name in UNITS]
    db.session.add(Unit(code="UTAMA", name="PPID Utama", kind="utama"))
    db.session.add_all(units)
    router = user("utama@bench.example.id", "ppid_utama")
    user("pembantu@bench.example.id", "pembantu", unit=units[0])
    db.session.commit()

    applicants, requests, tasks = [], [], []
    seq_by_year: dict[int, int] = {}
    counts = {"open": 0, "tasks": 0, "extended": 0}
    now = utcnow()
    task_id = 0
    for i in range(1, total + 1):
        received = first_day + timedelta(days=int(span_days * rng.random() ** 0.85))  # more recent traffic
        age = (today - received).days
        open_ = rng.random() < (0.85 if age <= 30 else 0.04)  # a backlog of old overdue requests too
        status = rng.choice(OPEN) if open_ else rng.choice(ENDED)
        counts["open"] += open_
        notice_due = due_of[received]
        extended = age > 10 and rng.random() < 0.08
        extended_due = extended_of[notice_due] if extended else None
        counts["extended"] += extended
        at = datetime.combine(received, datetime.min.time(), tzinfo=tz).astimezone(UTC) + timedelta(
            minutes=rng.randrange(7 * 60, 17 * 60))
        ended_at = min(at + timedelta(days=rng.randrange(3, 20)), now)
        issued = status in ("notice_issued", "delivered", "closed")
        seq_by_year[received.year] = seq = seq_by_year.get(received.year, 0) + 1
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        applicants.append({"id": i, "kind": "perorangan", "name": name, "address": "Jl. Contoh No. 1",
                           "occupation": "Wiraswasta", "phone": "081234567890",
                           "email": f"pemohon{i}@example.id", "created_at": at})
        requests.append({
            "id": i, "number": f"{seq:05d}/PPID/{ROMAN_MONTHS[received.month - 1]}/{received.year}",
            "year": received.year, "seq": seq, "channel": rng.choice(CHANNELS), "received_at": at,
            "receipt_date": received, "applicant_id": i,
            "rincian": f"{rng.choice(DOCS)} {rng.choice(TOPICS)} tahun {received.year - rng.randrange(2)}, "
                       f"termasuk lampiran dan rinciannya (permohonan ke-{i}).",
            "tujuan": "Pengawasan publik.", "access_method": "salinan_softcopy", "copy_delivery": "email",
            "status": status, "notice_due": notice_due, "extended_due": extended_due,
            "due_date": extended_due or notice_due,
            "extension_reason": "Dokumen tersebar di beberapa unit." if extended else None,
            "accepted_at": at, "notice_at": ended_at if issued else None,
            "closed_at": ended_at if status in ("closed", "withdrawn") else None,
            "outcome": ("granted_full" if issued else "withdrawn" if status == "withdrawn" else None),
            "tracking_token": secrets.token_urlsafe(18), "created_at": at, "version": 1,
        })
        if status != "registered" and status != "incomplete" and rng.random() < (0.95 if open_ else 0.6):
            for unit in rng.sample(units, 1 if rng.random() < 0.8 else 2):
                task_id += 1
                tasks.append({
                    "id": task_id, "request_id": i, "unit_id": unit.id, "instruction": "Mohon disiapkan.",
                    "internal_due": calendar.previous_working_day(notice_due),
                    "status": "open" if status == "routed" else "answered",
                    "routed_at": at, "routed_by_id": router.id, "version": 1,
                })
        if len(requests) >= BATCH:
            counts["tasks"] += flush(applicants, requests, tasks)
    counts["tasks"] += flush(applicants, requests, tasks)
    db.session.commit()
    return counts


def flush(applicants: list, requests: list, tasks: list) -> int:
    added = len(tasks)
    for model, rows in ((Applicant, applicants), (InformationRequest, requests), (RoutingTask, tasks)):
        if rows:
            db.session.execute(insert(model.__table__), rows)
        rows.clear()
    return added


def user(email: str, role: str, unit: Unit | None = None) -> User:
    account = User(email=email, name=f"Bench {role}", email_verified_at=utcnow(), unit=unit)
    account.set_password(PASSWORD)
    account.role_rows = [UserRole(role=role)]
    db.session.add(account)
    db.session.flush()
    return account


def fix_sequences() -> None:
    if db.engine.dialect.name != "postgresql":
        return
    for table in ("applicant", "information_request", "routing_task"):
        db.session.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))
    db.session.commit()


def analyse() -> None:
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE" if db.engine.dialect.name == "postgresql" else "ANALYZE"))


# --- timing -------------------------------------------------------------------------------

SCENARIOS = [
    ("first page (default: open, nearest due)", "/meja/", {}),
    ("first page, htmx rows only", "/meja/", {"HX-Request": "true"}),
    ("overdue (tenggat=overdue)", "/meja/?tenggat=overdue", {}),
    ("due soon (tenggat=due_soon)", "/meja/?tenggat=due_soon", {}),
    ("unit filter (unit=DINKES)", "/meja/?unit=DINKES", {}),
    ("search a word (q=kearsipan)", "/meja/?q=kearsipan", {}),
    ("search a name, all statuses", "/meja/?q=siti+santoso&status=semua", {}),
    ("page 200 (default filters)", "/meja/?halaman=200", {}),
    ("page 200, all statuses", "/meja/?status=semua&halaman=200", {}),
]


def login(app, email: str):
    client = app.test_client()
    response = client.post("/masuk", data={"email": email, "password": PASSWORD})
    assert response.status_code == 303, response.status_code
    return client


def time_pages(app, engine, repeat: int) -> None:
    utama = login(app, "utama@bench.example.id")
    pembantu = login(app, "pembantu@bench.example.id")
    scenarios = [*((label, utama, url, headers) for label, url, headers in SCENARIOS),
                 ("PPID Pembantu (DISDIK) first page", pembantu, "/meja/", {})]
    statements: list[str] = []

    def record(conn, cursor, statement, *args) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    for label, client, url, headers in scenarios:
        client.get(url, headers=headers)  # warm: the calendar years, the plan cache
        samples = []
        for _ in range(repeat):
            statements.clear()
            start = time.perf_counter()
            response = client.get(url, headers=headers)
            samples.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        count = response.get_data(as_text=True).split('<p class="queue-count" role="status"><strong>')[1]
        print(f"  {label:<42} median {statistics.median(samples):8.1f} ms   min {min(samples):8.1f} ms"
              f"   {len(statements):2d} queries   {count.split('</strong>')[0]}")
    event.remove(engine, "before_cursor_execute", record)


QUERIES = {
    "count, default": "SELECT count(*) FROM information_request WHERE status IN "
                      "('registered','routed','answered','incomplete')",
    "page, default": "SELECT id FROM information_request WHERE status IN "
                     "('registered','routed','answered','incomplete') ORDER BY due_date, id LIMIT 25",
    "page 200, all statuses": "SELECT id FROM information_request ORDER BY due_date, id LIMIT 25 OFFSET 4975",
}


def explain() -> None:
    prefix = "EXPLAIN ANALYZE" if db.engine.dialect.name == "postgresql" else "EXPLAIN QUERY PLAN"
    for label, sql in QUERIES.items():
        print(f"  -- {label}")
        for row in db.session.execute(text(f"{prefix} {sql}")):
            print("     ", " ".join(str(col) for col in row))


# Indexes tried with --try-index (raw DDL in the throwaway database; the schema is not changed).
# The first page needs none: it walks ix_information_request_due_date (PostgreSQL adds an
# incremental sort on id) and counts on ix_information_request_status_due. Trigram indexes
# are the candidates for the text search, which otherwise scans every row.
CANDIDATE_INDEXES = {
    "postgresql": [
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        "CREATE INDEX bench_trgm_rincian ON information_request USING gin (rincian gin_trgm_ops)",
        "CREATE INDEX bench_trgm_number ON information_request USING gin (number gin_trgm_ops)",
        "CREATE INDEX bench_trgm_name ON applicant USING gin (name gin_trgm_ops)",
    ],
    "sqlite": [],
}


def run(url: str, instance: str, total: int, repeat: int, show_plans: bool, try_index: bool) -> None:
    os.environ["PPID_INSTANCE_PATH"] = instance
    app = create_app(bench_config(url, UPLOAD_FOLDER=f"{instance}/uploads"))
    with app.app_context():
        upgrade()
        limiter.enabled = False
        rng = random.Random(20260302)
        start = time.perf_counter()
        counts = seed(total, body_today(), rng)
        fix_sequences()
        analyse()
        engine = db.engine
        print(f"\n== {engine.dialect.name}: {total:,} requests ({counts['open']:,} open, "
              f"{counts['extended']:,} extended, {counts['tasks']:,} routing tasks) "
              f"seeded in {time.perf_counter() - start:.1f} s")
    # Time outside any app context: each test-client request then gets its own (and its own
    # logged-in user; a shared context would keep the first client's user in `g`).
    time_pages(app, engine, repeat)
    with app.app_context():
        if show_plans:
            explain()
        candidates = CANDIDATE_INDEXES[engine.dialect.name] if try_index else []
        for statement in candidates:
            db.session.execute(text(statement))
        db.session.commit()
        if candidates:
            analyse()
            print("  with " + ";\n       ".join(candidates))
    if candidates:
        time_pages(app, engine, repeat)
        with app.app_context():
            if show_plans:
                explain()
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--explain", action="store_true", help="print the query plans of the main queries")
    parser.add_argument("--try-index", action="store_true", help="time again with the candidate indexes")
    parser.add_argument("--keep", action="store_true", help="keep the databases (prints their URLs)")
    parser.add_argument("--no-sqlite", action="store_true", help="only PostgreSQL (DATABASE_URL)")
    args = parser.parse_args()
    if not args.no_sqlite:
        with sqlite_database(args.keep) as (url, instance):
            run(url, instance, args.requests, args.repeat, args.explain, args.try_index)
    database_url = os.environ.get("DATABASE_URL", "")
    if database_url.startswith(("postgres://", "postgresql")):
        with postgresql_database(database_url, args.keep) as (url, instance):
            run(url, instance, args.requests, args.repeat, args.explain, args.try_index)


if __name__ == "__main__":
    main()
