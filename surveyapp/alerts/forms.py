from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectChoice, SelectField, TextAreaField
from wtforms.validators import Length, ValidationError

from surveyapp.alerts.models import ActionKind, AlertLevel, AlertState, EventKind, Outcome

LEVEL_LABELS = {
    AlertLevel.ACUTE: _l("Acute"),
    AlertLevel.NON_ACUTE: _l("Non-acute"),
    AlertLevel.REFERRAL: _l("Referral"),
}
STATE_LABELS = {AlertState.NEW: _l("New"), AlertState.ACKNOWLEDGED: _l("Acknowledged"), AlertState.CLOSED: _l("Closed")}
EVENT_LABELS = {
    EventKind.CREATED: _l("Alert created"),
    EventKind.NOTIFIED: _l("E-mail sent"),
    EventKind.MAIL_FAILED: _l("E-mail could not be sent; retrying"),
    EventKind.ESCALATED: _l("Escalated"),
    EventKind.ACKNOWLEDGED: _l("Acknowledged"),
    EventKind.ACTION: _l("Follow-up action"),
    EventKind.CLOSED: _l("Closed"),
}
ACTION_LABELS = {
    ActionKind.CONTACTED_CHILD: _l("Talked with the child"),
    ActionKind.CONTACTED_GUARDIAN: _l("Contacted the parent or guardian"),
    ActionKind.REFERRED_CENTER: _l("Referred to the Family Support and Child Protection Center"),
    ActionKind.REFERRED_INSPECTOR: _l("Referred to the inspector for minors (IDN)"),
    ActionKind.REFERRED_HEALTH: _l("Referred to health care"),
    ActionKind.NOTE: _l("Note"),
}
OUTCOME_LABELS = {
    Outcome.RISK_NOT_CONFIRMED: _l("Risk not confirmed after assessment"),
    Outcome.SUPPORTED: _l("Supported in the programme; follow-up plan agreed"),
    Outcome.REFERRED: _l("Taken over by a specialised service"),
    Outcome.NOT_REACHED: _l("The child and the family could not be reached"),
}


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
