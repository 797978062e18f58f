"""Alerts raised by positive risk screens, their time-stamped trail, and the psychologists' duty roster."""

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Computed, ForeignKey, Index, SmallInteger, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surveyapp.auth.models import User
from surveyapp.db import JSONDocument, UTCDateTime, enum_column, utc_now
from surveyapp.errors import Conflict
from surveyapp.extensions import Model
from surveyapp.respondents.models import Territory
from surveyapp.responses.models import Submission

MAX_ESCALATION_LEVEL = 1
"""Level 0: the psychologists on duty; level 1: the backup psychologists and coordinators."""


class AlertLevel(enum.StrEnum):
    """The flag levels of the instrument library (FORMAT.md, "Flags"), lowest first."""

    REFERRAL = "referral"
    NON_ACUTE = "non_acute"
    ACUTE = "acute"


class AlertState(enum.StrEnum):
    NEW = "new"
    ACKNOWLEDGED = "acknowledged"
    CLOSED = "closed"


class EventKind(enum.StrEnum):
    CREATED = "created"
    NOTIFIED = "notified"
    MAIL_FAILED = "mail_failed"
    ESCALATED = "escalated"
    ACKNOWLEDGED = "acknowledged"
    ACTION = "action"
    CLOSED = "closed"


class ActionKind(enum.StrEnum):
    CONTACTED_CHILD = "contacted_child"
    CONTACTED_GUARDIAN = "contacted_guardian"
    REFERRED_CENTER = "referred_center"
    REFERRED_INSPECTOR = "referred_inspector"
    REFERRED_HEALTH = "referred_health"
    NOTE = "note"


class Outcome(enum.StrEnum):
    RISK_NOT_CONFIRMED = "risk_not_confirmed"
    SUPPORTED = "supported"
    REFERRED = "referred"
    NOT_REACHED = "not_reached"


INBOX_RANK_SQL = (
    "CASE state WHEN 'new' THEN 0 ELSE 3 END + CASE level WHEN 'acute' THEN 0 WHEN 'non_acute' THEN 1 ELSE 2 END"
)
"""The alert inbox's order before time: new alerts (0-2) before the others (3-5), the most severe first within
each. Computed by the database, so that it follows every change of state or level, and held in index
ix_alert_inbox with the time (stored on PostgreSQL; virtual on SQLite, see migration 1a2b3c4d5e64)."""


def inbox_ranks(states: tuple[AlertState, ...]) -> tuple[int, int]:
    """The lowest and the highest rank that alerts in these states can have: new ones 0-2, the others 3-5."""
    only_others, only_new = AlertState.NEW not in states, all(state == AlertState.NEW for state in states)
    return 3 if only_others else 0, 2 if only_new else 5


class AlertTransitionRefused(Conflict):
    code = "alert_transition_refused"


