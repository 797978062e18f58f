from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from surveyapp.db import JSONDocument
from surveyapp.extensions import Model


class Activity(Model):
    """One activity of the programme's work plan (launch meeting, trainings, children's events...).

    Sessions are linked to the activity they belong to; the participants reached are counted from them.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[dict] = mapped_column(JSONDocument)
    """Language -> title, as the work plan names the activity."""
    period: Mapped[dict] = mapped_column(JSONDocument)
    """Language -> when it is planned, e.g. {"en": "September", ...}."""
    planned_participants: Mapped[int]
