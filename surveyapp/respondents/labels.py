"""The words staff read for respondents' kinds and sexes, in the current language: one place for the forms, the
report and the templates (a service or a report must not import a form to find a label)."""

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from surveyapp.respondents.models import RespondentKind, Sex

KIND_LABELS = {
    RespondentKind.CHILD: _l("Child"),
    RespondentKind.STAFF: _l("Staff member"),
    RespondentKind.PARENT: _l("Parent or guardian"),
}
SEX_LABELS = {Sex.FEMALE: _l("Female"), Sex.MALE: _l("Male")}


def kind_label(kind: str) -> str:
    """ "child" -> "Child" in the current language."""
    return str(KIND_LABELS[RespondentKind(kind)])


def kind_count(kind: str, n: int) -> str:
    """n people of a kind, e.g. "25 staff members", with the language's plural form."""
    if RespondentKind(kind) == RespondentKind.CHILD:
        return ngettext("%(num)d child", "%(num)d children", n)
    if RespondentKind(kind) == RespondentKind.STAFF:
        return ngettext("%(num)d staff member", "%(num)d staff members", n)
    return ngettext("%(num)d parent or guardian", "%(num)d parents or guardians", n)
