"""The annual report's narrative (Perki 1/2021 sections), saved and published by PPID Utama.
Flush, never commit."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..accounts.models import User
from ..audit.services import event_log
from ..dbtypes import utcnow
from ..errors import ValidationFailed
from ..extensions import db
from ..requests.labels import EVENT_LABELS
from .annual_selectors import annual_report_get
from .models import AnnualReport

EVENT_LABELS.update({
    "annual_report_saved": _l("Laporan tahunan disimpan"),
    "annual_report_published": _l("Laporan tahunan diterbitkan"),
    "annual_report_unpublished": _l("Penerbitan laporan tahunan dibatalkan"),
})


def annual_report_save(*, actor: User, year: int, policy: str | None, facilities: str | None,
                       obstacles: str | None, recommendations: str | None, published: bool,
                       today: date) -> AnnualReport:
    """Store the narrative; publishing needs every section and a finished year. Flush, never commit."""
    texts = {"policy": policy or None, "facilities": facilities or None, "obstacles": obstacles or None,
             "recommendations": recommendations or None}
    if published:
        errors = {name: _("Isi bagian ini sebelum laporan diterbitkan.") for name, text in texts.items() if not text}
        if today.year <= year:
            errors["published"] = _("Laporan tahun %(year)d baru dapat diterbitkan setelah tahun itu berakhir.",
                                    year=year)
        if errors:
            raise ValidationFailed(errors)
    report = annual_report_get(year)
    if report is None:
        report = AnnualReport(year=year, published=False)
        db.session.add(report)
    changed = [name for name, text in texts.items() if getattr(report, name) != text]
    was_published = bool(report.published)
    for name, text in texts.items():
        setattr(report, name, text)
    report.published = published
    report.updated_by_id = actor.id
    report.updated_at = utcnow()
    db.session.flush()
    kind = ("annual_report_published" if published and not was_published
            else "annual_report_unpublished" if was_published and not published else "annual_report_saved")
    event_log(actor=actor, subject_type="annual_report", subject_id=year, kind=kind,
              data={"year": year, "sections": changed, "published": published})
    return report
