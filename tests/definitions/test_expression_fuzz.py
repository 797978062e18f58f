"""Any text an XLSForm may hold as an expression is either parsed or refused with ExpressionError, and a parsed
expression evaluates on any answers without an exception (no 500 from a form's logic)."""

from hypothesis import given, settings
from hypothesis import strategies as st

from surveyapp.definitions.expressions import ExpressionError, evaluate_expression, parse_expression

TOKENS = [
    "${a}", "${b}", ".", "county", "name", "1", "0", "2.5", ".5", "'x'", "'2012-02-29'", "''", "(", ")", ",",
    " or ", " and ", "=", "!=", "<", "<=", ">", ">=", "+", "-", "*", " div ", " mod ", "/", "[", "${",
    "selected(", "count-selected(", "selected-at(", "string-length(", "concat(", "if(", "coalesce(", "not(",
    "true()", "false()", "number(", "int(", "round(", "string(", "regex(", "contains(", "starts-with(",
    "ends-with(", "substr(", "today()", "boolean-from-string(", "pulldata(",
]  # fmt: skip
ANSWERS = st.one_of(
    st.none(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
    st.lists(st.one_of(st.integers(), st.from_regex(r"[a-z_]{1,8}", fullmatch=True)), max_size=4),
)


@settings(max_examples=400, deadline=None)
@given(
    tokens=st.lists(st.sampled_from(TOKENS), min_size=1, max_size=25),
    a=ANSWERS,
    b=ANSWERS,
    own=ANSWERS,
    column=st.one_of(st.text(max_size=5), st.integers(), st.floats(allow_nan=False)),
)
def test_any_token_soup_parses_or_is_refused_and_evaluates(tokens, a, b, own, column):
    source = "".join(tokens)
    try:
        expression = parse_expression(source, columns=True, self_allowed=True)
    except ExpressionError as error:
        assert str(error)
        return
    result = evaluate_expression(expression, {"a": a, "b": b}, self_value=own, columns={"county": column})
    assert isinstance(result, bool | str | float)
