"""Domain errors: raised by services, turned into a clear message and the right HTTP status in one place."""
from flask_babel import lazy_gettext as _l


class DomainError(Exception):
    status = 400
    code = "error"

    def __init__(self, message, problems: list | None = None):
        super().__init__(message)
        self.message = message
        self.problems = problems or []


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class Invalid(DomainError):
    status = 422
    code = "invalid"


class UnknownSession(NotFound):
    code = "unknown_session"

    def __init__(self):
        super().__init__(_l("No session has this join code. Check the code with the person running the session."))


class SessionClosed(Conflict):
    code = "session_closed"

    def __init__(self):
        super().__init__(_l("This session is closed and no longer accepts answers."))


class UnknownRespondent(NotFound):
    code = "unknown_respondent"

    def __init__(self, typo: bool = False):
        super().__init__(
            _l("This code has a typing mistake. Please check each character.") if typo
            else _l("This respondent code is not registered. Check the code with the person running the session.")
        )


class InvalidAnswers(Invalid):
    code = "invalid_answers"

    def __init__(self, problems: list):
        super().__init__(_l("Some answers need attention."), problems)
