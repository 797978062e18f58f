"""The set-up the benchmarks share: a database URL as SQLAlchemy takes it, the shipped questionnaires published as
`flask instruments load` publishes them, and one open session giving an instrument (the ingest benchmarks).

bench/http/setup_data.py prepares older checkouts too (the surveyapp on PYTHONPATH): what it uses is imported at
the top, as every version has it; the library's loader, which moved with issue 17, where it is used.
"""

from datetime import date

from surveyapp.extensions import db
from surveyapp.instruments.services import publish_version
from surveyapp.sessions.models import SurveySession, Wave
from surveyapp.sessions.services import plan_session


def sqlalchemy_url(url: str) -> str:
    """A postgresql:// URL as psql takes it, through psycopg 3; any other URL unchanged."""
    return "postgresql+psycopg://" + url.removeprefix("postgresql://") if url.startswith("postgresql://") else url


def publish_library() -> None:
    """Every shipped questionnaire, read by load_definition_file (repeated keys and file names checked), in the
    current transaction."""
    from surveyapp.definitions.documents import load_definition_file
    from surveyapp.instruments.services import LIBRARY_DIR

    for path in sorted(LIBRARY_DIR.glob("*.yaml")):
        data, _definition = load_definition_file(path)
        publish_version(data, source_file=path.name)


def open_session_giving(instrument: dict, title: str) -> SurveySession:
    """``instrument`` published and one open baseline session for children giving it, in the current transaction."""
    version, _created = publish_version(instrument)
    db.session.flush()
    return plan_session(
        title=title,
        held_on=date(2026, 12, 3),
        place="Osh",
        wave=Wave.BASELINE,
        territory_id=None,
        trainer_id=None,
        instrument_version_ids=[version.id],
    )
