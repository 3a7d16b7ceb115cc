"""Benchmark of the public catalogue's full-text search (issue 15 item 10).

Seeds a throwaway database with N published catalogue items (default 20,000) and the text of
their documents (about 400 words each, drawn from an Indonesian government vocabulary with a
Zipf-like frequency, so some words are in most items and others in a handful), then times, next
to a bare ``SELECT count(*)`` over the same table in the same run:

* the search query alone (``dip.selectors.catalogue``: matches, ranking, counts per category,
  one page of 20, highlights);
* the whole anonymous page ``GET /informasi?q=…`` through the Flask test client;
* the request form's suggestions ``GET /informasi/saran?rincian=…`` (any-word search).

Each for a common word, a rare word, two words, a prefix, and a word found nowhere; p50 and p95
over ``--repeat`` runs after one warm-up.

    .venv/bin/python bench/dip_search.py                       # SQLite (FTS5)
    DATABASE_URL=postgresql://ppid_test:ppid_test@127.0.0.1:5432/postgres .venv/bin/python bench/dip_search.py
                                                               # … then PostgreSQL as well
    .venv/bin/python bench/dip_search.py --items 2000 --repeat 11

The documents are not stored as files: what is timed is the search, and a document's text enters
the index once, at publication (``dip.services._index``), as the seeded text does here.

Not a test: it asserts nothing and prints the figures.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import insert, text  # noqa: E402

from bench.common import bench_config, scratch_postgresql  # noqa: E402
from ppid_desk import create_app  # noqa: E402
from ppid_desk.extensions import db  # noqa: E402

STEMS = ["anggar", "belanja", "pendapat", "daerah", "laporan", "realisasi", "program", "kegiat", "sekolah", "puskesmas", "jalan", "jembatan", "drainase", "bantuan", "sosial", "hibah", "pegawai", "aset", "tanah", "bangunan", "kendaraan", "pengadaan", "barang", "jasa", "kontrak", "penyedia", "tender", "lelang", "perencanaan", "pembangunan", "desa", "kelurahan", "kecamatan", "dinas", "badan", "kantor", "bagian", "bidang", "seksi", "rencana", "strategis", "kerja", "tahunan", "kinerja", "akuntabilitas", "keuangan", "audit", "pemeriksaan", "standar", "pelayanan", "maklumat", "pengaduan", "masyarakat", "informasi", "publik", "data", "statistik", "penduduk", "kesehatan", "pendidikan", "perhubungan", "lingkungan", "hidup", "sampah", "air", "bersih", "sanitasi", "pertanian", "perikanan", "peternakan", "koperasi", "usaha", "mikro", "pasar", "perdagangan", "industri", "pariwisata", "kebudayaan", "olahraga", "pemuda", "perempuan", "anak", "keluarga", "berencana", "bencana", "kebakaran", "ketertiban", "perizinan", "investasi", "pajak", "retribusi", "tarif"]
AFFIXES = ("", "", "", "an", "kan", "nya", "me", "pe", "di", "ber")
RARE = [f"kode{n:05d}" for n in range(5000)]  # words found in few items


def word(rng: random.Random) -> str:
    stem = STEMS[min(int(rng.paretovariate(1.0)) - 1, len(STEMS) - 1)] if rng.random() < 0.6 \
        else rng.choice(STEMS)
    affix = rng.choice(AFFIXES)
    return (affix + stem) if affix in ("me", "pe", "di", "ber") else stem + affix


def seed(items: int) -> None:
    from ppid_desk.dip.models import InformationItem, SearchText
    from ppid_desk.organisation.models import Unit

    rng = random.Random(1)
    units = []
    for n in range(12):
        unit = Unit(code=f"U{n:02d}", name=f"Dinas Bench {n}", kind="pembantu")
        db.session.add(unit)
        units.append(unit)
    db.session.flush()
    categories = ("berkala", "serta_merta", "setiap_saat")
    chunk = 2000
    for start in range(0, items, chunk):
        rows, texts = [], []
        for number in range(start + 1, min(items, start + chunk) + 1):
            title = " ".join(word(rng) for _ in range(6)).capitalize() + f" {2020 + number % 7}"
            summary = " ".join(word(rng) for _ in range(30))
            body = " ".join(word(rng) if rng.random() < 0.995 else rng.choice(RARE) for _ in range(400))
            rows.append({"id": number, "title": title[:300], "summary": summary, "category": categories[number % 3],
                         "unit_id": units[number % 12].id, "official": "Kepala Dinas", "made_when": "2025",
                         "made_where": "Kantor", "format": "softcopy", "retention": "5 tahun", "status": "published",
                         "published_on": date(2025, 1, 1), "reviewed_on": date(2025, 1, 1), "version": 1})
            texts.append({"item_id": number, "title": title[:300], "summary": summary, "body": body})
        db.session.execute(insert(InformationItem), rows)
        db.session.execute(insert(SearchText), texts)
        db.session.commit()


def percentiles(fn, repeat: int) -> tuple[float, float]:
    fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(round(0.95 * (len(samples) - 1))))]


def run(url: str, label: str, items: int, repeat: int) -> None:
    os.environ["PPID_INSTANCE_PATH"] = tempfile.mkdtemp(prefix="ppid-bench-dip-")
    app = create_app(bench_config(url))
    with app.app_context():
        from ppid_desk.dip.selectors import catalogue, suggestions

        started = time.perf_counter()
        upgrade()
        seed(items)
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.exec_driver_sql("VACUUM ANALYZE")
        print(f"\n== {label}: {items:,} published items, ~400 words of document text each "
              f"(seeded and indexed in {time.perf_counter() - started:.0f} s)")
        client = app.test_client()
        queries = [("common word", "anggaran"), ("rare word", "kode00042"), ("two words", "laporan keuangan"),
                   ("prefix", "jemb"), ("found nowhere", "zebrakuda")]
        print(f"  {'':<48} {'p50':>9} {'p95':>9}   ratio p50 to count(*)")
        base, base95 = percentiles(lambda: db.session.execute(text("SELECT count(*) FROM dip_search_text")).scalar(),
                                   repeat)
        db.session.rollback()
        print(f"  {'SELECT count(*) FROM dip_search_text':<48} {base:7.2f}ms {base95:7.2f}ms")

        def show(name: str, fn) -> None:
            p50, p95 = percentiles(fn, repeat)
            db.session.rollback()
            print(f"  {name:<48} {p50:7.2f}ms {p95:7.2f}ms   {p50 / base:6.1f}×")

        for name, query in queries:
            result = catalogue(query=query)
            db.session.rollback()
            show(f"catalogue() {name} «{query}» ({result.total:,} hits)", lambda q=query: catalogue(query=q))
        for name, query in queries[:3]:
            def page(q=query) -> None:
                response = client.get("/informasi", query_string={"q": q})
                assert response.status_code == 200
            show(f"GET /informasi?q= {name}", page)
        sentence = "Mohon data realisasi belanja hibah bantuan sosial untuk yayasan tahun 2025"
        show(f"suggestions() ({len(suggestions(sentence))} shown)", lambda: suggestions(sentence))
        db.session.remove()
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=31)
    parser.add_argument("--no-sqlite", action="store_true")
    args = parser.parse_args()
    if not args.no_sqlite:
        path = Path(tempfile.mkdtemp(prefix="ppid-bench-db-")) / "dip.sqlite3"
        run(f"sqlite:///{path}", "sqlite", args.items, args.repeat)
    if os.environ.get("DATABASE_URL"):
        with scratch_postgresql(os.environ["DATABASE_URL"]) as url:
            run(url, "postgresql", args.items, args.repeat)


if __name__ == "__main__":
    main()
