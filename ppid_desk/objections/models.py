"""Objections (keberatan) to the Atasan PPID and disputes (sengketa) at the Komisi Informasi."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    JSON,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..dbtypes import UTCDateTime, utcnow
from ..extensions import db
from ..requests.models import InformationRequest

PASAL_35_GROUNDS = ("a", "b", "c", "d", "e", "f", "g")
# Grounds that may be settled by agreement (musyawarah), UU KIP Pasal 35(2).
SETTLEABLE_GROUNDS = frozenset({"b", "c", "d", "e", "f", "g"})


class ObjectionStatus(StrEnum):
    REGISTERED = "registered"  # with the Atasan PPID, response clock running
    RESPONDED = "responded"  # the Atasan's written response was issued
    SETTLED = "settled"  # closed by agreement (musyawarah)
    WITHDRAWN = "withdrawn"


class ObjectionDecision(StrEnum):
    UPHELD = "upheld"  # the PPID's decision stands (reasons required)
    OVERTURNED_FULL = "overturned_full"  # release ordered in full
    OVERTURNED_PARTIAL = "overturned_partial"  # release ordered in part
    SETTLED = "settled"  # agreement (musyawarah), grounds b–g only
    # Not examined on its merits (tidak dapat diterima): filed late or not by the applicant or their
    # representative (Pasal 36(1)); the basis is ``Objection.inadmissibility``. No order, no settlement.
    INADMISSIBLE = "inadmissible"


class InadmissibleBasis(StrEnum):
    """Why the Atasan PPID found an objection inadmissible (one or both)."""

    LATE = "late"  # filed after every chosen ground's 30-WD window (Pasal 36(1)); needs ``Objection.late``
    NOT_APPLICANT = "not_applicant"  # not filed by the applicant or their representative (a reason text)


class ObjectionReaction(StrEnum):
    """What the applicant did after the Atasan's response (register keberatan), as the desk learnt it."""

    ACCEPTED = "accepted"  # accepted the response
    NOT_ACCEPTED = "not_accepted"  # did not accept it, without (yet) going to the Komisi Informasi
    TO_KI = "to_ki"  # took it to the Komisi Informasi
    UNKNOWN = "unknown"  # no reaction known


