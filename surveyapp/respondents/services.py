from functools import partial

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from surveyapp.audit import services as audit
from surveyapp.errors import Conflict, UnknownRespondent
from surveyapp.extensions import db
from surveyapp.pagination import KeysetPage, keyset_page
from surveyapp.respondents import codes
from surveyapp.respondents.models import Respondent, RespondentIdentity, RespondentKind, Sex, Territory
from surveyapp.transactions import after_the_view

MAX_CODE_ATTEMPTS = 20
RESPONDENTS_PER_PAGE = 50


def find_by_code(typed_code: str) -> Respondent:
    code = codes.normalise(typed_code)
    if not codes.is_well_formed(code):
        raise UnknownRespondent(typo=True)
    respondent = db.session.scalar(select(Respondent).filter_by(code=code))
    if respondent is None:
        raise UnknownRespondent()
    return respondent


def register(kind: RespondentKind, sex: Sex | None, birth_year: int | None, territory: Territory | None) -> Respondent:
    """Create a respondent under a fresh code that no other respondent has."""
    for _ in range(MAX_CODE_ATTEMPTS):
        code = codes.new_code()
        if db.session.scalar(select(Respondent.id).filter_by(code=code)) is None:
            break
    else:
        raise Conflict(_l("Could not find a free respondent code; try again."))
    respondent = Respondent(code=code, kind=kind, sex=sex, birth_year=birth_year, territory=territory)
    db.session.add(respondent)
    audit.record("register_respondent", respondent)
    return respondent


def list_respondents(*, older_than: int | None = None, newer_than: int | None = None) -> KeysetPage:
    """Newest first, keyset-paged (ix_respondent_created_at_id): any page of 200,000 respondents costs the first's."""
    query = select(Respondent).options(selectinload(Respondent.territory))
    return keyset_page(
        query,
        Respondent,
        Respondent.created_at,
        older_than=older_than,
        newer_than=newer_than,
        per_page=RESPONDENTS_PER_PAGE,
    )


def territories() -> list[Territory]:
    return list(db.session.scalars(select(Territory).order_by(Territory.code)))


def read_identity(respondent: Respondent, details: dict | None = None) -> RespondentIdentity | None:
    """The respondent's name and contacts, if entered. The read is audited: in a view once the page is made, as a
    page writes (transactions.after_the_view)."""
    identity = db.session.scalar(select(RespondentIdentity).filter_by(respondent_id=respondent.id))
    if identity is not None:
        audit_details = {"respondent": respondent.code, **(details or {})}
        after_the_view(partial(audit.record, "view_identity", identity, audit_details))
    return identity


def save_identity(
    respondent: Respondent, *, full_name: str, guardian_name: str, guardian_phone: str, address: str, by
) -> RespondentIdentity:
    identity = db.session.scalar(select(RespondentIdentity).filter_by(respondent_id=respondent.id))
    if identity is None:
        identity = RespondentIdentity(respondent_id=respondent.id)
        db.session.add(identity)
    identity.full_name, identity.guardian_name = full_name.strip(), guardian_name.strip()
    identity.guardian_phone, identity.address = guardian_phone.strip(), address.strip()
    identity.updated_by_id = by.id
    audit.record("edit_identity", identity, {"respondent": respondent.code})
    return identity


def rename_territory(territory: Territory, name: str) -> None:
    old_name = territory.name
    territory.name = name.strip()
    audit.record("rename_territory", territory, {"from": old_name, "to": territory.name})
