"""Benchmark of the monev metric set (issue 5 item 10, issue 17 item 3).

Seeds a throwaway database with ``bench/seed_load.py`` (N requests over several years, without the
event log, which monev never reads), then times, for the most recent full year: the whole metric
set (``monev_metrics``, its settled requests read from the daily tallies, re-summed first as the
sweep does), the same for one unit, the whole set cold (caches empty: no tallies, so every
settled request is read live, and no statement built yet), after one day changed (that day read
live: pages never re-sum), all live (tallies off), and the supervisor dashboard page
``GET /meja/monev`` for that year (whole body, whole HTML page through the Flask test client,
logged in as a ``pengawas``). Each beside a bare ``SELECT count(*) FROM information_request``
timed in the same rounds (interleaved), as a ratio.

    .venv/bin/python bench/monev.py                               # 1,000,000 requests, SQLite
    .venv/bin/python bench/monev.py --requests 100000 --repeat 5
    .venv/bin/python bench/monev.py --requests 1000000 --keep /tmp/monev-1m.sqlite3   # seed once, reuse
    .venv/bin/python bench/monev.py --requests 1000000 --years 1  # all of them in the year measured
    .venv/bin/python bench/monev.py --requests 100000 --json      # one JSON object for make bench
    DATABASE_URL=postgresql://ppid_test:ppid_test@127.0.0.1:5432/postgres .venv/bin/python bench/monev.py ...

``--json`` prints only ``{"rows": [{"figure", "value", "unit", "baseline", "ratio"}]}`` on stdout
(value and baseline in ms, ratio = value ÷ baseline); the table and the rest go to stderr.
Not a test: it asserts nothing and prints medians.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import func, select, text  # noqa: E402

from bench.common import bench_config, scratch_postgresql  # noqa: E402
from ppid_desk import create_app  # noqa: E402
from ppid_desk.extensions import db  # noqa: E402


def timed_rounds(rows: list[tuple[str, object]], repeat: int) -> dict[str, list[float]]:
    """Milliseconds of every row's function, ``repeat`` rounds, the rows interleaved within each
    round (so the baseline and the figures see the same machine load); one warm-up each first."""
    for _name, fn in rows:
        fn()  # warm-up (pages only read: the ordinals are built on write, the tallies by the sweep)
        db.session.rollback()
    samples: dict[str, list[float]] = {name: [] for name, _fn in rows}
    for _ in range(repeat):
        for name, fn in rows:
            start = time.perf_counter()
            fn()
            samples[name].append((time.perf_counter() - start) * 1000)
            db.session.rollback()
    return samples


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


BASELINE = "SELECT count(*) FROM information_request"


def run(url: str, label: str, requests: int, repeat: int, *, years: int = 3, keep: bool = False,
        show_profile: bool = False, log=print) -> list[dict]:
    """Seed (unless ``keep``), time every figure beside the bare count, return the rows."""
    tmp = tempfile.mkdtemp(prefix="ppid-bench-monev-")
    os.environ["PPID_INSTANCE_PATH"] = tmp
    app = create_app(bench_config(url))
    with app.app_context():
        from bench.seed_load import seed_load
        from ppid_desk.monev.metrics import monev_metrics
        try:
            from ppid_desk.monev.statements import statements_clear
        except ImportError:  # a tree from before the statements were kept (to compare with it)
            def statements_clear() -> None:
                pass
        from ppid_desk.monev.tallies import tallies_ensure, tallies_forget, tally_mark_dirty
        from ppid_desk.requests.models import InformationRequest
        from ppid_desk.workcalendar.selectors import body_today

        seeded = None
        upgrade()  # a kept database gets the migrations made since it was seeded (e.g. new indexes)
        if not keep:
            started = time.perf_counter()
            seed_load(requests=requests, years=years, seed=1, events=False)
            db.session.commit()
            seeded = time.perf_counter() - started
        if db.engine.dialect.name == "postgresql":
            # A PostgreSQL database in service has planner statistics and a visibility map (for
            # index-only scans) from autovacuum; a fresh bulk load has neither until it runs.
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.exec_driver_sql("VACUUM ANALYZE")
        total = db.session.scalar(select(func.count()).select_from(InformationRequest))
        today = body_today()
        # The last full calendar year; a log of one year is measured over its own 365 days.
        if years >= 2:
            start, end = date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)
        else:
            start, end = today - timedelta(days=364), today
        period = f"{start:%Y}" if start.year == end.year else f"{start} to {end}"
        in_year = db.session.scalar(select(func.count()).select_from(InformationRequest)
                                    .where(InformationRequest.receipt_date.between(start, end)))
        unit = db.session.execute(text("SELECT code FROM unit ORDER BY id LIMIT 1")).scalar()
        took = f"seeded in {seeded:.0f} s" if seeded is not None else "reused"
        log(f"\n== {label}: {total:,} requests ({took}); {in_year:,} registered in {period}")
        tallies_ensure(start, end)  # what the sweep keeps fresh
        db.session.commit()

        def body() -> None:
            monev_metrics(start=start, end=end, unit_code=None, today=today)

        def one_unit() -> None:
            monev_metrics(start=start, end=end, unit_code=unit, today=today)

        def cold() -> None:  # caches empty: no tallies (after seed-load or an import), no statements built
            tallies_forget(start, end)
            statements_clear()
            body()  # the caller rolls back: the tallies stay as the sweep left them

        def one_day_changed() -> None:  # the steady state: a request of 1 March changed
            tally_mark_dirty(date(start.year, 3, 1))
            body()

        def all_live() -> None:  # the same numbers without the tallies
            app.config["MONEV_TALLIES"] = False
            try:
                body()
            finally:
                app.config["MONEV_TALLIES"] = True

        client = supervisor_client(app)
        page = f"/meja/monev?periode=tahun&tahun={start.year}"

        def dashboard() -> None:
            response = client.get(page)
            if response.status_code != 200:
                raise SystemExit(f"GET {page}: {response.status_code}")

        rows = [
            (BASELINE, lambda: db.session.execute(text(BASELINE)).scalar()),
            ("metric set, whole body", body),
            (f"metric set, one unit ({unit})", one_unit),
            ("metric set, cold (no tallies, no statements built)", cold),
            ("metric set, one day changed (read live)", one_day_changed),
            ("metric set, all live (MONEV_TALLIES off)", all_live),
        ]
        if years >= 2:  # the dashboard's periods are calendar years
            rows.append(("GET /meja/monev, whole body", dashboard))
        samples = timed_rounds(rows, repeat)
        baseline = statistics.median(samples[BASELINE])
        out = []
        log(f"  {'':<52} {'median':>10} {'min':>10} {'× count(*)':>11}")
        for name, _fn in rows:
            median = statistics.median(samples[name])
            log(f"  {name:<52} {median:8.1f} ms {min(samples[name]):7.1f} ms {median / baseline:10.1f}×")
            if name != BASELINE:
                out.append({"figure": f"monev {label}, {in_year:,} requests in {period}: {name}",
                            "value": round(median, 2), "unit": "ms", "baseline": round(baseline, 2),
                            "ratio": round(median / baseline, 3)})
        if show_profile:
            for name, fn in rows:
                log(f"  {name}")
                profile(fn)
                db.session.rollback()
        db.session.remove()
        db.engine.dispose()  # no connection left open on a throwaway database
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1_000_000, help="requests to seed (default 1,000,000)")
    parser.add_argument("--years", type=int, default=3,
                        help="spread them over this many years (default 3: the last full year is measured; "
                             "1: all of them in the year measured, the last 365 days)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--keep", metavar="PATH", type=Path,
                        help="SQLite file to reuse: seeded on the first run, reused (migrated, not reseeded) afterwards")
    parser.add_argument("--profile", action="store_true", help="print each SQL statement's time (one extra run)")
    parser.add_argument("--json", action="store_true",
                        help='print only one JSON object {"rows": [{"figure", "value", "unit", "baseline", '
                             '"ratio"}]} on stdout (the rest goes to stderr)')
    args = parser.parse_args()
    rows: list[dict] = []
    # With --json, stdout carries the JSON object alone: everything else (the table, migrations,
    # the seed's progress) is written to stderr.
    with contextlib.redirect_stdout(sys.stderr) if args.json else contextlib.nullcontext():
        if not args.no_sqlite:
            if args.keep:
                path = args.keep.resolve()
                reuse = path.exists()
            else:
                path, reuse = Path(tempfile.mkdtemp(prefix="ppid-bench-db-")) / "monev.sqlite3", False
            rows += run(f"sqlite:///{path}", "sqlite", args.requests, args.repeat, years=args.years, keep=reuse,
                        show_profile=args.profile)
        if os.environ.get("DATABASE_URL"):
            with scratch_postgresql(os.environ["DATABASE_URL"]) as url:
                rows += run(url, "postgresql", args.requests, args.repeat, years=args.years,
                            show_profile=args.profile)
    if args.json:
        print(json.dumps({"rows": rows}))


if __name__ == "__main__":
    main()
