"""Pre/post knowledge tests of staff and parents: percent correct, gain and normalized gain.

Everything is computed on the respondents who took both tests (matched by respondent code), so pre and post
describe the same people; those who took only one test are counted. An unanswered question counts as
incorrect. Two different normalized gains are reported and must not be confused:
- hake_gain_of_class_averages: Hake (1998) <g> = (post% - pre%) / (100 - pre%) on the class average percents;
- mean_of_individual_normalized_gains: the average over respondents of (post_i - pre_i) / (100 - pre_i),
  leaving out respondents with 100% at pre (their gain is undefined).

The pre and post forms are parallel tests (different wording, same points): their items are paired into questions
by position in the scale (`paired_questions`), and each respondent's answers become right/wrong per question
(`correct_by_question`), the input of `knowledge_gain`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from surveyapp.definitions.model import InstrumentDefinition
from surveyapp.scoring.engine import item_points
from surveyapp.scoring.matching import match_codes

Answers = Mapping[str, Mapping[str, bool | None]]
"""respondent code -> question id -> answered correctly (None or absent = unanswered = incorrect)."""

PRE_FORM, POST_FORM = "pre", "post"

MIN_PAIRS_FOR_A_TEST = 6
"""With fewer pairs no test can show a change at the 5% level: the smallest two-sided exact Wilcoxon p of n pairs
is 2 / 2**n, 1/16 = 0.0625 for 5 pairs and 1/32 = 0.031 for 6 (and a t-test on so few rests on normality alone)."""


@dataclass(frozen=True)
class Question:
    """A knowledge-test question: the pre and post forms' parallel items, paired by position in the scale."""

    question_id: str
    number: int
    pre_item: str
    post_item: str
    section: dict | None
    """The pre item's section title (language -> text), if the form has sections."""

    def item_on(self, form: str) -> str:
        return self.pre_item if form == PRE_FORM else self.post_item


@dataclass(frozen=True)
class QuestionPercentCorrect:
    question_id: str
    percent_correct_pre: float | None
    percent_correct_post: float | None


@dataclass(frozen=True)
class KnowledgeGainResult:
    n_matched: int
    n_pre_only: int
    n_post_only: int
    respondent_codes: tuple[str, ...]
    """Matched respondents, sorted; percent_pre/percent_post follow this order."""
    percent_pre: tuple[float, ...]
    percent_post: tuple[float, ...]
    mean_percent_pre: float | None
    mean_percent_post: float | None
    mean_gain_points: float | None
    """mean_percent_post - mean_percent_pre, in percentage points."""
    hake_gain_of_class_averages: float | None
    """None when mean_percent_pre is 100 (or nobody matched)."""
    mean_of_individual_normalized_gains: float | None
    n_individual_gains: int
    """Matched respondents below 100% at pre, i.e. those averaged in mean_of_individual_normalized_gains."""
    questions: tuple[QuestionPercentCorrect, ...]


def knowledge_gain(pre: Answers, post: Answers, question_ids: Sequence[str]) -> KnowledgeGainResult:
    pre_codes, post_codes = list(pre), list(post)
    return knowledge_gain_of_matrices(
        np.array(pre_codes, dtype=str),
        _correct_matrix(pre, pre_codes, question_ids),
        np.array(post_codes, dtype=str),
        _correct_matrix(post, post_codes, question_ids),
        question_ids,
    )


