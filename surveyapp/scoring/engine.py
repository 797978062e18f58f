"""Validating and scoring a submission's answers exactly as FORMAT.md specifies.

Arithmetic is done in exact fractions (decimal answers and definition numbers taken as written, so 0.1 is
1/10) and converted to float once at the end; scores are not rounded.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from surveyapp.definitions.evaluation import allowed_options, constraint_holds, expression_values, fill_text
from surveyapp.definitions.model import (
    FLAG_LEVELS,
    InstrumentDefinition,
    Item,
    OptionValue,
    Scale,
    Text,
    is_int,
    is_number,
    local_text,
)

from .conditions import evaluate, is_relevant

Answer = int | float | str | list[OptionValue]
MAX_TEXT_LENGTH = 2000
ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


@dataclass(frozen=True)
class AnswerProblem:
    item_id: str
    code: str
    """unknown_item, missing_required, invalid_value, out_of_range, not_relevant, not_answerable, too_long,
    invalid_text, constraint, filtered_out or no_answer."""
    message: str


@dataclass(frozen=True)
class ScaleScore:
    value: float | None
    band: str | None
    n_answered: int
    n_items: int
    note: str | None
    """Why there is no score, or how missing items were handled."""


@dataclass(frozen=True)
class ScoreResult:
    scales: dict[str, ScaleScore]
    flag_level: str
    flags: list[str]

    @property
    def scale_values(self) -> dict[str, float | None]:
        return {scale_id: scale_score.value for scale_id, scale_score in self.scales.items()}


class InvalidAnswersError(ValueError):
    """`score` was given answers with problems other than `missing_required`."""

    def __init__(self, problems: list[AnswerProblem]) -> None:
        self.problems = problems
        super().__init__(" ".join(problem.message for problem in problems))


class _Rejected(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


# -- validation


def validate_answers(
    definition: InstrumentDefinition, answers: Mapping[str, object], language: str | None = None
) -> list[AnswerProblem]:
    """Every problem with `answers`, in item order (unknown ids last); empty when they are valid. With a
    `language`, an item's own required or constraint message (in that language) replaces the default one."""
    return _check_answers(definition, answers, language)[0]


def submission_problems(
    definition: InstrumentDefinition, answers: Mapping[str, object], language: str | None = None
) -> list[AnswerProblem]:
    """What refuses a submission: the problems of its answers, or no answer at all (`no_answer`, on the first
    question), since an empty questionnaire would use up the respondent's one submission and say nothing."""
    if not answers and definition.answerable_items:
        first = definition.answerable_items[0].id
        return [AnswerProblem(first, "no_answer", "No question is answered; an empty questionnaire is not stored.")]
    return validate_answers(definition, answers, language)


def _check_answers(
    definition: InstrumentDefinition, answers: Mapping[str, object], language: str | None = None
) -> tuple[list[AnswerProblem], dict[str, Answer]]:
    """The problems, and the answers that are valid in themselves (normalised: 3.0 -> 3), meet the item's form
    logic (constraint, choice_filter) and are either relevant or kept although not relevant
    (`if_not_relevant: keep`)."""
    if not isinstance(answers, Mapping):
        raise TypeError(f"answers must be a mapping of item id to value, got {type(answers).__name__}")
    problems: list[AnswerProblem] = []
    valid: dict[str, Answer] = {}
    for item in definition.items:
        if item.id in answers:
            try:
                valid[item.id] = _normalised(item, answers[item.id], language)
            except _Rejected as rejected:
                problems.append(AnswerProblem(item.id, rejected.code, rejected.message))
    checker = _LogicChecker(definition, answers, valid, language)
    for item in definition.answerable_items:
        problems.extend(checker.problems(item))
    problems.extend(
        AnswerProblem(str(key), "unknown_item", f"'{key}' is not an item of this questionnaire.")
        for key in answers
        if not definition.has_item(key)
    )
    position = {item.id: index for index, item in enumerate(definition.items)}
    problems.sort(key=lambda problem: position.get(problem.item_id, len(position)))
    return problems, valid


