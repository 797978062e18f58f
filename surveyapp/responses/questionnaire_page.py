"""What the questionnaire page shows beyond the definition itself (FORMAT.md, "Expressions"): the texts with
their ${item} filled in, the options a choice filter offers given what is known, the instrument's own messages
for a refused answer, and the conditions and calculations the tablet's scripts evaluate (as JSON).

Without scripts the page is all there is: it is rendered from the answers known when it is rendered (a draft,
or the answers the server refused), and the server judges the rest when the form is sent.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from surveyapp.definitions.evaluation import allowed_options, expression_values, fill_text, relevance_json
from surveyapp.definitions.expressions import Expression
from surveyapp.definitions.model import InstrumentDefinition, Item, OptionValue, Section, Text, local_text
from surveyapp.definitions.screens import sections_opened

OWN_MESSAGES = {
    "missing_required": "required_message",
    "constraint": "constraint_message",
    "out_of_range": "constraint_message",
}
"""Problem code -> the item's field holding the instrument's own message for it."""


@dataclass(frozen=True)
class QuestionnairePage:
    definition: InstrumentDefinition
    language: str
    values: Mapping[str, object]
    """The answers and the calculated values: what ${item} shows."""
    relevance: Mapping[str, dict | None]
    """Item id -> the condition (its own and its sections') the scripts judge, as JSON; None = always asked."""
    hidden_options: Mapping[str, frozenset[OptionValue]]
    """Item id -> the values of the options its choice filter excludes given the answers known."""
    opened_sections: Mapping[str, tuple[Section, ...]]
    """Item id -> the sections (groups) that begin with it, whose titles it shows."""

    def text(self, text: Text | None) -> str:
        """The text in the page's language with every ${item} filled in."""
        return fill_text(local_text(text, self.language), self.values) if text else ""

    def raw_text(self, text: Text | None) -> str:
        """The text in the page's language as written, ${item} included (the scripts fill it as answers change)."""
        return local_text(text, self.language) if text else ""

    def own_message(self, item: Item, code: str) -> str:
        """The instrument's message for this problem with the item's answer (e.g. its constraint_message), or ""."""
        field = OWN_MESSAGES.get(code)
        return self.text(getattr(item, field)) if field else ""

    def calculates_json(self) -> list[dict]:
        """The calculate items in item order, for the scripts: [{id, calculation: tree}]."""
        return [
            {"id": item.id, "calculation": self.tree(item.calculation)} for item in self.definition.calculated_items
        ]

    @staticmethod
    def tree(expression: Expression | None) -> dict | None:
        """An expression as the scripts evaluate it (static/kiosk/expressions.js)."""
        return expression.json() if expression is not None else None


def questionnaire_page(definition: InstrumentDefinition, answers: Mapping[str, object], language: str):
    values = expression_values(definition, answers)
    return QuestionnairePage(
        definition=definition,
        language=language,
        values=values,
        relevance={item.id: relevance_json(definition, item) for item in definition.answerable_items},
        hidden_options={
            item.id: _excluded(definition, item, values, answers)
            for item in definition.answerable_items
            if item.choice_filter is not None
        },
        opened_sections=sections_opened(definition),
    )


def _excluded(
    definition: InstrumentDefinition, item: Item, values: Mapping[str, object], answers: Mapping[str, object]
) -> frozenset[OptionValue]:
    """The options the filter excludes; none while an answer it names is not given yet (a page without scripts
    shows the question with the one it depends on: every option stays until the server knows both)."""
    assert item.choice_filter is not None
    calculated = {calculate.id for calculate in definition.calculated_items}
    if not item.choice_filter.references <= answers.keys() | calculated:
        return frozenset()
    offered = {option.value for option in allowed_options(item, values)}
    return frozenset(option.value for option in item.options if option.value not in offered)
