"""The `flask ppid …` command group."""

from __future__ import annotations

from datetime import date

import click
from flask import Blueprint, current_app

from .extensions import db

bp = Blueprint("ppid", __name__, cli_group="ppid")


CALENDAR_YEARS = click.IntRange(1950, 2100)
MAX_WORKING_DAYS = 400  # the longest statutory clock is the KI's 100 WD


def _parse_date(ctx, param, value: str) -> date:
    try:
        day = date.fromisoformat(value)
    except ValueError as error:
        raise click.BadParameter("use YYYY-MM-DD, e.g. 2026-03-16") from error
    if not CALENDAR_YEARS.min <= day.year < CALENDAR_YEARS.max:
        raise click.BadParameter(f"the calendar covers {CALENDAR_YEARS.min}–{CALENDAR_YEARS.max - 1}")
    return day


@bp.cli.group("calendar")
def calendar_group() -> None:
    """Working-day calendar: due dates, holidays, imports."""


@calendar_group.command("due")
@click.argument("received", callback=_parse_date)
@click.option("--days", "-n", type=click.IntRange(0, MAX_WORKING_DAYS), default=None,
              help="Working days to add (default: the written-notice length, 10).")
@click.option("--explain", is_flag=True, help="Show the day-by-day count.")
def calendar_due(received: date, days: int | None, explain: bool) -> None:
    """Print the due date N working days after a receipt on RECEIVED (YYYY-MM-DD)."""
    from .workcalendar.services import deadline_calendar  # the CLI imports a year it needs

    n = current_app.config["NOTICE_WD"] if days is None else days
    calendar = deadline_calendar()
    explanation = calendar.explain(received, n)
    db.session.commit()  # keep a year imported on first need
    click.echo(explanation.due.isoformat())
    if explain:
        for line in explanation.lines():
            click.echo(line)


@calendar_group.command("list")
@click.argument("year", type=CALENDAR_YEARS)
def calendar_list(year: int) -> None:
    """Print the non-working weekdays of YEAR with their kind and name."""
    from .workcalendar.services import deadline_calendar  # the CLI imports a year it needs

    calendar = deadline_calendar()
    closures = calendar.closures_in(date(year, 1, 1), date(year, 12, 31), weekdays_only=True)
    db.session.commit()
    for closure in closures:
        click.echo(f"{closure.day.isoformat()}  {closure.day:%a}  {closure.kind.value:<15} {closure.name}")
    click.echo(f"{len({c.day for c in closures})} non-working weekdays in {year}")


@calendar_group.command("import")
@click.argument("years", nargs=-1, type=CALENDAR_YEARS, required=True)
def calendar_import(years: tuple[int, ...]) -> None:
    """Import library holidays for YEARS that were never imported (never overwrites)."""
    from .workcalendar.services import calendar_year_import

    for year in years:
        added = calendar_year_import(year)
        db.session.commit()
        click.echo(f"{year}: " + ("already imported, left as is" if added is None else f"imported {added} holidays"))


@bp.cli.command("seed-demo")
def seed_demo() -> None:
    """Create (idempotently) an example body with units, demo users and requests."""
    from .demo import demo_seed

    report = demo_seed()
    db.session.commit()
    click.echo(report)


@bp.cli.command("demo-logins")
def demo_logins() -> None:
    """Print the demo logins (role, e-mail, unit), one per line; see `seed-demo`."""
    from .demo import demo_logins as lines_of_demo_logins

    lines = lines_of_demo_logins()
    if not lines:
        raise click.ClickException("no demo users yet: run `flask ppid seed-demo` first")
    for line in lines:
        click.echo(line)


# --- installing for a real office -------------------------------------------------------------

def _pending_migrations() -> bool:
    """True when the database is not at the newest migration (or has none applied)."""
    from alembic.migration import MigrationContext
    from alembic.script import ScriptDirectory

    migrate_config = current_app.extensions["migrate"]
    script = ScriptDirectory.from_config(migrate_config.migrate.get_config(migrate_config.directory))
    with db.engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    return current != set(script.get_heads())