def knowledge_gain_of_matrices(
    pre_codes: np.ndarray,
    pre_correct: np.ndarray,
    post_codes: np.ndarray,
    post_correct: np.ndarray,
    question_ids: Sequence[str],
) -> KnowledgeGainResult:
    """`knowledge_gain` for large data: each wave's respondent codes (each once) and a respondents x questions
    matrix, true where the answer is right."""
    if not question_ids:
        raise ValueError("a knowledge test needs at least one question")
    pre_index, post_index = match_codes(pre_codes, post_codes)
    codes = tuple(pre_codes[pre_index].tolist())
    pre_correct = np.asarray(pre_correct, dtype=float)[pre_index].reshape(len(codes), len(question_ids))
    post_correct = np.asarray(post_correct, dtype=float)[post_index].reshape(len(codes), len(question_ids))
    percent_pre = 100 * pre_correct.mean(axis=1)
    percent_post = 100 * post_correct.mean(axis=1)
    mean_pre = float(percent_pre.mean()) if codes else None
    mean_post = float(percent_post.mean()) if codes else None
    individual_gains = _individual_normalized_gains(percent_pre, percent_post)
    return KnowledgeGainResult(
        n_matched=len(codes),
        n_pre_only=len(pre_codes) - len(codes),
        n_post_only=len(post_codes) - len(codes),
        respondent_codes=codes,
        percent_pre=tuple(percent_pre.tolist()),
        percent_post=tuple(percent_post.tolist()),
        mean_percent_pre=mean_pre,
        mean_percent_post=mean_post,
        mean_gain_points=None if mean_pre is None or mean_post is None else mean_post - mean_pre,
        hake_gain_of_class_averages=hake_normalized_gain(mean_pre, mean_post),
        mean_of_individual_normalized_gains=float(individual_gains.mean()) if individual_gains.size else None,
        n_individual_gains=int(individual_gains.size),
        questions=tuple(
            QuestionPercentCorrect(
                question_id=question_id,
                percent_correct_pre=float(100 * pre_correct[:, column].mean()) if codes else None,
                percent_correct_post=float(100 * post_correct[:, column].mean()) if codes else None,
            )
            for column, question_id in enumerate(question_ids)
        ),
    )


def paired_questions(pre: InstrumentDefinition, post: InstrumentDefinition, scale_id: str) -> tuple[Question, ...]:
    sections = {section.id: dict(section.title) for section in pre.sections}
    pairs = zip(pre.scale(scale_id).items, post.scale(scale_id).items)
    return tuple(
        Question(f"q{number:02d}", number, pre_item, post_item, sections.get(pre.item(pre_item).section or ""))
        for number, (pre_item, post_item) in enumerate(pairs, start=1)
    )


def correct_by_question(
    definition: InstrumentDefinition,
    scale_id: str,
    answers: Mapping[str, object],
    questions: Sequence[Question],
    form: str,
) -> dict[str, bool | None]:
    """Question id -> whether the answer given on this form (PRE_FORM or POST_FORM) is right; None: unanswered."""
    scale = definition.scale(scale_id)
    points = dict(zip(scale.items, item_points(definition, scale, answers)))
    return {
        question.question_id: None
        if points.get(question.item_on(form)) is None
        else points[question.item_on(form)] == 1
        for question in questions
    }


def percent_correct(correct: Mapping[str, bool | None], question_ids: Sequence[str]) -> float:
    """One respondent's percent correct, an unanswered question counting as incorrect."""
    if not question_ids:
        raise ValueError("a knowledge test needs at least one question")
    return 100 * sum(1 for question in question_ids if correct.get(question)) / len(question_ids)


def whole_test_scale(*forms: InstrumentDefinition) -> str | None:
    """The percent-correct scale that every form has and that counts the most items: the whole test, not one of its
    topics. None when the forms have no percent-correct scale in common."""
    common = [
        scale
        for scale in forms[0].scales
        if scale.method == "percent_correct"
        and all(
            any(other.id == scale.id and other.method == "percent_correct" for other in form.scales)
            for form in forms[1:]
        )
    ]
    return max(common, key=lambda scale: len(scale.items)).id if common else None


def hake_normalized_gain(percent_pre: float | None, percent_post: float | None) -> float | None:
    """g = (post% - pre%) / (100 - pre%) (Hake 1998); None when pre% is 100 or a percent is missing."""
    if percent_pre is None or percent_post is None or percent_pre >= 100:
        return None
    return (percent_post - percent_pre) / (100 - percent_pre)


def _correct_matrix(answers: Answers, codes: Sequence[str], question_ids: Sequence[str]) -> np.ndarray:
    """respondents x questions, 1.0 = correct, 0.0 = incorrect or unanswered."""
    return np.array(
        [[1.0 if answers[code].get(question) else 0.0 for question in question_ids] for code in codes],
        dtype=float,
    ).reshape(len(codes), len(question_ids))


def _individual_normalized_gains(percent_pre: np.ndarray, percent_post: np.ndarray) -> np.ndarray:
    below_ceiling = percent_pre < 100
    return (percent_post[below_ceiling] - percent_pre[below_ceiling]) / (100 - percent_pre[below_ceiling])
