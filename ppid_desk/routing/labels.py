"""Human labels for routing (disposisi): task statuses and the events this module logs."""

from flask_babel import lazy_gettext as _l

from ..requests.labels import EVENT_LABELS
from .models import TaskStatus

TASK_STATUS_LABELS = {
    TaskStatus.OPEN: _l("Dikerjakan unit"),
    TaskStatus.ANSWERED: _l("Dijawab"),
    TaskStatus.RETURNED: _l("Dikembalikan"),
    TaskStatus.CANCELLED: _l("Dibatalkan"),
}

EVENT_LABELS.update({
    "routed": _l("Diteruskan ke unit (disposisi)"),
    "reassigned": _l("Tugas dialihkan ke unit lain"),
    "task_answered": _l("Unit mengirim jawaban"),
    "task_returned": _l("Unit mengembalikan tugas"),
    "task_document_downloaded": _l("Dokumen jawaban unit diunduh"),
    "tasks_cancelled": _l("Tugas unit yang masih terbuka dibatalkan"),
})
