"""The admin's user management: accounts, their role and territory, deactivation, one-time reset codes."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from surveyapp.auth import services
from surveyapp.auth.forms import EditUserForm, IssueResetCodeForm, NewUserForm, UserForm
from surveyapp.auth.models import PasswordReset, Role, User
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.respondents.forms import territory_choices
from surveyapp.respondents.models import Territory

bp = Blueprint("users", __name__, url_prefix="/users")


@bp.get("/")
def list_users():
    return render_template("users/list.html", users=services.list_users())


@bp.route("/new", methods=["GET", "POST"])
def new_user():
    form = _with_territories(NewUserForm(language="ru"))
    if not form.validate_on_submit():
        return render_template("users/new.html", form=form), 422 if form.is_submitted() else 200
    try:
        user, reset, code = services.open_account(
            form.username.data,
            Role(form.role.data),
            full_name=form.full_name.data,
            email=form.email.data,
            language=form.language.data,
            territory=_territory(form.territory_id.data),
            by=current_user,
        )
    except DomainError as error:
        db.session.rollback()
        return render_template("users/new.html", form=form, error=error), error.status
    return _reset_code_page(user, reset, code, is_new_account=True)


@bp.route("/<int:user_id>", methods=["GET", "POST"])
def edit_user(user_id: int):
    user = db.get_or_404(User, user_id)
    form = _with_territories(EditUserForm(obj=user))
    if not form.is_submitted():
        form.territory_id.data = user.territory_id or 0
    if not form.validate_on_submit():
        return _edit_page(user, form, status=422 if form.is_submitted() else 200)
    try:
        services.update_user(
            user,
            role=Role(form.role.data),
            territory=_territory(form.territory_id.data),
            full_name=form.full_name.data,
            email=form.email.data,
            language=form.language.data,
            is_active=form.is_active.data,
        )
    except DomainError as error:
        db.session.rollback()
        return _edit_page(user, form, error=error, status=error.status)
    flash(_("The account of %(name)s is saved.", name=user.username), "success")
    return redirect(url_for("users.list_users"))


@bp.post("/<int:user_id>/reset-code")
def issue_reset_code(user_id: int):
    user = db.get_or_404(User, user_id)
    if not IssueResetCodeForm().validate_on_submit():
        abort(400)
    reset, code = services.issue_reset_code(user, by=current_user)
    return _reset_code_page(user, reset, code, is_new_account=False)


def _with_territories(form: UserForm) -> UserForm:
    form.territory_id.choices = territory_choices(_("Whole city"))
    return form


def _territory(territory_id: int) -> Territory | None:
    return db.get_or_404(Territory, territory_id) if territory_id else None


def _edit_page(user: User, form: EditUserForm, status: int, error: DomainError | None = None):
    return render_template(
        "users/edit.html", user=user, form=form, reset_form=IssueResetCodeForm(), error=error
    ), status


def _reset_code_page(user: User, reset: PasswordReset, code: str, is_new_account: bool):
    """The one time the code is shown: never flashed (a flash would travel in the cookie); like every page, never
    cached (security.py)."""
    return render_template("users/reset_code.html", user=user, reset=reset, code=code, is_new_account=is_new_account)
