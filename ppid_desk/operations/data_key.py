"""The data key: checked when the app starts, and `flask ppid data-key rotate` (see ppid_desk/privacy.py)."""

from __future__ import annotations

import click
from cryptography.fernet import InvalidToken
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select, text

from ..extensions import db
from ..privacy import accepting, legacy_secret_key

commands = AppGroup("operations")  # registered on `flask ppid` by ppid_desk.operations.register

ENCRYPTED_COLUMNS = (("applicant", "nik"), ("applicant", "legal_approval_number"), ("subject_key", "key"),
                     ("consultation", "contact_name"), ("consultation", "contact"))


def data_key_rotate(*, legacy_secret: bool = False) -> dict[str, int]:
    """Re-encrypt every encrypted column and stored file (in the upload storage) with the current DATA_KEY.

    Tokens made with a key of DATA_KEYS (or, with ``legacy_secret``, with the key that older
    versions derived from SECRET_KEY) become tokens of DATA_KEY; afterwards the old keys can go.
    Flushes only; the caller commits (files are rewritten in place, each atomically)."""
    from ..attachments.models import Attachment
    from ..attachments.storage import upload_storage

    config = current_app.config
    legacy = [legacy_secret_key(config["SECRET_KEY"])] if legacy_secret else []
    fernet = accepting(config["DATA_KEY"], *config["DATA_KEYS"], *legacy)
    counts = {"values": 0, "files": 0, "missing_files": 0}
    connection = db.session.connection()
    for table, column in ENCRYPTED_COLUMNS:
        rows = connection.execute(text(f"SELECT id, {column} FROM {table} WHERE {column} IS NOT NULL")).all()
        for row_id, token in rows:
            rotated = fernet.rotate(token.encode("ascii")).decode("ascii")
            connection.execute(text(f"UPDATE {table} SET {column} = :value WHERE id = :id"),
                               {"value": rotated, "id": row_id})
            counts["values"] += 1
    storage = upload_storage()
    for stored_name in db.session.scalars(select(Attachment.stored_name).where(Attachment.encrypted.is_(True))):
        try:
            rotated = fernet.rotate(storage.read(stored_name))
        except FileNotFoundError:
            counts["missing_files"] += 1
            continue
        storage.write(stored_name, rotated)  # whole or not at all (a rename, or one S3 PUT)
        counts["files"] += 1
    return counts


@commands.group("data-key")
def data_key_group() -> None:
    """The key that encrypts personal data at rest (DATA_KEY, DATA_KEYS)."""


@data_key_group.command("rotate")
@click.option("--legacy-secret", is_flag=True,
              help="Also accept the key older versions derived from SECRET_KEY (upgrade from them once).")
def data_key_rotate_command(legacy_secret: bool) -> None:
    """Re-encrypt NIK, legal-entity numbers, the event log's subject keys and uploaded files with DATA_KEY."""
    try:
        counts = data_key_rotate(legacy_secret=legacy_secret)
    except InvalidToken as error:
        db.session.rollback()
        raise click.ClickException("a value or file is encrypted with a key that is neither DATA_KEY nor in "
                                   "DATA_KEYS (try --legacy-secret after an upgrade); nothing changed in the "
                                   "database") from error
    db.session.commit()
    click.echo(f"re-encrypted {counts['values']} value(s) and {counts['files']} file(s)"
               + (f"; {counts['missing_files']} file(s) missing" if counts["missing_files"] else ""))
