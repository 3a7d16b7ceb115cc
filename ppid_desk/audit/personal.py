"""Personal values in the hash-chained event log: references and crypto-shredding (UU 27/2022).

An event's hash covers its actor label and payload as stored, so nothing in a written event can
change without breaking the chain. A value that identifies an applicant is therefore never
written into the chain in plain:

* **References** for actor labels. A guest applicant acting on their request is logged as
  ``GUEST_APPLICANT``, a citizen account (no staff role) as ``CITIZEN_ACCOUNT`` with its id in
  ``actor_id`` (which is not hashed). The timeline resolves them when it is shown
  (``actor_shown``): the applicant's current name, or the account's, and "[dihapus]" once
  `flask ppid purge` blanked the applicant and unlinked the account; an account its citizen
  deleted resolves as the guest applicant of the event's request. Staff are logged by name:
  they act in office and the log exists to hold them to account.
* **Ciphertext under a per-subject key** for payload values (the address an e-mail went to, an
  SMTP error quoting it, what an applicant wrote when completing a request): ``seal`` encrypts
  with the applicant's own key (a ``SubjectKey`` row, itself under the data key) and stores
  ``{"subject_key": id, "ciphertext": token}``. The purge deletes the key: the ciphertext stays,
  hashed and verifiable, and unreadable for good (``unseal`` gives "[dihapus]").

Events written before this module existed hold such values in plain; they cannot be changed, so
the purge lists them (``plain_personal_events``) and docs/operations.md says so.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from flask_babel import gettext as _
from sqlalchemy import bindparam, delete, select

from ..extensions import db
from ..rows import row_insert, transaction_memo
from .models import Event, SubjectKey

GUEST_APPLICANT = "ref:applicant"  # the applicant of the event's subject, acting without an account
CITIZEN_ACCOUNT = "ref:account"  # the citizen account in the event's actor_id
SEALED = "subject_key"  # the marker key of a sealed payload value


def removed() -> str:
    """What a timeline shows for a value the purge removed or shredded."""
    return _("[dihapus]")


# --- actor labels -------------------------------------------------------------------------------

def actor_label_of(actor) -> str:
    """The label stored for ``actor`` when the caller gives none: never a citizen's name."""
    if actor is None:
        return "Sistem"
    from ..accounts.models import Role

    if not actor.roles - {Role.PEMOHON.value}:
        return CITIZEN_ACCOUNT
    return actor.name


def _applicant_of(subject_type: str, subject_id: int):
    from ..objections.models import Objection
    from ..requests.models import InformationRequest

    if subject_type == "request":
        item = db.session.get(InformationRequest, subject_id)
    elif subject_type == "objection":
        objection = db.session.get(Objection, subject_id)
        item = objection.request if objection is not None else None
    else:
        item = None
    return item.applicant if item is not None else None


def actor_shown(event: Event) -> str:
    """The actor of ``event`` as a timeline shows it (references resolved, purged ones removed)."""
    label = event.actor_label
    if label == CITIZEN_ACCOUNT:
        from ..accounts.models import User

        user = db.session.get(User, event.actor_id) if event.actor_id is not None else None
        if user is None or user.deleted_at is None:
            return user.name if user is not None else removed()
        label = GUEST_APPLICANT  # a deleted account: its requests are the applicant's, as a guest's
    if label == GUEST_APPLICANT:
        applicant = _applicant_of(event.subject_type, event.subject_id)
        name = applicant.name if applicant is not None and applicant.purged_at is None else removed()
        return _("%(name)s (pemohon, tanpa akun)", name=name)
    return label


# --- sealed payload values ------------------------------------------------------------------------

_KEYS = SubjectKey.__table__
_KEY = (select(_KEYS.c.id, _KEYS.c.key).where(_KEYS.c.applicant_id == bindparam("applicant_id"))
        .order_by(_KEYS.c.id).limit(1))  # built once, on the table: every sealed value runs it


# The keys this transaction read or made, by applicant id; None for an applicant it inserted
# (``subject_begins``: no key yet). Dropped when the transaction or a savepoint ends.
_KNOWN_KEYS = "audit_subject_keys"
_UNREAD = object()


def subject_begins(applicant_id: int) -> None:
    """The applicant was inserted by this transaction: it has no key yet, so sealing its first
    value reads none. (Applicants are never deleted: a new id has no key of an old row.)"""
    transaction_memo(_KNOWN_KEYS).setdefault(applicant_id, None)


def _key_of(applicant_id: int):
    """The applicant's key (``id`` and ``key``), made now if it has none. A new key is inserted
    as soon as it is made (``row_insert``): the look-up needs no autoflush."""
    known = transaction_memo(_KNOWN_KEYS)
    key = known.get(applicant_id, _UNREAD)
    if key is _UNREAD:
        key = db.session.execute(_KEY, {"applicant_id": applicant_id}).first()
    if key is None:
        key = row_insert(SubjectKey, applicant_id=applicant_id, key=Fernet.generate_key().decode("ascii"))
    known[applicant_id] = key
    return key


def seal(applicant_id: int, value: str | None) -> dict | None:
    """``value`` encrypted with the applicant's own key, for an event payload; a new key is
    inserted at once (``rows.row_insert``: the applicant's row must be in the database)."""
    if value is None:
        return None
    key = _key_of(applicant_id)
    token = Fernet(key.key.encode("ascii")).encrypt(str(value).encode())
    return {SEALED: key.id, "ciphertext": token.decode("ascii")}


def is_sealed(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {SEALED, "ciphertext"}


def unseal(value: Any, *, shredded: str | None = None) -> Any:
    """The plain value of a sealed one (others as they are); ``shredded`` (default "[dihapus]")
    when its key was destroyed by the purge."""
    if not is_sealed(value):
        return value
    key = db.session.get(SubjectKey, value[SEALED])
    if key is not None:
        try:
            return Fernet(key.key.encode("ascii")).decrypt(value["ciphertext"].encode("ascii")).decode()
        except InvalidToken:
            # Sealed with a key the purge destroyed whose id SQLite gave to a newer key (a rowid
            # is reused once the highest row is deleted): shredded all the same, never a crash.
            pass
    return removed() if shredded is None else shredded


def unsealed(data: dict | None) -> dict | None:
    """A payload with its top-level sealed values opened (for showing it)."""
    if data is None:
        return None
    return {name: unseal(value) for name, value in data.items()}


def subject_keys_destroy(applicant_id: int) -> int:
    """Delete the applicant's keys: every value sealed with them becomes unreadable; flush only."""
    transaction_memo(_KNOWN_KEYS).pop(applicant_id, None)  # a later seal reads (or makes) a key again
    result = db.session.execute(delete(SubjectKey).where(SubjectKey.applicant_id == applicant_id))
    return result.rowcount


# --- what older events still hold -------------------------------------------------------------

def identifier_pattern(values: Iterable[str | None]) -> re.Pattern | None:
    """A case-insensitive pattern matching any of ``values`` as a whole word (None if none usable)."""
    words = sorted({v.strip() for v in values if v and len(v.strip()) >= 3}, key=len, reverse=True)
    if not words:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)", re.IGNORECASE)


def plain_personal_events(events: Iterable[Event], pattern: re.Pattern | None) -> list[int]:
    """Ids of the events whose label or payload holds a value of ``pattern`` in plain: written
    before personal values were sealed (or typed into a staff text), they cannot be changed."""
    import json

    if pattern is None:
        return []
    found = []
    for event in events:
        text = event.actor_label + "\n" + json.dumps(event.data, ensure_ascii=False, default=str)
        if pattern.search(text):
            found.append(event.id)
    return found
