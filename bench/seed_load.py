"""A large, realistic, deterministic request log for monev benchmarks (``bench/seed_load.py``).

    .venv/bin/python bench/seed_load.py --requests 100000 [--years 3] [--seed 1]

writes into the database the app is configured with (``DATABASE_URL``, else the instance
folder's SQLite file), which must be migrated already; ``bench/monev.py`` and
``bench/public_pages.py`` import ``seed_load`` from here and seed a throwaway database.

Rows are written with core bulk inserts in chunks (never through the services, which would take
hours for a million requests), but they follow the services' shapes: every cached column of a
request is set by an event whose ``after`` carries it, in the order requests.lifecycle writes
them, so ``flask ppid rebuild-cache --check`` agrees; event hashes are chained per subject like
audit.services.event_log. Due dates come from the real working calendar, computed once per
distinct date and cached. Registration numbers continue each series' per-year sequence and the
``registration_counter`` rows are moved to the highest sequence used.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import operator
import random
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: the package lives beside bench/
    sys.path.insert(0, str(ROOT))

from sqlalchemy import Boolean, Date, func, insert, select, text  # noqa: E402

from ppid_desk.accounts.models import Role, User, UserRole  # noqa: E402
from ppid_desk.audit.models import Event  # noqa: E402
from ppid_desk.audit.services import _digest  # noqa: E402
from ppid_desk.dbtypes import UTCDateTime  # noqa: E402
from ppid_desk.extensions import db  # noqa: E402
from ppid_desk.monev.register_quality import register_facts_refresh  # noqa: E402
from ppid_desk.monev.tallies import tallies_forget  # noqa: E402
from ppid_desk.notices.models import ConsequenceTest, WrittenNotice  # noqa: E402
from ppid_desk.objections.models import Dispute, Objection  # noqa: E402
from ppid_desk.organisation.models import Unit  # noqa: E402
from ppid_desk.organisation.profile_selectors import body_timezone, number_pattern  # noqa: E402
from ppid_desk.requests.lifecycle import CACHED_COLUMNS, derived_changes  # noqa: E402
from ppid_desk.requests.models import Applicant, InformationRequest, RegistrationCounter  # noqa: E402
from ppid_desk.requests.numbering import format_number  # noqa: E402
from ppid_desk.routing.models import RoutingTask  # noqa: E402
from ppid_desk.sla import local_receipt_date  # noqa: E402
from ppid_desk.workcalendar.selectors import body_today, clock_rules  # noqa: E402
from ppid_desk.workcalendar.services import deadline_calendar  # noqa: E402

CHUNK = 5_000
MEMO_LIMIT = 200_000  # values memoised per converter before the memo starts afresh
REQUEST_SERIES, NOTICE_SERIES, OBJECTION_SERIES = "permohonan", "pemberitahuan", "keberatan"
UNIT_NAMES = (
    "Dinas Pendidikan", "Dinas Kesehatan", "Dinas Pekerjaan Umum", "Dinas Sosial",
    "Dinas Perhubungan", "Dinas Lingkungan Hidup", "Dinas Kependudukan dan Pencatatan Sipil",
    "Dinas Pertanian", "Dinas Komunikasi dan Informatika", "Dinas Perumahan", "Dinas Pariwisata",
    "Dinas Penanaman Modal",
)
FIRST = ("Ahmad", "Budi", "Citra", "Dewi", "Eko", "Fitri", "Gita", "Hadi", "Indah", "Joko", "Kartika",
         "Lestari", "Made", "Nur", "Putu", "Rina", "Sari", "Teguh", "Wayan", "Yusuf")
LAST = ("Santoso", "Wijaya", "Siregar", "Nasution", "Pratama", "Saputra", "Hidayat", "Lubis", "Kurniawan",
        "Harahap", "Setiawan", "Rahmawati", "Susanto", "Gunawan")
TOPICS = ("anggaran", "realisasi belanja", "daftar penerima bantuan", "kontrak pengadaan", "izin lingkungan",
          "data sekolah", "laporan keuangan", "rencana strategis", "hasil audit", "data jalan rusak")
CHANNELS = (("online", 70), ("walk_in", 12), ("letter", 8), ("email", 8), ("phone", 2))
PASAL17 = ("a", "b", "c", "d", "e", "f", "g", "h", "i", "j")


@dataclass
class LoadReport:
    requests: int
    events: int
    objections: int
    disputes: int
    seconds: float

    def summary(self) -> str:
        rate = self.requests / self.seconds if self.seconds else 0.0
        return (f"{self.requests} requests, {self.events} events, {self.objections} objections, "
                f"{self.disputes} disputes in {self.seconds:.1f} s ({rate:,.0f} requests/s)")


def _cached(fn: Callable) -> Callable:
    """Memoise a pure calendar function (C-level cache: it is called millions of times)."""
    return functools.cache(fn)


_DIGEST_ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=False, default=str)


def _fast_digest(prev_hash: str | None, at: datetime, actor_label: str, subject_type: str,
                 subject_id: int, kind: str, data: dict) -> str:
    """``audit.services._digest`` with its JSON encoder built once instead of per call."""
    payload = _DIGEST_ENCODER.encode([prev_hash, at.isoformat(), actor_label, subject_type, subject_id, kind, data])
    return hashlib.sha256(payload.encode()).hexdigest()


def _digest_function() -> Callable:
    """The fast digest when it agrees with the audit module's on a sample, else the audit module's own."""
    sample = (None, datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC), "Petugas Data Uji", "request", 7, "registered",
              {"number": "0001/PPID/I/2024", "b": [1, None, True], "after": {"notice_due": "2024-01-16"},
               "x": "é"})
    chained = (_digest(*sample), *sample[1:])
    if _fast_digest(*sample) == _digest(*sample) and _fast_digest(*chained) == _digest(*chained):
        return _fast_digest
    return _digest


def _local_clock(tz: ZoneInfo) -> Callable[[date, int, int], datetime]:
    """``local_at(day, hour, minute)``: that body-local wall time as an aware UTC datetime.

    Same result as ``datetime(..., tzinfo=tz).astimezone(UTC)``, but on days whose UTC offset is
    the same all day long (every day in Indonesia) it is local midnight in UTC plus a timedelta.
    """
    midnight: dict[date, datetime | None] = {}
    steps = [[timedelta(hours=hour, minutes=minute) for minute in range(60)] for hour in range(24)]

    def local_at(day: date, hour: int, minute: int) -> datetime:
        try:
            base = midnight[day]
        except KeyError:
            start = datetime(day.year, day.month, day.day, tzinfo=tz)
            end = datetime(day.year, day.month, day.day, 23, 59, 59, tzinfo=tz)
            base = midnight[day] = start.astimezone(UTC) if start.utcoffset() == end.utcoffset() else None
        if base is None:
            return datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz).astimezone(UTC)
        return base + steps[hour][minute]

    return local_at


def _next_id(model) -> int:
    return (db.session.scalar(select(func.max(model.id))) or 0) + 1


def _counter_start(series: str) -> dict[int, int]:
    rows = db.session.execute(select(RegistrationCounter.year, RegistrationCounter.last_value)
                              .where(RegistrationCounter.series == series))
    return defaultdict(int, {year: value for year, value in rows})


def _units(rng: random.Random) -> list[int]:
    ids = list(db.session.scalars(select(Unit.id).where(Unit.kind == "pembantu", Unit.active.is_(True))
                                  .order_by(Unit.id)))
    if ids:
        return ids
    for index, name in enumerate(UNIT_NAMES, start=1):
        db.session.add(Unit(code=f"LOAD{index:02d}", name=name, kind="pembantu"))
    db.session.flush()
    return list(db.session.scalars(select(Unit.id).where(Unit.kind == "pembantu").order_by(Unit.id)))


def _officer() -> User:
    email = "seed-load@ppid.invalid"
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        user = User(email=email, name="Petugas Data Uji", password_hash="!", active=False)
        db.session.add(user)
        db.session.flush()
        db.session.add(UserRole(user_id=user.id, role=Role.PPID_UTAMA.value))
        db.session.flush()
    return user


class _Writer:
    """Buffers rows per table and inserts them in chunks, parents before children.

    Rows go through the raw DB-API cursor of the session's connection (same transaction), each
    value converted by its column type's own bind processor (memoised for dates and datetimes),
    so the stored values are exactly what a core ``insert()`` would store, at a fraction of the
    cost: ``executemany`` on SQLite, ``COPY`` on PostgreSQL (psycopg 3).
    """

    ORDER = ("applicant", "information_request", "routing_task", "written_notice", "consequence_test",
             "objection", "dispute", "event")
    AUTO_ID = ("consequence_test", "dispute", "event")  # ids left to the database, as before

    def __init__(self) -> None:
        self.connection = db.session.connection()
        self.dialect = self.connection.dialect
        self.rows: dict[str, list] = defaultdict(list)
        self.columns: dict[str, tuple[str, ...]] = {}
        self.converters: dict[str, list] = {}
        for model in (Applicant, InformationRequest, RoutingTask, WrittenNotice, ConsequenceTest, Objection,
                      Dispute, Event):
            table = model.__table__
            columns = [c for c in table.columns if not (c.name == "id" and table.name in self.AUTO_ID)]
            self.columns[table.name] = tuple(c.name for c in columns)
            self.converters[table.name] = [self._converter(c.type) for c in columns]
        event_conv = dict(zip(self.columns["event"], self.converters["event"], strict=True))
        self.event_at = event_conv["at"] or (lambda value: value)
        self.event_data = event_conv["data"] or (lambda value: value)
        self.events = 0
        self.digest = _digest_function()

    def _converter(self, type_) -> Callable | None:
        process = type_.dialect_impl(self.dialect).bind_processor(self.dialect)
        if process is None or not isinstance(type_, UTCDateTime | Date | Boolean):
            return process
        memo: dict = {}

        def convert(value):
            try:
                return memo[value]
            except KeyError:
                if len(memo) > MEMO_LIMIT:
                    memo.clear()
                memo[value] = result = process(value)
                return result

        return convert

    write_events = True

    def chain(self, subject_type: str, subject_id: int, events, label: str, actor_id: int) -> None:
        if not self.write_events:
            return
        _chain_rows(self.rows["event"], self.event_at, self.event_data, self.digest, subject_type, subject_id,
                    events, label, actor_id)

    def add(self, table: str, row: dict) -> None:
        """A row as a dict of every column (but the database-assigned ids)."""
        self.rows[table].append(row)

    def _tuples(self, name: str, rows: list) -> list[tuple]:
        if name == "event":
            return rows
        take = operator.itemgetter(*self.columns[name])
        converting = [(index, conv) for index, conv in enumerate(self.converters[name]) if conv is not None]
        out = []
        for row in rows:
            values = list(take(row))
            for index, conv in converting:
                value = values[index]
                if value is not None:
                    values[index] = conv(value)
            out.append(values)
        return out

    def flush(self) -> None:
        cursor = self.connection.connection.dbapi_connection.cursor()
        try:
            for name in self.ORDER:
                rows = self.rows.pop(name, None)
                if not rows:
                    continue
                if name == "event":
                    self.events += len(rows)
                tuples, columns = self._tuples(name, rows), self.columns[name]
                if self.dialect.name == "postgresql" and hasattr(cursor, "copy"):
                    with cursor.copy(f"COPY {name} ({', '.join(columns)}) FROM STDIN") as copy:
                        for row in tuples:
                            copy.write_row(row)
                else:
                    marks = ", ".join([self.dialect.paramstyle == "qmark" and "?" or "%s"] * len(columns))
                    cursor.executemany(f"INSERT INTO {name} ({', '.join(columns)}) VALUES ({marks})", tuples)
        finally:
            cursor.close()


def seed_load(*, requests: int, years: int = 3, seed: int = 1,
              progress: Callable[[str], None] | None = None, events: bool = True) -> LoadReport:
    """Write ``requests`` requests spread over the last ``years`` years; flush, never commit.

    ``events=False`` writes no event rows (the same requests, tasks, notices and objections: their
    cached columns are still derived event by event): for benchmarks that never read the log,
    such as monev's, it is most of the seeding time saved. ``flask ppid rebuild-cache --check``
    then has nothing to compare, and the audit chain is empty."""
    writer = _Writer()
    writer.write_events = events
    if writer.dialect.name == "sqlite":
        with _sqlite_bulk(writer.connection.connection.dbapi_connection,
                          [t for t in writer.ORDER if events or t != "event"]):
            return _seed(writer, requests=requests, years=years, seed=seed, progress=progress)
    return _seed(writer, requests=requests, years=years, seed=seed, progress=progress)


@contextmanager
def _sqlite_bulk(dbapi_connection, tables: list[str]) -> Iterator[None]:
    """SQLite settings for one bulk load on this connection, all undone on the way out.

    - The secondary indexes of the tables written are dropped, and created again from their own
      ``CREATE INDEX`` text once the rows are in: building an index from sorted rows at the end is
      many times cheaper than keeping a dozen B-trees in order through a million random inserts
      (the unique ones check their rows again when created). Inside the caller's transaction, so
      a failed load rolls the drops back with the rows. The indexes SQLite makes itself for
      ``UNIQUE`` constraints (``sqlite_autoindex_*``, no SQL text) stay.
    - A 256 MB page cache (the default 2 MB made every chunk re-read the tables from disk).

    ``synchronous`` and ``journal_mode`` stay as the app sets them (WAL, ``NORMAL``): SQLite
    refuses to change either inside a transaction and the load is one transaction (restoring them
    would have to wait for the caller's commit); in WAL mode with ``NORMAL`` a commit does not wait
    for the disk anyway, and the rows go to the WAL once either way.
    """
    cursor = dbapi_connection.cursor()
    previous = cursor.execute("PRAGMA cache_size").fetchone()[0]
    cursor.execute("PRAGMA cache_size = -262144")
    if not dbapi_connection.in_transaction:  # the drops belong to the load's transaction
        cursor.execute("BEGIN")
    marks = ", ".join("?" * len(tables))
    indexes = cursor.execute(f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                             f"AND tbl_name IN ({marks}) ORDER BY name", tables).fetchall()
    for name, _sql in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    try:
        yield
    finally:
        for _name, sql in indexes:
            cursor.execute(sql)
        cursor.execute(f"PRAGMA cache_size = {int(previous)}")
        cursor.close()


def _seed(writer: _Writer, *, requests: int, years: int, seed: int,
          progress: Callable[[str], None] | None) -> LoadReport:
    started = time.perf_counter()
    rng = random.Random(seed)
    tz = ZoneInfo(body_timezone())
    calendar, rules = deadline_calendar(), clock_rules()
    today = body_today()
    unit_ids = _units(rng)
    unit_codes = dict(db.session.execute(select(Unit.id, Unit.code).where(Unit.id.in_(unit_ids))).all())
    officer = _officer()
    request_pattern = number_pattern("request")
    notice_pattern = number_pattern("notice")
    objection_pattern = number_pattern("objection")
    counters = {s: _counter_start(s) for s in (REQUEST_SERIES, NOTICE_SERIES, OBJECTION_SERIES)}

    add_wd = _cached(calendar.add_working_days)
    is_working = _cached(calendar.is_working_day)
    next_wd = _cached(calendar.next_working_day)
    wd_between = _cached(calendar.working_days_between)
    notice_due_of = _cached(lambda d: add_wd(d, rules.notice_wd))
    receipt_calendar = SimpleNamespace(is_working_day=is_working, next_working_day=next_wd)

    ids = {m: _next_id(m) for m in (Applicant, InformationRequest, RoutingTask, WrittenNotice, Objection)}
    officer_id, officer_label = officer.id, officer.name

    n_applicants = max(20, requests // 3)
    applicant_ids = list(range(ids[Applicant], ids[Applicant] + n_applicants))
    for index, applicant_id in enumerate(applicant_ids):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        writer.add("applicant", dict(
            id=applicant_id, user_id=None, kind="perorangan", name=name, nik=None,
            legal_approval_number=None, representative_name=None, purged_at=None,
            address=f"Jl. Merdeka No. {index % 300 + 1}",
            occupation=rng.choice(("Wiraswasta", "Mahasiswa", "Wartawan", "Peneliti", "Karyawan swasta")),
            phone=f"08{rng.randrange(10**9, 10**10)}", email=f"pemohon{applicant_id}@contoh.example.id",
            created_at=datetime(today.year - years, 1, 1, tzinfo=UTC)))
    writer.flush()

    # Receipts: working days mostly, spread over [today - years, today], in date order.
    span_days = years * 365
    first_day = today - timedelta(days=span_days)
    offsets = sorted(rng.randrange(span_days + 1) for _ in range(requests))
    channel_names = [c for c, _w in CHANNELS]
    channel_weights = [w for _c, w in CHANNELS]
    objections = disputes = 0

    local_at = _local_clock(tz)
    write_events = writer.write_events

    def to_local(moment: datetime) -> date:
        return moment.astimezone(tz).date()

    iso_memo: dict = {}

    def iso(value):
        if type(value) is not datetime and type(value) is not date:
            return value
        try:
            return iso_memo[value]
        except KeyError:
            if len(iso_memo) > MEMO_LIMIT:
                iso_memo.clear()
            iso_memo[value] = text = value.isoformat()
            return text

    for index, offset in enumerate(offsets):
        day = first_day + timedelta(days=offset)
        if not is_working(day) and rng.random() < 0.9:
            day = next_wd(day)  # mostly on working days; online requests also come at weekends
            if day > today:
                day = today
        channel = rng.choices(channel_names, channel_weights)[0]
        received_at = local_at(day, rng.randrange(7, 16) if channel != "online" else rng.randrange(0, 24),
                               rng.randrange(60))
        registered_on = received_at.astimezone(tz).date()
        receipt_date = local_receipt_date(received_at, tz, rules, receipt_calendar)
        notice_due = notice_due_of(receipt_date)
        counters[REQUEST_SERIES][registered_on.year] += 1
        seq = counters[REQUEST_SERIES][registered_on.year]
        number = format_number(request_pattern, seq=seq, on=registered_on)
        request_id = ids[InformationRequest]
        ids[InformationRequest] += 1
        row = dict(
            id=request_id, number=number, year=registered_on.year, seq=seq, channel=channel,
            received_at=received_at, receipt_date=receipt_date, applicant_id=rng.choice(applicant_ids),
            user_id=None, rincian=f"Salinan {rng.choice(TOPICS)} tahun {registered_on.year - rng.randrange(3)}.",
            tujuan="Bahan kajian dan pemantauan.", access_method=rng.choice(("salinan_softcopy", "melihat",
                                                                           "salinan_hardcopy")),
            copy_delivery=None, accessibility_needs=None, accessibility_note=None, status=None,
            registered_by_id=None if channel == "online" else officer_id,
            imported=False, tracking_token=f"load{seed}-{rng.getrandbits(96):024x}", created_at=received_at,
            version=1, release_due=None, released_at=None, reminded_for_due=None, escalated_at=None,
            register_missing=0,  # stored from the written rows at the end (register_facts_refresh)
        )
        state: dict = {}
        events: list[tuple[datetime, str, dict]] = []

        def event(at: datetime, kind: str, changes: dict | None = None, data: dict | None = None,
                  state=state, events=events) -> None:
            if not write_events:  # the cached columns only (no log to write)
                if changes:
                    changes.update(derived_changes(state, changes, at, to_local))
                    state.update(changes)
                return
            payload = dict(data or {})
            if changes:
                changes.update(derived_changes(state, changes, at, to_local))
                payload["before"] = {c: iso(state.get(c)) for c in changes}
                payload["after"] = {c: iso(v) for c, v in changes.items()}
                state.update(changes)
            events.append((at, kind, payload))

        event(received_at, "registered", {"status": "registered", "notice_due": notice_due},
              {"number": number, "channel": channel, "receipt_date": receipt_date.isoformat(), "documents": []})

        roll = rng.random()
        age_wd = wd_between(receipt_date, today)
        open_now = age_wd < 10 and rng.random() < 0.85 or rng.random() < 0.01
        if roll < 0.03 and age_wd > 3:  # withdrawn by the applicant
            at = local_at(add_wd(receipt_date, rng.randrange(1, 4)), 10, 0)
            event(at, "withdrawn", {"status": "withdrawn", "outcome": "withdrawn", "closed_at": at},
                  {"reason": "Dicabut oleh pemohon."})
        else:
            accept_day = add_wd(receipt_date, 1) if age_wd >= 1 else None
            if accept_day:
                event(local_at(accept_day, 9, 0), "accepted", {"accepted_at": local_at(accept_day, 9, 0)})
            routed = accept_day is not None and not (open_now and rng.random() < 0.3)
            units = []
            if routed:
                units = rng.sample(unit_ids, 2 if rng.random() < 0.1 else 1)
                routed_at = local_at(accept_day, 10, 0)
                internal_due = add_wd(accept_day, max(1, rules.notice_wd - 1 - rules.unit_buffer_wd))
                task_ids = list(range(ids[RoutingTask], ids[RoutingTask] + len(units)))
                ids[RoutingTask] += len(units)
                answered = not open_now or rng.random() < 0.4
                answer_day = add_wd(accept_day, rng.randrange(1, 7))
                if answer_day > today:
                    answered, answer_day = False, today
                for task_id, unit_id in zip(task_ids, units, strict=True):
                    writer.add("routing_task", dict(
                        id=task_id, request_id=request_id, unit_id=unit_id,
                        instruction="Siapkan dokumen yang diminta.", internal_due=internal_due,
                        status="answered" if answered else "open", routed_at=routed_at,
                        routed_by_id=officer_id, answer_text="Dokumen terlampir." if answered else None,
                        answered_at=local_at(answer_day, 14, 0) if answered else None,
                        answered_by_id=officer_id if answered else None, return_reason=None,
                        closed_at=local_at(answer_day, 14, 0) if answered else None, version=1,
                        # monev.task_facts: the body-local days, and never superseded (the units
                        # of one routing are distinct and no task is routed again).
                        routed_on=to_local(routed_at),
                        answered_on=to_local(local_at(answer_day, 14, 0)) if answered else None,
                        superseded=False))
                event(routed_at, "routed", {"status": "routed"},
                      {"task_ids": task_ids, "units": [unit_codes[u] for u in units], "instruction": "Siapkan dokumen yang diminta.",
                       "internal_due": internal_due.isoformat(), "skipped_units": []})
                if answered:
                    for task_id in task_ids:
                        event(local_at(answer_day, 14, 0), "task_answered",
                              {"status": "answered"} if state["status"] != "answered" else None,
                              {"task_id": task_id})
            if not open_now and routed:
                extended = rng.random() < 0.08
                due = notice_due
                if extended:
                    ext_day = add_wd(receipt_date, rng.randrange(5, rules.notice_wd + 1))
                    extended_due = add_wd(notice_due, rules.extension_wd)
                    event(local_at(ext_day, 11, 0), "extended",
                          {"extended_due": extended_due, "extension_reason": "Dokumen tersebar di beberapa unit."},
                          {"working_days": rules.extension_wd})
                    due = extended_due
                late = rng.random() < 0.07
                start = accept_day
                if late:
                    notice_day = add_wd(due, rng.randrange(1, 11))
                else:
                    notice_day = add_wd(start, rng.randrange(1, max(2, wd_between(start, due) + 1)))
                if notice_day > today:
                    notice_day = today
                notice_at = local_at(notice_day, 13, rng.randrange(60))
                outcome = rng.choices(("granted_full", "granted_partial", "refused", "not_held", "not_documented"),
                                      (62, 12, 10, 13, 3))[0]
                letters = sorted(rng.sample(PASAL17, 2 if rng.random() < 0.2 else 1)) \
                    if outcome in ("refused", "granted_partial") else []
                counters[NOTICE_SERIES][notice_day.year] += 1
                notice_number = format_number(notice_pattern, seq=counters[NOTICE_SERIES][notice_day.year],
                                              on=notice_day)
                closing = outcome in ("refused", "not_held")
                changes = {"status": "closed" if closing else "notice_issued", "notice_at": notice_at,
                           "outcome": outcome, "pasal17_basis": ",".join(letters) or None, "fee_amount": 0}
                if closing:
                    changes["closed_at"] = notice_at
                event(notice_at, "notice_issued", changes,
                      {"number": notice_number, "held": outcome != "not_held", "pasal17": letters})
                notice_id = ids[WrittenNotice]
                ids[WrittenNotice] += 1
                writer.add("written_notice", dict(
                    id=notice_id, request_id=request_id, number=notice_number, outcome=outcome,
                    held=outcome != "not_held", holder_body=None,
                    materials="Salinan dokumen." if outcome.startswith("granted") else None,
                    redactions="Data pribadi dihitamkan." if outcome == "granted_partial" else None,
                    delivery_form=None, fee_amount=0, payment_method=None, fee_reason=None, documented_by=None, remarks=None,
                    issued_at=notice_at, issued_by_id=officer_id, signature=None))
                if letters and rng.random() < 0.8:  # some refusals lack a consequence test
                    writer.add("consequence_test", dict(
                        notice_id=notice_id, pasal17_letters=letters, information="Dokumen yang diminta.",
                        legal_basis="UU 14/2008 Pasal 17.", harm="Dapat menghambat proses.",
                        public_interest="Kepentingan publik lebih kecil.", exemption_period="5 tahun",
                        exemption_id=None))
                if not closing:
                    deliver_day = add_wd(notice_day, rng.randrange(0, 4))
                    if deliver_day <= today and rng.random() < 0.97:
                        delivered_at = local_at(deliver_day, 15, 0)
                        event(delivered_at, "delivered", {"status": "delivered", "delivered_at": delivered_at},
                              {"method": "email", "files": [], "link_url": None, "fee_paid": 0})
                        close_day = add_wd(deliver_day, rng.randrange(0, 3))
                        if close_day <= today:
                            closed_at = local_at(close_day, 16, 0)
                            event(closed_at, "closed", {"status": "closed", "closed_at": closed_at})
                if (letters or late or outcome == "not_held") and rng.random() < 0.15:
                    objections, disputes = _objection(
                        writer, rng, ids, counters, objection_pattern, request_id, number, notice_day, today,
                        add_wd, rules, local_at, officer_id, officer_label, channel, event, objections, disputes,
                        receipt_date=receipt_date)
        row.update({c: state.get(c) for c in CACHED_COLUMNS})
        writer.add("information_request", row)
        _chain(writer, "request", request_id, events, officer_label, officer_id)
        if (index + 1) % CHUNK == 0:
            writer.flush()
            if progress:
                progress(f"{index + 1} requests …")
    writer.flush()
    _store_counters(counters)
    _fix_sequences()
    register_facts_refresh()  # rows written past the ORM: their register masks from the definition
    tallies_forget()  # rows written past the funnel: monev re-sums every day on next use
    db.session.flush()
    return LoadReport(requests, writer.events, objections, disputes, time.perf_counter() - started)


def _objection(writer, rng, ids, counters, pattern, request_id, request_number, notice_day, today, add_wd,
               rules, local_at, officer_id, officer_label, channel, event, objections, disputes, *, receipt_date):
    """An objection to the Atasan (numbers KEB in their own series), sometimes a dispute at the KI."""
    filed_day = add_wd(notice_day, rng.randrange(5, 25))
    if filed_day > today:
        return objections, disputes
    filed_at = local_at(filed_day, 10, 30)
    counters[OBJECTION_SERIES][filed_day.year] += 1
    seq = counters[OBJECTION_SERIES][filed_day.year]
    number = format_number(pattern, seq=seq, on=filed_day)
    objection_id = ids[Objection]
    ids[Objection] += 1
    filing_due = add_wd(notice_day, rules.objection_filing_wd)
    response_due = add_wd(filed_day, rules.objection_response_wd)
    response_day = add_wd(filed_day, rng.randrange(5, 40))
    responded = response_day <= today and rng.random() < 0.95
    grounds = [rng.choice(("a", "c", "e", "g"))]
    writer.add("objection", dict(
        id=objection_id, number=number, year=filed_day.year, seq=seq, request_id=request_id,
        request_receipt_date=receipt_date,
        channel="online" if channel == "online" else "letter", grounds=grounds,
        case_summary="Pemohon keberatan atas jawaban PPID.", intended_use="Bahan kajian.",
        representative_name=None, representative_address=None, representative_contact=None,
        filed_at=filed_at, filed_date=filed_day, registered_by_id=None,
        ground_date=notice_day, filing_due=filing_due, late=filed_day > filing_due, response_due=response_due,
        status="responded" if responded else "registered", ppid_account=None, ppid_account_at=None,
        decision="upheld" if responded else None, reasons="Keputusan PPID sudah tepat." if responded else None,
        release_by=None, settlement=None, response_number=None,
        responded_at=local_at(response_day, 14, 0) if responded else None,
        responded_by_id=officer_id if responded else None, response_signature=None, withdrawn_at=None, reminded_for_due=None,
        escalated_at=None, created_at=filed_at, version=1, ground_windows=None, periodic_found_on=None,
        response_sent_via=None, response_received_on=None, reaction=None, reaction_on=None, reaction_note=None,
        inadmissibility=None, not_applicant_reason=None))
    data = {"objection_id": objection_id, "objection_number": number, "channel": channel, "grounds": grounds,
            "ground_date": notice_day.isoformat(), "ground_source": "notice", "filing_due": filing_due.isoformat(),
            "late": filed_day > filing_due, "response_due": response_due.isoformat(), "documents": []}
    event(filed_at, "objection_filed", None, data)
    own = [(filed_at, "filed", {**data, "request_id": request_id, "request_number": request_number})]
    if responded:
        own.append((local_at(response_day, 14, 0), "responded", {"decision": "upheld"}))
    _chain(writer, "objection", objection_id, own, officer_label, officer_id)
    objections += 1
    if responded and rng.random() < 0.2:
        dispute_day = add_wd(response_day, rng.randrange(3, 14))
        if dispute_day <= today:
            writer.add("dispute", dict(
                objection_id=objection_id, request_id=request_id, level="provinsi", ki_number=None,
                filed_date=dispute_day, recorded_by_id=officer_id,
                ki_start_due=add_wd(dispute_day, rules.ki_start_wd),
                ki_finish_due=add_wd(dispute_day, rules.ki_finish_wd), outcome=None, outcome_date=None,
                ki_decision=None, ki_decision_received_body=None, ki_decision_received_applicant=None,
                compliance=None, compliance_date=None, compliance_note=None, compliance_proof=None,
                created_at=local_at(dispute_day, 9, 0)))
            disputes += 1
    return objections, disputes


def _chain(writer: _Writer, subject_type: str, subject_id: int, events, label: str, actor_id: int) -> None:
    """Event rows chained like audit.services.event_log (first event of a new subject: no prev)."""
    writer.chain(subject_type, subject_id, events, label, actor_id)


def _chain_rows(out: list, at_value: Callable, data_value: Callable, digest_of: Callable, subject_type: str,
                subject_id: int, events, label: str, actor_id: int) -> None:
    prev = None
    add = out.append
    for at, kind, data in events:
        digest = digest_of(prev, at, label, subject_type, subject_id, kind, data)
        add((at_value(at), actor_id, label, subject_type, subject_id, kind, data_value(data), prev, digest))
        prev = digest


def _store_counters(counters: dict[str, dict[int, int]]) -> None:
    """Move each series' counter to the highest sequence used, so real registrations continue after it."""
    table = RegistrationCounter.__table__
    for series, years in counters.items():
        for year, last in years.items():
            existing = db.session.get(RegistrationCounter, (series, year))
            if existing is None:
                db.session.execute(insert(table).values(series=series, year=year, last_value=last))
            elif existing.last_value < last:
                existing.last_value = last
    db.session.flush()


def _fix_sequences() -> None:
    """Explicit ids bypass PostgreSQL's sequences: move them past the rows written."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for table in ("applicant", "information_request", "routing_task", "written_notice", "consequence_test",
                  "objection", "dispute", "event"):
        db.session.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"GREATEST((SELECT COALESCE(MAX(id), 0) FROM {table}), 1))"))


def main(argv: list[str] | None = None, *, app=None) -> None:
    """Seed the configured database (or ``app``'s) and print what was written and how fast."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, required=True, help="How many requests to generate.")
    parser.add_argument("--years", type=int, default=3, help="Spread the receipts over this many past years.")
    parser.add_argument("--seed", type=int, default=1, help="Random seed (same seed, same log).")
    args = parser.parse_args(argv)
    if not 1 <= args.requests <= 20_000_000 or not 1 <= args.years <= 20:
        parser.error("--requests must be 1 to 20,000,000 and --years 1 to 20")
    if app is None:
        from ppid_desk import create_app

        app = create_app()
    with app.app_context():
        report = seed_load(requests=args.requests, years=args.years, seed=args.seed, progress=print)
        db.session.commit()
        print(report.summary())


if __name__ == "__main__":
    main()
