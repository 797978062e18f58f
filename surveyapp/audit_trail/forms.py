from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField
from wtforms.validators import Length, Optional


class EventFilterForm(FlaskForm):
    """The audit trail's filters, read from the query string (a GET form: no CSRF token)."""

    class Meta:
        csrf = False

    user = SelectField(_l("Who"), coerce=str, validators=[Optional()])
    action = SelectField(_l("What"), coerce=str, validators=[Optional()])
    respondent = StringField(_l("About the respondent (code)"), validators=[Optional(), Length(max=20)])
    since = DateField(_l("From"), validators=[Optional()])
    until = DateField(_l("To"), validators=[Optional()])
