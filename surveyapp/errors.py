"""Domain errors: raised by services, turned into a clear message and the right HTTP status in one place."""

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l


class DomainError(Exception):
    status = 400
    code = "error"

    def __init__(self, message: str | LazyString, problems: list | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems = problems or []


CODE_TYPO = _l("This code has a typing mistake. Please check each character.")
"""A respondent's code whose check character does not fit (respondents/codes.py)."""


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class Invalid(DomainError):
    status = 422
    code = "invalid"


class NotAccepted(DomainError):
    """The one refusal of a join or a submission whose session and respondent do not go together: an unknown
    session, an unknown code, a child of another territory, a session for other respondents, or nothing left to
    answer. One message and one code, so that a guesser learns neither which code was wrong nor whether a child
    took part (issue 15)."""

    status = 403
    code = "not_accepted"

    def __init__(self) -> None:
        super().__init__(
            _l(
                "Answers for this code are not taken at this session. Check the codes, or ask the "
                "adult running the session."
            )
        )


class SessionClosed(Conflict):
    """Told whatever the respondent's code: it says nothing of a child, only of a session whose secret join code
    the sender has (a participant who came before the trainer opened the post-test, say)."""

    code = "session_closed"

    def __init__(self) -> None:
        super().__init__(_l("This session is closed and no longer accepts answers."))


class TypingMistake(Invalid):
    """A code whose check character does not fit: a typo, told without looking anything up."""

    code = "typing_mistake"

    def __init__(self, session_code: bool = False):
        super().__init__(
            _l("The session code has a typing mistake. Please check each character.") if session_code else CODE_TYPO
        )


class UnknownRespondent(NotFound):
    code = "unknown_respondent"

    def __init__(self, typo: bool = False):
        super().__init__(
            CODE_TYPO
            if typo
            else _l("This respondent code is not registered. Check the code with the person running the session.")
        )


ANSWER_PROBLEMS = {
    "unknown_item": _l('"%(item)s" is not a question of this questionnaire.'),
    "missing_required": _l('Question "%(item)s" must be answered.'),
    "invalid_value": _l('The answer to question "%(item)s" is not one it can take.'),
    "out_of_range": _l('The answer to question "%(item)s" is outside the allowed range.'),
    "not_relevant": _l('Question "%(item)s" was answered but does not apply, given the other answers.'),
    "not_answerable": _l('"%(item)s" is a note and cannot be answered.'),
    "no_answer": _l('No question is answered: please answer at least question "%(item)s".'),
    "too_long": _l('The answer to question "%(item)s" is too long: 2,000 characters at most.'),
    "invalid_text": _l('The answer to question "%(item)s" holds an invisible control character: please type it again.'),
}
"""The words of each kind of problem with an answer (scoring.engine.AnswerProblem.code), for the respondent's
language; the engine's own message (in English) gives the details."""


class InvalidAnswers(Invalid):
    code = "invalid_answers"

    def __init__(self, problems: list):
        super().__init__(_l("Some answers need attention."), problems)
