from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from surveyapp.auth.access import ensure_serves_territory
from surveyapp.db import utc_now
from surveyapp.extensions import db
from surveyapp.respondents import consent, services
from surveyapp.respondents.forms import (
    CONSENT_METHOD_LABELS,
    GuardianConsentForm,
    IdentityForm,
    RespondentForm,
    TerritoryForm,
    UndoWithdrawalForm,
    WithdrawalForm,
    territory_choices,
)
from surveyapp.respondents.labels import SEX_LABELS
from surveyapp.respondents.models import Respondent, RespondentKind, Sex, Territory

bp = Blueprint("respondents", __name__, url_prefix="/respondents")


@bp.route("/", methods=["GET", "POST"])
def list_respondents():
    form = RespondentForm()
    form.territory_id.choices = territory_choices(_("Not given"))
    if form.validate_on_submit():
        respondent = services.register(
            kind=RespondentKind(form.kind.data),
            sex=Sex(form.sex.data) if form.sex.data else None,
            birth_year=form.birth_year.data,
            territory=db.session.get(Territory, form.territory_id.data) if form.territory_id.data else None,
        )
        flash(_("Registered. The respondent's code is %(code)s.", code=respondent.code), "success")
        return redirect(url_for("respondents.list_respondents"))
    page = services.list_respondents(
        older_than=request.args.get("older_than", type=int), newer_than=request.args.get("newer_than", type=int)
    )
    status = 422 if form.is_submitted() else 200
    return render_template("respondents/list.html", form=form, page=page, sex_labels=SEX_LABELS), status


@bp.get("/<int:respondent_id>/consent")
def show_consent(respondent_id: int):
    return _render_consent(db.get_or_404(Respondent, respondent_id), 200)


@bp.post("/<int:respondent_id>/consent")
def add_guardian_consent(respondent_id: int):
    respondent, form = db.get_or_404(Respondent, respondent_id), GuardianConsentForm()
    if not form.validate_on_submit():
        return _render_consent(respondent, 422, consent_form=form)
    consent.record_guardian_consent(
        respondent, given_by=form.given_by.data, given_on=form.given_on.data, method=form.method.data, by=current_user
    )
    flash(_("Saved."), "success")
    return redirect(url_for("respondents.show_consent", respondent_id=respondent.id))


@bp.post("/<int:respondent_id>/withdraw")
def withdraw(respondent_id: int):
    respondent, form = db.get_or_404(Respondent, respondent_id), WithdrawalForm()
    if not form.validate_on_submit():
        return _render_consent(respondent, 422, withdrawal_form=form)
    consent.withdraw(respondent, form.reason.data, utc_now())
    flash(
        _("%(code)s is withdrawn: their answers have left every analysis and export.", code=respondent.code), "success"
    )
    return redirect(url_for("respondents.show_consent", respondent_id=respondent.id))


@bp.post("/<int:respondent_id>/undo-withdrawal")
def undo_withdrawal(respondent_id: int):
    respondent = db.get_or_404(Respondent, respondent_id)
    if not UndoWithdrawalForm().validate_on_submit():
        abort(400)
    consent.undo_withdrawal(respondent)
    return redirect(url_for("respondents.show_consent", respondent_id=respondent.id))


def _render_consent(respondent: Respondent, status: int, **forms):
    forms = {
        "consent_form": GuardianConsentForm(),
        "withdrawal_form": WithdrawalForm(),
        "undo_form": UndoWithdrawalForm(),
        **forms,
    }
    return render_template(
        "respondents/consent.html",
        respondent=respondent,
        consents=consent.guardian_consents(respondent),
        method_labels=CONSENT_METHOD_LABELS,
        erase_days=current_app.config["WITHDRAWAL_ERASE_DAYS"],
        **forms,
    ), status


@bp.route("/<int:respondent_id>/identity", methods=["GET", "POST"])
def edit_identity(respondent_id: int):
    respondent = db.get_or_404(Respondent, respondent_id)
    ensure_serves_territory(respondent.territory_id)
    form = IdentityForm()
    if form.validate_on_submit():
        services.save_identity(
            respondent,
            full_name=form.full_name.data,
            guardian_name=form.guardian_name.data,
            guardian_phone=form.guardian_phone.data,
            address=form.address.data,
            by=current_user,
        )
        flash(_("Saved."), "success")
        return redirect(url_for("respondents.edit_identity", respondent_id=respondent.id))
    identity = services.read_identity(respondent)
    status = 422 if form.is_submitted() else 200
    if not form.is_submitted():
        form = IdentityForm(obj=identity)
    return render_template("respondents/identity.html", respondent=respondent, identity=identity, form=form), status


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
    return redirect(url_for("respondents.list_territories"))
