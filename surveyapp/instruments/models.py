from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surveyapp.db import JSONDocument, UTCDateTime, utc_now
from surveyapp.definitions.documents import InstrumentDefinition, parse_definition
from surveyapp.extensions import Model
from surveyapp.i18n import current_language, local_text

_parsed_definitions: dict[tuple[int, str], InstrumentDefinition] = {}
"""The definitions this process has parsed, by version id and content hash: a published version never changes
(and its definition is frozen), so each request reads the one parsed first instead of parsing it again."""


class Instrument(Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    respondent_kind: Mapped[str] = mapped_column(String(20))
    versions: Mapped[list["InstrumentVersion"]] = relationship(
        back_populates="instrument", order_by="InstrumentVersion.published_at"
    )

    @property
    def title(self) -> str:
        """The newest version's title in the current language."""
        return local_text(self.versions[-1].definition.title, current_language())


class InstrumentVersion(Model):
    """One published version of an instrument: its content is immutable, checked by content_hash."""

    __table_args__ = (UniqueConstraint("instrument_id", "version", name="uq_instrument_version_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    instrument_id: Mapped[int] = mapped_column(ForeignKey("instrument.id"), index=True)
    version: Mapped[str] = mapped_column(String(20))
    content: Mapped[dict] = mapped_column(JSONDocument)
    content_hash: Mapped[str] = mapped_column(String(64))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    source_file: Mapped[str] = mapped_column(Text, default="")

    instrument: Mapped[Instrument] = relationship(back_populates="versions")

    @property
    def definition(self) -> InstrumentDefinition:
        if self.id is None:  # not stored yet: nothing to key it by
            return parse_definition(self.content)
        key = (self.id, self.content_hash)
        definition = _parsed_definitions.get(key)
        if definition is None:
            definition = _parsed_definitions[key] = parse_definition(self.content)
        return definition

    @property
    def label(self) -> str:
        """The instrument's title in the current language and the version: "Rosenberg Self-Esteem Scale (1.0)"."""
        return f"{local_text(self.definition.title, current_language())} ({self.version})"
