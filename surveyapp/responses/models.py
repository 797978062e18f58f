import uuid
from datetime import datetime

from sqlalchemy import Float, ForeignKey, Index, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surveyapp.db import JSONDocument, UTCDateTime, utc_now
from surveyapp.extensions import Model
from surveyapp.instruments.models import InstrumentVersion
from surveyapp.respondents.models import Respondent
from surveyapp.sessions.models import KioskDevice, SurveySession


class Submission(Model):
    """One respondent's answers to one instrument version at one session, stored exactly as given.

    ``client_uuid`` is made by the tablet; its unique constraint makes a re-sent submission return the stored
    one instead of creating a second.
    """

    __table_args__ = (
        UniqueConstraint("session_id", "respondent_id", "instrument_version_id", name="uq_submission_once_per_session"),
        Index("ix_submission_session_received", "session_id", "received_at", "id"),  # the session page's keyset
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_uuid: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("survey_session.id"), index=True)
    respondent_id: Mapped[int] = mapped_column(ForeignKey("respondent.id"), index=True)
    instrument_version_id: Mapped[int] = mapped_column(ForeignKey("instrument_version.id"), index=True)
    language: Mapped[str] = mapped_column(String(5))
    answers: Mapped[dict] = mapped_column(JSONDocument)
    flag_level: Mapped[str] = mapped_column(String(12), default="none")
    flags: Mapped[list] = mapped_column(JSONDocument, default=list)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, index=True)
    device_id: Mapped[int | None] = mapped_column(ForeignKey("kiosk_device.id", ondelete="SET NULL"), index=True)
    """The tablet set up for the session that sent it; none when the kiosk was joined with the session's code."""
    consent_text: Mapped[str | None] = mapped_column(String(40))
    """Which assent or consent text, in which version, the respondent agreed to (e.g. ``adult_consent-1``)."""

    session: Mapped[SurveySession] = relationship()
    respondent: Mapped[Respondent] = relationship()
    instrument_version: Mapped[InstrumentVersion] = relationship()
    device: Mapped[KioskDevice | None] = relationship()
    scores: Mapped[list["Score"]] = relationship(back_populates="submission", cascade="all, delete-orphan")


class Score(Model):
    __table_args__ = (
        UniqueConstraint("submission_id", "scale", name="uq_score_scale"),
        Index("ix_score_scale_submission", "scale", "submission_id", "value"),  # the report reads a scale's scores
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submission.id", ondelete="CASCADE"), index=True)
    scale: Mapped[str] = mapped_column(String(60))
    value: Mapped[float | None] = mapped_column(Float)
    band: Mapped[str | None] = mapped_column(String(40))
    n_answered: Mapped[int]
    n_items: Mapped[int]
    note: Mapped[str | None] = mapped_column(String(300))

    submission: Mapped[Submission] = relationship(back_populates="scores")