@bp.cli.command("init")
@click.option("--body-name", help="Name of the public body, as on its letterhead (default: BODY_NAME).")
@click.option("--admin-email", help="E-mail of the first administrator (required).")
@click.option("--admin-name", default="Administrator", show_default=True, help="Name of that administrator.")
@click.option("--timezone", "timezone", help="IANA time zone of the body (default: BODY_TIMEZONE), e.g. Asia/Makassar.")
@click.option("--no-input", is_flag=True, help="Never prompt: take the defaults, fail on a missing value.")
def init(body_name: str | None, admin_email: str | None, admin_name: str, timezone: str | None,
         no_input: bool) -> None:
    """Install for a real office on an empty database: migrations (if needed), this year's and
    next year's holidays, the body profile, the PPID Utama unit and the first administrator,
    who gets a one-time set-password link (e-mailed and printed). No demo data. Refuses to run
    on a database that already has a body profile or an administrator."""
    from .errors import ValidationFailed
    from .organisation.install_services import (
        AlreadyInstalled,
        body_install,
        install_problems,
        install_refusal,
    )
    from .web.transaction import commit, rollback

    refusal = install_refusal()
    rollback()
    if refusal:
        raise click.ClickException(refusal)
    config = current_app.config
    if no_input:
        body_name = body_name or config["BODY_NAME"]
        timezone = timezone or config["BODY_TIMEZONE"]
        if not admin_email:
            raise click.UsageError("--admin-email is required with --no-input")
    else:
        body_name = body_name or click.prompt("Name of the public body", default=config["BODY_NAME"])
        admin_email = admin_email or click.prompt("E-mail of the first administrator")
        timezone = timezone or click.prompt("Time zone", default=config["BODY_TIMEZONE"])
    problems = install_problems(body_name=body_name, admin_email=admin_email, admin_name=admin_name,
                                timezone=timezone)
    if problems:
        raise click.UsageError("; ".join(problems.values()) + ". Nothing was changed.")
    if _pending_migrations():
        from flask_migrate import upgrade

        upgrade()
        click.echo("Database migrated to the newest schema.")
    try:
        installed = body_install(body_name=body_name, admin_email=admin_email, admin_name=admin_name,
                                 timezone=timezone, body_address="")
        commit()
    except (AlreadyInstalled, ValidationFailed) as error:
        rollback()
        raise click.ClickException(f"{error} Nothing was changed.") from error
    _send_outbox_now()
    hours = config["ACCOUNT_TOKEN_MAX_AGE"] // 3600
    click.echo(f"Installed: {installed.profile.name} (time zone {installed.profile.timezone}).")
    click.echo(f"Unit: {installed.unit.name} ({installed.unit.code}).")
    for year, added in installed.calendar.items():
        click.echo(f"Holidays {year}: " + ("already imported" if added is None else f"{added} imported"))
    click.echo(f"Administrator: {installed.admin.email}. A set-password link was e-mailed "
               f"(if mail is not configured yet, it waits in the outbox for `flask ppid sweep`).")
    click.echo(f"Set-password link (valid {hours} hours, works once):")
    click.echo(installed.set_password_link)
    click.echo("Next: set the password, log in, and complete the body profile at /meja/admin/profil.")


def _send_outbox_now() -> None:
    """A command line waits for no visitor: send what it queued at once (one outbox sender pass,
    safe beside the running sender); what cannot leave stays pending for the sender or the sweep."""
    from .notifications.services import outbox_send_due

    outbox_send_due()


