"""Labels of the unit pages and of the events logged on units (subject "unit")."""

from flask_babel import lazy_gettext as _l

from ..requests.labels import EVENT_LABELS
from .models import UnitKind

EVENT_LABELS.update({
    "unit_created": _l("Unit dibuat"),
    "unit_updated": _l("Data unit diubah"),
    "unit_moved": _l("Unit dipindah ke unit induk lain"),
    "unit_deactivated": _l("Unit dinonaktifkan"),
    "unit_reactivated": _l("Unit diaktifkan kembali"),
})

KIND_LABELS = {
    UnitKind.UTAMA.value: _l("PPID Utama"),
    UnitKind.PEMBANTU.value: _l("PPID Pembantu"),
}

FIELD_LABELS = {
    "code": _l("Kode"),
    "name": _l("Nama"),
    "kind": _l("Jenis"),
    "parent": _l("Unit induk"),
    "head_name": _l("Kepala unit"),
    "head_position": _l("Jabatan kepala"),
    "email": _l("E-mail"),
    "issues_notices": _l("Menerbitkan pemberitahuan sendiri"),
    "active": _l("Aktif"),
}
