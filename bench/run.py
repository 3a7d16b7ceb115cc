"""Benchmarks for the intake path (not tests; run with `make bench`).

Measures, on a throwaway SQLite database (or DATABASE_URL):
- working-day arithmetic: 10-WD due dates and explanations per second;
- registering a request through the real form POST (validation, upload, number, event, outbox);
- rendering the receipt page.
Prints medians and p90 in milliseconds.
"""

from __future__ import annotations

import io
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

from cryptography.fernet import Fernet  # noqa: E402
from flask_migrate import upgrade  # noqa: E402

from ppid_desk import create_app  # noqa: E402
from ppid_desk.extensions import db, limiter  # noqa: E402
from tests.conftest import png_bytes, request_form  # noqa: E402


def timed(fn, repeat: int) -> list[float]:
    samples = []
    for i in range(repeat):
        start = time.perf_counter()
        fn(i)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def report(name: str, samples: list[float]) -> None:
    samples = sorted(samples)
    p90 = samples[int(len(samples) * 0.9) - 1]
    print(f"{name:<38} n={len(samples):<5} median {statistics.median(samples):7.2f} ms   p90 {p90:7.2f} ms")


def main() -> None:
    tmp = tempfile.mkdtemp(prefix="ppid-bench-")
    os.environ["PPID_INSTANCE_PATH"] = tmp
    app = create_app({"WTF_CSRF_ENABLED": False, "MAIL_SEND_AFTER_COMMIT": False,
                      "SECRET_KEY": secrets.token_urlsafe(48), "DATA_KEY": Fernet.generate_key().decode(), "UPLOAD_FOLDER": f"{tmp}/uploads"})
    with app.app_context():
        upgrade()
        limiter.enabled = False
        from ppid_desk.workcalendar.services import deadline_calendar

        calendar = deadline_calendar()
        calendar.add_working_days(date(2026, 1, 1), 10)  # import the year once (a write path)
        db.session.commit()
        start = date(2026, 1, 1)
        report("due date, 10 WD (warm calendar)",
               timed(lambda i: calendar.add_working_days(start + timedelta(days=i % 300), 10), 3000))
        report("explanation, 10 WD",
               timed(lambda i: calendar.explain(start + timedelta(days=i % 300), 10), 3000))

    client = app.test_client()
    client.get("/permohonan/baru")
    locations: list[str] = []

    def submit(i: int) -> None:
        data = request_form(identity_document=(io.BytesIO(png_bytes()), f"ktp{i}.png"))
        response = client.post("/permohonan/baru", data=data, content_type="multipart/form-data")
        assert response.status_code == 303, response.status_code
        locations.append(response.headers["Location"])

    report("file a request (form POST, 1 upload)", timed(submit, 200))
    report("receipt page", timed(lambda i: client.get(locations[i % len(locations)]), 200))
    report("request form page (GET)", timed(lambda i: client.get("/permohonan/baru"), 200))


if __name__ == "__main__":
    main()
