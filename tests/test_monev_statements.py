"""The metric engine's statements are built once and run with bound parameters (issue 17 item 3):
a run for one unit and period never carries another call's values, and a second run builds none."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.exc import StatementError

from ppid_desk.extensions import db
from ppid_desk.monev import statements as S
from ppid_desk.monev.metrics import metric_statements, monev_metrics
from ppid_desk.monev.tallies import tallies_ensure
from tests.factories import END, START, TODAY

CALLS = [  # (unit, start, end): two units, two periods, and the whole body, interleaved
    ("U1", START, END), ("U2", START, END), (None, START, END),
    ("U1", date(2026, 9, 1), date(2026, 9, 30)), ("U2", date(2026, 9, 1), date(2026, 9, 30)),
    (None, date(2026, 7, 1), date(2026, 7, 31)), ("U1", date(2026, 7, 1), date(2026, 7, 31)),
]


def fresh(unit, start, end):
    """The figures from statements built for this call alone (what every call did before)."""
    S.statements_clear()
    return monev_metrics(start=start, end=end, unit_code=unit, today=TODAY)


def test_kept_statements_give_each_call_its_own_figures(app, log):  # noqa: F811
    tallies_ensure(START, END)  # the whole body reads its settled requests from the tallies
    expected = [fresh(*call) for call in CALLS]
    # The calls really differ, so a value left over from the previous call would show.
    assert expected[0]["received"]["total"] != expected[1]["received"]["total"]  # U1: A, E; U2: H
    assert expected[0]["routing"]["by_unit"].keys() == {"U1"} and expected[1]["routing"]["by_unit"].keys() == {"U2"}
    assert expected[3]["received"]["total"] != expected[0]["received"]["total"]
    S.statements_clear()
    kept = [monev_metrics(start=start, end=end, unit_code=unit, today=TODAY) for unit, start, end in CALLS]
    assert kept == expected
    built = S.builds
    again = [monev_metrics(start=start, end=end, unit_code=unit, today=TODAY) for unit, start, end in reversed(CALLS)]
    assert again == list(reversed(expected))
    assert S.builds == built  # every statement came from the first round


def test_a_statement_without_its_values_fails_instead_of_reusing_the_last(app, log):  # noqa: F811
    monev_metrics(start=START, end=END, unit_code="U1", today=TODAY)
    statement = metric_statements(True, None)["main"]
    with pytest.raises(StatementError, match="bind parameter"):
        db.session.execute(statement, {"start": START, "end": END, "today": TODAY})  # no "units"
