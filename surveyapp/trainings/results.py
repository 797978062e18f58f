"""One training's results for its trainer: from the submissions at its pre-test and post-test sessions to a
TrainingResult, the same for the page and the training report.

The knowledge test of each session is its questionnaire scored as percent correct; the two parallel forms are
paired into questions as the indicator report pairs them (scoring.knowledge). Texts stay language -> text maps,
so one result is written in any language. Participants are the adults on the training's list, shown by the name
the trainer entered (or their code); a training of children is refused: children are never listed by name.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from surveyapp.errors import Conflict
from surveyapp.extensions import db
from surveyapp.instruments.models import InstrumentVersion
from surveyapp.respondents.models import Respondent, RespondentKind
from surveyapp.responses.models import Score, Submission
from surveyapp.scoring.knowledge import (
    MIN_PAIRS_FOR_A_TEST,
    POST_FORM,
    PRE_FORM,
    KnowledgeGainResult,
    Question,
    correct_by_question,
    knowledge_gain,
    paired_questions,
    percent_correct,
    whole_test_scale,
)
from surveyapp.scoring.paired import PairedTTestResult, WilcoxonResult, paired_t_test, wilcoxon_signed_rank
from surveyapp.sessions.models import SurveySession
from surveyapp.trainings.models import Training

Correct = Mapping[str, Mapping[str, bool | None]]
"""respondent code -> question id -> answered correctly (None: unanswered)."""


class ChildrenAreNotListed(Conflict):
    code = "children_are_not_listed"

    def __init__(self):
        super().__init__(_l("Results by name are shown for trainings of staff or parents only, never of children."))


class NoKnowledgeTest(Conflict):
    code = "no_knowledge_test"

    def __init__(self):
        super().__init__(
            _l(
                "This training has no knowledge test before and after it yet: its pre-test session "
                "and its post-test session each need a knowledge test."
            )
        )


@dataclass(frozen=True)
class ParticipantResult:
    name: str
    """The name the trainer entered, or the respondent's code."""
    organisation: str
    code: str
    percent_pre: float | None
    """None: did not take the test before the training."""
    percent_post: float | None
    is_listed: bool
    """False: took a test at the training's sessions without being on its participant list."""


@dataclass(frozen=True)
class QuestionResult:
    number: int
    topic: dict | None
    text: dict
    """The question as the test before the training asks it (language -> text)."""
    percent_pre: float | None
    """Of the participants who took both tests."""
    percent_post: float | None


@dataclass(frozen=True)
class TrainingResult:
    training_id: int
    title: str
    held_on: date
    place: str
    trainer: str
    respondent_kind: RespondentKind
    pre_test_title: dict
    post_test_title: dict
    participants: tuple[ParticipantResult, ...]
    gain: KnowledgeGainResult
    """The group: those who took both tests, matched by their code."""
    t_test: PairedTTestResult
    wilcoxon: WilcoxonResult
    questions: tuple[QuestionResult, ...]

    @property
    def can_be_tested(self) -> bool:
        """Whether enough participants took both tests for a paired test to say anything."""
        return self.gain.n_matched >= MIN_PAIRS_FOR_A_TEST


def training_result(training: Training) -> TrainingResult:
    _refuse_children(training)
    pre_session, post_session = training.pre_session, training.post_session
    pre_test, post_test = _knowledge_test(pre_session), _knowledge_test(post_session)
    if pre_session is None or post_session is None or pre_test is None or post_test is None:
        raise NoKnowledgeTest()
    scale_id = whole_test_scale(pre_test.definition, post_test.definition)
    if scale_id is None:
        raise NoKnowledgeTest()
    questions = paired_questions(pre_test.definition, post_test.definition, scale_id)
    kind = training.respondent_kind
    pre = _correct_answers(pre_session, pre_test, kind, scale_id, questions, PRE_FORM)
    post = _correct_answers(post_session, post_test, kind, scale_id, questions, POST_FORM)
    question_ids = [question.question_id for question in questions]
    gain = knowledge_gain(pre, post, question_ids)
    return TrainingResult(
        training_id=training.id,
        title=training.title,
        held_on=training.held_on,
        place=training.place,
        trainer=(training.trainer.full_name or training.trainer.username) if training.trainer else "",
        respondent_kind=training.respondent_kind,
        pre_test_title=dict(pre_test.definition.title),
        post_test_title=dict(post_test.definition.title),
        participants=_participants(training, pre, post, question_ids),
        gain=gain,
        t_test=paired_t_test(gain.percent_pre, gain.percent_post),
        wilcoxon=wilcoxon_signed_rank(gain.percent_pre, gain.percent_post),
        questions=tuple(
            QuestionResult(
                question.number,
                question.section,
                dict(pre_test.definition.item(question.pre_item).text),
                share.percent_correct_pre,
                share.percent_correct_post,
            )
            for question, share in zip(questions, gain.questions)
        ),
    )


def _refuse_children(training: Training) -> None:
    if training.respondent_kind == RespondentKind.CHILD or any(
        participant.respondent.kind == RespondentKind.CHILD for participant in training.participants
    ):
        raise ChildrenAreNotListed()


def _knowledge_test(session: SurveySession | None) -> InstrumentVersion | None:
    """The session's first questionnaire scored as percent correct."""
    if session is None:
        return None
    return next(
        (version for version in session.instrument_versions if whole_test_scale(version.definition) is not None), None
    )


def _correct_answers(
    session: SurveySession,
    version: InstrumentVersion,
    kind: RespondentKind,
    scale_id: str,
    questions: Sequence[Question],
    form: str,
) -> Correct:
    """Right/wrong per question of every scored submission of the test at the session (as in the indicator report,
    a form left blank has no score and does not count)."""
    rows = db.session.execute(
        select(Respondent.code, Submission.answers)
        .join(Respondent, Submission.respondent_id == Respondent.id)
        .join(Score, Score.submission_id == Submission.id)
        .where(
            Submission.session_id == session.id,
            Submission.instrument_version_id == version.id,
            Respondent.kind == kind,
            Score.scale == scale_id,
            Score.value.is_not(None),
        )
    )
    return {code: correct_by_question(version.definition, scale_id, answers, questions, form) for code, answers in rows}


def _participants(
    training: Training, pre: Correct, post: Correct, question_ids: Sequence[str]
) -> tuple[ParticipantResult, ...]:
    """The list in the trainer's order, then whoever took a test without being on it, by code."""

    def percent(correct: Mapping[str, bool | None] | None) -> float | None:
        return None if correct is None else percent_correct(correct, question_ids)

    listed = [(p.shown_name, p.organisation, p.respondent.code, True) for p in training.participants]
    listed_codes = {code for _name, _organisation, code, _is_listed in listed}
    unlisted = [(code, "", code, False) for code in sorted((pre.keys() | post.keys()) - listed_codes)]
    return tuple(
        ParticipantResult(name, organisation, code, percent(pre.get(code)), percent(post.get(code)), is_listed)
        for name, organisation, code, is_listed in listed + unlisted
    )