@bp.cli.command("rebuild-cache")
@click.option("--check", is_flag=True, help="Only compare; exit 1 if any subject disagrees.")
def rebuild_cache(check: bool) -> None:
    """Rebuild the cached columns of every request, objection, dispute (and its court cases) and
    routing task from the event log (or check they agree)."""
    from sqlalchemy import select

    from .audit.funnel import rebuild_columns
    from .objections.lifecycle import COURT_CASE, DISPUTE, OBJECTION
    from .requests.lifecycle import REQUEST
    from .routing.lifecycle import TASK

    disagreeing: dict[str, int] = {}
    # Not columns of the log: monev's register facts and routing task facts, kept from the rows
    # they are defined on.
    # Compared first, before the rows below are rebuilt in the session.
    from .monev.register_quality import register_facts_disagreeing, register_facts_refresh
    from .monev.task_facts import task_facts_disagreeing, task_facts_refresh

    masks = register_facts_disagreeing()
    disagreeing["register_missing"] = len(masks)
    for _id, number, stored, defined in masks:
        click.echo(f"request {number}: register_missing stored {stored!r}, register says {defined!r}")
    task_facts = task_facts_disagreeing()
    disagreeing["task_facts"] = len(task_facts)
    for task_id, request_id, facts in task_facts:
        for name, (stored, defined) in facts.items():
            click.echo(f"tugas {task_id} (permohonan {request_id}): {name} stored {stored!r}, "
                       f"definition says {defined!r}")
    for subject in (REQUEST, OBJECTION, DISPUTE, COURT_CASE, TASK):
        disagreeing[subject.subject_type] = 0
        for row in db.session.scalars(select(subject.model).order_by(subject.model.id)):
            differences = rebuild_columns(subject, row)
            if differences:
                disagreeing[subject.subject_type] += 1
                for column, (stored, replayed) in differences.items():
                    click.echo(f"{subject.describe(row)}: {column} stored {stored!r}, log says {replayed!r}")
    if check:
        db.session.rollback()
        if any(disagreeing.values()):
            raise click.exceptions.Exit(1)
        click.echo("cached columns agree with the event log")
        return
    if masks:
        register_facts_refresh([row[0] for row in masks])
    if task_facts:
        task_facts_refresh([request_id for _task_id, request_id, _facts in task_facts])
    if any(disagreeing.values()):
        from .monev.tallies import tallies_mark_all_dirty

        tallies_mark_all_dirty()  # monev tallies summed the wrong values
    db.session.commit()
    click.echo(f"rebuilt: {disagreeing['request']} request(s), {disagreeing['objection']} objection(s), "
               f"{disagreeing['dispute']} dispute(s), {disagreeing['dispute_court_case']} court case(s), "
               f"{disagreeing['routing_task']} routing task(s), {disagreeing['register_missing']} register mask(s) "
               f"corrected, {disagreeing['task_facts']} routing task fact(s) corrected")


def _say_skipped(message: str) -> None:
    """A run that another holds the lock for: said on stdout (the cron or journal log) and logged."""
    current_app.logger.info(message)
    click.echo(message)


@bp.cli.command("sweep")
def sweep() -> None:
    """Periodic upkeep (idempotent; run every few minutes): deadline reminders, overdue
    escalations, e-mail retries with backoff, stale staged uploads. Safe to schedule on every
    server: one run at a time holds the lock, the others skip. See docs/operations.md."""
    from .dbtypes import utcnow
    from .notifications.sweep import sweep_run
    from .operations.locks import SWEEP, run_lock

    with run_lock(SWEEP) as held:
        if not held:
            _say_skipped("sweep: another run holds the lock (on this or another server); skipped")
            return
        report = sweep_run(now=utcnow())
    click.echo(report.summary())
    for error in report.errors:
        click.echo(f"error: {error}", err=True)
    if report.errors:
        raise click.exceptions.Exit(1)


@bp.cli.command("outbox")
@click.option("--loop", is_flag=True, help="Keep running: send, wait, send again (until stopped).")
@click.option("--interval", type=click.FloatRange(0.05, 3600), default=2.0, show_default=True,
              help="Seconds between two passes with --loop.")
def outbox(loop: bool, interval: float) -> None:
    """Send the e-mails waiting in the outbox (web requests only queue them). Safe to run beside
    the web workers, the sweep and another sender: one pass at a time holds the lock, another
    server's pass skips. See docs/operations.md."""
    import signal
    import time

    from .notifications.sender import sender_pass
    from .operations.locks import OUTBOX, run_lock

    stopping = []
    said_skipped = False  # with --loop, a skipped pass is said the first time only, not every interval
    if loop:  # finish the batch in hand on SIGTERM/Ctrl-C, then stop (no claim is left behind)
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stopping.append(True))
        click.echo(f"outbox: sender started, a pass every {interval:g} s")
    while True:
        try:
            with run_lock(OUTBOX) as held:
                result = sender_pass() if held else None
        except Exception:  # e.g. the database restarting: log it, and try again next pass
            if not loop:
                raise
            db.session.rollback()
            current_app.logger.exception("outbox: pass failed")
        else:
            if result is None:
                if not said_skipped:
                    _say_skipped("outbox: another sender holds the lock (on this or another server); skipped"
                                 + (" (so are this sender's passes whenever it does)" if loop else ""))
                said_skipped = loop
            elif not loop or result.sent or result.not_sent:
                click.echo(f"outbox: {result.sent} sent, {result.retrying} to retry, {result.given_up} given up")
        finally:
            db.session.remove()
        if not loop:
            return
        deadline = time.monotonic() + interval
        while not stopping and time.monotonic() < deadline:
            time.sleep(min(0.1, interval))
        if stopping:
            return


@bp.cli.command("monev")
@click.option("--from", "start", required=True, callback=_parse_date, help="First receipt date (YYYY-MM-DD).")
@click.option("--to", "end", required=True, callback=_parse_date, help="Last receipt date (YYYY-MM-DD).")
@click.option("--unit", "unit_code", default=None,
              help="Only requests routed to this unit (its code) or to a unit under it.")
