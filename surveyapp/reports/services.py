"""Editing the indicator definitions, and seeding the programme's own indicator table."""

import math
from dataclasses import asdict, dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from surveyapp.audit import services as audit
from surveyapp.errors import Conflict, Invalid
from surveyapp.extensions import db
from surveyapp.instruments.queries import newest_version
from surveyapp.reports.models import IndicatorDefinition
from surveyapp.respondents.models import RespondentKind
from surveyapp.scoring.indicators import KNOWLEDGE_STATISTICS, Statistic
from surveyapp.sessions.models import Wave

SURVEY_METHOD = {"ky": "Сурамжылоо", "ru": "Опрос", "en": "Survey"}
"""The measurement method of both programme indicators, as the terms of reference name it."""

CUTOFF_RULES = ("at_or_below", "below", "at_or_above", "above")
SHARE_LIKE_STATISTICS = frozenset({Statistic.SHARE_RELIABLY_IMPROVED, Statistic.HAKE_GAIN})
"""Statistics whose values lie between 0 and 1 (a normalized gain may fall below 0, but no target does)."""


class InvalidIndicator(Invalid):
    code = "invalid_indicator"


@dataclass(frozen=True)
class IndicatorFields:
    code: str
    title: dict
    target: int
    respondent_kind: RespondentKind
    pre_instrument: str
    post_instrument: str
    scale: str
    statistic: Statistic
    pre_wave: Wave = Wave.BASELINE
    post_wave: Wave = Wave.POST
    position: int = 0
    method: dict | None = None
    higher_is_better: bool = True
    cutoff: float | None = None
    cutoff_rule: str | None = None
    success_threshold: float | None = None


@dataclass(frozen=True)
class SeedResult:
    created: int
    given_a_threshold: int
    """Programme indicators defined before success rules existed, now given the programme's threshold."""


def save_indicator(fields: IndicatorFields, definition: IndicatorDefinition | None = None) -> IndicatorDefinition:
    """Create (definition None) or update an indicator after checking it can be computed from the instruments."""
    _check(fields, definition)
    is_new = definition is None
    values = asdict(fields)
    values["method"] = fields.method or dict(SURVEY_METHOD)
    definition = definition or IndicatorDefinition()
    for name, value in values.items():
        setattr(definition, name, value)
    db.session.add(definition)
    audit.record(
        "create_indicator" if is_new else "update_indicator",
        definition,
        {
            "code": fields.code,
            "statistic": fields.statistic.value,
            "target": fields.target,
            "success_threshold": fields.success_threshold,
        },
    )
    return definition


def delete_indicator(definition: IndicatorDefinition) -> None:
    audit.record("delete_indicator", definition, {"code": definition.code})
    db.session.delete(definition)
    db.session.flush()


def ensure_programme_indicators() -> SeedResult:
    """The programme's indicator table (terms of reference, section 4) and its supporting rows, where missing;
    a programme indicator without a success threshold gets the programme's. Instruments must be published
    first (`flask instruments load`)."""
    existing = {definition.code: definition for definition in db.session.scalars(select(IndicatorDefinition))}
    created = given_a_threshold = 0
    for fields in PROGRAMME_INDICATORS:
        definition = existing.get(fields.code)
        if definition is None:
            save_indicator(fields)
            created += 1
        elif definition.success_threshold is None:
            definition.success_threshold = fields.success_threshold
            audit.record(
                "update_indicator", definition, {"code": fields.code, "success_threshold": fields.success_threshold}
            )
            given_a_threshold += 1
    db.session.flush()
    return SeedResult(created, given_a_threshold)


def _check(fields: IndicatorFields, definition: IndicatorDefinition | None) -> None:
    other = db.session.scalar(select(IndicatorDefinition).filter_by(code=fields.code))
    if other is not None and other is not definition:
        raise Conflict(_l("Another indicator has the code %(code)s.", code=fields.code))
    problems = _problems(fields)
    if problems:
        raise InvalidIndicator(_l("This indicator cannot be computed as defined."), problems)


def _problems(fields: IndicatorFields) -> list:
    problems = []
    if fields.target < 1:
        problems.append(_l("The target must be at least 1."))
    if fields.pre_wave == fields.post_wave:
        problems.append(_l("The waves before and after must differ."))
    if (fields.cutoff is None) != (fields.cutoff_rule is None) or (
        fields.cutoff_rule is not None and fields.cutoff_rule not in CUTOFF_RULES
    ):
        problems.append(_l("Give a cut-off together with the side of it that counts, or neither."))
    problems.extend(_threshold_problems(fields))
    for instrument in dict.fromkeys((fields.pre_instrument, fields.post_instrument)):
        problems.extend(_instrument_problems(fields, instrument))
    return problems


