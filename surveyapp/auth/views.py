from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from surveyapp.audit import services as audit
from surveyapp.auth import login_sessions, services
from surveyapp.auth.forms import ROLE_LABELS, ChangePasswordForm, LanguageForm, LoginForm, ResetPasswordForm
from surveyapp.auth.models import Role
from surveyapp.extensions import login_manager
from surveyapp.throttling import failures_limited

bp = Blueprint("auth", __name__, url_prefix="/auth")

login_manager.login_view = "auth.login"
login_manager.login_message = None
login_manager.user_loader(login_sessions.resume)


@bp.route("/login", methods=["GET", "POST"])
@failures_limited("LOGIN_FAILURE_LIMIT")
def login():
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form), 422 if form.is_submitted() else 200
    user = services.authenticate(form.username.data, form.password.data, request.remote_addr)
    if user is None:
        flash(
            _(
                "Wrong user name or password. After %(count)d wrong passwords in a row the account is locked for "
                "%(minutes)d minutes.",
                count=services.MAX_FAILED_LOGINS,
                minutes=int(services.LOCK_OUT.total_seconds() // 60),
            ),
            "error",
        )
        return render_template("auth/login.html", form=form), 401
    session.clear()
    login_sessions.start(user)
    login_user(user)
    audit.record("login", user)
    return redirect(_safe_next(request.args.get("next")))


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        login_sessions.end(current_user)
        audit.record("logout", current_user)
    logout_user()
    session.clear()
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
def change_password():
    form = ChangePasswordForm(current_user.username)
    if not form.validate_on_submit():
        return render_template("auth/change_password.html", form=form), 422 if form.is_submitted() else 200
    user = current_user._get_current_object()
    changed = services.change_password(user, form.current_password.data, form.new_password.data)
    if changed:
        login_sessions.keep_after_new_password(user)
    if not changed:
        form.current_password.errors.append(_("The current password is wrong."))
        return render_template("auth/change_password.html", form=form), 422
    flash(_("Your password is changed."), "success")
    return redirect(url_for("index"))


@bp.route("/reset", methods=["GET", "POST"])
def reset_password():
    form = ResetPasswordForm(username=request.args.get("username", ""))
    if not form.validate_on_submit():
        return render_template("auth/reset_password.html", form=form), 422 if form.is_submitted() else 200
    user = services.redeem_reset_code(form.username.data, form.code.data, form.new_password.data)
    if user is None:
        flash(
            _(
                "The user name or the code is wrong, or the code has expired or was used already. "
                "Ask your administrator for a new code."
            ),
            "error",
        )
        return render_template("auth/reset_password.html", form=form), 422
    flash(_("Your new password is set. Log in with it."), "success")
    return redirect(url_for("auth.login"))


@bp.post("/language")
def set_language():
    form = LanguageForm()
    if form.validate_on_submit():
        if current_user.is_authenticated:
            current_user.language = form.language.data
        session["language"] = form.language.data
    return redirect(_safe_next(request.form.get("next")))


def _safe_next(target: str | None) -> str:
    """Only same-site paths: an open redirect after log-in is a phishing aid."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("index")


@bp.app_template_filter("role_label")
def role_label(role: str) -> str:
    """A role as staff read it, in their language ("Psychologist"), never its stored value."""
    return str(ROLE_LABELS[Role(role)])
