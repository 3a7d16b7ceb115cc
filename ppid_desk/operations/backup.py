"""Online backup and restore (`flask ppid backup`, `flask ppid restore`), see docs/operations.md.

A backup is one ``.tar.gz`` holding ``manifest.json``, the database (``database.sqlite3``, a copy
made with SQLite's online backup API, or ``database.pgdump``, ``pg_dump --format=custom``) and
``uploads/`` (the encrypted files, read from the upload storage: the instance folder or the S3
bucket, ``attachments.storage``). The manifest lists every file with its SHA-256 and whether it is
personal data (the database always; an upload when its attachment's purpose is in
``attachments.models.PERSONAL_PURPOSES``, or when no row names it); restore refuses an archive
whose files do not match it, and one made by a newer schema than this code knows.

Secrets are never included: without DATA_KEY (or ``instance/data.key``) the personal data in a
backup cannot be read, so keep the key separately from the backups.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import datetime
from importlib import metadata
from pathlib import Path

import click
from alembic.script import ScriptDirectory
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select, text
from sqlalchemy.engine import URL, make_url

from ..attachments.models import PERSONAL_PURPOSES, Attachment, is_personal
from ..attachments.storage import PARTIAL_SUFFIX, StoredFile, upload_storage
from ..dbtypes import utcnow
from ..extensions import db
from ..migrations_path import MIGRATIONS_DIR

commands = AppGroup("operations")  # registered on `flask ppid` by ppid_desk.operations.register

FORMAT = 1
MANIFEST = "manifest.json"
UPLOADS = "uploads"
DB_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
PG_BIN_DIRS = ("/usr/lib/postgresql/15/bin",)
KEY_NOTE = ("Secrets are not included. Personal data (NIK, legal-entity numbers, identity documents) "
            "is encrypted with DATA_KEY (or instance/data.key): keep that key separately; without it "
            "this backup's personal data cannot be read.")
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup could not be made, or an archive cannot be restored (message for the operator)."""


@dataclass(frozen=True)
class RestoreResult:
    revision: str | None
    upgraded: bool
    files: int


# --- helpers ----------------------------------------------------------------------------------

def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _app_version() -> str:
    try:
        return metadata.version("ppid-desk")
    except metadata.PackageNotFoundError:
        return "unknown"


def _url() -> URL:
    return make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])


def _dialect() -> str:
    name = _url().get_backend_name()
    if name not in DB_FILES:
        raise BackupError(f"unsupported database {name!r}: only SQLite and PostgreSQL")
    return name


def _current_revision() -> str | None:
    with db.engine.connect() as conn:
        try:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except Exception:  # noqa: BLE001 - an empty database has no alembic_version table
            return None


def _scripts() -> ScriptDirectory:
    return ScriptDirectory(str(MIGRATIONS_DIR))


def _sqlite_path() -> Path:
    database = _url().database
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(database)


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    for folder in PG_BIN_DIRS:
        candidate = Path(folder) / name
        if candidate.exists():
            return str(candidate)
    raise BackupError(f"{name} not found in PATH or {', '.join(PG_BIN_DIRS)}: install postgresql-client")


# libpq environment variables for URL query parameters (e.g. ?host=/run/postgresql&sslmode=require)
PG_QUERY_ENV = {"host": "PGHOST", "port": "PGPORT", "sslmode": "PGSSLMODE", "sslrootcert": "PGSSLROOTCERT",
                "sslcert": "PGSSLCERT", "sslkey": "PGSSLKEY", "connect_timeout": "PGCONNECT_TIMEOUT",
                "application_name": "PGAPPNAME", "passfile": "PGPASSFILE"}


def _pg_env() -> dict[str, str]:
    """The connection for pg_dump/pg_restore as libpq variables: nothing (least of all the
    password) appears on a command line that `ps` shows to every local user."""
    url = _url()
    env = dict(os.environ)  # libpq reads the same PG* variables the app's own driver does
    for key, value in url.query.items():
        if key in PG_QUERY_ENV:
            env[PG_QUERY_ENV[key]] = value if isinstance(value, str) else value[-1]
    for name, value in (("PGHOST", url.host), ("PGPORT", url.port), ("PGUSER", url.username),
                        ("PGPASSWORD", url.password), ("PGDATABASE", url.database)):
        if value:
            env[name] = str(value)
    return env


def _run_pg(args: list[str]) -> None:
    result = subprocess.run(args, env=_pg_env(), capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} failed ({result.returncode}): {result.stderr.strip()[-2000:]}")


def _upload_folder() -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"])


def _upload_files() -> list[StoredFile]:
    # ``.part`` files are local uploads being written (ppid_desk.attachments.storage): not yet data.
    return [f for f in upload_storage().files() if not f.name.endswith(PARTIAL_SUFFIX)]


