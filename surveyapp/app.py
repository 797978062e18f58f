"""The application factory: configuration, extensions, blueprints, CLI groups and error pages."""

from flask import Flask, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response

from surveyapp import i18n, security, transactions
from surveyapp.config import config_from_environment, secret_key_from_instance
from surveyapp.extensions import babel, csrf, db, limiter, login_manager, migrate


class SurveyApp(Flask):
    """Flask, with each request's view run as one transaction: committed after the view, rolled back on any error
    (transactions.run_view)."""

    def dispatch_request(self) -> ResponseReturnValue:
        return transactions.run_view(super().dispatch_request)


def create_app(config: dict | None = None) -> Flask:
    app = SurveyApp(__name__, instance_relative_config=True)
    app.config.from_mapping(config_from_environment(app.instance_path))
    if config:
        app.config.update(config)
    if app.config["SECRET_KEY"] is None:  # neither the environment nor the caller gave one
        app.config["SECRET_KEY"] = secret_key_from_instance(app.instance_path)

    security.harden(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(_migrations_dir()), render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    login_manager.init_app(app)
    limiter.init_app(app)
    if app.config["TRUSTED_PROXIES"]:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]  # the wrapping that Flask's documentation shows
            app.wsgi_app, x_for=app.config["TRUSTED_PROXIES"], x_proto=1
        )
    with app.app_context():
        transactions.configure_engine(db.engine)

    from surveyapp.auth.access import enforce_route_rules

    app.before_request(enforce_route_rules)
    _register_blueprints(app)
    _register_cli(app)
    from surveyapp import web

    web.register_error_handlers(app)
    app.context_processor(web.template_globals)
    app.add_url_rule("/", "index", _index)
    return app


def _index() -> Response:
    """Staff to the sessions, the viewer role (which may not see them) to the indicators, everyone else to the
    kiosk."""
    from surveyapp.auth.access import can

    if not current_user.is_authenticated:
        return redirect(url_for("kiosk.join"))
    return redirect(url_for("sessions.list_sessions" if can("sessions.list_sessions") else "reports.show_indicators"))


def _migrations_dir():
    from pathlib import Path

    return Path(__file__).resolve().parent.parent / "migrations"


def _register_blueprints(app: Flask) -> None:
    from surveyapp.activities.views import bp as activities_bp
    from surveyapp.alerts.views import bp as alerts_bp
    from surveyapp.audit_trail.views import bp as audit_bp
    from surveyapp.auth.user_views import bp as users_bp
    from surveyapp.auth.views import bp as auth_bp
    from surveyapp.instruments.views import bp as instruments_bp
    from surveyapp.reports.export_views import bp as exports_bp
    from surveyapp.reports.views import bp as reports_bp
    from surveyapp.respondents.views import bp as respondents_bp
    from surveyapp.responses.api import bp as api_bp
    from surveyapp.responses.kiosk import bp as kiosk_bp
    from surveyapp.responses.views import bp as responses_bp
    from surveyapp.sessions.device_views import bp as devices_bp
    from surveyapp.sessions.views import bp as sessions_bp
    from surveyapp.trainings.result_views import bp as training_results_bp
    from surveyapp.trainings.views import bp as trainings_bp

    for blueprint in (
        auth_bp,
        instruments_bp,
        respondents_bp,
        sessions_bp,
        responses_bp,
        kiosk_bp,
        api_bp,
        alerts_bp,
        reports_bp,
        devices_bp,
        users_bp,
        audit_bp,
        trainings_bp,
        training_results_bp,
        activities_bp,
        exports_bp,
    ):
        app.register_blueprint(blueprint)
    csrf.exempt(api_bp)


def _register_cli(app: Flask) -> None:
    from surveyapp.activities.cli import activities_cli
    from surveyapp.alerts.cli import alerts_cli
    from surveyapp.auth.cli import users_cli
    from surveyapp.backup.cli import backup_cli
    from surveyapp.demo import demo_cli
    from surveyapp.demo_programme import programme_command
    from surveyapp.erasure.cli import respondents_cli
    from surveyapp.instruments.cli import instruments_cli
    from surveyapp.reports.cli import exports_cli, report_cli

    demo_cli.add_command(programme_command)
    for group in (
        users_cli,
        instruments_cli,
        activities_cli,
        demo_cli,
        alerts_cli,
        report_cli,
        exports_cli,
        backup_cli,
        respondents_cli,
    ):
        app.cli.add_command(group)
