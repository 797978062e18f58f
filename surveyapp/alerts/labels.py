"""The words staff read for an alert's state, events, actions and outcomes: shared by the pages, the forms and the
e-mails (alerts/services.py), so they live apart from the forms. An alert's level is its screen's flag level,
worded in responses/labels.py."""

from flask_babel import lazy_gettext as _l

from surveyapp.alerts.models import ActionKind, AlertState, EventKind, Outcome

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