def default_backup_path(now: datetime | None = None) -> Path:
    stamp = (now or utcnow()).strftime("%Y%m%d-%H%M%S")
    return Path(current_app.instance_path) / "backups" / f"ppid-backup-{stamp}.tar.gz"


# --- backup -----------------------------------------------------------------------------------

def backup_create(output: Path | None = None) -> Path:
    """Write a consistent backup of the running system to ``output`` (a ``.tar.gz``); return its path.

    The database is copied first (one consistent snapshot), the uploads after it: files are
    immutable (random names, written once), so every row of the snapshot finds its file unless
    the file was purged in between; files newer than the snapshot are harmless extras that the
    sweep removes after a restore."""
    dialect = _dialect()
    created = utcnow()
    output = Path(output) if output else default_backup_path(created)
    output.parent.mkdir(parents=True, exist_ok=True)
    db.session.remove()  # this command's own session holds no snapshot or lock
    revision = _current_revision()
    with tempfile.TemporaryDirectory(prefix="ppid-backup-", dir=output.parent) as work:
        staging = Path(work)
        db_file = staging / DB_FILES[dialect]
        if dialect == "sqlite":
            _sqlite_copy(_sqlite_path(), db_file)
        else:
            _run_pg([_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
                     "--file", str(db_file)])
        (staging / UPLOADS).mkdir()
        uploads = []
        storage = upload_storage()
        for stored in _upload_files():
            try:
                data = storage.read(stored.name)
            except FileNotFoundError:  # purged since the listing
                continue
            copy = staging / UPLOADS / stored.name
            copy.write_bytes(data)
            uploads.append(copy)
        entries = [db_file, *uploads]
        personal = _personal_entries(db_file, uploads)
        manifest = {
            "format": FORMAT,
            "app": "ppid-desk",
            "app_version": _app_version(),
            "alembic_revision": revision,
            "created_at": created.isoformat(timespec="seconds"),
            "db_dialect": dialect,
            "database": db_file.name,
            "files": [{"path": p.relative_to(staging).as_posix(), "size": p.stat().st_size,
                       "sha256": _sha256(p), "personal": p in personal} for p in entries],
            "personal_purposes": sorted(PERSONAL_PURPOSES),
            "secrets": KEY_NOTE,
        }
        partial = output.with_name(output.name + ".part")
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # personal data
        with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
            manifest_file = staging / MANIFEST
            manifest_file.write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
            archive.add(manifest_file, arcname=MANIFEST)
            for path in entries:
                archive.add(path, arcname=path.relative_to(staging).as_posix())
        os.replace(partial, output)
    return output


def _personal_entries(db_file: Path, uploads: list[Path]) -> set[Path]:
    """The archive's files that hold personal data: the database, and each upload whose row's
    purpose is personal (a file no row names, e.g. one purged since the listing, counts too)."""
    purposes = dict(db.session.execute(select(Attachment.stored_name, Attachment.purpose)).all())
    db.session.remove()
    return {db_file} | {path for path in uploads if is_personal(purposes.get(path.name, ""))}


def _sqlite_copy(source: Path, target: Path) -> None:
    """Copy a live SQLite database page by page under its own locks (works with WAL and writers)."""
    if not source.exists():
        raise BackupError(f"database file {source} does not exist")
    src = sqlite3.connect(source, timeout=30)  # only read; a WAL reader may need to touch -shm
    dst = sqlite3.connect(target)
    try:
        with dst:
            src.backup(dst)
    finally:
        dst.close()
        src.close()


# --- restore ----------------------------------------------------------------------------------

def read_verified(archive_path: Path, into: Path) -> dict:
    """Unpack ``archive_path`` into ``into`` and return its manifest, or raise BackupError when a
    file is missing, extra, unsafe or does not match its checksum."""
    try:
        archive = tarfile.open(archive_path, mode="r:gz")  # noqa: SIM115 - closed by the with below
    except (OSError, tarfile.TarError) as error:
        raise BackupError(f"{archive_path}: not a readable backup archive ({error})") from error
    with archive:
        try:
            members = archive.getmembers()
        except (OSError, tarfile.TarError, EOFError) as error:
            raise BackupError(f"{archive_path}: damaged archive ({error})") from error
        names = {}
        for member in members:
            name = member.name
            parts = Path(name).parts
            if not member.isfile() or name.startswith("/") or ".." in parts or name in names:
                raise BackupError(f"unexpected entry in the archive: {name!r}")
            names[name] = member
        if MANIFEST not in names:
            raise BackupError("the archive has no manifest.json: not a PPID Desk backup")
        try:
            manifest = json.loads(archive.extractfile(names.pop(MANIFEST)).read())
            listed = {entry["path"]: entry for entry in manifest["files"]}
        except (ValueError, KeyError, TypeError) as error:
            raise BackupError(f"unreadable manifest: {error}") from error
        if manifest.get("format") != FORMAT or manifest.get("db_dialect") not in DB_FILES:
            raise BackupError("unknown backup format")
        if set(listed) != set(names):
            missing, extra = sorted(set(listed) - set(names)), sorted(set(names) - set(listed))
            raise BackupError(f"archive and manifest disagree (missing: {missing}, not listed: {extra})")
        for name, member in names.items():
            if name != manifest.get("database") and not (name.startswith(UPLOADS + "/") and len(Path(name).parts) == 2):
                raise BackupError(f"unexpected entry in the archive: {name!r}")
            target = into / name
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                with archive.extractfile(member) as source, open(target, "wb") as sink:
                    shutil.copyfileobj(source, sink, CHUNK)
            except (OSError, tarfile.TarError, EOFError) as error:
                raise BackupError(f"damaged archive at {name}: {error}") from error
            if _sha256(target) != listed[name].get("sha256"):
                raise BackupError(f"checksum mismatch for {name}: the backup is damaged or was altered")
    return manifest


