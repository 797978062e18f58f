from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, FloatField, IntegerField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from surveyapp.instruments.models import Instrument
from surveyapp.reports.formatting import CUTOFF_RULE_LABELS, STATISTIC_LABELS
from surveyapp.reports.models import IndicatorDefinition
from surveyapp.reports.services import IndicatorFields
from surveyapp.respondents.labels import KIND_LABELS, kind_label
from surveyapp.respondents.models import RespondentKind
from surveyapp.scoring.indicators import Statistic
from surveyapp.sessions.labels import WAVE_LABELS
from surveyapp.sessions.models import Wave

LANGUAGES = ("ky", "ru", "en")


class IndicatorForm(FlaskForm):
    code = StringField(
        _l("Code"),
        validators=[
            DataRequired(),
            Length(max=40),
            Regexp(r"^[a-z][a-z0-9_]*$", message=_l("Lower-case letters, digits and _ only, starting with a letter.")),
        ],
    )
    position = IntegerField(_l("Order in the table"), default=0, validators=[Optional()])
    title_ky = StringField(_l("Indicator (Kyrgyz)"), validators=[DataRequired(), Length(max=400)])
    title_ru = StringField(_l("Indicator (Russian)"), validators=[DataRequired(), Length(max=400)])
    title_en = StringField(_l("Indicator (English)"), validators=[DataRequired(), Length(max=400)])
    method_ky = StringField(_l("Measurement method (Kyrgyz)"), default="Сурамжылоо", validators=[DataRequired()])
    method_ru = StringField(_l("Measurement method (Russian)"), default="Опрос", validators=[DataRequired()])
    method_en = StringField(_l("Measurement method (English)"), default="Survey", validators=[DataRequired()])
    target = IntegerField(_l("Target (number of respondents)"), validators=[DataRequired(), NumberRange(min=1)])
    respondent_kind = SelectField(
        _l("Respondents"), choices=[SelectChoice(kind.value, label) for kind, label in KIND_LABELS.items()]
    )
    pre_instrument = SelectField(_l("Questionnaire before"))
    post_instrument = SelectField(_l("Questionnaire after (the same one, or the parallel form of a knowledge test)"))
    scale = StringField(_l("Scale"), validators=[DataRequired(), Length(max=60)])
    statistic = SelectField(
        _l("Statistic that counts as the result"),
        choices=[SelectChoice(statistic.value, label) for statistic, label in STATISTIC_LABELS.items()],
    )
    pre_wave = SelectField(
        _l("Wave before"),
        default=Wave.BASELINE.value,
        choices=[SelectChoice(wave.value, label) for wave, label in WAVE_LABELS.items()],
    )
    post_wave = SelectField(
        _l("Wave after"),
        default=Wave.POST.value,
        choices=[SelectChoice(wave.value, label) for wave, label in WAVE_LABELS.items()],
    )
    higher_is_better = BooleanField(_l("A higher score is better"), default=True)
    cutoff = FloatField(_l("Cut-off for the McNemar test (optional)"), validators=[Optional()])
    cutoff_rule = SelectField(
        _l("Scores that count at the cut-off"),
        choices=[SelectChoice("", _l("No cut-off"))]
        + [SelectChoice(rule, label) for rule, label in CUTOFF_RULE_LABELS.items()],
    )
    success_threshold = FloatField(
        _l("Success threshold"),
        validators=[Optional()],
        description=_l(
            "The target is met when at least the target number of respondents were surveyed before and after and "
            "the result reaches this value, counted in the direction of improvement. In the unit of the statistic: "
            "for a share reliably improved or a normalized gain, a number from 0 to 1 (0.3 means 30%); for a mean "
            "change, points of the scale; for a knowledge gain, percentage points. Leave it empty to judge the "
            "target by reach alone."
        ),
    )

    def set_instrument_choices(self, instruments: list[Instrument]) -> None:
        choices = [
            SelectChoice(instrument.code, f"{instrument.title} ({kind_label(instrument.respondent_kind)})")
            for instrument in instruments
        ]
        self.pre_instrument.choices = choices
        self.post_instrument.choices = list(choices)

    def fill_from(self, definition: IndicatorDefinition) -> None:
        for field_name in ("code", "position", "target", "scale", "higher_is_better", "cutoff", "success_threshold"):
            getattr(self, field_name).data = getattr(definition, field_name)
        for field_name in ("respondent_kind", "statistic", "pre_wave", "post_wave"):
            getattr(self, field_name).data = getattr(definition, field_name).value
        self.pre_instrument.data, self.post_instrument.data = definition.pre_instrument, definition.post_instrument
        self.cutoff_rule.data = definition.cutoff_rule or ""
        for language in LANGUAGES:
            getattr(self, f"title_{language}").data = definition.title.get(language, "")
            getattr(self, f"method_{language}").data = definition.method.get(language, "")

    def to_fields(self) -> IndicatorFields:
        return IndicatorFields(
            code=self.code.data,
            position=self.position.data or 0,
            target=self.target.data,
            title={language: getattr(self, f"title_{language}").data.strip() for language in LANGUAGES},
            method={language: getattr(self, f"method_{language}").data.strip() for language in LANGUAGES},
            respondent_kind=RespondentKind(self.respondent_kind.data),
            pre_instrument=self.pre_instrument.data,
            post_instrument=self.post_instrument.data,
            scale=self.scale.data.strip(),
            statistic=Statistic(self.statistic.data),
            pre_wave=Wave(self.pre_wave.data),
            post_wave=Wave(self.post_wave.data),
            higher_is_better=self.higher_is_better.data,
            cutoff=self.cutoff.data,
            cutoff_rule=self.cutoff_rule.data or None,
            success_threshold=self.success_threshold.data,
        )


class DeleteForm(FlaskForm):
    """Delete: the form carries only the CSRF token."""
