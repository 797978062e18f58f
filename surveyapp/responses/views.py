from flask import Blueprint, abort, render_template
from flask_login import current_user

from surveyapp.alerts.forms import LEVEL_LABELS
from surveyapp.audit import services as audit
from surveyapp.auth.access import READS_IDENTITY
from surveyapp.extensions import db
from surveyapp.responses.models import Submission
from surveyapp.transactions import writes_database

bp = Blueprint("responses", __name__, url_prefix="/submissions")


@bp.get("/<int:submission_id>")
@writes_database
def show_submission(submission_id: int):
    submission = db.get_or_404(Submission, submission_id)
    if submission.flag_level != "none" and not current_user.has_role(*READS_IDENTITY):
        abort(403)  # the answers of a positive risk screen are for psychologists (and admins) only
    audit.record("view_submission", submission)
    db.session.commit()
    return render_template(
        "responses/show.html",
        submission=submission,
        definition=submission.instrument_version.definition,
        level_labels=LEVEL_LABELS,
    )
