from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectChoice, SelectField, SelectMultipleField, StringField, widgets
from wtforms.validators import DataRequired, InputRequired, Length

from surveyapp.sessions.models import Wave

WAVE_LABELS = {Wave.BASELINE: _l("Baseline"), Wave.POST: _l("Post"), Wave.FOLLOW_UP: _l("Follow-up")}


class CheckboxListField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class SessionForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    held_on = DateField(_l("Date"), validators=[InputRequired()])
    place = StringField(_l("Place"), validators=[DataRequired(), Length(max=200)])
    territory_id = SelectField(_l("Territorial administration"), coerce=int)
    wave = SelectField(_l("Wave"), choices=[SelectChoice(w.value, label) for w, label in WAVE_LABELS.items()])
    trainer_id = SelectField(_l("Trainer"), coerce=int)
    instrument_version_ids = CheckboxListField(
        _l("Questionnaires, in the order they are given"), coerce=int,
        validators=[DataRequired(message=_l("Choose at least one questionnaire."))],
    )


class SessionStateForm(FlaskForm):
    """Close or reopen: the form carries only the CSRF token."""


class DeviceSetUpForm(FlaskForm):
    session_id = SelectField(_l("Session this tablet is used for"), coerce=int)