class _LogicChecker:
    """The checks that depend on other answers, item by item in order, on the answers still valid (and the
    values calculated from them): relevance, then the choice_filter and constraint of an answer kept."""

    def __init__(
        self,
        definition: InstrumentDefinition,
        answers: Mapping[str, object],
        valid: dict[str, Answer],
        language: str | None,
    ) -> None:
        self.definition = definition
        self.answers = answers
        self.valid = valid
        self.language = language
        self.values: dict[str, object] = expression_values(definition, valid)
        """What conditions see: the valid answers and the values calculated from them."""

    def problems(self, item: Item) -> list[AnswerProblem]:
        problems = self.relevance_problems(item)
        if not problems and item.id in self.valid:
            problems = self.logic_problems(item)
        if problems and problems[0].code != "missing_required" and item.id in self.valid:
            self.drop(item.id)
        return problems

    def drop(self, item_id: str) -> None:
        """An answer refused: it no longer counts for later items (nor for the calculations)."""
        del self.valid[item_id]
        self.values = expression_values(self.definition, self.valid)

    def relevance_problems(self, item: Item) -> list[AnswerProblem]:
        """Relevance is judged on the valid answers of earlier items. An answer to an item that does not apply
        is refused and dropped, unless the item keeps it (a risk disclosure is never thrown away)."""
        relevant = is_relevant(self.definition, item, self.values)
        if item.id in self.answers and not relevant and not item.keeps_answer_when_not_relevant:
            message = f"Item '{item.id}' was answered but does not apply, given the other answers."
            return [AnswerProblem(item.id, "not_relevant", message)]
        if item.id not in self.answers and relevant and item.required:
            message = f"Item '{item.id}' is required but was not answered."
            return [AnswerProblem(item.id, "missing_required", self.own(item.required_message, message))]
        return []

    def logic_problems(self, item: Item) -> list[AnswerProblem]:
        if item.choice_filter is None and item.constraint is None:
            return []
        answer = self.valid[item.id]
        offered = [option.value for option in allowed_options(item, self.values)]
        chosen = answer if isinstance(answer, list) else [answer] if item.options else []
        excluded = next((value for value in chosen if value not in offered), None)
        if excluded is not None:
            message = f"Item '{item.id}' does not offer option {_shown(excluded)}, given the other answers."
            return [AnswerProblem(item.id, "filtered_out", message)]
        if not constraint_holds(item, answer, self.values):
            assert item.constraint is not None
            message = f"Item '{item.id}' does not meet its constraint: {item.constraint.source}"
            return [AnswerProblem(item.id, "constraint", self.own(item.constraint_message, message))]
        return []

    def own(self, text: Text | None, default: str) -> str:
        """The item's own message in the respondent's language, `${}` filled in; else the default."""
        if text is None or self.language is None:
            return default
        return fill_text(local_text(text, self.language), self.values)


def _normalised(item: Item, value: object, language: str | None) -> Answer:
    if item.is_calculated:
        raise _Rejected("not_answerable", f"Item '{item.id}' is calculated and cannot be answered.")
    if not item.is_answerable:
        raise _Rejected("not_answerable", f"Item '{item.id}' is a note and cannot be answered.")
    if item.type == "choice":
        return _option_value(item, value, in_list=False)
    if item.type == "multi":
        return _option_list(item, value)
    if item.type == "integer":
        return _in_range(item, _whole_number(item, value, "a whole number"), language)
    if item.type == "decimal":
        if not is_number(value):
            raise _invalid(item, "a number", value)
        return _in_range(item, value, language)
    if item.type == "date":
        return _date(item, value)
    return _text(item, value)


def _date(item: Item, value: object) -> str:
    """A real calendar date written YYYY-MM-DD."""
    parts = ISO_DATE.fullmatch(value) if isinstance(value, str) else None
    try:
        if parts is not None:
            date(*map(int, parts.groups()))
            return str(value)
    except ValueError:
        pass
    raise _invalid(item, "a date written YYYY-MM-DD", value)


