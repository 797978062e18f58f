from flask import Blueprint, render_template

from surveyapp.audit import services as audit
from surveyapp.auth.access import roles_required
from surveyapp.auth.models import Role
from surveyapp.extensions import db
from surveyapp.responses.models import Submission

bp = Blueprint("responses", __name__, url_prefix="/submissions")


@bp.get("/<int:submission_id>")
@roles_required(Role.ADMIN, Role.COORDINATOR, Role.PSYCHOLOGIST)
def show_submission(submission_id: int):
    submission = db.get_or_404(Submission, submission_id)
    audit.record("view_submission", submission)
    db.session.commit()
    return render_template("responses/show.html", submission=submission,
                           definition=submission.instrument_version.definition)
