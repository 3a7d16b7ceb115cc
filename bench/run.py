"""`make bench`: every figure of issue 17 in one table, each beside a baseline measured in the
same run (not a test: nothing is asserted; it prints).

What it does (about 5 minutes, plus the monev bench):

1. makes a throwaway instance (temporary folder, SQLite in WAL with the app's settings, the
   demo data of ``flask ppid seed-demo``, rate limits off, a throwaway data key);
2. serves PPID Desk and the bare Flask baseline app (``bench/bare_app.py``) each with
   ``gunicorn --workers 2`` (sync workers) on loopback, side by side, and PPID Desk a second
   time on the same database with its page cache off (``PPID_PAGE_CACHE_SECONDS=0``): the
   pages rendered every time, as after each write;
3. sends 1,000 mixed requests to each (citizens' pages and filings, officers' queue and request
   pages; the baseline's SELECT page and INSERT) and reads the workers' resident memory (RSS);
4. measures the first visit to the request form on the wire (the page and every asset it loads,
   compressed as a browser asks);
5. runs ``wrk`` (a C load generator; installed with apt-get when missing) in ``--rounds``
   interleaved rounds: in each round every page of PPID Desk, and the baseline endpoints
   between them, ``--duration`` seconds each; a page's ratio is the median over the rounds of
   its requests/s over the baseline's in the same round;
6. runs one pass of the outbox sender over the receipts the filings queued;
7. runs ``bench/monev.py --json`` (its own baselines) and adds its rows.

    .venv/bin/python bench/run.py                       # what `make bench` runs
    .venv/bin/python bench/run.py --rounds 3 --duration 2 --no-monev
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
FORM = "/permohonan/baru"
OFFICER = "ppid.utama@demo.ppid.example"  # flask ppid seed-demo's PPID Utama
BROWSER = {"Accept-Encoding": "gzip, deflate, br, zstd"}
TOKEN_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')
MIXED_REQUESTS = 1000


# --- the instance and the servers ----------------------------------------------------------

def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    print("wrk is not installed: apt-get install wrk …", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    if subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], env=env, capture_output=True).returncode:
        subprocess.run(["apt-get", "update", "-qq"], env=env, check=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], env=env, check=True)
    return shutil.which("wrk") or sys.exit("wrk could not be installed")


def flask_cli(env: dict, *args: str) -> str:
    return subprocess.run([str(BIN / "flask"), "--app", "ppid_desk", *args], env=env, check=True,
                          capture_output=True, text=True, cwd=ROOT).stdout


def start_gunicorn(app: str, port: int, env: dict, log: Path, workers: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", "python:ppid_desk.gunicorn_conf", "--workers", str(workers),
         "--bind", f"127.0.0.1:{port}", "--backlog", "2048", app],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log.open("w"))
    return server


def wait_until_up(url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn exited: {log.read_text()[-2000:]}")
        with contextlib.suppress(requests.RequestException):
            if requests.get(url, timeout=5).status_code == 200:
                return
        time.sleep(0.2)
    sys.exit(f"{url} did not answer within 60 s")


def workers_rss_mb(master_pid: int) -> list[float]:
    """Resident memory of each worker (the master's children), in MB."""
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    sizes = []
    for pid in children:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(int(line.split()[1]) / 1024)
    return sizes


# --- what the clients send ------------------------------------------------------------------

def png_bytes() -> bytes:
    from tests.helpers import png_bytes as png

    return png()


def csrf_token(html: str) -> str:
    match = TOKEN_RE.search(html)
    if not match:
        sys.exit("no csrf_token in the request form")
    return next(g for g in match.groups() if g)


def filing_fields(token: str) -> dict:
    return {"csrf_token": token, "applicant_kind": "perorangan", "name": "Pemohon Bench",
            "nik": "3201011505900001", "address": "Jl. Uji Beban No. 1, RT 01/RW 02, Kelurahan Sukamaju",
            "occupation": "Wiraswasta", "phone": "0812 3456 7890", "email": "warga@bench.example",
            "rincian": "Dokumen pelaksanaan anggaran tahun 2025 untuk uji beban.",
            "tujuan": "Pengawasan penggunaan anggaran.", "access_method": "salinan_softcopy",
            "copy_delivery": "email", "declaration": "y"}


def multipart(fields: dict, upload: bytes) -> tuple[bytes, str]:
    """The body a browser sends for the form with a KTP image, and its Content-Type."""
    boundary = "----ppidbench" + secrets.token_hex(8)
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="identity_document"; '
                 f'filename="ktp.png"\r\nContent-Type: image/png\r\n\r\n'.encode() + upload + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def lua_string(data: bytes) -> str:
    return '"' + "".join(f"\\{b:03d}" if not (32 <= b < 127) or chr(b) in '"\\' else chr(b) for b in data) + '"'


def wrk_script(path: Path, *, method: str = "GET", body: bytes | None = None, headers: dict | None = None) -> Path:
    lines = [f'wrk.method = "{method}"']
    if body is not None:
        lines.append(f"wrk.body = {lua_string(body)}")
    for name, value in (headers or {}).items():
        lines.append(f'wrk.headers["{name}"] = {lua_string(value.encode())}')
    path.write_text("\n".join(lines) + "\n")
    return path


@dataclass
class Target:
    label: str
    url: str
    script: Path
    baseline: str | None = None  # label of the baseline target
    rates: list[float] = field(default_factory=list)
    errors: int = 0


def run_wrk(wrk: str, target: Target, duration: float, connections: int) -> None:
    out = subprocess.run([wrk, "-t", "2", "-c", str(connections), "-d", f"{int(duration)}s", "--timeout", "30s",
                          "-s", str(target.script), target.url], capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    target.rates.append(rate)
    target.errors += int(bad.group(1)) if bad else 0
    if socket_errors:
        target.errors += sum(int(n) for n in re.findall(r"\d+", socket_errors.group(1)))


# --- the run --------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--duration", type=int, default=3, help="seconds of wrk per page and round")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-monev", action="store_true", help="skip bench/monev.py --json")
    parser.add_argument("--monev-timeout", type=float, default=420)
    parser.add_argument("--keep", action="store_true", help="keep the temporary instance folder")
    args = parser.parse_args()

    wrk = ensure_wrk()
    tmp = Path(tempfile.mkdtemp(prefix="ppid-bench-"))
    from cryptography.fernet import Fernet

    env = {**os.environ, "PPID_INSTANCE_PATH": str(tmp), "DATABASE_URL": f"sqlite:///{tmp / 'ppid.sqlite3'}",
           "PPID_SECRET_KEY": secrets.token_hex(32), "PPID_DATA_KEY": Fernet.generate_key().decode(),
           "PPID_RATELIMIT_ENABLED": "false", "PPID_MAIL_SERVER": "127.0.0.1", "PPID_MAIL_PORT": str(free_port()),
           "BARE_DATABASE": str(tmp / "bare.sqlite3")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    print(f"Preparing a throwaway instance in {tmp} (migrate, calendar, demo data) …", flush=True)
    flask_cli(env, "db", "upgrade")
    year = time.gmtime().tm_year
    flask_cli(env, "ppid", "calendar", "import", str(year), str(year + 1))
    flask_cli(env, "ppid", "seed-demo")
    from bench.bare_app import prepare

    prepare(env["BARE_DATABASE"])

    app_port, bare_port = free_port(), free_port()
    app_base, bare_base = f"http://127.0.0.1:{app_port}", f"http://127.0.0.1:{bare_port}"
    env["PPID_PUBLIC_BASE_URL"] = app_base
    sink = SmtpSink(int(env["PPID_MAIL_PORT"]))
    sink.controller.start()
    app_server = start_gunicorn("ppid_desk:create_app()", app_port, env, tmp / "app.log", args.workers)
    bare_server = start_gunicorn("bench.bare_app:create_app()", bare_port, env, tmp / "bare.log", args.workers)
    # The same app on the same database without its page cache: what a page costs when it is
    # rendered (the first view after any write), beside what a kept page costs.
    uncached_port = free_port()
    uncached_base = f"http://127.0.0.1:{uncached_port}"
    uncached_server = start_gunicorn("ppid_desk:create_app()", uncached_port, {**env, "PPID_PAGE_CACHE_SECONDS": "0"},
                                     tmp / "uncached.log", args.workers)
    rows: list[tuple[str, str, str, str]] = []  # figure, value, baseline, ratio
    notes: list[str] = []
    try:
        wait_until_up(f"{app_base}/healthz", app_server, tmp / "app.log")
        wait_until_up(f"{bare_base}/select", bare_server, tmp / "bare.log")
        wait_until_up(f"{uncached_base}/healthz", uncached_server, tmp / "uncached.log")

        # Sessions: a citizen with the form's CSRF token, an officer logged in.
        citizen = requests.Session()
        token = csrf_token(citizen.get(app_base + FORM).text)
        officer = requests.Session()
        login_token = csrf_token(officer.get(app_base + "/masuk").text)
        from ppid_desk.demo import DEMO_PASSWORD

        answer = officer.post(app_base + "/masuk", allow_redirects=False,
                              data={"csrf_token": login_token, "email": OFFICER, "password": DEMO_PASSWORD})
        if answer.status_code != 303:
            sys.exit(f"officer login answered {answer.status_code}")
        officer.get(app_base + "/meja/")  # shows (and so clears) the welcome flashed at login
        upload = png_bytes()
        body, content_type = multipart(filing_fields(token), upload)
        citizen_cookie = "; ".join(f"{c.name}={c.value}" for c in citizen.cookies)
        officer_cookie = "; ".join(f"{c.name}={c.value}" for c in officer.cookies)

        # 1,000 mixed requests to each server, then the workers' memory.
        print(f"{MIXED_REQUESTS} mixed requests to each server …", flush=True)
        request_ids = mixed_load(app_base, bare_base, citizen, officer, body, content_type)
        app_rss, bare_rss = workers_rss_mb(app_server.pid), workers_rss_mb(bare_server.pid)

        weight = first_visit_bytes(app_base)

        scripts = tmp / "wrk"
        scripts.mkdir()
        request_page = f"/meja/permohonan/{request_ids[-1]}"
        # The pages the page cache keeps, served by the app and again by the server without it.
        pages = [("home `/`", "/", "home.lua", None),
                 ("request form `/permohonan/baru`", FORM, "form.lua", citizen_cookie),
                 ("desk queue `/meja/`", "/meja/", "desk.lua", officer_cookie),
                 ("request page `/meja/permohonan/<id>`", request_page, "request.lua", officer_cookie)]

        def page_targets(base: str, suffix: str) -> list[Target]:
            return [Target(f"{label}, {suffix}" if suffix else label, base + path,
                           wrk_script(scripts / lua, headers={"Cookie": cookie} if cookie else None),
                           "bare: SELECT + Jinja page")
                    for label, path, lua, cookie in pages]

        targets = [
            Target("bare: SELECT + Jinja page", bare_base + "/select", wrk_script(scripts / "select.lua")),
            Target("`/healthz`", app_base + "/healthz", wrk_script(scripts / "healthz.lua"), "bare: SELECT + Jinja page"),
            *page_targets(app_base, ""),
            Target("public statistics `/statistik`", app_base + "/statistik", wrk_script(scripts / "stats.lua"),
                   "bare: SELECT + Jinja page"),
            *page_targets(uncached_base, "rendered every time (page cache off)"),
            Target("bare: INSERT + commit (same multipart POST)", bare_base + "/insert",
                   wrk_script(scripts / "insert.lua", method="POST", body=body,
                              headers={"Content-Type": content_type})),
            Target("**filing a request** (POST with upload)", app_base + FORM,
                   wrk_script(scripts / "filing.lua", method="POST", body=body,
                              headers={"Content-Type": content_type, "Cookie": citizen_cookie}),
                   "bare: INSERT + commit (same multipart POST)"),
        ]
        by_label = {t.label: t for t in targets}
        for t in targets:  # warm-up
            run_wrk(wrk, t, 1, args.connections)
            t.rates.clear()
            t.errors = 0
        print(f"wrk: {args.rounds} interleaved rounds, {args.duration:g} s per page, {args.connections} "
              f"connections, gunicorn --workers {args.workers} (sync) …", flush=True)
        for n in range(args.rounds):
            for t in targets:
                run_wrk(wrk, t, args.duration, args.connections)
            print(f"  round {n + 1}/{args.rounds} done (load average {os.getloadavg()[0]:.1f})", flush=True)
        for t in targets:
            median = statistics.median(t.rates)
            if t.baseline is None:
                rows.append((t.label, f"{median:,.0f} req/s", "", ""))
                continue
            base = by_label[t.baseline]
            ratios = [mine / theirs for mine, theirs in zip(t.rates, base.rates, strict=True)]
            rows.append((t.label, f"{median:,.0f} req/s", f"{statistics.median(base.rates):,.0f} req/s ({t.baseline})",
                         f"{statistics.median(ratios):.2f}"))
            if t.errors:
                notes.append(f"{t.label}: {t.errors} responses other than 2xx/3xx or socket errors")
        rows.append((f"memory per worker (RSS) after {MIXED_REQUESTS} mixed requests",
                     f"{statistics.mean(app_rss):.0f} MB", f"{statistics.mean(bare_rss):.0f} MB (bare worker)",
                     f"{statistics.mean(app_rss) / statistics.mean(bare_rss):.2f}"))
        rows.append(("request form, first visit on the wire (page + assets, bodies as sent)",
                     f"{weight[0] / 1024:.1f} KB (+ {weight[1] / 1024:.1f} KB of response headers)",
                     "35 KB (issue 17 budget)", f"{weight[0] / (35 * 1024):.2f}"))
        rows.append(outbox_row(env, sink))
    finally:
        sink.controller.stop()
        for server in (app_server, bare_server, uncached_server):
            server.terminate()
        for server in (app_server, bare_server, uncached_server):
            with contextlib.suppress(subprocess.TimeoutExpired):
                server.wait(timeout=20)
    if args.no_monev:
        notes.append("monev rows skipped (--no-monev)")
    else:
        rows.extend(monev_rows(args.monev_timeout, notes))

    print()
    print(f"PPID Desk benchmark — {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f}; SQLite (WAL, as the app sets it), demo data; "
          f"gunicorn {args.workers} sync workers; wrk {args.connections} connections, {args.rounds} rounds × "
          f"{args.duration:g} s; ratio = median over rounds of (figure ÷ its baseline in the same round)")
    print()
    print("| Figure | Value | Baseline | Ratio |")
    print("|---|---:|---:|---:|")
    for figure, value, baseline, ratio in rows:
        print(f"| {figure} | {value} | {baseline} | {ratio} |")
    for note in notes:
        print(f"\nNote: {note}")
    if args.keep:
        print(f"\nkept: {tmp}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)


def mixed_load(app_base, bare_base, citizen, officer, body, content_type) -> list[int]:
    """1,000 requests to each server: on PPID Desk a citizen's form and filing and receipt, the
    home page, the public catalogue or statistics, and an officer's queue and request pages; on the baseline its two
    endpoints in the same proportion of writes. Returns the ids of the requests filed."""
    filed: list[int] = []
    sent = 0
    while sent < MIXED_REQUESTS:
        # /statistik is recomputed after every filing (its figures changed): every fifth round.
        pages = ["/", FORM, "/statistik" if len(filed) % 5 == 0 else "/informasi", "/healthz"]
        answer = citizen.post(app_base + FORM, data=body, headers={"Content-Type": content_type},
                              allow_redirects=False)
        if answer.status_code != 303:
            sys.exit(f"filing answered {answer.status_code}: {answer.text[:300]}")
        filed.append(int(re.search(r"/permohonan/(\d+)/", answer.headers["Location"]).group(1)))
        citizen.get(app_base + answer.headers["Location"])
        for page in pages:
            citizen.get(app_base + page)
        officer.get(app_base + "/meja/")
        officer.get(app_base + f"/meja/permohonan/{filed[-1]}")
        sent += 8
        requests.post(bare_base + "/insert", data=body, headers={"Content-Type": content_type},
                      allow_redirects=False)
        for _ in range(7):
            requests.get(bare_base + "/select")
    return filed


def first_visit_bytes(base: str) -> tuple[int, int]:
    """Bytes on the wire for the request form and every asset it loads, for a first-time
    visitor whose browser accepts compression: (bodies as sent, response headers)."""
    from html.parser import HTMLParser
    from urllib.parse import urljoin, urlsplit

    class Resources(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.urls: list[str] = []

        def handle_starttag(self, tag, attrs):
            attrs = {k: v or "" for k, v in attrs}
            if tag == "link" and attrs.get("href") and set(attrs.get("rel", "").split()) & {
                    "stylesheet", "icon", "preload", "modulepreload", "manifest"}:
                self.urls.append(attrs["href"])
            elif tag in ("script", "img") and attrs.get("src"):
                self.urls.append(attrs["src"])

    visitor = requests.Session()
    total = {"bodies": 0, "headers": 0}

    def fetch(url: str) -> bytes:
        answer = visitor.get(url, headers=BROWSER, stream=True)
        raw = answer.raw.read(decode_content=False)
        head = f"HTTP/1.1 {answer.status_code} {answer.reason}\r\n" + "".join(
            f"{k}: {v}\r\n" for k, v in answer.headers.items()) + "\r\n"
        total["headers"] += len(head.encode())
        total["bodies"] += len(raw)
        return raw

    parser = Resources()
    parser.feed(fetch(base + FORM).decode())
    for url in dict.fromkeys(urlsplit(urljoin(base + FORM, u)).geturl() for u in parser.urls):
        fetch(url)
    return total["bodies"], total["headers"]


class SmtpSink:
    """A local SMTP server for the whole run that counts what it receives (any code that sends
    while a request waits, as the app did before issue 17, talks to a real server too)."""

    def __init__(self, port: int) -> None:
        from aiosmtpd.controller import Controller

        self.count = 0
        self.controller = Controller(self, hostname="127.0.0.1", port=port)

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd hook
        self.count += 1
        return "250 OK"


def outbox_row(env: dict, sink: SmtpSink) -> tuple[str, str, str, str]:
    """One pass of the outbox sender over the receipts the filings queued."""
    before = sink.count
    start = time.perf_counter()
    flask_cli(env, "ppid", "outbox")
    elapsed = time.perf_counter() - start
    sent = sink.count - before
    return ("outbox sender: the receipts the filings queued, one pass (`flask ppid outbox`)",
            f"{sent:,} sent in {elapsed:.1f} s ({sent / elapsed:,.0f}/s)", "", "")


def number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def monev_rows(timeout: float, notes: list[str]) -> list[tuple[str, str, str, str]]:
    """The rows of ``bench/monev.py --json``: {"rows": [{"figure", "value", "unit", "baseline", "ratio"}]}."""
    print("bench/monev.py --json …", flush=True)
    try:
        done = subprocess.run([sys.executable, str(ROOT / "bench" / "monev.py"), "--json"], cwd=ROOT,
                              capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        notes.append(f"monev: bench/monev.py --json did not finish within {timeout:g} s; no monev rows")
        return []
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        why = (done.stderr.strip().splitlines() or ["no output"])[-1]
        notes.append(f"monev: bench/monev.py --json gave no rows (exit status {done.returncode}: {why}); "
                     "its JSON interface is the monev helper's part of issue 17")
        return []
    rows = []
    for row in json.loads(lines[-1])["rows"]:
        unit = row.get("unit", "")
        rows.append((f"monev: {row['figure']}", f"{number(row['value'])} {unit}",
                     f"{number(row['baseline'])} {unit}", f"{row['ratio']:.2f}"))
    return rows


if __name__ == "__main__":
    main()
