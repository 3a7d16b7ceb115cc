"""Benchmark of the anonymous aggregate pages (issue "Close what an attacker found", item 12).

Seeds a throwaway database (the demo data of ``flask ppid seed-demo``, or ``--requests N`` rows
of ``bench/seed_load.py``), publishes last year's annual report, then times whole anonymous
HTTP requests through the Flask test client, next to a bare ``SELECT count(*)`` in the same run:

* ``GET /statistik`` uncached (the process cache emptied before each run: what every request
  cost before the cache, and what the first request after a change still costs per worker);
* ``GET /statistik`` cached, as HTML and as JSON; the published annual report cached;
* the home page (no database) as the floor of a rendered page.

    .venv/bin/python bench/public_pages.py                        # demo data, SQLite
    .venv/bin/python bench/public_pages.py --requests 100000      # seed-load (a minute or two)
    DATABASE_URL=postgresql://ppid_test:ppid_test@127.0.0.1:5432/postgres .venv/bin/python bench/public_pages.py

Not a test: it asserts nothing and prints medians.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import func, select, text  # noqa: E402

from bench.common import bench_config, scratch_postgresql  # noqa: E402
from ppid_desk import create_app  # noqa: E402
from ppid_desk.extensions import db  # noqa: E402


def timed(fn, repeat: int) -> tuple[float, float]:
    fn()  # warm-up (fills the figures cache and Jinja's template cache)
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), min(samples)


def run(url: str, label: str, requests: int, repeat: int) -> None:
    tmp = tempfile.mkdtemp(prefix="ppid-bench-public-")
    os.environ["PPID_INSTANCE_PATH"] = tmp
    app = create_app(bench_config(url))
    with app.app_context():
        from ppid_desk.monev.models import AnnualReport
        from ppid_desk.monev.public_cache import cache_clear
        from ppid_desk.requests.models import InformationRequest
        from ppid_desk.workcalendar.selectors import body_today

        started = time.perf_counter()
        upgrade()
        if requests:
            from bench.seed_load import seed_load

            seed_load(requests=requests, years=3, seed=1)
        else:
            from ppid_desk.demo import demo_seed

            demo_seed()
        year = body_today().year - 1
        db.session.merge(AnnualReport(year=year, published=True, policy="Kebijakan.", facilities="Sarana.",
                                      obstacles="Kendala.", recommendations="Rekomendasi."))
        db.session.commit()
        seeded = time.perf_counter() - started
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.exec_driver_sql("VACUUM ANALYZE")
        total = db.session.scalar(select(func.count()).select_from(InformationRequest))
        db.session.commit()
        print(f"\n== {label}: {total:,} requests ({'seed-load' if requests else 'demo data'}, {seeded:.0f} s)")
        client = app.test_client()

        def get(path: str):
            def fn() -> None:
                response = client.get(path)
                if response.status_code != 200:
                    raise SystemExit(f"GET {path}: {response.status_code}")
            return fn

        def uncached() -> None:
            cache_clear()
            get("/statistik")()

        rows = [
            ("SELECT count(*) FROM information_request",
             lambda: db.session.execute(text("SELECT count(*) FROM information_request")).scalar()),
            ("GET /statistik, uncached", uncached),
            ("GET /statistik, cached", get("/statistik")),
            ("GET /statistik?format=json, cached", get("/statistik?format=json")),
            (f"GET /laporan-tahunan/{year}, cached", get(f"/laporan-tahunan/{year}")),
            ("GET / (home, no database)", get("/")),
        ]
        for name, fn in rows:
            median, best = timed(fn, repeat)
            db.session.rollback()
            print(f"  {name:<42} median {median:8.1f} ms   min {best:8.1f} ms")
        db.session.remove()
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=0, help="seed-load this many requests (0: the demo data)")
    parser.add_argument("--repeat", type=int, default=21)
    parser.add_argument("--no-sqlite", action="store_true")
    args = parser.parse_args()
    if not args.no_sqlite:
        path = Path(tempfile.mkdtemp(prefix="ppid-bench-db-")) / "public.sqlite3"
        run(f"sqlite:///{path}", "sqlite", args.requests, args.repeat)
    if os.environ.get("DATABASE_URL"):
        with scratch_postgresql(os.environ["DATABASE_URL"]) as url:
            run(url, "postgresql", args.requests, args.repeat)


if __name__ == "__main__":
    main()
