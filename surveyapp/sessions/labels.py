"""The words staff read for a session's wave, in the current language: for the forms and the report alike."""

from flask_babel import lazy_gettext as _l

from surveyapp.sessions.models import Wave

WAVE_LABELS = {Wave.BASELINE: _l("Baseline"), Wave.POST: _l("Post"), Wave.FOLLOW_UP: _l("Follow-up")}
