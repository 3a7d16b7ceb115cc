"""What monev does when the layers below it announce a change (``ppid_desk.signals``).

``connect()`` is called once from the app's set-up (never by importing this module): the
request funnel marks a receipt day's tallies stale, a calendar change renumbers the working-day
ordinals (and forgets the tallies counted with the old calendar), the sweep's upkeep re-sums the
stale tallies of this and last year. The desk queue's drill-downs (``?monev=…``) are monev's
buckets, registered here so that the desk never imports monev.
"""

from __future__ import annotations

from datetime import date

from ..desk.drilldowns import Drilldown, drilldowns_register
from ..signals import (
    calendar_changed,
    consultation_changed,
    feedback_changed,
    reminders_due,
    request_changed,
    upkeep_due,
)


def on_request_changed(item, **_extra) -> None:
    from .tallies import tally_mark_dirty

    tally_mark_dirty(item.receipt_date)


def on_calendar_changed(_sender, *, years=(), first: date | None = None, last: date | None = None,
                        **_extra) -> None:
    """Renumber the ordinals; forget only the tallies the changed days (an edit's ``first``..``last``,
    else the whole of the ``years`` imported) can affect."""
    from .ordinals import ordinals_invalidate

    if (first is None or last is None) and years:
        first, last = date(min(years), 1, 1), date(max(years), 12, 31)
    ordinals_invalidate(first, last)


def on_figures_changed(_sender, **_extra) -> None:
    """A survey was answered, or a consultation logged, corrected or converted: the public pages
    that show the satisfaction index and the consultations are out of date."""
    from .public_cache import figures_changed

    figures_changed()


def on_upkeep_due(_sender, *, today: date, **_extra) -> int:
    """Keep this and last year's tallies fresh; returns the days re-summed."""
    from .ordinals import ordinals_ensure
    from .tallies import tallies_ensure

    start = date(today.year - 1, 1, 1)
    ordinals_ensure(start, today)
    return tallies_ensure(start, today)


def on_reminders_due(_sender, *, now, today: date, **_extra) -> dict[str, int]:
    """The annual report's submission reminder (before 31 March)."""
    from .annual_reminder import annual_report_submission_remind

    return {"annual report submission reminders": annual_report_submission_remind(now=now, today=today)}


def _drilldowns() -> dict[str, Drilldown]:
    from .predicates import BUCKETS, bucket_terms

    def terms_of(name: str):
        return lambda start, end, today: bucket_terms(name, start, end, None, today)

    return {name: Drilldown(bucket.label, terms_of(name)) for name, bucket in BUCKETS.items()}


def connect() -> None:
    """Subscribe monev to the lower layers' signals and register its queue drill-downs (idempotent)."""
    from . import (
        register_quality,  # noqa: F401  (its flush listener keeps ``register_missing``)
        task_facts,  # noqa: F401  (its flush listener keeps the routing tasks' facts)
    )

    request_changed.connect(on_request_changed)
    calendar_changed.connect(on_calendar_changed)
    feedback_changed.connect(on_figures_changed)
    upkeep_due.connect(on_upkeep_due)
    consultation_changed.connect(on_figures_changed)
    reminders_due.connect(on_reminders_due)
    drilldowns_register(_drilldowns())
