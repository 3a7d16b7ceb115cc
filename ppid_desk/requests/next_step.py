"""What happens next on a request, and by when: the one sentence that heads the applicant's page.

Pure (no Flask, no database): derived from the request's cached columns and today's date, so
the table-driven tests in ``tests/test_next_step.py`` can walk every state. The sentence itself
is in ``labels.NEXT_STEP_SENTENCES`` (translated at render time).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from .models import InformationRequest, Outcome, RequestStatus


class NextStep(StrEnum):
    # The applicant must act.
    COMPLETE = "complete"  # incomplete: complete it before completion_due
    # The body must act; the date is the legal limit.
    NOTICE_BY = "notice_by"  # the written notice by the (extended) notice deadline
    NOTICE_OVERDUE = "notice_overdue"  # that deadline passed without a notice (ground c)
    PROVIDE_BY = "provide_by"  # the notice promised the information by a day
    PROVIDE_OVERDUE = "provide_overdue"  # that day passed without delivery (grounds e, g)
    RELEASE_BY = "release_by"  # the Atasan PPID ordered release by a day
    RELEASE_OVERDUE = "release_overdue"
    # Nothing more is due from the body on the request itself.
    DONE_DELIVERED = "done_delivered"
    DONE_REFUSED = "done_refused"  # refused or not held: the notice is the answer
    DONE_WITHDRAWN = "done_withdrawn"
    DONE_NOT_COMPLETED = "done_not_completed"
    DONE = "done"  # closed otherwise


FINISHED = frozenset({NextStep.DONE_DELIVERED, NextStep.DONE_REFUSED, NextStep.DONE_WITHDRAWN,
                      NextStep.DONE_NOT_COMPLETED, NextStep.DONE})
NOTHING_DELIVERED = frozenset({Outcome.REFUSED, Outcome.NOT_HELD})


@dataclass(frozen=True)
class Step:
    kind: NextStep
    day: date | None  # the date the sentence names (None: none to name)

    @property
    def finished(self) -> bool:
        return self.kind in FINISHED

    @property
    def overdue(self) -> bool:
        return self.kind in (NextStep.NOTICE_OVERDUE, NextStep.PROVIDE_OVERDUE, NextStep.RELEASE_OVERDUE)


def next_step(item: InformationRequest, today: date) -> Step:
    """What happens next on ``item`` as seen on ``today`` (the body's local date)."""
    status = item.status
    if status == RequestStatus.WITHDRAWN:
        return Step(NextStep.DONE_WITHDRAWN, None)
    if status == RequestStatus.NOT_COMPLETED:
        return Step(NextStep.DONE_NOT_COMPLETED, None)
    if item.release_due is not None and item.released_at is None:
        # An Atasan's order to release outranks what the notice said (Pasal 36, overturned).
        kind = NextStep.RELEASE_OVERDUE if today > item.release_due else NextStep.RELEASE_BY
        return Step(kind, item.release_due)
    if item.notice_at is None:
        if status == RequestStatus.INCOMPLETE and item.completion_due is not None:
            return Step(NextStep.COMPLETE, item.completion_due)
        due = item.legal_due or item.current_due
        if status == RequestStatus.INCOMPLETE:  # asked to complete, no letter with a date yet
            return Step(NextStep.COMPLETE, None)
        if status == RequestStatus.CLOSED:
            return Step(NextStep.DONE, None)
        if today > due:  # the deadline the law measures (an extension made too late does not count)
            return Step(NextStep.NOTICE_OVERDUE, due)
        return Step(NextStep.NOTICE_BY, item.current_due)
    if item.outcome in NOTHING_DELIVERED:
        return Step(NextStep.DONE_REFUSED, item.notice_on)
    if item.delivered_on is not None or status == RequestStatus.DELIVERED:
        return Step(NextStep.DONE_DELIVERED, item.delivered_on)
    if status == RequestStatus.CLOSED:
        return Step(NextStep.DONE, None)
    promised = item.provide_by or item.legal_due or item.current_due
    return Step(NextStep.PROVIDE_OVERDUE if today > promised else NextStep.PROVIDE_BY, promised)
