"""The texts a respondent agrees to before answering: the children's assent and the adults' consent.

Each text has a name and a version; a submission records the id (``child_assent-1``) of the text its respondent
agreed to. A changed text is a new version added here, and the versions shipped before stay, so that answers a
tablet kept offline under an earlier text are still accepted and the record says what was agreed to.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from surveyapp.errors import Invalid
from surveyapp.respondents.models import RespondentKind


@dataclass(frozen=True)
class ConsentText:
    name: str
    version: int
    kinds: frozenset[RespondentKind]
    is_for_adults: bool
    title: str
    paragraphs: tuple[str, ...]
    points: tuple[str, ...]
    question: str

    @property
    def id(self) -> str:
        return f"{self.name}-{self.version}"


CHILD_ASSENT = ConsentText(
    name="child_assent",
    version=1,
    kinds=frozenset({RespondentKind.CHILD}),
    is_for_adults=False,
    title=_l("Before we start"),
    paragraphs=(
        _l("We are asking children how they feel and what helps them, so that the programme can help them better."),
    ),
    points=(
        _l("Your name is not written on your answers. Only your code is."),
        _l("There are no right or wrong answers."),
        _l("You can skip a question or stop at any time, and nothing bad will happen."),
        _l("If your answers show that you may need help, a psychologist of the programme will talk to you."),
    ),
    question=_l("Do you agree to answer?"),
)

ADULT_CONSENT = ConsentText(
    name="adult_consent",
    version=1,
    kinds=frozenset({RespondentKind.STAFF, RespondentKind.PARENT}),
    is_for_adults=True,
    title=_l("Consent to take part"),
    paragraphs=(
        _l(
            'This test is part of a programme that the public foundation "Center for the protection and '
            "development of vulnerable groups\" runs for the Osh city mayor's office. The foundation holds your "
            "answers."
        ),
        _l("The test measures what the training has taught, so that the training can be improved."),
    ),
    points=(
        _l("Your answers are stored under a code, not under your name."),
        _l(
            "Results are reported only as figures for the whole group. The trainer sees each participant's score "
            "by the name on the training's list of participants."
        ),
        _l("Taking part is voluntary. You may skip a question or stop at any time, with no consequences for you."),
    ),
    question=_l("Do you agree to take part?"),
)

TEXTS = {text.id: text for text in (CHILD_ASSENT, ADULT_CONSENT)}
"""Every text ever shipped, by id."""
CURRENT = {kind: text for text in (CHILD_ASSENT, ADULT_CONSENT) for kind in text.kinds}
"""The text shown today to each kind of respondent."""


class UnknownConsentText(Invalid):
    code = "unknown_consent_text"

    def __init__(self, text_id: str):
        super().__init__(_l('No consent text is called "%(text)s".', text=text_id))


class ConsentTextNotForRespondent(Invalid):
    code = "consent_text_not_for_respondent"

    def __init__(self, text_id: str):
        super().__init__(_l('The consent text "%(text)s" is not the one for this respondent.', text=text_id))


def current_text(kind: RespondentKind) -> ConsentText:
    return CURRENT[kind]


def text_agreed(text_id: str | None, kind: RespondentKind) -> ConsentText:
    """The text a respondent of this kind agreed to: the one named (it must be for them), else today's."""
    if text_id is None:
        return current_text(kind)
    text = TEXTS.get(text_id)
    if text is None:
        raise UnknownConsentText(text_id)
    if kind not in text.kinds:
        raise ConsentTextNotForRespondent(text_id)
    return text