@click.option("--without-subunits", is_flag=True, help="With --unit: that unit alone, not the units under it.")
@click.option("--json", "as_json", is_flag=True, help="Print every metric as JSON (sorted keys).")
def monev(start: date, end: date, unit_code: str | None, without_subunits: bool, as_json: bool) -> None:
    """Print the monev metrics (DESIGN §6) of the requests registered from START to END."""
    import json

    from .errors import DomainError
    from .monev.metrics import monev_metrics
    from .workcalendar.selectors import body_today

    try:
        metrics = monev_metrics(start=start, end=end, unit_code=unit_code, today=body_today(),
                                subunits=not without_subunits)
    except DomainError as error:
        raise click.UsageError(str(error)) from error
    db.session.commit()  # keep the working-day ordinals computed
    if as_json:
        click.echo(json.dumps(metrics, sort_keys=True, ensure_ascii=False, default=str))
        return

    def pct(value: float | None) -> str:
        return "-" if value is None else f"{value * 100:.1f}%"

    notice = metrics["wd_to_notice"]
    click.echo(f"Period {start.isoformat()}..{end.isoformat()}" + (f", unit {unit_code}" if unit_code else ""))
    click.echo(f"Received: {metrics['received']['total']}")
    click.echo(f"On time (10 WD): {pct(metrics['on_time_10']['share'])}; "
               f"within legal limit: {pct(metrics['on_time_legal']['share'])}")
    click.echo(f"Overdue now: {metrics['overdue_open']['count']}; "
               f"median WD to notice: {notice['median'] if notice['median'] is not None else '-'}")
    click.echo(f"Objections: {metrics['objection_rate']['count']}; index: {metrics['index']['body']['score']} "
               f"({metrics['index']['body']['band'] or '-'})")


# --- units (ppid_desk/organisation) ------------------------------------------------------------

@bp.cli.group("units")
def units_group() -> None:
    """Units of the body: import the tree from CSV/XLSX, list it."""


@units_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def units_import(path: str) -> None:
    """Import units from PATH (CSV or XLSX with code,name,parent_code,kind): all rows or none."""
    import os

    from werkzeug.datastructures import FileStorage

    from .organisation.unit_import import ImportFileError, import_check, read_rows
    from .organisation.unit_import import units_import as apply_import

    name = os.path.basename(path)
    try:
        with open(path, "rb") as handle:
            rows = read_rows(FileStorage(handle, filename=name))
    except ImportFileError as error:
        raise click.ClickException(str(error)) from error
    plan, problems = import_check(rows)
    if problems:
        db.session.rollback()
        for problem in problems:
            click.echo(f"row {problem.line}" + (f", {problem.column}" if problem.column else "")
                       + f": {problem.message}", err=True)
        raise click.ClickException(f"{len(problems)} problem(s); nothing was imported")
    result = apply_import(actor=None, actor_label="flask ppid units import", plan=plan, filename=name)
    db.session.commit()
    click.echo(f"{len(result.created)} created, {len(result.updated)} updated, {result.unchanged} unchanged")


@units_group.command("list")
@click.option("--csv", "as_csv", is_flag=True, help="Print code,name,parent_code,kind (the import's columns).")
def units_list(as_csv: bool) -> None:
    """Print every unit, ordered by code."""
    from .organisation.unit_import import csv_text, unit_table

    rows = unit_table()
    if as_csv:
        click.echo(csv_text(rows), nl=False)
        return
    for code, name, parent_code, kind in rows:
        click.echo(f"{code:<24} {kind:<9} {parent_code or '-':<24} {name}")


# --- users: officers from the server console (first administrator, scripted set-up) ----------

from .accounts.role_labels import STAFF_ROLES  # noqa: E402


@bp.cli.group("users")
def users_group() -> None:
    """Officers: invite, deactivate, reactivate, list."""


@users_group.command("create")
@click.option("--email", required=True, help="The officer's (office) e-mail address.")
@click.option("--name", required=True, help="Full name.")
@click.option("--role", "roles", multiple=True, required=True, type=click.Choice(STAFF_ROLES),
              help="A role; repeat for several.")
