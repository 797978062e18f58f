import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Float, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surveyapp.db import JSONDocument, UTCDateTime, enum_column, utc_now
from surveyapp.errors import Conflict
from surveyapp.extensions import Model
from surveyapp.respondents.models import RespondentKind
from surveyapp.scoring.indicators import IndicatorSpec, Statistic
from surveyapp.scoring.paired import FlagRule
from surveyapp.sessions.models import Wave


class IndicatorDefinition(Model):
    """One row of the programme's indicator table: which scale is measured, on whom, between which waves, and
    which statistic counts as the result. Data an admin edits, not code.

    Knowledge tests have a different instrument before and after training (staff_knowledge_pre at baseline,
    staff_knowledge_post at post): respondents are paired by code across the two instruments.
    """

    __tablename__ = "indicator_definition"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[dict] = mapped_column(JSONDocument)
    """Language -> title, e.g. {"ky": ..., "ru": ..., "en": ...}."""
    method: Mapped[dict] = mapped_column(JSONDocument)
    """Language -> measurement method as the programme's table names it ("Сурамжылоо")."""
    target: Mapped[int]
    respondent_kind: Mapped[RespondentKind] = mapped_column(enum_column(RespondentKind, 10))
    pre_instrument: Mapped[str] = mapped_column(String(60))
    post_instrument: Mapped[str] = mapped_column(String(60))
    scale: Mapped[str] = mapped_column(String(60))
    statistic: Mapped[Statistic] = mapped_column(enum_column(Statistic, 40))
    pre_wave: Mapped[Wave] = mapped_column(enum_column(Wave, 10), default=Wave.BASELINE)
    post_wave: Mapped[Wave] = mapped_column(enum_column(Wave, 10), default=Wave.POST)
    higher_is_better: Mapped[bool] = mapped_column(default=True)
    cutoff: Mapped[float | None] = mapped_column(Float)
    cutoff_rule: Mapped[FlagRule | None] = mapped_column(String(20))
    """at_or_below / below / at_or_above / above: which scores count as flagged at the cut-off (McNemar)."""
    success_threshold: Mapped[float | None] = mapped_column(Float)
    """The target is met when at least ``target`` respondents were measured before and after and the result
    (the indicator's statistic: a share 0-1, points or a normalized gain), counted in the direction of
    improvement, is at least this value; None: reach alone decides (scoring.indicators.target_verdict)."""
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, onupdate=utc_now)

    def to_spec(self) -> IndicatorSpec:
        return IndicatorSpec(
            code=self.code,
            respondent_kind=self.respondent_kind.value,
            pre_instrument=self.pre_instrument,
            post_instrument=self.post_instrument,
            scale_id=self.scale,
            statistic=self.statistic,
            target=self.target,
            pre_wave=self.pre_wave.value,
            post_wave=self.post_wave.value,
            higher_is_better=self.higher_is_better,
            cutoff=self.cutoff,
            cutoff_rule=self.cutoff_rule,
            success_threshold=self.success_threshold,
        )


class ExportState(enum.Enum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    EXPIRED = "expired"


class ExportKind(enum.Enum):
    INDICATOR_DATA = "indicator_data"
    """The de-identified long-form scores that the indicators count (reports.data_export)."""
    ITEM_DATA = "item_data"
    """Every answer and score of one instrument version, one row per submission (reports.item_data)."""


class ExportJob(Model):
    """A long download made by the export worker (`flask exports work`) outside any request: the requester
    follows its progress, then downloads the file, which is deleted after the retention period."""

    __tablename__ = "export_job"

    id: Mapped[int] = mapped_column(primary_key=True)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    kind: Mapped[ExportKind] = mapped_column(
        enum_column(ExportKind, 20), default=ExportKind.INDICATOR_DATA, server_default=ExportKind.INDICATOR_DATA.value
    )
    instrument_version_id: Mapped[int | None] = mapped_column(ForeignKey("instrument_version.id"))
    """The instrument version whose answers an item-level export holds; None for the indicator data."""
    file_format: Mapped[str] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(5))
    state: Mapped[ExportState] = mapped_column(enum_column(ExportState, 10), default=ExportState.QUEUED, index=True)
    rows_written: Mapped[int] = mapped_column(default=0)
    rows_total: Mapped[int | None]
    file_name: Mapped[str | None] = mapped_column(String(100))
    """In the instance folder's exports/; a random part, so that a name cannot be guessed."""
    error: Mapped[str | None] = mapped_column(String(20))
    """Why it failed: a key of export_jobs.FAILURES, shown in the requester's language."""
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    """Last sign of life of the worker running it: a running job silent for long was interrupted."""
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    requested_by = relationship("User")
    instrument_version = relationship("InstrumentVersion")

    @property
    def is_pending(self) -> bool:
        return self.state in (ExportState.QUEUED, ExportState.RUNNING)

    def start(self, now: datetime) -> None:
        self._refuse_unless(ExportState.QUEUED)
        self.state, self.started_at, self.heartbeat_at = ExportState.RUNNING, now, now
        self.rows_written, self.rows_total, self.error = 0, None, None

    def finish(self, file_name: str, rows: int, now: datetime) -> None:
        self._refuse_unless(ExportState.RUNNING)
        self.state, self.file_name, self.finished_at = ExportState.DONE, file_name, now
        self.rows_written = self.rows_total = rows

    def fail(self, error: str, now: datetime) -> None:
        self._refuse_unless(ExportState.QUEUED, ExportState.RUNNING)
        self.state, self.error, self.finished_at = ExportState.FAILED, error, now

    def retry(self) -> None:
        self._refuse_unless(ExportState.FAILED)
        self.state, self.error, self.finished_at = ExportState.QUEUED, None, None

    def expire(self) -> None:
        self._refuse_unless(ExportState.DONE)
        self.state, self.file_name = ExportState.EXPIRED, None

    def _refuse_unless(self, *states: ExportState) -> None:
        if self.state not in states:
            raise ExportStateError(self.state)


class ExportStateError(Conflict):
    def __init__(self, state: ExportState):
        super().__init__(_l("The export cannot do that now: it is %(state)s.", state=state.value))
