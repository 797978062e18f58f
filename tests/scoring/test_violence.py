"""Reference results for violence-1.0 (programme-authored exposure-to-violence screen).

Source of the rules: the file itself (programme decision, not a published instrument): any reported
violence at home or at school in the past month, not always feeling safe at home or at school, or a
refusal to answer one of these questions raises a `referral` flag; having no trusted adult is recorded
but raises no flag.
"""

from pathlib import Path

import pytest

import surveyapp.instruments
from surveyapp.definitions.documents import load_definition_file
from surveyapp.scoring.engine import score, validate_answers

_, VIOLENCE = load_definition_file(Path(surveyapp.instruments.__file__).parent / "library" / "violence-1.0.yaml")
YES, NO, REFUSED = 1, 0, 9
ALWAYS, NOT_ALWAYS, UNSAFE = 2, 1, 0
SAFE = {
    "viol_home_hit": NO,
    "viol_home_fear": NO,
    "viol_school": NO,
    "viol_safe_home": ALWAYS,
    "viol_safe_school": ALWAYS,
    "viol_trusted_adult": YES,
}


def test_no_concern_no_flag():
    assert validate_answers(VIOLENCE, SAFE) == []
    result = score(VIOLENCE, SAFE)
    assert (result.flag_level, result.flags) == ("none", [])


@pytest.mark.parametrize(
    ("change", "flags"),
    [
        ({"viol_home_hit": YES}, ["violence_home"]),
        ({"viol_home_fear": YES}, ["violence_home"]),
        ({"viol_school": YES}, ["violence_school"]),
        ({"viol_safe_home": NOT_ALWAYS}, ["unsafe_home"]),
        ({"viol_safe_home": UNSAFE}, ["unsafe_home"]),
        ({"viol_safe_school": NOT_ALWAYS}, ["unsafe_school"]),
        ({"viol_safe_school": UNSAFE}, ["unsafe_school"]),
        ({"viol_home_hit": REFUSED}, ["violence_refused"]),
        ({"viol_safe_home": REFUSED}, ["violence_refused"]),
        (
            {"viol_home_hit": YES, "viol_safe_home": UNSAFE, "viol_school": YES},
            ["violence_home", "violence_school", "unsafe_home"],
        ),
    ],
)
def test_concerning_answers_raise_referral(change, flags):
    result = score(VIOLENCE, {**SAFE, **change})
    assert result.flag_level == "referral"
    assert result.flags == flags


def test_no_trusted_adult_alone_raises_no_flag():
    result = score(VIOLENCE, {**SAFE, "viol_trusted_adult": NO})
    assert result.flag_level == "none"


def test_unanswered_questions_raise_no_flag():
    # a comparison on an unanswered item is false (FORMAT.md); the screen has no required item
    assert validate_answers(VIOLENCE, {}) == []
    assert score(VIOLENCE, {}).flag_level == "none"


def test_every_flag_is_a_referral_with_reasons_in_three_languages():
    assert {flag.level for flag in VIOLENCE.flags} == {"referral"}
    for flag in VIOLENCE.flags:
        assert set(flag.reason) == {"ky", "ru", "en"}
