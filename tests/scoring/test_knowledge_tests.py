"""Reference scores for the programme-authored knowledge tests: staff_knowledge_pre/post-1.0 (city staff) and
parent_knowledge_pre/post-1.0 (parents and guardians).

Scoring (defined in the files, as specified for the programme's knowledge tests): percent correct =
100 x correct / number of items; an unanswered question counts as incorrect (rule zero). Per-topic
scales (one per section) use the same rule. Pre and post are parallel forms: same number of items,
same topics, twin items <audience>_pre_<topic>_<n> / <audience>_post_<topic>_<n>.
"""

from collections import Counter
from pathlib import Path

import pytest

import surveyapp.instruments
from surveyapp.definitions.documents import load_definition_file
from surveyapp.scoring.engine import score, validate_answers

DEFINITIONS = Path(surveyapp.instruments.__file__).parent / "library"
AUDIENCES = ("staff", "parent")
TESTS = {
    (audience, wave): load_definition_file(DEFINITIONS / f"{audience}_knowledge_{wave}-1.0.yaml")[1]
    for audience in AUDIENCES
    for wave in ("pre", "post")
}
FORMS = pytest.mark.parametrize("form", list(TESTS.values()), ids=[f"{a}-{w}" for a, w in TESTS])
PAIRS = pytest.mark.parametrize("audience", AUDIENCES)


def all_correct(form):
    return {item.id: item.correct for item in form.items}


def wrong_answer(item):
    return next(value for value in item.option_values if value != item.correct)


@FORMS
def test_shape_15_to_20_four_option_questions_with_one_key(form):
    assert 15 <= len(form.items) <= 20
    for item in form.items:
        assert item.type == "choice"
        assert len(item.options) == 4
        assert item.correct in item.option_values
        assert item.section in {section.id for section in form.sections}
    # the answer key is not concentrated on one position
    positions = Counter(item.correct for item in form.items)
    assert max(positions.values()) <= len(form.items) // 2


@FORMS
def test_all_correct_is_100(form):
    given = all_correct(form)
    assert validate_answers(form, given) == []
    result = score(form, given)
    assert result.scales["percent"].value == 100
    for section in form.sections:
        assert result.scales[section.id].value == 100


@FORMS
@pytest.mark.parametrize("k", [1, 2, 5])
def test_k_wrong(form, k):
    # 100 x (n - k) / n, e.g. 15 items, 2 wrong -> 100 x 13 / 15 = 86.67; 18 items -> 100 x 16 / 18 = 88.89
    given = all_correct(form)
    for item in form.items[:k]:
        given[item.id] = wrong_answer(item)
    n = len(form.items)
    assert score(form, given).scales["percent"].value == pytest.approx(100 * (n - k) / n)


@FORMS
def test_unanswered_counts_as_wrong(form):
    n = len(form.items)
    given = all_correct(form)
    for item in form.items[:3]:
        del given[item.id]
    result = score(form, given).scales["percent"]
    assert result.value == pytest.approx(100 * (n - 3) / n)  # same as 3 wrong
    assert (result.n_answered, result.n_items) == (n - 3, n)
    assert "incorrect" in result.note
    # only one answered question, and it is right: 100 x 1 / n
    first = form.items[0]
    assert score(form, {first.id: first.correct}).scales["percent"].value == pytest.approx(100 / n)


@FORMS
def test_a_blank_form_gets_no_score(form):
    # The parser requires max_missing < number of items, so an entirely blank test is not scored.
    assert score(form, {}).scales["percent"].value is None


@FORMS
def test_per_topic_scores(form):
    # One wrong answer in the first topic's 3 questions -> that topic 2/3 = 66.67 %, the others 100 %.
    first_topic = form.sections[0].id
    item = next(item for item in form.items if item.section == first_topic)
    given = {**all_correct(form), item.id: wrong_answer(item)}
    result = score(form, given)
    assert result.scales[first_topic].value == pytest.approx(200 / 3)
    for section in form.sections[1:]:
        assert result.scales[section.id].value == 100


@PAIRS
def test_pre_and_post_are_parallel(audience):
    PRE, POST = TESTS[audience, "pre"], TESTS[audience, "post"]
    assert len(PRE.items) == len(POST.items)
    assert [section.id for section in PRE.sections] == [section.id for section in POST.sections]
    assert Counter(item.section for item in PRE.items) == Counter(item.section for item in POST.items)
    twins = {item.id.replace(f"{audience}_pre_", f"{audience}_post_"): item.section for item in PRE.items}
    assert twins == {item.id: item.section for item in POST.items}
    assert [scale.id for scale in PRE.scales] == [scale.id for scale in POST.scales]
    # each topic scale covers exactly that topic's items
    for form in (PRE, POST):
        for section in form.sections:
            assert set(form.scale(section.id).items) == {i.id for i in form.items if i.section == section.id}
        assert set(form.scale("percent").items) == {item.id for item in form.items}


@PAIRS
def test_twin_items_do_not_share_all_answer_positions(audience):
    PRE, POST = TESTS[audience, "pre"], TESTS[audience, "post"]
    same = sum(
        PRE.item(item.id).correct == POST.item(item.id.replace(f"{audience}_pre_", f"{audience}_post_")).correct
        for item in PRE.items
    )
    assert same < len(PRE.items) // 2
