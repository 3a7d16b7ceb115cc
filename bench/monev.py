"""Benchmark of the monev metric set (issue 5, item 10).

Seeds a throwaway database with ``bench/seed_load.py`` (N requests over several years), then
times, for the most recent full year: the whole metric set (``monev_metrics``, its settled
requests read from the daily tallies, re-summed first as the sweep does), the same for one unit,
the whole set cold (no tallies: every settled request read live), after one day changed (that
day read live: pages never re-sum), and all live (tallies off), a bare ``SELECT count(*)`` over information_request for comparison, and the supervisor
dashboard page ``GET /meja/monev`` for that year (whole body, whole HTML page through the Flask
test client, logged in as a ``pengawas``).

    .venv/bin/python bench/monev.py --requests 1000000          # SQLite (seeding takes several minutes)
    .venv/bin/python bench/monev.py --requests 100000 --repeat 5
    .venv/bin/python bench/monev.py --requests 100000 --keep /tmp/monev.sqlite3 --profile   # seed once, reuse
    DATABASE_URL=postgresql://ppid_test:ppid_test@127.0.0.1:5432/postgres .venv/bin/python bench/monev.py ...

Not a test: it asserts nothing and prints medians.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import func, select, text  # noqa: E402

from bench.common import bench_config, scratch_postgresql  # noqa: E402
from ppid_desk import create_app  # noqa: E402
from ppid_desk.extensions import db  # noqa: E402


def timed(fn, repeat: int) -> tuple[float, float]:
    fn()  # warm-up (pages only read: the ordinals are built on write, the tallies by the sweep)
    db.session.commit()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), min(samples)


def profile(fn) -> None:
    """Run fn once and print each SQL statement's time (slowest first)."""
    from sqlalchemy import event

    engine = db.engine
    timings: list[tuple[float, str]] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        conn.info.setdefault("_bench_t0", []).append(time.perf_counter())

    def after(conn, cursor, statement, parameters, context, executemany):
        t0 = conn.info["_bench_t0"].pop()
        timings.append(((time.perf_counter() - t0) * 1000, " ".join(statement.split())))

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        fn()
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)
    print(f"    {len(timings)} statements, {sum(t for t, _ in timings):.1f} ms in SQL")
    for ms, sql in timings:
        print(f"    {ms:8.1f} ms  {sql[:160]}")


def supervisor_client(app):
    """A test client logged in (through POST /masuk) as a new user with role ``pengawas``."""
    from ppid_desk.accounts.models import Role, User, UserRole
    from ppid_desk.dbtypes import utcnow

    email, password = f"bench-pengawas-{secrets.token_hex(4)}@pemda.example.id", secrets.token_urlsafe(16)
    user = User(email=email, name="Pengawas Bench", email_verified_at=utcnow())
    user.set_password(password)
    user.role_rows = [UserRole(role=Role.PENGAWAS.value)]
    db.session.add(user)
    db.session.commit()
    client = app.test_client()
    response = client.post("/masuk", data={"email": email, "password": password})
    if response.status_code != 303:
        raise SystemExit(f"login as pengawas failed: {response.status_code}")
    return client


