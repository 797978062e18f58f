from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from surveyapp.respondents.labels import KIND_LABELS, SEX_LABELS
from surveyapp.respondents.services import territories


class RespondentForm(FlaskForm):
    kind = SelectField(_l("Respondent"), choices=[SelectChoice(k.value, label) for k, label in KIND_LABELS.items()])
    sex = SelectField(
        _l("Sex"),
        choices=[SelectChoice("", _l("Not given"))] + [SelectChoice(s.value, label) for s, label in SEX_LABELS.items()],
    )
    birth_year = IntegerField(_l("Year of birth"), validators=[Optional(), NumberRange(min=1930, max=2030)])
    territory_id = SelectField(_l("Territorial administration"), coerce=int)


class IdentityForm(FlaskForm):
    full_name = StringField(_l("Child's full name"), validators=[DataRequired(), Length(max=200)])
    guardian_name = StringField(_l("Parent or guardian"), validators=[Length(max=200)])
    guardian_phone = StringField(_l("Guardian's phone"), validators=[Length(max=40)])
    address = TextAreaField(_l("Address"), validators=[Length(max=500)])


class TerritoryForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])


CONSENT_METHOD_LABELS = {
    "paper_form": _l("Signed paper form"),
    "in_person": _l("In person, to a staff member"),
    "phone": _l("By phone"),
}


class GuardianConsentForm(FlaskForm):
    given_by = StringField(
        _l("Given by (relation to the child, e.g. mother; no name)"), validators=[DataRequired(), Length(max=200)]
    )
    given_on = DateField(_l("Date"), validators=[DataRequired()])
    method = SelectField(
        _l("How"), choices=[SelectChoice(code, label) for code, label in CONSENT_METHOD_LABELS.items()]
    )


class WithdrawalForm(FlaskForm):
    reason = StringField(_l("Reason (optional, no names)"), validators=[Length(max=200)])


class UndoWithdrawalForm(FlaskForm):
    pass


def territory_choices(none_label: str) -> list[SelectChoice]:
    """The territorial administrations for a select field, after a first choice (value 0) meaning none of them."""
    return [SelectChoice(0, none_label)] + [SelectChoice(t.id, t.name) for t in territories()]
