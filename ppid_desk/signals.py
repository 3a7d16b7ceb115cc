"""Announcements from the lower layers, for the upper layers to listen to (blinker, as Indico does).

A lower layer (the request funnel, the working calendar, the sweep) never imports the modules
that keep caches over it (``monev``); it sends a signal, and those modules connect their
handlers in their own set-up, called from ``create_app`` (never by an import side effect).
Handlers run synchronously in the sender's transaction: they may flush, never commit.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

request_changed = _signals.signal("request-changed", doc="""
A request's cached columns changed through the funnel (``requests.lifecycle.request_event``).
Sender: the ``InformationRequest``; same transaction, flush only.""")

calendar_changed = _signals.signal("calendar-changed", doc="""
The working calendar changed: a year imported, a holiday added, edited, switched on or off.
Sender: None; keyword ``years``: the calendar years affected. Same transaction, flush only.

An administrator's edit (``workcalendar.admin_services``) also sends ``first`` and ``last`` (the
days changed), ``before`` (the ``WorkingCalendar`` as it was), ``actor``, ``reason`` (the calendar
event's kind) and ``holiday`` (what changed, as logged): every domain that stores a clock recounts
its subjects and returns ``{kind: [names of the subjects that moved]}`` (e.g. ``{"requests":
[numbers]}``), which the calendar's event and page report. A signal without ``before`` (a year
imported before any date in it was computed) moves no stored date.""")

upkeep_due = _signals.signal("upkeep-due", doc="""
The periodic sweep asks every cache to refresh itself (``notifications.sweep``).
Sender: None; keyword ``today``: the body's date. Receivers flush; the sweep commits. A receiver
returns how many units of work it did (e.g. days re-summed), which the sweep reports.""")

feedback_changed = _signals.signal("feedback-changed", doc="""
The service's feedback changed (a satisfaction survey was answered: ``survey.services``), so the
public figures that show it are out of date. Sender: None; same transaction, flush only.""")

consultation_changed = _signals.signal("consultation-changed", doc="""
A consultation was logged, corrected, withdrawn or turned into a request (``consultations.services``):
the counts the annual report and the public figures show changed. Sender: the ``Consultation``;
same transaction, flush only.""")

reminders_due = _signals.signal("reminders-due", doc="""
The periodic sweep asks the domains above it for their own reminders (``notifications.sweep``),
e.g. monev's annual-report submission reminder. Sender: None; keywords ``now`` and ``today``.
Receivers queue e-mail through the outbox and flush; the sweep commits (or rolls back and reports
the error). A receiver returns ``{name: reminders sent}``, which the sweep reports.""")
