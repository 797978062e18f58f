"""A small synthetic programme (the demo generator at a reduced size) with the shipped questionnaires."""

from io import BytesIO

import pytest
import yaml
from pypdf import PdfReader
from sqlalchemy import select

from surveyapp.demo_programme import generate_programme
from surveyapp.extensions import db
from surveyapp.instruments.services import LIBRARY_DIR, publish_version
from surveyapp.respondents.models import Respondent


@pytest.fixture
def shipped_instruments(app_context):
    for path in sorted(LIBRARY_DIR.glob("*.yaml")):
        publish_version(yaml.safe_load(path.read_text(encoding="utf-8")), source_file=path.name)
    db.session.commit()


@pytest.fixture
def programme(shipped_instruments):
    """60 children over the 7 administrations (so some groups are small), 8 staff, 12 parents."""
    summary = generate_programme(children=60, staff=8, parents=12, seed=7)
    db.session.commit()
    return summary


@pytest.fixture
def respondent_codes(programme) -> list[str]:
    return list(db.session.scalars(select(Respondent.code)))


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)
