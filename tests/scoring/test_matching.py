"""Matching baseline and post scores by respondent code."""

import pytest

from surveyapp.scoring.matching import ScoreRecord, match_waves


def record(code, wave, value, instrument="who5", scale="percent"):
    return ScoreRecord(respondent_code=code, instrument_id=instrument, scale_id=scale, wave=wave, value=value)


RECORDS = [
    record("K001", "baseline", 40),
    record("K001", "post", 56),
    record("K002", "baseline", 60),
    record("K002", "post", 52),
    record("K003", "baseline", 32),  # lost to attrition
    record("K004", "post", 72),  # no baseline
    record("K005", "baseline", 48),
    record("K005", "post", None),  # post not scorable: counts as absent
    record("K001", "follow_up", 64),
    record("K001", "baseline", 20, instrument="rses", scale="total"),
    record("K001", "post", 24, instrument="rses", scale="total"),
]


def test_pairs_and_attrition_counts_per_scale():
    matches = match_waves(RECORDS)
    assert list(matches) == [("rses", "total"), ("who5", "percent")]
    who5 = matches[("who5", "percent")]
    assert [(pair.respondent_code, pair.pre, pair.post) for pair in who5.pairs] == [
        ("K001", 40, 56),
        ("K002", 60, 52),
    ]
    assert (who5.n_matched, who5.n_pre_only, who5.n_post_only) == (2, 2, 1)
    assert who5.pre_only_codes == ("K003", "K005")
    assert who5.post_only_codes == ("K004",)
    assert who5.pre_values.tolist() == [40, 60] and who5.post_values.tolist() == [56, 52]
    assert matches[("rses", "total")].n_matched == 1


def test_follow_up_can_be_matched_to_baseline():
    who5 = match_waves(RECORDS, pre_wave="baseline", post_wave="follow_up")[("who5", "percent")]
    assert (who5.n_matched, who5.n_pre_only, who5.n_post_only) == (1, 3, 0)
    assert (who5.pre_wave, who5.post_wave) == ("baseline", "follow_up")


def test_duplicate_scores_are_refused():
    with pytest.raises(ValueError, match="duplicate"):
        match_waves(RECORDS + [record("K001", "post", 60)])


def test_unknown_wave_is_refused():
    with pytest.raises(ValueError, match="wave"):
        match_waves([record("K001", "midline", 40)])
    with pytest.raises(ValueError, match="wave"):
        match_waves(RECORDS, post_wave="endline")
