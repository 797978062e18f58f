"""The words staff read for a screen's flag level (FORMAT.md, "Flags"): a submission's, and the level of the alert
opened from it (alerts.models.AlertLevel has the same values, so an alert's level finds its word here too)."""

from flask_babel import lazy_gettext as _l

LEVEL_LABELS = {
    "acute": _l("Acute"),
    "non_acute": _l("Non-acute"),
    "referral": _l("Referral"),
}
