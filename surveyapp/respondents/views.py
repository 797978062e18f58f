from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from surveyapp.auth.access import ensure_serves_territory
from surveyapp.database import writes_database
from surveyapp.extensions import db
from surveyapp.respondents import services
from surveyapp.respondents.forms import SEX_LABELS, IdentityForm, RespondentForm, TerritoryForm
from surveyapp.respondents.models import Respondent, RespondentKind, Sex, Territory

bp = Blueprint("respondents", __name__, url_prefix="/respondents")


@bp.route("/", methods=["GET", "POST"])
def list_respondents():
    form = RespondentForm()
    form.territory_id.choices = services.territory_choices(_("Not given"))
    if form.validate_on_submit():
        respondent = services.register(
            kind=RespondentKind(form.kind.data), sex=Sex(form.sex.data) if form.sex.data else None,
            birth_year=form.birth_year.data,
            territory=db.session.get(Territory, form.territory_id.data) if form.territory_id.data else None,
        )
        db.session.commit()
        flash(_("Registered. The respondent's code is %(code)s.", code=respondent.code), "success")
        return redirect(url_for("respondents.list_respondents"))
    page = services.list_respondents(older_than=request.args.get("older_than", type=int),
                                     newer_than=request.args.get("newer_than", type=int))
    status = 422 if form.is_submitted() else 200
    return render_template("respondents/list.html", form=form, page=page, sex_labels=SEX_LABELS), status


@bp.route("/<int:respondent_id>/identity", methods=["GET", "POST"])
@writes_database
def edit_identity(respondent_id: int):
    respondent = db.get_or_404(Respondent, respondent_id)
    ensure_serves_territory(respondent.territory_id)
    form = IdentityForm()
    if form.validate_on_submit():
        services.save_identity(respondent, full_name=form.full_name.data, guardian_name=form.guardian_name.data,
                               guardian_phone=form.guardian_phone.data, address=form.address.data,
                               by=current_user)
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for("respondents.edit_identity", respondent_id=respondent.id))
    identity = services.read_identity(respondent)
    db.session.commit()
    status = 422 if form.is_submitted() else 200
    if not form.is_submitted():
        form = IdentityForm(obj=identity)
    return render_template("respondents/identity.html", respondent=respondent, identity=identity,
                           form=form), status


@bp.get("/territories")
def list_territories():
    return render_template("respondents/territories.html", territories=services.territories(), form=TerritoryForm())


@bp.post("/territories/<int:territory_id>")
def rename_territory(territory_id: int):
    territory = db.get_or_404(Territory, territory_id)
    form = TerritoryForm()
    if not form.validate_on_submit():
        flash(_("Give the territorial administration a name of at most 120 characters."), "error")
        return render_template("respondents/territories.html", territories=services.territories(), form=form), 422
    services.rename_territory(territory, form.name.data)
    db.session.commit()
    return redirect(url_for("respondents.list_territories"))

