"""Units of the public body: PPID Utama and its PPID Pembantu, as a tree of any depth.

PPID Utama is the root; perangkat daerah, bidang, kecamatan, kelurahan, RW and RT hang under it.
A unit that was ever used (routed to, given officers, given sub-units) is never deleted: it is
deactivated, which takes it out of routing but keeps its history and its monev numbers.
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db


class UnitKind(StrEnum):
    UTAMA = "utama"
    PEMBANTU = "pembantu"


class Unit(db.Model):
    __tablename__ = "unit"
    __table_args__ = (
        Index("ix_unit_parent", "parent_id"),  # the subtree walk (recursive CTE) goes down by parent
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16), default=UnitKind.PEMBANTU)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    active: Mapped[bool] = mapped_column(default=True)
    head_name: Mapped[str | None] = mapped_column(String(200))  # the unit's head (kepala)
    head_position: Mapped[str | None] = mapped_column(String(200))  # e.g. "Sekretaris Dinas"
    email: Mapped[str | None] = mapped_column(String(254))  # the unit's contact address
    # A PPID Pelaksana that answers its own requests: its officers may issue the written notice
    # for requests routed to it (otherwise only PPID Utama issues notices).
    issues_notices: Mapped[bool] = mapped_column(default=False, server_default=false())

    parent: Mapped[Unit | None] = relationship(remote_side=[id])

    def __repr__(self) -> str:
        return f"<Unit {self.code}>"
