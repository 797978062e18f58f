from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from surveyapp.audit import services as audit
from surveyapp.auth.forms import LanguageForm, LoginForm
from surveyapp.auth.services import authenticate, load_user
from surveyapp.extensions import db, login_manager

bp = Blueprint("auth", __name__, url_prefix="/auth")

login_manager.login_view = "auth.login"
login_manager.login_message = None
login_manager.user_loader(load_user)


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form), 422 if form.is_submitted() else 200
    user = authenticate(form.username.data, form.password.data)
    if user is None:
        flash(_("Wrong user name or password."), "error")
        return render_template("auth/login.html", form=form), 401
    session.clear()
    login_user(user)
    audit.record("login", user)
    db.session.commit()
    return redirect(_safe_next(request.args.get("next")))


@bp.post("/logout")
def logout():
    logout_user()
    session.clear()
    return redirect(url_for("auth.login"))


@bp.post("/language")
def set_language():
    form = LanguageForm()
    if form.validate_on_submit():
        if current_user.is_authenticated:
            current_user.language = form.language.data
            db.session.commit()
        session["language"] = form.language.data
    return redirect(_safe_next(request.form.get("next")))


def _safe_next(target: str | None) -> str:
    """Only same-site paths: an open redirect after log-in is a phishing aid."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("index")
