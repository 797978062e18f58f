from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired, Length


class JoinForm(FlaskForm):
    join_code = StringField(_l("Session code"), validators=[DataRequired(), Length(max=20)])
    respondent_code = StringField(_l("Your code"), validators=[DataRequired(), Length(max=20)])


class AssentForm(FlaskForm):
    """Yes or no to taking part: the buttons carry the choice, the form the CSRF token."""


class QuestionnaireForm(FlaskForm):
    """The answers are read from the request against the instrument definition; this form adds CSRF
    and the submission's identifier, made once per questionnaire so that a re-sent form is recognised."""

    client_uuid = HiddenField(validators=[DataRequired()])
