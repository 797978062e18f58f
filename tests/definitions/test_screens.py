from surveyapp.definitions.documents import parse_definition
from surveyapp.definitions.screens import screens
from tests.definition_builders import calculate, choice, definition, item


def test_a_calculate_item_is_on_no_screen():
    parsed = parse_definition(
        definition(
            [item("intro", "note"), calculate("double", "${q1} * 2"), choice("q1"), calculate("half", "${q1} div 2")],
            questions_per_screen=1,
        )
    )
    assert [[shown.id for shown in screen] for screen in screens(parsed)] == [["intro", "q1"]]
