from datetime import date, datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surveyapp.activities.models import Activity
from surveyapp.auth.models import User
from surveyapp.db import UTCDateTime, enum_column, utc_now
from surveyapp.extensions import Model
from surveyapp.respondents.models import Respondent, RespondentKind, Territory
from surveyapp.sessions.models import SurveySession


class Training(Model):
    """A training of adults (staff or parents), measured by a knowledge test before and after it.

    Its two sessions (``SurveySession.training_id``) are the pre-test (wave baseline) and the post-test (wave
    post); each has its own join code, so a participant always gets the test of the moment.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    respondent_kind: Mapped[RespondentKind] = mapped_column(enum_column(RespondentKind, 10))
    held_on: Mapped[date]
    place: Mapped[str] = mapped_column(String(200))
    trainer_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    territory_id: Mapped[int | None] = mapped_column(ForeignKey("territory.id"))
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("activity.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    trainer: Mapped[User | None] = relationship(foreign_keys=[trainer_id])
    territory: Mapped[Territory | None] = relationship()
    activity: Mapped[Activity | None] = relationship()
    participants: Mapped[list["TrainingParticipant"]] = relationship(
        back_populates="training", order_by="TrainingParticipant.id", cascade="all, delete-orphan"
    )
    sessions: Mapped[list[SurveySession]] = relationship(back_populates="training", order_by="SurveySession.id")

    @property
    def pre_session(self) -> SurveySession | None:
        """The pre-test: the training's session of wave baseline."""
        return next((s for s in self.sessions if s.wave == "baseline"), None)

    @property
    def post_session(self) -> SurveySession | None:
        """The post-test: the training's session of wave post."""
        return next((s for s in self.sessions if s.wave == "post"), None)

    @property
    def test_sessions(self) -> tuple[SurveySession, SurveySession]:
        """The pre-test and the post-test, for a training as planned (trainings.services makes both)."""
        pre, post = self.pre_session, self.post_session
        assert pre is not None and post is not None, "a training is planned with its two sessions"
        return pre, post

    @property
    def post_test_started(self) -> bool:
        pre, post = self.test_sessions
        return post.is_open and not pre.is_open

    def start_post_test(self) -> None:
        """Close the pre-test and open the post-test: from now on a participant who joins gets the post-test."""
        _pre, post = self.test_sessions
        post.reopen()


class TrainingParticipant(Model):
    """An adult on a training's participant list: the name the trainer entered, and the respondent code they
    type at the kiosk. Adults agree to be listed (the adult consent text); children are never listed here."""

    __tablename__ = "training_participant"
    __table_args__ = (UniqueConstraint("training_id", "respondent_id", name="uq_training_participant_once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    training_id: Mapped[int] = mapped_column(ForeignKey("training.id", ondelete="CASCADE"), index=True)
    respondent_id: Mapped[int] = mapped_column(ForeignKey("respondent.id"), index=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    organisation: Mapped[str] = mapped_column(String(200), default="")
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)

    training: Mapped[Training] = relationship(back_populates="participants")
    respondent: Mapped[Respondent] = relationship(lazy="joined")  # the list shows each one's code

    @property
    def shown_name(self) -> str:
        return self.name or self.respondent.code
