import enum
import uuid
from datetime import date, datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, ForeignKey, Integer, String, Table, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surveyapp.auth.models import User
from surveyapp.db import UTCDateTime, enum_column, utc_now
from surveyapp.errors import Conflict
from surveyapp.extensions import Model, db
from surveyapp.instruments.models import InstrumentVersion
from surveyapp.respondents import codes
from surveyapp.respondents.models import RespondentKind, Territory

if TYPE_CHECKING:  # above sessions (they plan sessions): named here for mypy, found by the ORM by class name
    from surveyapp.activities.models import Activity
    from surveyapp.trainings.models import Training


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


class SessionStateRefused(Conflict):
    """A move a session cannot make from where it is (a second "close" from a page left open, for instance)."""

    code = "session_state_refused"


class SurveySession(Model):
    """An administration event: where and when a group answers the given instrument versions."""

    __tablename__ = "survey_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    held_on: Mapped[date] = mapped_column(index=True)
    place: Mapped[str] = mapped_column(String(200))
    territory_id: Mapped[int | None] = mapped_column(ForeignKey("territory.id"), index=True)
    wave: Mapped[Wave] = mapped_column(enum_column(Wave, 10))
    respondent_kind: Mapped[RespondentKind] = mapped_column(
        enum_column(RespondentKind, 10), default=RespondentKind.CHILD
    )
    """Who answers at this session: children, staff or parents (its questionnaires are all for them)."""
    join_code: Mapped[str] = mapped_column(String(12), unique=True)
    trainer_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    is_open: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    training_id: Mapped[int | None] = mapped_column(ForeignKey("training.id"), index=True)
    """The training this session is the pre-test (wave baseline) or post-test (wave post) of."""
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("activity.id"), index=True)
    """The work-plan activity whose participants this session counts."""

    territory: Mapped[Territory | None] = relationship()
    training: Mapped["Training | None"] = relationship(back_populates="sessions")
    activity: Mapped["Activity | None"] = relationship()
    trainer: Mapped[User | None] = relationship(foreign_keys=[trainer_id])
    instrument_versions: Mapped[list[InstrumentVersion]] = relationship(
        secondary=session_instrument, order_by=session_instrument.c.position
    )

    @property
    def join_code_shown(self) -> str:
        return codes.join_code_shown(self.join_code)

    def close(self) -> None:
        if not self.is_open:
            raise SessionStateRefused(_l("This session is already closed."))
        self.is_open = False

    def reopen(self) -> None:
        """A training's tests are open one at a time, so that whoever joins gets the test of the moment."""
        if self.is_open:
            raise SessionStateRefused(_l("This session is already open."))
        for other in self.training.sessions if self.training else ():
            if other is not self and other.is_open:
                other.close()
        self.is_open = True


class KioskDevice(Model):
    """A tablet that a staff member set up for one session.

    The tablet keeps ``device_uuid`` (made once, the same for every session it is set up for) and a token whose
    hash is stored here; the token lets the tablet's kiosk take part in the session until the session closes,
    without any staff log-in staying open on the tablet.
    """

    __tablename__ = "kiosk_device"
    __table_args__ = (UniqueConstraint("device_uuid", "session_id", name="uq_kiosk_device_once_per_session"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    device_uuid: Mapped[uuid.UUID] = mapped_column(Uuid)
    session_id: Mapped[int] = mapped_column(ForeignKey("survey_session.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    set_up_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    set_up_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    waiting_count: Mapped[int | None]
    """How many finished questionnaires were waiting on the tablet when it last reported."""

    session: Mapped[SurveySession] = relationship()

    @property
    def is_authorised(self) -> bool:
        return self.session.is_open

    @property
    def short_name(self) -> str:
        return str(self.device_uuid)[:8]


class SessionJoin(Model):
    """A respondent who joined a session at the kiosk (typed their code): the trainer's live count of who has
    joined, beside who has submitted."""

    __tablename__ = "session_join"

    session_id: Mapped[int] = mapped_column(ForeignKey("survey_session.id", ondelete="CASCADE"), primary_key=True)
    respondent_id: Mapped[int] = mapped_column(ForeignKey("respondent.id", ondelete="CASCADE"), primary_key=True)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
