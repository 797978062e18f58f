from datetime import datetime

from sqlalchemy import Float, String
from sqlalchemy.orm import Mapped, mapped_column

from surveyapp.db import JSONDocument, UTCDateTime, enum_column, utc_now
from surveyapp.extensions import db
from surveyapp.respondents.models import RespondentKind
from surveyapp.scoring.indicators import IndicatorSpec, Statistic
from surveyapp.sessions.models import Wave


class IndicatorDefinition(db.Model):
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
    cutoff_rule: Mapped[str | None] = mapped_column(String(20))
    """at_or_below / below / at_or_above / above: which scores count as flagged at the cut-off (McNemar)."""
    success_threshold: Mapped[float | None] = mapped_column(Float)
    """The target is met when at least ``target`` respondents were measured before and after and the result
    (the indicator's statistic: a share 0-1, points or a normalized gain), counted in the direction of
    improvement, is at least this value; None: reach alone decides (scoring.indicators.target_verdict)."""
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, onupdate=utc_now)

    def to_spec(self) -> IndicatorSpec:
        return IndicatorSpec(
            code=self.code, respondent_kind=self.respondent_kind.value, pre_instrument=self.pre_instrument,
            post_instrument=self.post_instrument, scale_id=self.scale, statistic=self.statistic,
            target=self.target, pre_wave=self.pre_wave.value, post_wave=self.post_wave.value,
            higher_is_better=self.higher_is_better, cutoff=self.cutoff, cutoff_rule=self.cutoff_rule,
            success_threshold=self.success_threshold,
        )