def _check_revision(revision: str | None) -> bool:
    """True when the database must be upgraded after the restore; BackupError for a newer schema."""
    scripts = _scripts()
    head = scripts.get_current_head()
    if revision == head:
        return False
    if revision is None:
        return True
    try:
        known = scripts.get_revision(revision)
    except Exception:  # noqa: BLE001 - alembic raises several kinds for an unknown id
        known = None
    if known is None:
        raise BackupError(f"the backup's schema revision {revision} is unknown to this version "
                          f"(head {head}): it was made by a newer PPID Desk; upgrade the code first")
    return True


def backup_restore(archive_path: Path) -> RestoreResult:
    """Replace the database and the uploads with those of a verified backup, then upgrade the
    schema when the backup is older. Stop the web workers and the sweep while it runs."""
    dialect = _dialect()
    storage = upload_storage()
    folder, instance = _upload_folder().resolve(), Path(current_app.instance_path).resolve()
    if storage.kind == "local" and (folder == instance or folder in instance.parents):
        # the restore empties it of other files
        raise BackupError(f"UPLOAD_FOLDER ({folder}) must be a folder of its own, not the instance folder")
    with tempfile.TemporaryDirectory(prefix="ppid-restore-") as work:
        staging = Path(work)
        manifest = read_verified(Path(archive_path), staging)
        if manifest["db_dialect"] != dialect:
            raise BackupError(f"the backup is of a {manifest['db_dialect']} database; "
                              f"this installation uses {dialect}")
        revision = manifest.get("alembic_revision")
        upgrade_needed = _check_revision(revision)
        db.session.remove()
        db.engine.dispose()  # no pooled connection of ours holds a lock during the restore
        database = staging / manifest["database"]
        if dialect == "sqlite":
            _sqlite_restore(database, _sqlite_path())
        else:
            _run_pg([_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",
                     "--single-transaction", "--exit-on-error", "--dbname", _url().database or "",
                     str(database)])
        files = _restore_uploads(staging / UPLOADS)
        db.engine.dispose()
    if upgrade_needed:
        from flask_migrate import upgrade

        upgrade()
    return RestoreResult(revision=revision, upgraded=upgrade_needed, files=files)


def _sqlite_restore(source: Path, target: Path) -> None:
    """Write the backup into the live file with the backup API: one locked, atomic copy that open
    connections see as an ordinary change (a renamed file would leave them on the old inode)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target, timeout=60)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def _restore_uploads(source: Path) -> int:
    """Make the upload storage (folder or bucket prefix) hold exactly the backup's files, each
    written whole."""
    storage = upload_storage()
    wanted = {p.name: p for p in source.iterdir()} if source.is_dir() else {}
    for name, path in wanted.items():
        storage.write(name, path.read_bytes())
    for stored in storage.files():
        if stored.name not in wanted:
            storage.delete(stored.name)
    return len(wanted)


# --- commands ---------------------------------------------------------------------------------

@commands.command("backup")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Archive to write (default: instance/backups/ppid-backup-YYYYMMDD-HHMMSS.tar.gz).")
def backup_command(output: Path | None) -> None:
    """Back up the database and the uploads into one archive, while the app keeps running.
    DATA_KEY is not included: keep it separately."""
    try:
        path = backup_create(output)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"backup written: {path}")
    click.echo("note: DATA_KEY is not in the backup; without it the personal data cannot be read.")


@commands.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_command(archive: Path, yes: bool) -> None:
    """Replace the database and the uploads with the backup ARCHIVE (stop the app first)."""
    if not yes:
        click.confirm(f"Replace the database and all uploads with {archive}?", abort=True)
    try:
        result = backup_restore(archive)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"restored {archive}: schema {result.revision}, {result.files} file(s)"
               + ("; database upgraded to the current schema" if result.upgraded else ""))
