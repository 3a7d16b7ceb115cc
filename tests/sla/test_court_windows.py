"""The court stage's windows after the Komisi Informasi, on the decreed reference holidays
(tests/data): 14 working days to go to the PTUN/PN after the KI's adjudication decision is
received (UU KIP Pasal 48(1)), 14 calendar days for kasasi after the court's decision is received
(Pasal 50: "14 (empat belas) hari", not "hari kerja"). Hand-counted, receipts on weekends,
holidays and cuti bersama; then which decision is final (inkracht) on a given day."""

from __future__ import annotations

import csv
from datetime import date
from functools import cache
from pathlib import Path

import pytest

from ppid_desk.objections.dispute_selectors import appeal_windows, final_decision
from ppid_desk.objections.models import CourtCase, Dispute
from ppid_desk.sla import (
    ClockRules,
    ClosedDay,
    ClosureKind,
    WorkingCalendar,
    cassation_filing_due,
    court_filing_due,
)

D = date.fromisoformat
RULES = ClockRules()


@cache
def reference_rows() -> tuple[ClosedDay, ...]:
    path = Path(__file__).resolve().parents[1] / "data" / "id-holidays-2024-2026.csv"
    with path.open(newline="", encoding="utf-8") as f:
        return tuple(ClosedDay(D(r["date"]), ClosureKind(r["kind"]), r["name"]) for r in csv.DictReader(f))


def calendar(cb_non_working: bool = True) -> WorkingCalendar:
    return WorkingCalendar(lambda year: [r for r in reference_rows() if r.day.year == year],
                           cuti_bersama_non_working=cb_non_working)


# (the KI's decision received, last day to go to the PTUN/PN, how it was counted by hand)
COURT_WINDOWS = [
    ("2026-04-01", "2026-04-22", "Wed; Thu 2 (1), Good Friday 3 Apr skipped, 6–10 (2–6), 13–17 (7–11), 20–22 (12–14)"),
    ("2026-03-14", "2026-04-10", "Sat; Mon 16 (1), Tue 17 (2), 18 cuti, 19 Nyepi, 20 cuti, 23–24 cuti Idul Fitri, "
                                 "25–27 (3–5), 30–31 (6–7), 1–2 Apr (8–9), Good Friday 3 Apr, 6–10 (10–14)"),
    ("2026-02-17", "2026-03-09", "Tue, Imlek (a holiday); 18–20 Feb (1–3), 23–27 (4–8), 2–6 Mar (9–13), 9 Mar (14)"),
    ("2026-02-16", "2026-03-09", "Mon, cuti bersama Imlek; 17 Imlek skipped, then as above"),
    ("2025-12-19", "2026-01-13", "Fri; 22–24 Dec (1–3), 25 Natal, 26 cuti, 29–31 (4–6), 1 Jan skipped, "
                                 "2 Jan (7), 5–9 (8–12), 12–13 (13–14)"),
    ("2026-04-22", "2026-05-13", "Wed; 23–24 (1–2), 27–30 (3–6), 1 May Labour Day, 4–8 (7–11), 11–13 (12–14)"),
    ("2026-05-13", "2026-06-09", "Wed; 14 Ascension, 15 cuti, 18–22 (1–5), 25–26 (6–7), 27 Idul Adha, 28 cuti, "
                                 "29 (8), 31 Waisak on a Sunday, 1 Jun Pancasila, 2–5 (9–12), 8–9 (13–14)"),
]


@pytest.mark.parametrize(("received", "due", "why"), COURT_WINDOWS, ids=[row[0] for row in COURT_WINDOWS])
def test_court_window_is_14_working_days_after_the_decision_is_received(received, due, why):
    cal = calendar()
    assert court_filing_due(D(received), cal, RULES) == D(due), why
    assert cal.working_days_between(D(received), D(due)) == 14
    assert cal.is_working_day(D(due))


def test_court_window_with_cuti_bersama_as_working_days():
    # Sat 14 Mar 2026 with cuti bersama counted: 16 (1), 17 (2), 18 (3), 19 Nyepi, 20 (4), 23–27 (5–9),
    # 30–31 (10–11), 1–2 Apr (12–13), Good Friday 3 Apr, Mon 6 Apr (14).
    assert court_filing_due(D("2026-03-14"), calendar(cb_non_working=False), RULES) == D("2026-04-06")


def test_court_window_length_is_a_setting():
    assert court_filing_due(D("2026-04-01"), calendar(), ClockRules(court_filing_wd=1)) == D("2026-04-02")


# (the PTUN/PN decision received, last day for kasasi): calendar days, a weekend or holiday not skipped
CASSATION_WINDOWS = [
    ("2026-04-10", "2026-04-24"),  # Fri → Fri
    ("2026-03-14", "2026-03-28"),  # received on a Saturday; the last day is a Saturday too, not moved
    ("2026-03-18", "2026-04-01"),  # received on cuti bersama Nyepi; Idul Fitri days counted like any day
    ("2025-12-17", "2025-12-31"),  # Natal and its cuti bersama counted
    ("2026-12-24", "2027-01-07"),  # across the year
    ("2026-05-01", "2026-05-15"),  # received on Labour Day; ends on cuti bersama Ascension, not moved
]


@pytest.mark.parametrize(("received", "due"), CASSATION_WINDOWS, ids=[row[0] for row in CASSATION_WINDOWS])
def test_kasasi_window_is_14_calendar_days(received, due):
    assert cassation_filing_due(D(received), RULES) == D(due)
    assert (D(due) - D(received)).days == 14


