from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, Field, SelectChoice, SelectField, StringField
from wtforms.utils import unset_value
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from surveyapp.activities import queries as activities
from surveyapp.i18n import current_language, local_text
from surveyapp.respondents.models import RespondentKind
from surveyapp.sessions import queries
from surveyapp.sessions.labels import WAVE_LABELS

RESPONDENT_GROUPS = {
    RespondentKind.CHILD: _l("Children"),
    RespondentKind.STAFF: _l("Staff"),
    RespondentKind.PARENT: _l("Parents and guardians"),
}
"""Who answers at a session, as the staff choose it."""


class QuestionnaireOrderField(Field):
    """Which of the offered questionnaires are given, and in which order: beside each, a select of "not given"
    or an order number 1..n, so that any of them can be given in any order.

    Posted as ``<name>-<version id>`` = its number, empty when not given (the template ``_questionnaires.html``
    draws it). After validation ``data`` holds the chosen version ids in the order of their numbers. Nothing is
    ``required`` in the browser: choosing none is refused here, with a message.
    """

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.choices: list[SelectChoice] = []
        self.numbers: dict[str, str] = {}

    def process(self, formdata, data=unset_value, extra_filters=None):
        self.process_errors = []
        self.data = []
        prefix = f"{self.name}-"
        self.numbers = {
            key.removeprefix(prefix): value
            for key, value in (formdata or {}).items()
            if key.startswith(prefix) and value
        }

    def input_name(self, choice: SelectChoice) -> str:
        return f"{self.name}-{choice.value}"

    def number_of(self, choice: SelectChoice) -> str:
        return self.numbers.get(str(choice.value), "")

    def pre_validate(self, form):
        if set(self.numbers) - {str(choice.value) for choice in self.choices}:
            raise ValidationError(_("Choose only questionnaires listed here: they are the ones for these respondents."))
        if not self.numbers:
            raise ValidationError(_("Choose at least one questionnaire: give it an order number."))
        allowed = {str(number) for number in range(1, len(self.choices) + 1)}
        if set(self.numbers.values()) - allowed:
            raise ValidationError(_("Give each questionnaire an order number from its list."))
        given = list(self.numbers.values())
        repeated = sorted({int(number) for number in given if given.count(number) > 1})
        if repeated:
            raise ValidationError(
                _("Two questionnaires have the order number %(number)s: give each its own number.", number=repeated[0])
            )
        self.data = [int(value) for value, _number in sorted(self.numbers.items(), key=lambda item: int(item[1]))]


class SessionForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    held_on = DateField(_l("Date"), validators=[InputRequired()])
    place = StringField(_l("Place"), validators=[DataRequired(), Length(max=200)])
    territory_id = SelectField(_l("Territorial administration"), coerce=int)
    wave = SelectField(_l("Wave"), choices=[SelectChoice(w.value, label) for w, label in WAVE_LABELS.items()])
    trainer_id = SelectField(_l("Trainer"), coerce=int)
    activity_id = SelectField(_l("Work-plan activity"), coerce=int)
    questionnaires = QuestionnaireOrderField(_l("Questionnaires, in the order they are given"))


class SessionStateForm(FlaskForm):
    """Close or reopen: the form carries only the CSRF token."""


class DeviceSetUpForm(FlaskForm):
    session_id = SelectField(_l("Session this tablet is used for"), coerce=int)


def chosen_kind(value: str | None, offered=tuple(RespondentKind)) -> RespondentKind | None:
    """The respondents chosen in the first step (``?kind=staff``); none when not chosen yet or not offered."""
    return next((kind for kind in offered if kind.value == value), None)


def questionnaire_choices(kind: RespondentKind) -> list[SelectChoice]:
    """The newest published version of each questionnaire for ``kind``, by its title and version."""
    return [SelectChoice(version.id, version.label) for version in queries.newest_versions_for(kind)]


def activity_choices() -> list[SelectChoice]:
    return [SelectChoice(0, _("None"))] + [
        SelectChoice(activity.id, local_text(activity.title, current_language()))
        for activity in activities.work_plan_activities()
    ]


def trainer_choices() -> list[SelectChoice]:
    return [SelectChoice(user.id, user.full_name or user.username) for user in queries.trainers()]
