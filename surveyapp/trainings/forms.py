from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from surveyapp.sessions.forms import QuestionnaireOrderField


class TrainingForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    held_on = DateField(_l("Date"), validators=[InputRequired()])
    place = StringField(_l("Place"), validators=[DataRequired(), Length(max=200)])
    territory_id = SelectField(_l("Territorial administration"), coerce=int)
    activity_id = SelectField(_l("Work-plan activity"), coerce=int)
    trainer_id = SelectField(_l("Trainer"), coerce=int)
    """Chosen by coordinators and admins; a trainer is always the trainer of the trainings they plan."""
    pre_test = QuestionnaireOrderField(_l("Pre-test: questionnaires, in the order they are given"))
    post_test = QuestionnaireOrderField(_l("Post-test: questionnaires, in the order they are given"))


class ParticipantForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    organisation = StringField(_l("Organisation"), validators=[Length(max=200)])
    code = StringField(
        _l("Respondent code"),
        validators=[Optional(), Length(max=16)],
        description=_l("Leave empty to make a new code for them."),
    )