@click.option("--unit", "unit_code", default=None, help="Code of the officer's unit (required for pembantu).")
def users_create(email: str, name: str, roles: tuple[str, ...], unit_code: str | None) -> None:
    """Invite an officer: print the set-password link and queue the invitation e-mail."""
    from sqlalchemy import func, select

    from .accounts.officer_services import CLI_ACTOR, OfficerDetails, officer_invite
    from .errors import ValidationFailed
    from .organisation.models import Unit
    from .web.transaction import commit

    unit = None
    if unit_code:
        unit = db.session.scalar(select(Unit).where(func.upper(Unit.code) == unit_code.strip().upper()))
        if unit is None:
            raise click.ClickException(f"--unit: unknown unit code {unit_code!r}")
    try:
        invitation = officer_invite(actor=None, actor_label=CLI_ACTOR, email=email,
                                    details=OfficerDetails(name=name, roles=frozenset(roles),
                                                           unit_id=unit.id if unit else None))
    except ValidationFailed as error:
        db.session.rollback()
        options = {"email": "--email", "name": "--name", "roles": "--role", "unit": "--unit"}
        raise click.ClickException("; ".join(f"{options.get(field, field)}: {message}"
                                             for field, message in error.errors.items())) from error
    commit()
    _send_outbox_now()
    user = invitation.user
    max_age = current_app.config["INVITATION_MAX_AGE"]
    valid = f"{max_age // 86400} days" if max_age % 86400 == 0 else f"{max_age // 3600} hours"
    click.echo(f"invited {user.email} as {';'.join(sorted(roles))}, unit {unit.code if unit else '-'}")
    click.echo(f"invitation link (valid {valid}, works once; also e-mailed): {invitation.url}")


def _officer_by_email(email: str):
    from .accounts.officer_selectors import is_staff
    from .accounts.selectors import user_by_email

    user = user_by_email(email)
    if user is None or not is_staff(user):
        raise click.ClickException(f"no officer with the e-mail {email!r}")
    return user


@users_group.command("deactivate")
@click.option("--email", required=True, help="The officer's e-mail address.")
def users_deactivate(email: str) -> None:
    """Deactivate an officer: every session ends at once (never the last administrator)."""
    from .accounts.officer_services import CLI_ACTOR, LastAdministrator, officer_deactivate
    from .web.transaction import commit

    user = _officer_by_email(email)
    if not user.active:
        click.echo(f"{user.email} is already inactive")
        return
    try:
        result = officer_deactivate(actor=None, actor_label=CLI_ACTOR, user=user)
    except LastAdministrator as error:
        db.session.rollback()
        raise click.ClickException(f"{user.email} is the last active administrator; make another officer "
                                   "administrator first") from error
    commit()
    click.echo(f"deactivated {user.email}")
    if result.orphaned_tasks:
        click.echo(f"unit {result.unit.code} has no active officer left: {result.orphaned_tasks} open task(s)")


@users_group.command("reactivate")
@click.option("--email", required=True, help="The officer's e-mail address.")
def users_reactivate(email: str) -> None:
    """Reactivate an officer (earlier sessions stay ended)."""
    from .accounts.officer_services import CLI_ACTOR, officer_reactivate
    from .web.transaction import commit

    user = _officer_by_email(email)
    if officer_reactivate(actor=None, actor_label=CLI_ACTOR, user=user):
        commit()
        click.echo(f"reactivated {user.email}")
    else:
        click.echo(f"{user.email} is already active")


@users_group.command("list")
@click.option("--csv", "as_csv", is_flag=True, help="CSV: email,name,roles,unit_code,active (roles joined by ;).")
def users_list(as_csv: bool) -> None:
    """Print every officer, by e-mail."""
    from .accounts.officer_selectors import officer_status, officers_for_export
    from .accounts.role_labels import sorted_roles
    from .web.spreadsheets import csv_bytes

    officers = officers_for_export()
    rows = [(user.email, user.name, ";".join(sorted_roles(user.roles & set(STAFF_ROLES))),
             user.unit.code if user.unit else "",
             "true" if user.active else "false") for user in officers]
    if as_csv:
        text = csv_bytes([("email", "name", "roles", "unit_code", "active"), *rows], bom=False).decode()
        click.echo(text.replace("\r\n", "\n"), nl=False)  # a console's line ends
        return
    for user, (email, name, roles, unit, _active) in zip(officers, rows, strict=True):
        click.echo(f"{email}  {name}  [{roles}]  {unit or '-'}  {officer_status(user).value}")
    click.echo(f"{len(officers)} officer(s)")


# Operations commands live in their own modules (which never import this one); attach them here.
from .operations import register as operations_register  # noqa: E402

operations_register(bp.cli)
