"""Publishing instrument versions. A published version never changes: a change needs a new version number."""

import json
from dataclasses import dataclass
from pathlib import Path

import yaml
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from surveyapp.audit import services as audit
from surveyapp.definitions.documents import DefinitionError, canonical_json, content_hash, parse_definition
from surveyapp.errors import Conflict, Invalid
from surveyapp.extensions import db
from surveyapp.instruments.models import Instrument, InstrumentVersion
from surveyapp.instruments.workbook_limits import WorkbookRefused, WorkbookTooLarge, check_workbook, first_problems
from surveyapp.instruments.xlsform import XLSFormError, placed_problem, read_xlsform

LIBRARY_DIR = Path(__file__).parent / "library"


class InvalidDefinition(Invalid):
    code = "invalid_definition"


class XLSFormTooLarge(InvalidDefinition):
    status = 413
    code = "xlsform_too_large"


class PublishedVersionChanged(Conflict):
    code = "published_version_changed"


def publish_version(data: dict, source_file: str = "", publisher=None) -> tuple[InstrumentVersion, bool]:
    """Store a version; return it and whether it is new. Re-publishing identical content changes nothing."""
    try:
        definition = parse_definition(data)
    except DefinitionError as error:
        raise InvalidDefinition(_l("The instrument file is not valid."), error.messages) from error
    instrument = _instrument_for(definition)
    digest = content_hash(data)
    existing = db.session.scalar(
        select(InstrumentVersion).filter_by(instrument_id=instrument.id, version=definition.version)
    )
    if existing is not None:
        if existing.content_hash != digest:
            raise PublishedVersionChanged(
                _l(
                    "%(code)s version %(version)s is already published with different content. A published version "
                    "cannot change: give the edited file a new version number.",
                    code=definition.id,
                    version=definition.version,
                )
            )
        return existing, False
    version = InstrumentVersion(
        instrument=instrument,
        version=definition.version,
        content=json.loads(canonical_json(data)),
        content_hash=digest,
        source_file=source_file,
        published_by_id=getattr(publisher, "id", None),
    )
    db.session.add(version)
    audit.record("publish_instrument_version", version, {"hash": digest})
    return version, True


def _instrument_for(definition) -> Instrument:
    instrument = db.session.scalar(select(Instrument).filter_by(code=definition.id))
    if instrument is None:
        instrument = Instrument(code=definition.id, respondent_kind=definition.respondent_kind)
        db.session.add(instrument)
        db.session.flush()
    elif instrument.respondent_kind != definition.respondent_kind:
        raise InvalidDefinition(
            _l(
                "%(code)s is an instrument for %(kind)s respondents; a version cannot change that.",
                code=definition.id,
                kind=instrument.respondent_kind,
            )
        )
    return instrument


@dataclass(frozen=True)
class Draft:
    """An instrument made from an XLSForm, to be reviewed and then published with `flask instruments load`."""

    data: dict

    @property
    def filename(self) -> str:
        return f"{self.data['id']}-{self.data['version']}.yaml"

    def as_yaml(self) -> str:
        return yaml.safe_dump(self.data, allow_unicode=True, sort_keys=False, width=110)


def draft_from_xlsform(content: bytes) -> Draft:
    """The draft, or InvalidDefinition listing the problems of the XLSForm or of the instrument it makes (at most
    workbook_limits.MAX_PROBLEMS). The file is checked against the workbook limits before any parser sees it."""
    message = _l("The XLSForm was not imported.")
    try:
        check_workbook(content)
        imported = read_xlsform(content)
    except WorkbookTooLarge as error:
        raise XLSFormTooLarge(message, [error.problem]) from error
    except WorkbookRefused as error:
        raise InvalidDefinition(message, [error.problem]) from error
    except XLSFormError as error:
        raise InvalidDefinition(message, error.problems) from error
    try:
        parse_definition(imported.data)
    except DefinitionError as error:
        placed = [placed_problem(problem, imported) for problem in error.messages]
        raise InvalidDefinition(message, first_problems(placed)) from error
    return Draft(imported.data)
