"""Names shown on screen for the internal monev's codes."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

KIND_LABELS = {"yes_no": _l("Ya/tidak"), "single_choice": _l("Pilihan tunggal"),
               "multiple_choice": _l("Pilihan ganda"), "number": _l("Angka"), "text": _l("Teks bebas"),
               "evidence": _l("Unggah bukti")}
PHASE_LABELS = {"scheduled": _l("Dijadwalkan"), "filling": _l("Pengisian"), "closed": _l("Pengisian ditutup"),
                "verification": _l("Verifikasi"), "objection": _l("Masa sanggah"), "finished": _l("Selesai")}
SCOPE_LABELS = {"all": _l("Semua unit"), "subtree": _l("Satu unit beserta unit di bawahnya"),
                "list": _l("Unit yang dipilih")}
ANSWER_STATUS_LABELS = {"draft": _l("Draf"), "submitted": _l("Dikirim"), "accepted": _l("Diterima"),
                        "returned": _l("Dikembalikan"), "responded": _l("Ditanggapi")}
EVIDENCE_LABELS = {"optional": _l("Bukti dukung boleh dilampirkan"), "required": _l("Bukti dukung wajib")}
REVIEW_EVENT_LABELS = {"answer_accepted": _l("Diterima verifikator"), "answer_returned": _l("Dikembalikan verifikator"),
                       "answer_responded": _l("Ditanggapi unit"), "objection_filed": _l("Sanggahan diajukan unit"),
                       "objection_decided": _l("Sanggahan diputus verifikator")}
