from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectChoice, SelectField, TextAreaField
from wtforms.validators import Length, ValidationError

from surveyapp.alerts.labels import ACTION_LABELS, OUTCOME_LABELS
from surveyapp.alerts.models import ActionKind


class AcknowledgeForm(FlaskForm):
    """Acknowledge: the form carries only the CSRF token."""


class ActionForm(FlaskForm):
    action = SelectField(
        _l("What was done"), choices=[SelectChoice(a.value, label) for a, label in ACTION_LABELS.items()]
    )
    note = TextAreaField(_l("Note"), validators=[Length(max=4000)])

    def validate_note(self, field) -> None:
        if self.action.data == ActionKind.NOTE and not (field.data or "").strip():
            raise ValidationError(_l("Write the note."))


class CloseForm(FlaskForm):
    outcome = SelectField(_l("Outcome"), choices=[SelectChoice(o.value, label) for o, label in OUTCOME_LABELS.items()])
    note = TextAreaField(_l("Note"), validators=[Length(max=4000)])


class DutyForm(FlaskForm):
    user_id = SelectField(_l("Staff member"), coerce=int)
    territory_id = SelectField(_l("Territorial administration"), coerce=int)
    is_backup = BooleanField(_l("Backup (told when an alert is not acknowledged in time)"))


class RemoveDutyForm(FlaskForm):
    """Take off duty: the form carries only the CSRF token."""
