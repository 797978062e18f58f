from flask import Blueprint, render_template

from surveyapp.auth.access import STAFF_ROLES, roles_required
from surveyapp.extensions import db
from surveyapp.instruments.models import InstrumentVersion
from surveyapp.instruments.queries import all_instruments

bp = Blueprint("instruments", __name__, url_prefix="/instruments")


@bp.get("/")
@roles_required(*STAFF_ROLES)
def list_instruments():
    return render_template("instruments/list.html", instruments=all_instruments())


@bp.get("/versions/<int:version_id>")
@roles_required(*STAFF_ROLES)
def show_version(version_id: int):
    version = db.get_or_404(InstrumentVersion, version_id)
    return render_template("instruments/show.html", version=version, definition=version.definition)
