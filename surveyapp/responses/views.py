from functools import partial

from flask import Blueprint, abort, render_template

from surveyapp.audit import services as audit
from surveyapp.auth.access import can
from surveyapp.extensions import db
from surveyapp.responses.labels import LEVEL_LABELS
from surveyapp.responses.models import Submission
from surveyapp.transactions import after_the_view

bp = Blueprint("responses", __name__, url_prefix="/submissions")


@bp.get("/<int:submission_id>")
def show_submission(submission_id: int):
    submission = db.get_or_404(Submission, submission_id)
    if submission.flag_level != "none" and not can("see_identity"):
        abort(403)  # the answers of a positive risk screen are for psychologists (and admins) only
    after_the_view(partial(audit.record, "view_submission", submission))
    return render_template(
        "responses/show.html",
        submission=submission,
        definition=submission.instrument_version.definition,
        level_labels=LEVEL_LABELS,
    )
