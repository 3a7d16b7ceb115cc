"""The groups of roles that decide access, one name per meaning, defined here only (DESIGN §3).

Per-action rights on the desk are ``desk.policy.ACTION_ROLES``; these are the coarse groups.
"""

from __future__ import annotations

from .models import Role

# Every officer role (the desk is theirs), in the order forms and lists show them.
STAFF_ROLES: tuple[str, ...] = (Role.PETUGAS.value, Role.PPID_UTAMA.value, Role.PEMBANTU.value,
                                Role.ATASAN.value, Role.PENGAWAS.value, Role.ADMIN.value)

# Roles that read every request and its applicant; a PPID Pembantu officer reads only what was
# routed to its unit.
READ_ALL_ROLES = frozenset({Role.PETUGAS, Role.PPID_UTAMA, Role.ATASAN, Role.PENGAWAS, Role.ADMIN})

# Roles that read the monev dashboard, its overdue list and the annual report.
MONEV_ROLES = frozenset({Role.PENGAWAS, Role.PPID_UTAMA, Role.ATASAN, Role.ADMIN})

# Roles that keep the register of exempt information (exemptions/): PPID Utama (every decision,
# approves) and PPID Pembantu officers (their unit's, draft and submit).
EXEMPTION_ROLES = frozenset({Role.PPID_UTAMA, Role.PEMBANTU})

# Roles that keep the Daftar Informasi Publik: PPID Utama (every item, and approves) and the
# PPID Pembantu officers (their own unit's items).
DIP_EDITOR_ROLES = frozenset({Role.PPID_UTAMA, Role.PEMBANTU})

# Roles that log consultations and other non-formal information services (consultations/): PPID
# Utama and the desk officers (for every unit) and PPID Pembantu officers (their own unit's).
CONSULTATION_ROLES = frozenset({Role.PPID_UTAMA, Role.PETUGAS, Role.PEMBANTU})
# Of those, the roles that log for any unit.
CONSULTATION_ALL_UNITS_ROLES = frozenset({Role.PPID_UTAMA, Role.PETUGAS})
# The internal monev of the PPID Pembantu (evaluation/): PPID Utama runs the rounds and reads every
# unit's answers and results; PPID Utama and the administrator keep the questionnaires; a PPID
# Pembantu officer fills in its own unit's questionnaire.
EVALUATION_MANAGER_ROLES = frozenset({Role.PPID_UTAMA})
EVALUATION_INSTRUMENT_ROLES = frozenset({Role.PPID_UTAMA, Role.ADMIN})
EVALUATION_ROLES = frozenset({Role.PPID_UTAMA, Role.ADMIN, Role.PEMBANTU})
# Who verifies the units' answers (accept, or return with a comment): a later step of issue 16.
EVALUATION_VERIFIER_ROLES = frozenset({Role.PPID_UTAMA})