class Objection(db.Model):
    __tablename__ = "objection"
    __table_args__ = (
        UniqueConstraint("year", "seq"),
        # Monev counts a period's objections by their request's receipt date: this copy and index
        # let it read them without visiting a million request rows.
        Index("ix_objection_monev", "request_receipt_date", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(64), unique=True)
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    request_id: Mapped[int] = mapped_column(ForeignKey("information_request.id"), index=True)
    request_receipt_date: Mapped[date] = mapped_column(Date)  # the request's receipt_date (immutable copy)
    channel: Mapped[str] = mapped_column(String(16))  # online, walk_in, letter, email
    grounds: Mapped[list] = mapped_column(JSON)  # Pasal 35(1) letters, e.g. ["c", "g"]
    case_summary: Mapped[str] = mapped_column(Text)  # kasus posisi
    intended_use: Mapped[str] = mapped_column(Text)
    representative_name: Mapped[str | None] = mapped_column(String(200))
    # The representative's address and contact (phone and/or e-mail), for the register keberatan.
    representative_address: Mapped[str | None] = mapped_column(Text)
    representative_contact: Mapped[str | None] = mapped_column(String(254))
    filed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    filed_date: Mapped[date] = mapped_column(Date)  # local date; the response clock counts from it
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # The filing window of each chosen ground (Pasal 36(1)): {letter: {"start", "due", "basis"}}, ISO
    # dates or None while the letter it counts from has no known receipt date (filing_selectors).
    ground_windows: Mapped[dict | None] = mapped_column(JSON)
    periodic_found_on: Mapped[date | None] = mapped_column(Date)  # ground b: the applicant found it missing
    # The governing window: the chosen ground whose window closes last. None when a chosen ground's
    # window is unknown (a letter's receipt not recorded): such an objection is never late.
    ground_date: Mapped[date | None] = mapped_column(Date)  # the day the governing ground arose
    filing_due: Mapped[date | None] = mapped_column(Date)  # ground_date + 30 WD
    late: Mapped[bool] = mapped_column(default=False)  # filed after every chosen ground's window (Atasan decides)
    response_due: Mapped[date] = mapped_column(Date, index=True)  # filed_date + 30 WD
    status: Mapped[str] = mapped_column(String(16), default=ObjectionStatus.REGISTERED, index=True)
    ppid_account: Mapped[str | None] = mapped_column(Text)  # PPID Utama's account of the case
    ppid_account_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The Atasan PPID's written response (tanggapan atasan)
    decision: Mapped[str | None] = mapped_column(String(24))
    reasons: Mapped[str | None] = mapped_column(Text)
    release_by: Mapped[date | None] = mapped_column(Date)  # an overturn orders release by this date
    settlement: Mapped[str | None] = mapped_column(Text)  # what was agreed (musyawarah)
    # An inadmissibility decision's basis, fixed when it was issued (the letter reads it, never today's
    # windows): {"basis": [InadmissibleBasis], "filed_on": ISO day, "filing_wd": n, "windows": the stored
    # ground windows (late only)}. A cached column of the funnel. The reason text for "not the applicant"
    # is a record (``not_applicant_reason``), like ``reasons`` (the Atasan's considerations).
    inadmissibility: Mapped[dict | None] = mapped_column(JSON)
    not_applicant_reason: Mapped[str | None] = mapped_column(Text)
    response_number: Mapped[str | None] = mapped_column(String(64), unique=True)
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    responded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # The Atasan PPID who signs the response, copied from the body profile ({name, position, nip}).
    response_signature: Mapped[dict | None] = mapped_column(JSON)
    # How the response letter was sent (notices.models.LetterSentVia) and the day the applicant received
    # it; the 14-WD dispute window (Pasal 37(2)) counts from that day. None until known (post, courier).
    response_sent_via: Mapped[str | None] = mapped_column(String(16))
    response_received_on: Mapped[date | None] = mapped_column(Date)
    reminded_for_due: Mapped[date | None] = mapped_column(Date)  # sweep: reminder sent
    # The applicant withdrew it (pencabutan): the real moment, as received; the response clock stops.
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # sweep: overdue logged
    # The applicant's reaction to the response (ObjectionReaction) and the day the desk learnt of
    # it: cached columns of the funnel. The note is a record (sealed in the event, purged).
    reaction: Mapped[str | None] = mapped_column(String(16))
    reaction_on: Mapped[date | None] = mapped_column(Date)
    reaction_note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    request: Mapped[InformationRequest] = relationship(lazy="joined")

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_open(self) -> bool:
        return self.status == ObjectionStatus.REGISTERED


class DisputeLevel(StrEnum):
    PUSAT = "pusat"
    PROVINSI = "provinsi"
    KABKOTA = "kabkota"


class DisputeStageKind(StrEnum):
    REGISTRATION = "registration"  # registrasi
    PRELIMINARY = "preliminary"  # pemeriksaan awal
    MEDIATION = "mediation"  # mediasi
    ADJUDICATION = "adjudication"  # ajudikasi non-litigasi
    DECISION = "decision"  # putusan


class Dispute(db.Model):
    """A dispute (sengketa informasi) at the Komisi Informasi: tracked, not run, by the app."""

    __tablename__ = "dispute"

    id: Mapped[int] = mapped_column(primary_key=True)
    objection_id: Mapped[int] = mapped_column(ForeignKey("objection.id"), unique=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("information_request.id"), index=True)
    level: Mapped[str] = mapped_column(String(16))
    ki_number: Mapped[str | None] = mapped_column(String(100))  # the KI's registration number
    filed_date: Mapped[date] = mapped_column(Date)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    ki_start_due: Mapped[date] = mapped_column(Date)  # filed + 14 WD (Pasal 38)
    ki_finish_due: Mapped[date] = mapped_column(Date)  # filed + 100 WD
    outcome: Mapped[str | None] = mapped_column(Text)  # the KI's decision in words (amar, summary)
    outcome_date: Mapped[date | None] = mapped_column(Date)  # the day the KI decided
    # The KI's decision as a record: what it decided (KiDecision) and when each party received it;
    # the 14-WD court window (Pasal 48(1)) counts from the receipt. None on disputes recorded before.
    ki_decision: Mapped[str | None] = mapped_column(String(24))
    ki_decision_received_body: Mapped[date | None] = mapped_column(Date)
    ki_decision_received_applicant: Mapped[date | None] = mapped_column(Date)  # if known
    # Whether the body complied with the final (inkracht) decision (Compliance), when, what was done.
    compliance: Mapped[str | None] = mapped_column(String(16))
    compliance_date: Mapped[date | None] = mapped_column(Date)
    compliance_note: Mapped[str | None] = mapped_column(Text)
    compliance_proof: Mapped[str | None] = mapped_column(String(200))  # the proof's reference, optional
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    objection: Mapped[Objection] = relationship()
    stages: Mapped[list[DisputeStage]] = relationship(
        order_by="DisputeStage.stage_date", cascade="all, delete-orphan", lazy="selectin")
    court_cases: Mapped[list[CourtCase]] = relationship(
        order_by="CourtCase.id", back_populates="dispute", cascade="all, delete-orphan", lazy="selectin")


class DisputeStage(db.Model):
    __tablename__ = "dispute_stage"

    id: Mapped[int] = mapped_column(primary_key=True)
    dispute_id: Mapped[int] = mapped_column(ForeignKey("dispute.id"), index=True)
    stage: Mapped[str] = mapped_column(String(16))
    stage_date: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class KiDecision(StrEnum):
    """What the Komisi Informasi decided (the content of its decision)."""

    MEDIATION = "mediation"  # agreement by mediation: final and binding (Pasal 39), no court
    UPHELD_BODY = "upheld_body"  # the body's decision stands (the applicant's request refused)
    GRANTED_FULL = "granted_full"  # the applicant granted in full
    GRANTED_PARTIAL = "granted_partial"  # the applicant granted in part
    NOT_ACCEPTED = "not_accepted"  # the application not accepted or lapsed (tidak dapat diterima/gugur)


class CourtTier(StrEnum):
    FIRST = "first"  # PTUN or PN, against the KI's adjudication decision (Pasal 47–48)
    CASSATION = "cassation"  # kasasi at the Mahkamah Agung (Pasal 50)


class Court(StrEnum):
    PTUN = "ptun"  # Pengadilan Tata Usaha Negara: the body is a state body (Pasal 47(1))
    PN = "pn"  # Pengadilan Negeri: other bodies (Pasal 47(2))
    MA = "ma"  # Mahkamah Agung (kasasi)


class Appellant(StrEnum):
    BODY = "body"  # the public body (Badan Publik)
    APPLICANT = "applicant"  # the applicant (pemohon)


class CourtOutcome(StrEnum):
    """What a court decided. "Affirmed" and "not accepted" leave the decision below standing;
    the other three say what the court itself decided on the information."""

    AFFIRMED = "affirmed"  # the decision below upheld (the appeal refused)
    NOT_ACCEPTED = "not_accepted"  # the appeal not accepted (tidak dapat diterima)
    UPHELD_BODY = "upheld_body"  # annulled: the body's decision stands
    GRANTED_FULL = "granted_full"  # annulled: the applicant granted in full
    GRANTED_PARTIAL = "granted_partial"  # annulled: the applicant granted in part


class Compliance(StrEnum):
    COMPLIED = "complied"
    NOT_COMPLIED = "not_complied"


class CourtCase(db.Model):
    """A dispute before a court after the KI: the PTUN/PN (tier "first") or kasasi at the MA."""

    __tablename__ = "dispute_court_case"
    __table_args__ = (UniqueConstraint("dispute_id", "tier"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dispute_id: Mapped[int] = mapped_column(ForeignKey("dispute.id"), index=True)
    tier: Mapped[str] = mapped_column(String(16))
    court: Mapped[str] = mapped_column(String(8))
    court_name: Mapped[str] = mapped_column(String(200))  # e.g. "PTUN Bandung"
    appellant: Mapped[str] = mapped_column(String(16))  # who did not accept the decision below
    case_number: Mapped[str | None] = mapped_column(String(100))  # the court's registration number
    filed_date: Mapped[date] = mapped_column(Date)
    decision_date: Mapped[date | None] = mapped_column(Date)
    decision_received_body: Mapped[date | None] = mapped_column(Date)
    decision_received_applicant: Mapped[date | None] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(String(24))  # CourtOutcome
    outcome_note: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    dispute: Mapped[Dispute] = relationship(back_populates="court_cases")
    hearings: Mapped[list[CourtHearing]] = relationship(
        order_by="CourtHearing.hearing_date", cascade="all, delete-orphan", lazy="selectin")


class CourtHearing(db.Model):
    """A hearing (sidang) or other stage of a court case, if the desk wants to keep them."""

    __tablename__ = "dispute_court_hearing"

    id: Mapped[int] = mapped_column(primary_key=True)
    court_case_id: Mapped[int] = mapped_column(ForeignKey("dispute_court_case.id"), index=True)
    hearing_date: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


@event.listens_for(Objection, "before_insert")
def _copy_receipt_date(mapper, connection, objection: Objection) -> None:
    """Every objection carries its request's receipt date (monev periods), however it is created."""
    if objection.request_receipt_date is None:
        if objection.request is not None:
            objection.request_receipt_date = objection.request.receipt_date
        else:
            objection.request_receipt_date = connection.execute(
                select(InformationRequest.receipt_date).where(InformationRequest.id == objection.request_id)
            ).scalar_one()