def run(url: str, label: str, requests: int, repeat: int, *, keep: bool = False, show_profile: bool = False) -> None:
    tmp = tempfile.mkdtemp(prefix="ppid-bench-monev-")
    os.environ["PPID_INSTANCE_PATH"] = tmp
    app = create_app(bench_config(url))
    with app.app_context():
        from bench.seed_load import seed_load
        from ppid_desk.monev.metrics import monev_metrics
        from ppid_desk.requests.models import InformationRequest
        from ppid_desk.workcalendar.selectors import body_today

        started = time.perf_counter()
        if not keep:
            upgrade()
            seed_load(requests=requests, years=3, seed=1)
            db.session.commit()
        seeded = time.perf_counter() - started
        if db.engine.dialect.name == "postgresql":
            # A PostgreSQL database in service has planner statistics and a visibility map (for
            # index-only scans) from autovacuum; a fresh bulk load has neither until it runs.
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.exec_driver_sql("VACUUM ANALYZE")
        total = db.session.scalar(select(func.count()).select_from(InformationRequest))
        today = body_today()
        year = today.year - 1
        start, end = date(year, 1, 1), date(year, 12, 31)
        in_year = db.session.scalar(select(func.count()).select_from(InformationRequest)
                                    .where(InformationRequest.receipt_date.between(start, end)))
        unit = db.session.execute(text("SELECT code FROM unit ORDER BY id LIMIT 1")).scalar()
        print(f"\n== {label}: {total:,} requests seeded in {seeded:.0f} s; {in_year:,} registered in {year}")
        rows = [
            ("SELECT count(*) FROM information_request",
             lambda: db.session.execute(text("SELECT count(*) FROM information_request")).scalar()),
            (f"metric set, {year}, whole body",
             lambda: monev_metrics(start=start, end=end, unit_code=None, today=today)),
            (f"metric set, {year}, unit {unit}",
             lambda: monev_metrics(start=start, end=end, unit_code=unit, today=today)),
        ]
        from ppid_desk.monev.tallies import tallies_ensure, tallies_forget, tally_mark_dirty

        tallies_ensure(start, end)  # what the sweep keeps fresh
        db.session.commit()

        def cold() -> None:  # no tallies yet (after seed-load, an import or a calendar change)
            tallies_forget(start, end)
            monev_metrics(start=start, end=end, unit_code=None, today=today)
            db.session.rollback()  # the tallies stay as the sweep left them

        def one_day_changed() -> None:  # the steady state: a request of 1 March changed
            tally_mark_dirty(date(year, 3, 1))
            monev_metrics(start=start, end=end, unit_code=None, today=today)
            db.session.rollback()

        def all_live() -> None:  # the same numbers without the tallies
            app.config["MONEV_TALLIES"] = False
            try:
                monev_metrics(start=start, end=end, unit_code=None, today=today)
            finally:
                app.config["MONEV_TALLIES"] = True

        rows += [(f"metric set, {year}, cold (no tallies: all read live)", cold),
                 (f"metric set, {year}, one day changed (read live)", one_day_changed),
                 (f"metric set, {year}, all live (no tallies)", all_live)]
        client = supervisor_client(app)
        page = f"/meja/monev?periode=tahun&tahun={year}"

        def dashboard() -> None:
            response = client.get(page)
            if response.status_code != 200:
                raise SystemExit(f"GET {page}: {response.status_code}")

        rows.append((f"GET /meja/monev, {year}, whole body", dashboard))
        for name, fn in rows:
            median, best = timed(fn, repeat)
            print(f"  {name:<45} median {median:9.1f} ms   min {best:9.1f} ms")
            db.session.rollback()
            if show_profile:
                profile(fn)
                db.session.rollback()
        db.session.remove()
        db.engine.dispose()  # no connection left open on a throwaway database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--keep", metavar="PATH", type=Path,
                        help="SQLite file to reuse: seeded on the first run, reused (not reseeded) afterwards")
    parser.add_argument("--profile", action="store_true", help="print each SQL statement's time (one extra run)")
    args = parser.parse_args()
    if not args.no_sqlite:
        if args.keep:
            path = args.keep.resolve()
            reuse = path.exists()
        else:
            path, reuse = Path(tempfile.mkdtemp(prefix="ppid-bench-db-")) / "monev.sqlite3", False
        run(f"sqlite:///{path}", "sqlite", args.requests, args.repeat, keep=reuse, show_profile=args.profile)
    if os.environ.get("DATABASE_URL"):
        with scratch_postgresql(os.environ["DATABASE_URL"]) as url:
            run(url, "postgresql", args.requests, args.repeat, show_profile=args.profile)


if __name__ == "__main__":
    main()
