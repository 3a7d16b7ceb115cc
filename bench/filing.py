"""Where a filing's time goes, in process (issue 17, item 1): the filing POST beside the bare
INSERT of ``bench/bare_app.py`` and beside the filing's own floor, in CPU time.

Both apps are called as WSGI applications directly (no server, no network) with the body
``make bench`` sends (``bench/run.py``: the form with a KTP image and a CSRF token), in interleaved
rounds. The rows:

* the bare app's ``POST /insert`` (parse the multipart body, one INSERT, a commit): the baseline;
* **the floor**: a route on the same PPID Desk app that does what a filing does before the
  database (CSRF check, the form's validation, the upload's check and encryption) and answers
  303 — what a filing costs before its first statement;
* the filing, how many statements and flushes one takes, and how much of its CPU time is spent in
  the database layer (SQLAlchemy and SQLite, the commit included): the rest is what a filing
  would cost if its SQL were free.

    .venv/bin/python bench/filing.py                  # SQLite, demo data
    .venv/bin/python bench/filing.py --rounds 7

Not a test: it asserts nothing and prints medians (CPU time per request, and its ratio to the
bare INSERT's in the same round). ``make bench``'s wrk figures include gunicorn, which the bare
app pays proportionally more of: its ratios come out higher than these.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask import redirect  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import event  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402
from werkzeug.test import EnvironBuilder  # noqa: E402

from bench.common import bench_config  # noqa: E402
from bench.run import FORM, csrf_token, filing_fields, multipart  # noqa: E402


def png() -> bytes:
    from tests.helpers import png_bytes

    return png_bytes()


def caller(application, path: str, body: bytes, content_type: str, cookie: str = ""):
    environ = EnvironBuilder(path=path, method="POST", content_type=content_type, data=body,
                             headers={"Cookie": cookie} if cookie else {}).get_environ()

    def call() -> None:
        fresh = dict(environ)
        fresh["wsgi.input"] = io.BytesIO(body)
        status: list[str] = []
        answer = application(fresh, lambda line, _headers, _exc=None: status.append(line))
        b"".join(answer)
        if hasattr(answer, "close"):
            answer.close()
        if not status[0].startswith("303"):
            raise SystemExit(f"POST {path}: {status[0]}")
    return call


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--filings", type=int, default=100, help="filings per round (the others: 3× as many)")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="ppid-bench-filing-"))
    os.environ["PPID_INSTANCE_PATH"] = str(tmp)
    os.environ["BARE_DATABASE"] = str(tmp / "bare.sqlite3")
    from bench.bare_app import create_app as bare_app
    from bench.bare_app import prepare
    from ppid_desk import create_app
    from ppid_desk.attachments.services import check_upload
    from ppid_desk.demo import demo_seed
    from ppid_desk.extensions import db
    from ppid_desk.privacy import encrypt_bytes
    from ppid_desk.requests.forms import RequestForm
    from ppid_desk.workcalendar.services import calendar_years_ensure

    prepare(os.environ["BARE_DATABASE"])
    bare = bare_app()
    app = create_app(bench_config(f"sqlite:///{tmp / 'ppid.sqlite3'}", WTF_CSRF_ENABLED=True))

    def floor():  # the filing up to its first statement
        form = RequestForm()
        form.validate()
        content, _mime = check_upload("identity_document", form.identity_document.data, "identity_document")
        encrypt_bytes(content)
        return redirect(FORM, code=303)

    app.add_url_rule("/bench/floor", "bench_floor", floor, methods=["POST"])
    with app.app_context():
        upgrade()
        year = time.gmtime().tm_year
        calendar_years_ensure(year - 1, year, year + 1)
        demo_seed()
        db.session.commit()

    citizen = app.test_client()
    token = csrf_token(citizen.get(FORM).get_data(as_text=True))
    cookie = "; ".join(f"{c.key}={c.value}" for c in citizen._cookies.values())
    body, content_type = multipart(filing_fields(token), png())
    rows = {
        "bare: INSERT + commit (same multipart POST)": caller(bare.wsgi_app, "/insert", body, content_type),
        "floor: CSRF, form, upload checked and encrypted": caller(app, "/bench/floor", body, content_type, cookie),
        "filing a request": caller(app, FORM, body, content_type, cookie),
    }
    for call in rows.values():
        for _ in range(20):
            call()

    statements: list[str] = []
    flushes: list[int] = []

    def statement(_conn, _cursor, text: str, *_args) -> None:
        statements.append(text)

    def flush(*_args) -> None:
        flushes.append(1)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", statement)
    event.listen(Session, "before_flush", flush)
    rows["filing a request"]()
    event.remove(engine, "before_cursor_execute", statement)
    event.remove(Session, "before_flush", flush)

    samples: dict[str, list[float]] = {name: [] for name in rows}
    for _ in range(args.rounds):
        for name, call in rows.items():
            n = args.filings if name == "filing a request" else 3 * args.filings
            started = time.process_time()
            for _ in range(n):
                call()
            samples[name].append((time.process_time() - started) / n * 1000)
    base = "bare: INSERT + commit (same multipart POST)"
    print(f"\n== in process, SQLite, demo data; {args.rounds} rounds; CPU time per request "
          f"(load average {os.getloadavg()[0]:.1f})")
    print(f"  {'':<50} {'median':>9} {'× bare':>8}")
    for name in rows:
        ratios = [b / x for b, x in zip(samples[base], samples[name], strict=True)]
        print(f"  {name:<50} {statistics.median(samples[name]):6.2f} ms {statistics.median(ratios):8.3f}")
    print(f"  one filing: {len(statements)} statements, {len(flushes)} flushes")
    in_database = database_share(rows["filing a request"], args.filings)
    filing = statistics.median(samples["filing a request"])
    bare = statistics.median(samples[base])
    print(f"  of a filing, in the database layer (SQLAlchemy and SQLite, the commit included): {in_database:.2f} ms;\n"
          f"  the rest, {filing - in_database:.2f} ms, is what a filing would cost if its SQL were free "
          f"(× bare {bare / (filing - in_database):.3f})")


def database_share(call, n: int) -> float:
    """CPU milliseconds per filing spent inside the session's and connections' execute, flush and
    commit (outermost calls only), measured by wrapping those methods for ``n`` filings."""
    from sqlalchemy.engine import Connection

    spent = [0.0]
    depth = [0]
    originals = {}

    def timed(owner, name):
        original = getattr(owner, name)
        originals[(owner, name)] = original

        def wrapper(*args, **kwargs):
            if depth[0]:
                return original(*args, **kwargs)
            depth[0] += 1
            started = time.process_time()
            try:
                return original(*args, **kwargs)
            finally:
                spent[0] += time.process_time() - started
                depth[0] -= 1
        setattr(owner, name, wrapper)

    for name in ("execute", "scalar", "scalars", "flush", "commit", "get"):
        timed(Session, name)
    timed(Connection, "execute")
    try:
        for _ in range(n):
            call()
    finally:
        for (owner, name), original in originals.items():
            setattr(owner, name, original)
    return spent[0] / n * 1000


if __name__ == "__main__":
    main()