def test_windows_per_party_and_the_applicants_assumed_receipt():
    cal = calendar()
    body, applicant = appeal_windows("first", D("2026-04-01"), None, cal, RULES)
    assert (body.party, body.due, body.assumed, body.working_days) == ("body", D("2026-04-22"), False, True)
    assert (applicant.party, applicant.received, applicant.due, applicant.assumed) == (
        "applicant", D("2026-04-01"), D("2026-04-22"), True)
    # the applicant received it later (Mon 6 Apr): 7–10 (1–4), 13–17 (5–9), 20–24 (10–14)
    body, applicant = appeal_windows("first", D("2026-04-01"), D("2026-04-06"), cal, RULES)
    assert (applicant.due, applicant.assumed) == (D("2026-04-24"), False)
    # only the applicant's receipt is known: no window for the body
    [only] = appeal_windows("first", None, D("2026-04-06"), cal, RULES)
    assert only.party == "applicant"
    assert appeal_windows("first", None, None, cal, RULES) == ()
    [body, applicant] = appeal_windows("cassation", D("2026-04-10"), D("2026-04-13"), cal, RULES)
    assert (body.due, applicant.due, body.working_days) == (D("2026-04-24"), D("2026-04-27"), False)


@pytest.mark.parametrize(("filed", "today", "state"), [
    (None, "2026-04-21", "open"), (None, "2026-04-22", "due_today"), (None, "2026-04-23", "passed"),
    ("2026-04-22", "2026-05-01", "used"), ("2026-04-23", "2026-05-01", "late"),
])
def test_a_window_reads_open_due_passed_used_or_late(filed, today, state):
    [body, _applicant] = appeal_windows("first", D("2026-04-01"), None, calendar(), RULES)
    assert body.state(D(today), D(filed) if filed else None) == state


# --- the final decision ----------------------------------------------------------------------------

def dispute(ki="granted_full", decided="2026-03-30", body="2026-04-01", applicant=None, cases=()) -> Dispute:
    """A dispute as rows hold it (transient: the rule reads only its columns)."""
    row = Dispute(level="provinsi", filed_date=D("2026-02-02"), outcome="Putusan.", outcome_date=D(decided),
                  ki_decision=ki, ki_decision_received_body=D(body) if body else None,
                  ki_decision_received_applicant=D(applicant) if applicant else None)
    row.court_cases = [CourtCase(**case) for case in cases]
    return row


FIRST = {"tier": "first", "court": "ptun", "court_name": "PTUN Bandung", "appellant": "body",
         "filed_date": D("2026-04-20")}
FIRST_DECIDED = FIRST | {"decision_date": D("2026-08-03"), "decision_received_body": D("2026-08-05"),
                         "outcome": "affirmed"}
CASSATION = {"tier": "cassation", "court": "ma", "court_name": "Mahkamah Agung", "appellant": "body",
             "filed_date": D("2026-08-18")}

FINALS = [
    # (case, dispute, today, expected (level, final_on, content) or None)
    ("ki window still open", dispute(), "2026-04-22", None),
    ("ki final the day after the window", dispute(), "2026-04-23", ("ki", "2026-04-23", "granted_full")),
    ("the applicant's later receipt keeps it open", dispute(applicant="2026-04-06"), "2026-04-24", None),
    ("then final", dispute(applicant="2026-04-06"), "2026-04-25", ("ki", "2026-04-25", "granted_full")),
    ("no receipt recorded: nothing to count from", dispute(body=None), "2027-01-04", None),
    ("mediation: final and binding at once", dispute(ki="mediation", body=None), "2026-03-30",
     ("ki", "2026-03-30", "mediation")),
    ("a case pending at the PTUN", dispute(cases=[FIRST]), "2026-12-01", None),
    # PTUN decision received Wed 5 Aug: kasasi until Wed 19 Aug (calendar days, 17 Aug not skipped)
    ("kasasi window open", dispute(cases=[FIRST_DECIDED]), "2026-08-19", None),
    ("the PTUN affirmed: the KI's content stands", dispute(cases=[FIRST_DECIDED]), "2026-08-20",
     ("first", "2026-08-20", "granted_full")),
    ("the PTUN annulled for the body", dispute(cases=[FIRST_DECIDED | {"outcome": "upheld_body"}]), "2026-08-20",
     ("first", "2026-08-20", "upheld_body")),
    ("kasasi pending", dispute(cases=[FIRST_DECIDED, CASSATION]), "2027-01-04", None),
    ("the MA not accepting leaves the PTUN's", dispute(cases=[
        FIRST_DECIDED | {"outcome": "granted_partial"}, CASSATION | {"decision_date": D("2026-11-02"),
                                                                    "outcome": "not_accepted"}]), "2026-11-02",
     ("cassation", "2026-11-02", "granted_partial")),
]


@pytest.mark.parametrize(("case", "row", "today", "expected"), FINALS, ids=[row[0] for row in FINALS])
def test_the_final_decision(case, row, today, expected):
    final = final_decision(row, calendar(), D(today), RULES)
    if expected is None:
        assert final is None, case
        return
    level, final_on, content = expected
    assert (final.level, final.final_on, final.content) == (level, D(final_on), content), case
    assert final.requires_action == (content in ("granted_full", "granted_partial", "mediation"))
