from sqlalchemy import select

from surveyapp.extensions import db
from surveyapp.instruments.models import Instrument, InstrumentVersion


def all_instruments() -> list[Instrument]:
    return list(db.session.scalars(select(Instrument).order_by(Instrument.respondent_kind, Instrument.code)))


def all_versions() -> list[InstrumentVersion]:
    return list(
        db.session.scalars(
            select(InstrumentVersion).join(Instrument).order_by(Instrument.code, InstrumentVersion.published_at)
        )
    )


def newest_version(instrument_code: str) -> InstrumentVersion | None:
    return db.session.scalar(
        select(InstrumentVersion)
        .join(Instrument)
        .where(Instrument.code == instrument_code)
        .order_by(InstrumentVersion.published_at.desc(), InstrumentVersion.id.desc())
        .limit(1)
    )


def find_version(code: str, version: str) -> InstrumentVersion | None:
    return db.session.scalar(
        select(InstrumentVersion).join(Instrument).where(Instrument.code == code, InstrumentVersion.version == version)
    )