def _threshold_problems(fields: IndicatorFields) -> list:
    threshold = fields.success_threshold
    if threshold is None:
        return []
    if not math.isfinite(threshold):
        return [_l("The success threshold must be a number.")]
    if fields.statistic in SHARE_LIKE_STATISTICS and not 0 <= threshold <= 1:
        return [_l("For a share or a normalized gain, the success threshold is a number from 0 to 1 (0.3 means 30%).")]
    return []


def _instrument_problems(fields: IndicatorFields, instrument: str) -> list:
    version = newest_version(instrument)
    if version is None:
        return [_l("No questionnaire %(code)s is published.", code=instrument)]
    if version.instrument.respondent_kind != fields.respondent_kind.value:
        return [_l("%(code)s is not answered by these respondents.", code=instrument)]
    try:
        scale = version.definition.scale(fields.scale)
    except KeyError:
        return [_l("%(code)s has no scale %(scale)s.", code=instrument, scale=fields.scale)]
    if fields.statistic in KNOWLEDGE_STATISTICS and scale.method != "percent_correct":
        return [_l("A knowledge gain needs a percent-correct scale; %(scale)s is not one.", scale=fields.scale)]
    if fields.statistic == Statistic.SHARE_RELIABLY_IMPROVED and len(scale.items) < 2:
        return [_l("Reliable change needs a scale of two or more items (its reliability comes from them).")]
    return []


def _text(ky: str, ru: str, en: str) -> dict:
    return {"ky": ky, "ru": ru, "en": en}


PROGRAMME_INDICATORS = (
    # Success thresholds, the programme's choices (an admin edits them): 30% of the children reliably
    # improved (RCI) on resilience and self-esteem; WHO-5 up by 10 points, the change its review calls
    # clinically relevant (Topp et al. 2015, Psychother Psychosom 84:167); staff's correct answers up by 20
    # percentage points; parents' normalized gain at least 0.3, Hake's "medium gain" (Hake 1998, Am J Phys 66:64).
    IndicatorFields(
        code="children_resilience",
        position=10,
        target=500,
        respondent_kind=RespondentKind.CHILD,
        title=_text(
            "Эмгек мигранттарынын жардамга муктаж балдары социалдык, психологиялык жардамдарды алышат, "
            "эмоционалдык туруктуулугун өстүрүшөт",
            "Нуждающиеся дети трудовых мигрантов получают социальную и психологическую помощь и повышают "
            "эмоциональную устойчивость",
            "Children of labour migrants in need receive social and psychological help and grow their "
            "emotional resilience",
        ),
        pre_instrument="cyrmr",
        post_instrument="cyrmr",
        scale="total",
        statistic=Statistic.SHARE_RELIABLY_IMPROVED,
        success_threshold=0.3,
    ),
    IndicatorFields(
        code="children_self_esteem",
        position=20,
        target=500,
        respondent_kind=RespondentKind.CHILD,
        title=_text(
            "Балдардын өзүн-өзү баалоосу жогорулайт", "Самооценка детей повышается", "Children's self-esteem grows"
        ),
        pre_instrument="rses",
        post_instrument="rses",
        scale="total",
        statistic=Statistic.SHARE_RELIABLY_IMPROVED,
        cutoff=15,
        cutoff_rule="below",
        success_threshold=0.3,
    ),
    IndicatorFields(
        code="children_wellbeing",
        position=30,
        target=500,
        respondent_kind=RespondentKind.CHILD,
        title=_text(
            "Балдардын жыргалчылыгы жакшырат", "Благополучие детей улучшается", "Children's wellbeing improves"
        ),
        pre_instrument="who5",
        post_instrument="who5",
        scale="percent",
        statistic=Statistic.MEAN_CHANGE,
        cutoff=50,
        cutoff_rule="at_or_below",
        success_threshold=10,
    ),
    IndicatorFields(
        code="staff_knowledge",
        position=40,
        target=25,
        respondent_kind=RespondentKind.STAFF,
        title=_text(
            "Мээриянын кызматкерлери балдарга жардам берүүдө потенциалын жогорулатышат",
            "Сотрудники мэрии повышают свой потенциал в оказании помощи детям",
            "Staff of the mayor's office grow their capacity to help children",
        ),
        pre_instrument="staff_knowledge_pre",
        post_instrument="staff_knowledge_post",
        scale="percent",
        statistic=Statistic.MEAN_KNOWLEDGE_GAIN,
        success_threshold=20,
    ),
    IndicatorFields(
        code="parent_knowledge",
        position=50,
        target=100,
        respondent_kind=RespondentKind.PARENT,
        title=_text(
            "Ата-энелер жана камкорчулар позитивдүү тарбия боюнча билимин жогорулатышат",
            "Родители и опекуны повышают знания о позитивном воспитании",
            "Parents and guardians grow their knowledge of positive parenting",
        ),
        pre_instrument="parent_knowledge_pre",
        post_instrument="parent_knowledge_post",
        scale="percent",
        statistic=Statistic.HAKE_GAIN,
        success_threshold=0.3,
    ),
)
