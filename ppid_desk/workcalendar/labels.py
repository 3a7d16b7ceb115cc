"""Labels for the calendar administration page and for the events this milestone's calendar
and sweep work logs (request timeline and calendar history)."""

from flask_babel import lazy_gettext as _l

from ..requests.labels import EVENT_LABELS
from .models import HolidaySource

# Request events logged by the calendar (recomputation) and by `flask ppid sweep`.
EVENT_LABELS.update({
    "deadline_recomputed": _l("Batas waktu dihitung ulang karena kalender hari kerja berubah"),
    "reminder_sent": _l("Pengingat batas waktu dikirim ke petugas"),
    "task_reminder_sent": _l("Pengingat batas waktu tugas dikirim ke unit"),
    "overdue": _l("Melewati batas waktu: dilaporkan ke Atasan PPID"),
    "email_failed": _l("E-mail gagal terkirim setelah beberapa kali dicoba"),
    # Calendar events (subject "calendar", one subject per year)
    "holiday_added": _l("Hari libur ditambahkan"),
    "holiday_renamed": _l("Nama hari libur diubah"),
    "holiday_deactivated": _l("Hari libur dinonaktifkan"),
    "holiday_reactivated": _l("Hari libur diaktifkan kembali"),
    "year_imported": _l("Hari libur setahun diimpor"),
})

# What the calendar's recount moved, by the kind the domains' listeners answer with.
MOVED_LABELS = {
    "requests": _l("permohonan"),
    "tasks": _l("tugas unit"),
    "objections": _l("keberatan"),
    "releases": _l("perintah pemberian informasi"),
    "disputes": _l("sengketa"),
}


def moved_summary(moved: dict) -> str:
    """``2 tugas unit, 1 keberatan``: how many subjects of each kind a calendar change moved."""
    return ", ".join(f"{len(names)} {MOVED_LABELS.get(kind, kind)}" for kind, names in moved.items() if names)


SOURCE_LABELS = {
    HolidaySource.LIBRARY: _l("Impor (pustaka holidays)"),
    HolidaySource.ADMIN: _l("Admin"),
}

WEEKDAY_LABELS = (_l("Senin"), _l("Selasa"), _l("Rabu"), _l("Kamis"), _l("Jumat"), _l("Sabtu"),
                  _l("Minggu"))