def _text(item: Item, value: object) -> str:
    """Text as a person types it: no NUL or other control character (PostgreSQL cannot store NUL; the others are
    invisible), no lone surrogate (not UTF-8), at most MAX_TEXT_LENGTH characters."""
    if not isinstance(value, str):
        raise _invalid(item, "text", value)
    if not value.strip():
        raise _Rejected("invalid_value", f"Item '{item.id}' is empty; leave it out when it is not answered.")
    if len(value) > MAX_TEXT_LENGTH:
        raise _Rejected("too_long", f"Item '{item.id}' holds {len(value)} characters, at most {MAX_TEXT_LENGTH}.")
    unstorable = next((char for char in value if is_unstorable(char)), None)
    if unstorable is not None:
        raise _Rejected("invalid_text", f"Item '{item.id}' holds the character U+{ord(unstorable):04X}.")
    return value


def is_unstorable(char: str) -> bool:
    """A control character other than tab and line breaks, or half of a UTF-16 surrogate pair."""
    return (unicodedata.category(char) == "Cc" and char not in "\t\n\r") or "\ud800" <= char <= "\udfff"


def _whole_number(item: Item, value: object, expected: str) -> int:
    """An int; integral floats such as 3.0 are accepted, bools never (JSON `true` is not 1)."""
    if is_int(value):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise _invalid(item, expected, value)


def _option_value(item: Item, value: object, in_list: bool) -> OptionValue:
    """The option's value exactly as the option has it: a number (3.0 taken as 3) or a choice name; "3" is
    not 3 and 3 is not "3"."""
    numbers_only = not item.has_named_options
    if isinstance(value, str) and numbers_only:
        raise _invalid(item, _expected_option(numbers_only, in_list), value)
    if isinstance(value, str):
        chosen: OptionValue = value
    else:
        chosen = _whole_number(item, value, _expected_option(numbers_only, in_list))
    if item.option(chosen) is None:
        allowed = ", ".join(_shown(option_value) for option_value in item.option_values)
        message = f"Item '{item.id}' has no option {_shown(chosen)}; the options are {allowed}."
        raise _Rejected("invalid_value", message)
    return chosen


def _expected_option(numbers_only: bool, in_list: bool) -> str:
    if in_list:
        return f"a list of option values ({'integers' if numbers_only else 'as the options have them'})"
    return f"one option value ({'an integer' if numbers_only else 'an integer or a choice name, as the option has it'})"


def _option_list(item: Item, value: object) -> list[OptionValue]:
    if not isinstance(value, list):
        raise _invalid(item, "a list of option values", value)
    if not value:
        raise _Rejected("invalid_value", f"Item '{item.id}' lists no option; leave it out when it is not answered.")
    chosen = [_option_value(item, element, in_list=True) for element in value]
    repeated = next((option for index, option in enumerate(chosen) if option in chosen[:index]), None)
    if repeated is not None:
        raise _Rejected("invalid_value", f"Item '{item.id}' lists option {_shown(repeated)} more than once.")
    return chosen


def _in_range(item: Item, number: int | float, language: str | None) -> int | float:
    too_low = item.min is not None and number < item.min
    too_high = item.max is not None and number > item.max
    if not (too_low or too_high):
        return number
    if item.constraint_message is not None and language is not None:
        raise _Rejected("out_of_range", local_text(item.constraint_message, language))
    if item.min is not None and item.max is not None:
        limit = f"between {item.min} and {item.max}"
    else:
        limit = f"at least {item.min}" if too_low else f"at most {item.max}"
    raise _Rejected("out_of_range", f"Item '{item.id}' must be {limit}, got {_shown(number)}.")


def _invalid(item: Item, expected: str, value: object) -> _Rejected:
    return _Rejected("invalid_value", f"Item '{item.id}' expects {expected}, got {_shown(value)}.")


def _shown(value: object) -> str:
    """The value as the client sent it (JSON spelling: `true`, `"3"`), shortened."""
    shown = json.dumps(value, ensure_ascii=False, default=repr)
    return shown if len(shown) <= 40 else f"{shown[:37]}..."


