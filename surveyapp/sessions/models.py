import enum
from datetime import date, datetime

from sqlalchemy import Column, ForeignKey, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surveyapp.auth.models import User
from surveyapp.db import UTCDateTime, enum_column, utc_now
from surveyapp.extensions import db
from surveyapp.instruments.models import InstrumentVersion
from surveyapp.respondents.models import Territory


class Wave(enum.StrEnum):
    BASELINE = "baseline"
    POST = "post"
    FOLLOW_UP = "follow_up"


session_instrument = Table(
    "session_instrument",
    db.metadata,
    Column("session_id", ForeignKey("survey_session.id", ondelete="CASCADE"), primary_key=True),
    Column("instrument_version_id", ForeignKey("instrument_version.id"), primary_key=True),
    Column("position", Integer, nullable=False, default=0),
)


class SurveySession(db.Model):
    """An administration event: where and when a group answers the given instrument versions."""

    __tablename__ = "survey_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    held_on: Mapped[date] = mapped_column(index=True)
    place: Mapped[str] = mapped_column(String(200))
    territory_id: Mapped[int | None] = mapped_column(ForeignKey("territory.id"), index=True)
    wave: Mapped[Wave] = mapped_column(enum_column(Wave, 10))
    join_code: Mapped[str] = mapped_column(String(12), unique=True)
    trainer_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    is_open: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    territory: Mapped[Territory | None] = relationship()
    trainer: Mapped[User | None] = relationship(foreign_keys=[trainer_id])
    instrument_versions: Mapped[list[InstrumentVersion]] = relationship(
        secondary=session_instrument, order_by=session_instrument.c.position
    )

    def close(self) -> None:
        self.is_open = False

    def reopen(self) -> None:
        self.is_open = True
