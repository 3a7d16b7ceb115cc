"""What happens next on a request (issue 14 item 6): one function, every state in a table, and the
sentence at the top of the applicant's page as a fresh request reads it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest

from ppid_desk.requests.next_step import NextStep, next_step

D = date
DUE = D(2026, 12, 10)  # the written notice is due (Thursday)
AT = datetime(2026, 12, 8, 3, 0, tzinfo=UTC)


def request(**fields) -> SimpleNamespace:
    """The columns ``next_step`` reads, as an open request registered with a 10 December due."""
    values = {"status": "registered", "notice_due": DUE, "extended_due": None, "legal_due": None,
              "completion_due": None, "notice_at": None, "notice_on": None, "outcome": None,
              "provide_by": None, "delivered_on": None, "delivered_at": None, "release_due": None,
              "released_at": None, "closed_at": None}
    values.update(fields)
    values["current_due"] = values["extended_due"] or values["notice_due"]
    return SimpleNamespace(**values)


NOTICE = {"status": "notice_issued", "notice_at": AT, "notice_on": D(2026, 12, 8)}

CASES = [
    # (what, fields, today, step, the day it names)
    ("registered, before the due", {}, D(2026, 12, 1), NextStep.NOTICE_BY, DUE),
    ("routed, on the due day itself", {"status": "routed"}, DUE, NextStep.NOTICE_BY, DUE),
    ("answered by the unit, the day after", {"status": "answered"}, DUE + timedelta(days=1),
     NextStep.NOTICE_OVERDUE, DUE),
    ("extended validly: the new due", {"extended_due": D(2026, 12, 21), "legal_due": D(2026, 12, 21)},
     D(2026, 12, 15), NextStep.NOTICE_BY, D(2026, 12, 21)),
    ("extended too late: overdue from the first due", {"extended_due": D(2026, 12, 21), "legal_due": DUE},
     D(2026, 12, 15), NextStep.NOTICE_OVERDUE, DUE),
    ("incomplete with a completion letter", {"status": "incomplete", "completion_due": D(2026, 12, 17)},
     D(2026, 12, 3), NextStep.COMPLETE, D(2026, 12, 17)),
    ("incomplete, letter not issued yet", {"status": "incomplete"}, D(2026, 12, 3), NextStep.COMPLETE, None),
    ("granted, promised by a day", {**NOTICE, "outcome": "granted_full", "provide_by": D(2026, 12, 14)},
     D(2026, 12, 14), NextStep.PROVIDE_BY, D(2026, 12, 14)),
    ("granted, the promised day passed", {**NOTICE, "outcome": "granted_partial", "provide_by": D(2026, 12, 14)},
     D(2026, 12, 15), NextStep.PROVIDE_OVERDUE, D(2026, 12, 14)),
    ("granted, an older notice without a promised day", {**NOTICE, "outcome": "granted_full"},
     D(2026, 12, 9), NextStep.PROVIDE_BY, DUE),
    ("delivered", {**NOTICE, "status": "delivered", "outcome": "granted_full", "provide_by": D(2026, 12, 14),
                   "delivered_on": D(2026, 12, 11)}, D(2027, 1, 5), NextStep.DONE_DELIVERED, D(2026, 12, 11)),
    ("refused", {**NOTICE, "status": "closed", "outcome": "refused"}, D(2026, 12, 9),
     NextStep.DONE_REFUSED, D(2026, 12, 8)),
    ("not held", {**NOTICE, "status": "closed", "outcome": "not_held"}, D(2026, 12, 9),
     NextStep.DONE_REFUSED, D(2026, 12, 8)),
    ("withdrawn", {"status": "withdrawn", "closed_at": AT}, D(2026, 12, 9), NextStep.DONE_WITHDRAWN, None),
    ("closed, not completed", {"status": "not_completed", "completion_due": D(2026, 12, 1)}, D(2026, 12, 9),
     NextStep.DONE_NOT_COMPLETED, None),
    ("Atasan ordered release", {**NOTICE, "status": "closed", "outcome": "refused",
                                "release_due": D(2027, 1, 20)}, D(2027, 1, 20), NextStep.RELEASE_BY, D(2027, 1, 20)),
    ("Atasan's order not complied with", {**NOTICE, "status": "closed", "outcome": "refused",
                                          "release_due": D(2027, 1, 20)}, D(2027, 1, 21),
     NextStep.RELEASE_OVERDUE, D(2027, 1, 20)),
    ("Atasan's order complied with", {**NOTICE, "status": "closed", "outcome": "refused",
                                      "release_due": D(2027, 1, 20), "released_at": AT + timedelta(days=40)},
     D(2027, 1, 25), NextStep.DONE_REFUSED, D(2026, 12, 8)),
]


@pytest.mark.parametrize(("fields", "today", "kind", "day"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_next_step_table(fields, today, kind, day):
    step = next_step(request(**fields), today)
    assert (step.kind, step.day) == (kind, day)
    assert step.finished == kind.startswith("done")
    assert step.overdue == kind.endswith("overdue")
