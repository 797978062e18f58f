"""Every shipped instrument renders on the kiosk in Kyrgyz, Russian and English, with every item's text and
never the notes for staff."""

import html

import pytest

from surveyapp.definitions.documents import load_definition_file
from surveyapp.instruments.services import LIBRARY_DIR
from surveyapp.respondents.models import RespondentKind

SHIPPED = sorted(LIBRARY_DIR.glob("*.yaml"))


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_every_item_is_shown_in_each_language(client, publish, make_session, make_respondent, path):
    data, definition = load_definition_file(path)
    session = make_session([publish(data)])
    respondent = make_respondent(RespondentKind(definition.respondent_kind))
    for language in ("ky", "ru", "en"):
        client.post("/kiosk/language", data={"language": language})
        client.post("/kiosk/", data={"join_code": session.join_code, "respondent_code": respondent.code})
        client.post("/kiosk/assent", data={"answer": "yes"})
        page = html.unescape(client.get("/kiosk/questionnaire").text)
        assert definition.title[language] in page
        missing = [item.id for item in definition.items if item.text[language] not in page]
        assert not missing, f"{language}: {missing}"
        assert definition.staff_notes is None or definition.staff_notes[language] not in page
        client.post("/kiosk/start-over")
