from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from surveyapp.auth.access import can, ensure_may_run
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.respondents.forms import territory_choices
from surveyapp.sessions.forms import (
    RESPONDENT_GROUPS,
    SessionStateForm,
    activity_choices,
    chosen_kind,
    questionnaire_choices,
    trainer_choices,
)
from surveyapp.trainings import queries, services
from surveyapp.trainings.forms import ParticipantForm, TrainingForm
from surveyapp.trainings.models import Training

bp = Blueprint("trainings", __name__, url_prefix="/trainings")


@bp.get("/")
def list_trainings():
    page = queries.trainings_run_by(current_user, request.args.get("page", 1, type=int))
    return render_template("trainings/list.html", page=page, groups=RESPONDENT_GROUPS)


@bp.route("/new", methods=["GET", "POST"])
def new_training():
    kind = chosen_kind(request.args.get("kind"), services.TRAINED_KINDS)
    if kind is None:
        status = 400 if request.method == "POST" or "kind" in request.args else 200
        return render_template(
            "trainings/new.html", groups=RESPONDENT_GROUPS, kinds=services.TRAINED_KINDS, form=None
        ), status
    form = _training_form(kind)
    if not form.validate_on_submit():
        return render_template("trainings/new.html", groups=RESPONDENT_GROUPS, kind=kind, form=form), (
            422 if form.is_submitted() else 200
        )
    training = services.plan_training(
        title=form.title.data,
        respondent_kind=kind,
        held_on=form.held_on.data,
        place=form.place.data,
        territory_id=form.territory_id.data or None,
        activity_id=form.activity_id.data or None,
        trainer_id=current_user.id if form.trainer_id is None else form.trainer_id.data,
        pre_test_ids=form.pre_test.data,
        post_test_ids=form.post_test.data,
        created_by=current_user,
    )
    flash(
        _("Training planned. The pre-test's join code is %(code)s.", code=training.test_sessions[0].join_code_shown),
        "success",
    )
    return redirect(url_for("trainings.show_training", training_id=training.id))


@bp.get("/<int:training_id>")
def show_training(training_id: int):
    return _training_page(training_run_by_current_user(training_id), ParticipantForm())


@bp.post("/<int:training_id>/participants")
def add_participant(training_id: int):
    training = training_run_by_current_user(training_id)
    form = ParticipantForm()
    if not form.validate_on_submit():
        return _training_page(training, form), 422
    try:
        participant = services.add_participant(
            training, name=form.name.data, organisation=form.organisation.data, code=form.code.data
        )
    except DomainError as error:
        db.session.rollback()
        form.code.errors.append(str(error.message))
        return _training_page(training, form), error.status
    flash(
        _(
            "%(name)s is on the list. Give them their code: %(code)s",
            name=participant.name,
            code=participant.respondent.code,
        ),
        "success",
    )
    return redirect(url_for("trainings.show_training", training_id=training.id, _anchor="participants"))


@bp.post("/<int:training_id>/start-post-test")
def start_post_test(training_id: int):
    training = training_run_by_current_user(training_id)
    if not SessionStateForm().validate_on_submit():
        abort(400)
    services.start_post_test(training)
    flash(
        _(
            "The pre-test is closed and the post-test is open: its join code is %(code)s.",
            code=training.test_sessions[1].join_code_shown,
        ),
        "success",
    )
    return redirect(url_for("trainings.show_training", training_id=training.id))


def training_run_by_current_user(training_id: int) -> Training:
    """The training, if the logged-in user may run it (managers: all; a trainer: their own); else 404/403."""
    training = db.get_or_404(Training, training_id)
    ensure_may_run(training.trainer_id)
    return training


def _training_page(training: Training, participant_form: ParticipantForm) -> str:
    return render_template(
        "trainings/show.html",
        training=training,
        groups=RESPONDENT_GROUPS,
        progress=queries.progress_of(training),
        participant_form=participant_form,
        state_form=SessionStateForm(),
    )


def _training_form(kind) -> TrainingForm:
    form = TrainingForm(territory_id=current_user.territory_id or 0)
    form.territory_id.choices = territory_choices(_("Whole city"))
    form.activity_id.choices = activity_choices()
    if can("choose_the_trainer"):
        form.trainer_id.choices = trainer_choices()
    else:
        del form.trainer_id
    choices = questionnaire_choices(kind)
    form.pre_test.choices, form.post_test.choices = choices, choices
    return form
