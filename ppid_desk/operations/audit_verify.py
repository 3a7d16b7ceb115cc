"""`flask ppid audit verify`: check every subject's hash chain in the event log (DESIGN §8).

Each event stores the hash of the previous event of the same subject and a hash of its own
content (``ppid_desk.audit.services``). The check reads the log subject by subject in id order
and reports every chain with an edited event (its content no longer matches its hash), a deleted
event in the middle or a changed order (a ``prev_hash`` that is not the previous event's hash).

Deleting the LAST event(s) of a subject leaves a shorter, still valid chain, which no per-subject
check can see. So each run also prints an anchor, ``ID:DIGEST`` (the highest event id and a
digest of every subject's last hash): kept outside the server and passed back with ``--anchor``,
it proves that no event up to that id was deleted or changed since. Events after the newest
kept anchor are protected by their chains only (and, for requests, by
`flask ppid rebuild-cache --check` when a deleted event had changed the request's state).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field

import click
from flask.cli import AppGroup
from sqlalchemy import select

from ..audit.models import Event
from ..audit.services import chain_problem
from ..extensions import db

commands = AppGroup("operations")  # registered on `flask ppid` by ppid_desk.operations.register


@dataclass(frozen=True)
class BrokenChain:
    subject_type: str
    subject_id: int
    event_id: int  # the first event where the chain breaks
    kind: str  # that event's kind
    problem: str  # "edited" or "broken link"
    events: int  # events the subject has

    def line(self) -> str:
        return (f"{self.subject_type} {self.subject_id}: {self.problem} at event {self.event_id} "
                f"({self.kind}) of {self.events}")


FIELDS = (Event.id, Event.at, Event.actor_label, Event.subject_type, Event.subject_id, Event.kind, Event.data,
          Event.prev_hash, Event.hash)


def _chains(batch: int) -> Iterator[list]:
    """Every subject's events (rows with the Event's fields) in id order, streamed in batches."""
    query = (select(*FIELDS).order_by(Event.subject_type, Event.subject_id, Event.id)
             .execution_options(yield_per=batch))
    chain: list = []
    for event in db.session.execute(query):
        if chain and (chain[-1].subject_type, chain[-1].subject_id) != (event.subject_type, event.subject_id):
            yield chain
            chain = []
        chain.append(event)
    if chain:
        yield chain


@dataclass
class Verification:
    subjects: int = 0
    events: int = 0
    broken: list[BrokenChain] = field(default_factory=list)
    anchors: dict[int, str] = field(default_factory=dict)  # event id -> anchor of the log up to it
    last_id: int = 0

    @property
    def anchor(self) -> str:
        return self.anchors.get(self.last_id, "")


def _anchor(upto: int, heads: list[tuple[str, int, str]]) -> str:
    """``ID:DIGEST``: the id and a digest of every subject's last hash among events up to that id."""
    digest = hashlib.sha256()
    for subject_type, subject_id, head in sorted(heads):
        digest.update(f"{subject_type}:{subject_id}:{head}\n".encode())
    return f"{upto}:{digest.hexdigest()}"


def audit_log_verify(*, batch: int = 2000, anchor_ids: tuple[int, ...] = ()) -> Verification:
    """Check every subject's chain and compute the log's anchor (and those of ``anchor_ids``); reads only.

    An anchor kept from an earlier run (outside the database) catches what chains alone cannot:
    a deleted last event of a subject, or a whole subject's events deleted, up to that anchor."""
    result = Verification()
    heads: dict[int, list[tuple[str, int, str]]] = {upto: [] for upto in anchor_ids}
    everything: list[tuple[str, int, str]] = []
    for chain in _chains(batch):
        result.subjects += 1
        result.events += len(chain)
        result.last_id = max(result.last_id, chain[-1].id)
        everything.append((chain[0].subject_type, chain[0].subject_id, chain[-1].hash))
        for upto, found in heads.items():
            before = [event for event in chain if event.id <= upto]
            if before:
                found.append((chain[0].subject_type, chain[0].subject_id, before[-1].hash))
        problem = chain_problem(chain)
        if problem:
            event, why = problem
            result.broken.append(BrokenChain(event.subject_type, event.subject_id, event.id, event.kind, why,
                                             len(chain)))
    result.anchors = {upto: _anchor(upto, found) for upto, found in heads.items()}
    result.anchors[result.last_id] = _anchor(result.last_id, everything)
    return result


def _anchor_id(ctx, param, values: tuple[str, ...]) -> tuple[str, ...]:
    values = tuple(value.strip() for value in values if value.strip())  # an empty one: none kept yet
    for value in values:
        upto, _, digest = value.partition(":")
        if not upto.isdigit() or len(digest) != 64:
            raise click.BadParameter(f"{value!r}: expected ID:DIGEST as printed by an earlier run")
    return values


@commands.group("audit")
def audit_group() -> None:
    """The tamper-evident event log."""


@audit_group.command("verify")
@click.option("--anchor", "anchors", multiple=True, callback=_anchor_id,
              help="An anchor (ID:DIGEST) printed by an earlier run: check nothing up to it was deleted.")
def audit_verify(anchors: tuple[str, ...]) -> None:
    """Check every subject's hash chain; print each broken one and exit 1 if any.

    Prints the log's anchor: keep it outside the server (see docs/operations.md) and pass it
    back with --anchor to detect deleted last events too."""
    result = audit_log_verify(anchor_ids=tuple(int(a.partition(":")[0]) for a in anchors))
    db.session.rollback()
    failed = False
    for chain in result.broken:
        click.echo(chain.line())
    for anchor in anchors:
        if result.anchors[int(anchor.partition(":")[0])] != anchor:
            failed = True
            click.echo(f"anchor {anchor} does not match: events up to that id were deleted or changed")
    if result.broken:
        failed = True
        click.echo(f"{len(result.broken)} broken chain(s) among {result.subjects} subject(s), "
                   f"{result.events} event(s)", err=True)
    if failed:
        raise click.exceptions.Exit(1)
    click.echo(f"event log intact: {result.subjects} subject(s), {result.events} event(s)"
               + (f"; {len(anchors)} anchor(s) match" if anchors else ""))
    click.echo(f"anchor: {result.anchor}")