# -- scoring


def score(definition: InstrumentDefinition, answers: Mapping[str, object]) -> ScoreResult:
    """Score every scale and evaluate the flags. Missing answers are handled by each scale's missing rule;
    any other answer problem raises InvalidAnswersError."""
    problems, valid = _check_answers(definition, answers)
    blocking = [problem for problem in problems if problem.code != "missing_required"]
    if blocking:
        raise InvalidAnswersError(blocking)
    scales = {scale.id: _score_scale(definition, scale, valid) for scale in definition.scales}
    scale_values = {scale_id: scale_score.value for scale_id, scale_score in scales.items()}
    matched = [flag for flag in definition.flags if evaluate(flag.when, valid, scale_values)]
    flag_level = max((flag.level for flag in matched), key=FLAG_LEVELS.index, default="none")
    return ScoreResult(scales=scales, flag_level=flag_level, flags=[flag.id for flag in matched])


def _score_scale(definition: InstrumentDefinition, scale: Scale, answers: Mapping[str, Answer]) -> ScaleScore:
    points = [
        item_points
        for item_id in scale.items
        if (item_points := _points(definition.item(item_id), scale.method, answers.get(item_id))) is not None
    ]
    n_items, n_answered = len(scale.items), len(points)
    n_missing = n_items - n_answered
    missing = f"{n_missing} of {n_items} items missing"
    if n_missing and scale.missing.rule == "refuse":
        return ScaleScore(None, None, n_answered, n_items, f"{missing}; this scale is only scored when complete.")
    if n_missing > scale.missing.max_missing:
        note = f"{missing}; at most {scale.missing.max_missing} allowed."
        return ScaleScore(None, None, n_answered, n_items, note)
    value = _value(scale, points, n_items)
    return ScaleScore(float(value), _band(scale, value), n_answered, n_items, _missing_note(scale, missing, n_missing))


def _points(item: Item, method: str, answer: object) -> Fraction | None:
    """The item's contribution, or None when it counts as missing (unanswered or a `missing: true` option)."""
    if answer is None:
        return None
    option = item.option(answer) if item.type == "choice" else None
    if option is not None and option.missing:
        return None
    if method == "percent_correct":
        return Fraction(int(answer == item.correct))
    if not is_number(answer):
        raise TypeError(f"item '{item.id}' of a scale has a number answer, got {answer!r}")
    if item.reverse:
        return Fraction(min(item.scored_option_values) + max(item.scored_option_values) - answer)
    return _exact(answer)


def _value(scale: Scale, points: list[Fraction], n_items: int) -> Fraction:
    total = sum(points, Fraction(0))
    if scale.missing.rule == "prorate" and len(points) < n_items:
        total = total * n_items / len(points)
    if scale.method == "mean":
        total /= n_items
    elif scale.method == "percent_correct":
        total = 100 * total / n_items
    return total * _exact(scale.multiply) if scale.multiply is not None else total


def _band(scale: Scale, value: Fraction) -> str | None:
    return next((band.code for band in scale.bands if band.max is None or value <= _exact(band.max)), None)


def _missing_note(scale: Scale, missing: str, n_missing: int) -> str | None:
    if not n_missing:
        return None
    if scale.missing.rule == "prorate":
        return f"{missing}; prorated from the answered items."
    return f"{missing}; counted as {'incorrect' if scale.method == 'percent_correct' else '0'}."


def _exact(number: int | float) -> Fraction:
    """The number as written in decimal (0.1 -> 1/10), not its binary approximation."""
    return Fraction(number) if isinstance(number, int) else Fraction(str(number))


def item_points(definition: InstrumentDefinition, scale: Scale, answers: Mapping[str, object]) -> list[float | None]:
    """Each item's scored value in the scale's order (reverse keys applied, None where missing): one row of the
    item matrix that reliability statistics need. ``answers`` are stored, already validated answers."""
    points = (_points(definition.item(item_id), scale.method, answers.get(item_id)) for item_id in scale.items)
    return [None if value is None else float(value) for value in points]