class Alert(Model):
    """One positive screen (one submission) to be acknowledged, followed up and closed by a psychologist."""

    __table_args__ = (
        Index("ix_alert_state_deadline", "state", "ack_deadline_at"),
        Index("ix_alert_level_state", "level", "state", "submission_id"),  # a session's open acute alerts
        Index("ix_alert_inbox", "inbox_rank", text("created_at DESC"), text("id DESC")),  # the inbox's order
        Index(
            "ix_alert_inbox_escalated",
            "inbox_rank",
            text("created_at DESC"),
            text("id DESC"),  # coordinators'
            postgresql_where=text("escalation_level > 0"),
            sqlite_where=text("escalation_level > 0"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submission.id"), unique=True)
    level: Mapped[AlertLevel] = mapped_column(enum_column(AlertLevel, 12))
    state: Mapped[AlertState] = mapped_column(enum_column(AlertState, 12), default=AlertState.NEW)
    escalation_level: Mapped[int] = mapped_column(default=0)
    territory_id: Mapped[int | None] = mapped_column(ForeignKey("territory.id"), index=True)
    triggers: Mapped[list] = mapped_column(JSONDocument, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, index=True)
    ack_deadline_at: Mapped[datetime] = mapped_column(UTCDateTime)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    outcome: Mapped[Outcome | None] = mapped_column(enum_column(Outcome, 20))
    inbox_rank: Mapped[int] = mapped_column(SmallInteger, Computed(INBOX_RANK_SQL, persisted=True))

    submission: Mapped[Submission] = relationship()
    territory: Mapped[Territory | None] = relationship()
    events: Mapped[list["AlertEvent"]] = relationship(
        back_populates="alert", cascade="all, delete-orphan", order_by="[AlertEvent.at, AlertEvent.id]"
    )

    @property
    def is_escalated(self) -> bool:
        return self.escalation_level > 0

    def is_overdue(self, now: datetime) -> bool:
        return self.state == AlertState.NEW and now >= self.ack_deadline_at

    def acknowledge(self, by: User, at: datetime) -> None:
        self._refuse_if_closed()
        if self.state != AlertState.NEW:
            raise AlertTransitionRefused(_l("This alert has already been acknowledged."))
        self.state, self.acknowledged_at, self.acknowledged_by_id = AlertState.ACKNOWLEDGED, at, by.id
        self.log(EventKind.ACKNOWLEDGED, at, by)

    def record_action(self, action: ActionKind, note: str, by: User, at: datetime) -> None:
        self._refuse_unless_acknowledged()
        self.log(EventKind.ACTION, at, by, action=action, note=note)

    def close(self, outcome: Outcome, note: str, by: User, at: datetime) -> None:
        self._refuse_unless_acknowledged()
        self.state, self.closed_at, self.closed_by_id, self.outcome = AlertState.CLOSED, at, by.id, outcome
        self.log(EventKind.CLOSED, at, by, outcome=outcome, note=note)

    def escalate(self, at: datetime, details: dict) -> "AlertEvent":
        if self.state != AlertState.NEW:
            raise AlertTransitionRefused(_l("Only an alert that nobody has acknowledged is escalated."))
        if self.escalation_level >= MAX_ESCALATION_LEVEL:
            raise AlertTransitionRefused(_l("This alert has already been escalated to the last contact."))
        self.escalation_level += 1
        return self.log(EventKind.ESCALATED, at, details={**details, "escalation_level": self.escalation_level})

    def log(self, kind: EventKind, at: datetime, by: User | None = None, **fields) -> "AlertEvent":
        event = AlertEvent(kind=kind, at=at, user=by, **fields)
        self.events.append(event)
        return event

    def _refuse_if_closed(self) -> None:
        if self.state == AlertState.CLOSED:
            raise AlertTransitionRefused(_l("This alert is closed."))

    def _refuse_unless_acknowledged(self) -> None:
        self._refuse_if_closed()
        if self.state != AlertState.ACKNOWLEDGED:
            raise AlertTransitionRefused(_l("Acknowledge the alert first."))


class AlertEvent(Model):
    """One step of an alert's trail, with who took it and when (UTC). Rows are only ever added."""

    __tablename__ = "alert_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alert.id", ondelete="CASCADE"), index=True)
    kind: Mapped[EventKind] = mapped_column(enum_column(EventKind, 15))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    action: Mapped[ActionKind | None] = mapped_column(enum_column(ActionKind, 20))
    outcome: Mapped[Outcome | None] = mapped_column(enum_column(Outcome, 20))
    note: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict] = mapped_column(JSONDocument, default=dict)

    alert: Mapped[Alert] = relationship(back_populates="events")
    user: Mapped[User | None] = relationship()


class Duty(Model):
    """Who is told about alerts: for one territorial administration, or for the whole city (no territory).

    The psychologists on duty are told first; the backups (psychologists or coordinators) when an alert is not
    acknowledged in time.
    """

    __table_args__ = (UniqueConstraint("user_id", "territory_id", "is_backup", name="uq_duty_user_territory"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    territory_id: Mapped[int | None] = mapped_column(ForeignKey("territory.id"))
    is_backup: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)

    user: Mapped[User] = relationship()
    territory: Mapped[Territory | None] = relationship()
