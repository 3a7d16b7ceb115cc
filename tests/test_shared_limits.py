"""Limits and lock-outs are shared by all workers (issue "Close what an attacker found", item 4).

The real app runs under gunicorn with two worker processes; the access log names the process
that answered each request, so the tests check that both workers answered. Login lock-outs are
counted in the database, whatever the rate-limit storage (here the per-process ``memory://``);
rate limits hold across both workers when their storage is a Redis both use. The Redis is a
private redis-server this module starts on a free port (Debian's package; `make test` installs it).
"""

from __future__ import annotations

import logging
import re
import secrets
import shutil
import subprocess
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import redis
import requests
from sqlalchemy import select

from ppid_desk import create_app
from ppid_desk.audit.models import Event
from ppid_desk.extensions import db, limiter
from ppid_desk.notifications.models import OutboxMessage
from tests.helpers import (
    TOKEN_RE,
    app_tracebacks,
    free_port,
    start_server,
    stop_server,
    wait_until_up,
)

PASSWORD = "rahasia-panjang-1"
WRONG = "tebak-tebakan-salah"
LOG_LINE = re.compile(r"<(\d+)> (\w+) (\S+) (\d{3})")


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory) -> str:
    """A private Redis on a free port, stopped after the module."""
    server = shutil.which("redis-server")
    if server is None:
        pytest.fail("redis-server is not installed, and these tests need a real Redis shared by two "
                    "workers: run `make redis` (apt-get install redis-server) or `make test`.", pytrace=False)
    port = free_port()
    folder = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen([server, "--bind", "127.0.0.1", "--port", str(port), "--dir", str(folder),
                                "--save", "", "--appendonly", "no"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    client = redis.Redis(host="127.0.0.1", port=port)
    deadline = time.monotonic() + 20
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"redis-server did not start: {process.stderr.read().decode()}", pytrace=False)
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    client.close()
    process.terminate()
    process.wait(timeout=10)


class TwoWorkers:
    """gunicorn with two sync worker processes (one request at a time each), logging the pid
    of the worker that answered every request."""

    def __init__(self, app, folder: Path, **env: str) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.access_log = folder / "access.log"
        self.process = start_server(
            app, self.port, folder, threads=1, workers=2,
            PPID_SECRET_KEY=secrets.token_hex(32), PPID_RATELIMIT_ENABLED="true",
            GUNICORN_CMD_ARGS=f"--access-logfile {self.access_log} --access-logformat '%(p)s %(m)s %(U)s %(s)s'",
            **env)

    def start(self) -> None:
        wait_until_up(self.port, self.process)
        # The second worker loads the app a moment after the first: wait until both answer.
        deadline = time.monotonic() + 60
        with ThreadPoolExecutor(max_workers=4) as pool:
            while len(self.pids("GET", "/healthz")) < 2:
                assert time.monotonic() < deadline, "the second worker never answered"
                list(pool.map(lambda _: requests.get(f"{self.base}/healthz", timeout=10), range(4)))

    def stop(self) -> str:
        stop_server(self.process)
        return self.process.stderr.read().decode()

    def answers(self) -> list[tuple[str, str, str, int]]:
        text = self.access_log.read_text() if self.access_log.exists() else ""
        return [(pid, method, path, int(status)) for pid, method, path, status in LOG_LINE.findall(text)]

    def pids(self, method: str, path: str, status: int | None = None) -> set[str]:
        return {pid for pid, m, p, s in self.answers() if (m, p) == (method, path) and status in (None, s)}


@pytest.fixture
def two_workers(app, tmp_path):
    servers: list[TwoWorkers] = []

    def _start(**env: str) -> TwoWorkers:
        server = TwoWorkers(app, tmp_path, **env)
        servers.append(server)
        server.start()
        return server

    yield _start
    for server in servers:
        log = server.stop()
        assert app_tracebacks(log) == [], log[-4000:]
    db.session.remove()


class Browser:
    """One visitor: a session with the login form's CSRF token."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.session = requests.Session()
        page = self.session.get(f"{base}/masuk", timeout=30).text
        self.token = next(g for g in TOKEN_RE.search(page).groups() if g)

    def login(self, email: str, password: str) -> int:
        response = self.session.post(f"{self.base}/masuk", timeout=60, allow_redirects=False, data={
            "csrf_token": self.token, "email": email, "password": password})
        return response.status_code


def in_pairs(browsers: list[Browser], attempts: list[tuple[str, str]]) -> list[int]:
    """Send the attempts two at a time, at once: two sync workers each take one."""
    statuses: list[int] = []
    with ThreadPoolExecutor(max_workers=2) as pool:
        for i in range(0, len(attempts), 2):
            pair = attempts[i:i + 2]
            statuses += pool.map(lambda job: job[0].login(*job[1]), zip(browsers, pair, strict=False))
    return statuses


@pytest.mark.concurrency
def test_the_sixth_wrong_password_is_refused_whichever_worker_answers(app, make_user, monkeypatch,
                                                                      two_workers, mailbox):
    monkeypatch.setitem(app.config, "PASSWORD_HASH_METHOD", "scrypt")  # as slow as in production
    user_id = make_user().id
    # Rate limits in per-process memory: the lock-out must not depend on them.
    server = two_workers(PPID_RATELIMIT_STORAGE_URI="memory://", PPID_LOGIN_RATE_LIMIT="1000 per minute")
    browsers = [Browser(server.base), Browser(server.base)]

    wrong = in_pairs(browsers, [("warga@example.id", WRONG)] * 6)
    assert wrong[:4] == [422] * 4 and wrong[4:] == [429, 429]  # the fifth failure locks
    right = in_pairs(browsers, [("warga@example.id", PASSWORD)] * 16)
    assert right == [429] * 16  # locked, even with the right password, on either worker

    assert len(server.pids("POST", "/masuk", 422)) == 2  # both workers counted failures
    assert len(server.pids("POST", "/masuk", 429)) == 2  # both refused the locked account
    # One lock-out, one event and one e-mail to the owner, however many workers saw it.
    db.session.remove()
    kinds = db.session.scalars(select(Event.kind).where(Event.subject_type == "user",
                                                        Event.subject_id == user_id)).all()
    assert kinds.count("login_locked") == 1
    locked_mail = select(OutboxMessage).where(OutboxMessage.recipient == "warga@example.id")
    assert len(db.session.scalars(locked_mail).all()) == 1


@pytest.mark.concurrency
def test_a_rate_limit_holds_across_both_workers_with_redis(app, two_workers, redis_url):
    server = two_workers(PPID_RATELIMIT_STORAGE_URI=redis_url, PPID_LOGIN_RATE_LIMIT="4 per hour")
    browsers = [Browser(server.base), Browser(server.base)]
    # Unknown addresses, one try each: no lock-out, only the login limit (refused tries count).
    statuses = in_pairs(browsers, [(f"orang{n}@example.id", WRONG) for n in range(12)])
    assert Counter(statuses) == {422: 4, 429: 8}, statuses
    assert len(server.pids("POST", "/masuk", 422)) == 2  # each worker let some through
    assert len(server.pids("POST", "/masuk", 429)) == 2  # and each refused once the four were spent


def test_memory_storage_outside_development_warns_at_start_up(app, caplog, redis_url):
    secret = secrets.token_hex(32)
    base = {"SECRET_KEY": secret, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "RATELIMIT_ENABLED": True}
    try:
        with caplog.at_level(logging.WARNING):
            caplog.clear()
            create_app({**base, "TESTING": False, "RATELIMIT_STORAGE_URI": "memory://"})
            assert "Rate limits are per process" in caplog.text
            caplog.clear()
            create_app({**base, "TESTING": False, "RATELIMIT_STORAGE_URI": redis_url})
            create_app({**base, "TESTING": True, "RATELIMIT_STORAGE_URI": "memory://"})
            assert "Rate limits are per process" not in caplog.text
    finally:
        limiter.init_app(app)  # back to the suite's own storage
