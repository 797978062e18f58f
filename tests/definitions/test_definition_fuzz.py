"""Any value in any place of a definition that uses the XLSForm keys is either accepted or refused with a
DefinitionError: never another exception (an upload page must never answer 500)."""

import copy

from hypothesis import given, settings
from hypothesis import strategies as st

from surveyapp.definitions.documents import DefinitionError, parse_definition
from tests.definitions.test_form_logic_parsing import xlsform_definition

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=8,
)
EXPRESSIONS = st.sampled_from(
    ["${age} > 1", "region = ${region}", ". > ${doubled}", "concat(", "${}", "name", ".", "1"]
)


def places(node, path=()):
    """Every (path, value) inside a definition dict."""
    yield path, node
    children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, child in children:
        yield from places(child, (*path, key))


PLACES = [path for path, _ in places(xlsform_definition()) if path]


@settings(max_examples=300, deadline=None)
@given(path=st.sampled_from(PLACES), value=st.one_of(JSON, EXPRESSIONS))
def test_a_damaged_definition_is_accepted_or_refused_with_its_problems(path, value):
    data = copy.deepcopy(xlsform_definition())
    parent = data
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = value
    try:
        parse_definition(data)
    except DefinitionError as error:
        assert error.messages
