import enum
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surveyapp.db import UTCDateTime, enum_column, utc_now
from surveyapp.extensions import Model


class RespondentKind(enum.StrEnum):
    CHILD = "child"
    STAFF = "staff"
    PARENT = "parent"


class Sex(enum.StrEnum):
    FEMALE = "female"
    MALE = "male"


class Territory(Model):
    """One of the seven territorial administrations (аймактык башкармалык) of Osh city."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(120))


class Respondent(Model):
    """A pseudonymous respondent: no name or contact is ever stored here."""

    __table_args__ = (Index("ix_respondent_created_at_id", "created_at", "id"),)  # the list's order

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    kind: Mapped[RespondentKind] = mapped_column(enum_column(RespondentKind, 10))
    sex: Mapped[Sex | None] = mapped_column(enum_column(Sex, 10))
    birth_year: Mapped[int | None]
    territory_id: Mapped[int | None] = mapped_column(ForeignKey("territory.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    """Set when the respondent (or their guardian) withdrew: their answers leave every analysis and export at
    once, and are erased with their identity after WITHDRAWAL_ERASE_DAYS (`flask respondents erase-withdrawn`)."""
    withdrawal_reason: Mapped[str] = mapped_column(String(200), default="", server_default="")
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    territory: Mapped[Territory | None] = relationship()


class GuardianConsent(Model):
    """A parent's or guardian's consent for a child to take part: who gave it, when, and how."""

    __tablename__ = "guardian_consent"

    id: Mapped[int] = mapped_column(primary_key=True)
    respondent_id: Mapped[int] = mapped_column(ForeignKey("respondent.id", ondelete="CASCADE"), index=True)
    given_by: Mapped[str] = mapped_column(String(200))
    """The guardian's relation to the child ("mother", "grandmother"): a name belongs in the identity."""
    given_on: Mapped[date]
    method: Mapped[str] = mapped_column(String(20))
    """paper_form, in_person or phone."""
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class RespondentIdentity(Model):
    """Who a respondent is, kept apart from the pseudonymous respondent and the answers.

    Only psychologists and admins read it, and every read is written to the audit trail.
    """

    __tablename__ = "respondent_identity"

    id: Mapped[int] = mapped_column(primary_key=True)
    respondent_id: Mapped[int] = mapped_column(ForeignKey("respondent.id", ondelete="CASCADE"), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    guardian_name: Mapped[str] = mapped_column(String(200), default="")
    guardian_phone: Mapped[str] = mapped_column(String(40), default="")
    address: Mapped[str] = mapped_column(String(500), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, onupdate=utc_now)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
