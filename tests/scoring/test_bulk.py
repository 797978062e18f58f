"""The bulk scorer against the per-submission engine.

The expected values come from `engine.score`, a separate implementation in exact fractions with its own reference
tests (tests/scoring/test_engine.py and one file per instrument), so agreement on many generated answer sets is a
cross-check of the vectorised arithmetic, not a copy of it.
"""

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from surveyapp.definitions.documents import InstrumentDefinition, load_definition_file, parse_definition
from surveyapp.scoring.bulk import UnsupportedScale, answer_matrix, item_points_many, score_many, scored_item_ids
from surveyapp.scoring.engine import ScaleScore, item_points, score
from tests.definition_builders import band, choice, definition, item, options, scale

DEFINITIONS = Path(__file__).parents[2] / "surveyapp" / "instruments" / "library"
SHIPPED = sorted(path.name for path in DEFINITIONS.glob("*.yaml"))


def shipped(name: str) -> InstrumentDefinition:
    return load_definition_file(DEFINITIONS / name)[1]


# -- answer sets that reach every branch of each scale's rules


def answerable_values(parsed: InstrumentDefinition, item_id: str) -> list[int]:
    item_def = parsed.item(item_id)
    if item_def.type == "choice":
        return list(item_def.option_values)
    return list(range(int(item_def.min), int(item_def.max) + 1))


def random_answer_sets(parsed: InstrumentDefinition, count: int, seed: int) -> list[dict[str, int]]:
    """Random answers to the scored items, each row with its own share of unanswered items (0 to all)."""
    rng = np.random.default_rng(seed)
    item_ids = scored_item_ids(parsed)
    rows = []
    for _ in range(count):
        share_missing = rng.choice([0.0, 0.0, 0.05, 0.1, 0.2, 0.5, 0.9, 1.0])
        rows.append(
            {
                item_id: int(rng.choice(answerable_values(parsed, item_id)))
                for item_id in item_ids
                if rng.random() >= share_missing
            }
        )
    return rows


def edge_answer_sets(parsed: InstrumentDefinition, seed: int) -> list[dict[str, int]]:
    """For each scale, rows with exactly 0, 1, max_missing, max_missing + 1 and all of its items unanswered; every
    option of every item (missing options included) at its lowest and highest neighbours; nothing answered."""
    rng = np.random.default_rng(seed)
    item_ids = scored_item_ids(parsed)

    def full_row() -> dict[str, int]:
        return {item_id: int(rng.choice(answerable_values(parsed, item_id))) for item_id in item_ids}

    rows: list[dict[str, int]] = [{}]
    for scale_def in parsed.scales:
        counts = {0, 1, scale_def.missing.max_missing, scale_def.missing.max_missing + 1, len(scale_def.items)}
        for n_missing in sorted(count for count in counts if count <= len(scale_def.items)):
            for _ in range(20):
                row = full_row()
                for item_id in rng.choice(scale_def.items, size=n_missing, replace=False):
                    del row[item_id]
                rows.append(row)
    for item_id in item_ids:
        for value in answerable_values(parsed, item_id):
            rows.extend({**full_row(), item_id: value} for _ in range(3))
    for extreme in (min, max):
        rows.append({item_id: extreme(answerable_values(parsed, item_id)) for item_id in item_ids})
    return rows


def assert_same_as_engine(parsed: InstrumentDefinition, answer_sets: list[dict[str, Any]]) -> None:
    """Compare every scale value (exactly), band and answered count, after checking that the answer sets reach
    each scale's outcomes: complete, scored with items missing (unless the rule refuses), no score, every band."""
    bulk = score_many(parsed, answer_matrix(parsed, answer_sets))
    expected = [score(parsed, answers).scales for answers in answer_sets]
    assert_every_outcome_is_reached(parsed, expected)
    assert set(bulk) == {scale_def.id for scale_def in parsed.scales}
    for scale_id, scores in bulk.items():
        engine_values = [row[scale_id].value for row in expected]
        bulk_values = [None if np.isnan(value) else value for value in scores.values.tolist()]
        mismatches = [
            (answer_sets[index], engine_value, bulk_value)
            for index, (engine_value, bulk_value) in enumerate(zip(engine_values, bulk_values, strict=True))
            if engine_value != bulk_value
        ]
        assert mismatches[:3] == [], f"{parsed.key} {scale_id}: {len(mismatches)} values differ"
        assert scores.bands == [row[scale_id].band for row in expected]
        assert scores.n_answered.tolist() == [row[scale_id].n_answered for row in expected]


def assert_every_outcome_is_reached(parsed: InstrumentDefinition, expected: list[dict[str, ScaleScore]]) -> None:
    for scale_def in parsed.scales:
        results = [row[scale_def.id] for row in expected]
        reached = {
            "no score" if result.value is None else "complete" if result.note is None else "missing handled"
            for result in results
        }
        tolerates_missing = scale_def.missing.rule != "refuse" and scale_def.missing.max_missing > 0
        assert reached == {"complete", "no score"} | ({"missing handled"} if tolerates_missing else set())
        assert {band_def.code for band_def in scale_def.bands} <= {result.band for result in results}


# -- one case worked by hand


def test_rses_totals_worked_by_hand():
    # Items 2, 5, 6, 8, 9 are reversed (3 - answer on the 0-3 options).
    # Row 1, all ten answered 2: five items 2 + five reversed 3 - 2 = 1 -> 10 + 5 = 15 -> "not_low" (> 14.9).
    # Row 2, rses_10 unanswered, the other nine 0: four forward 0 + five reversed 3 -> 15 over 9 items,
    #   prorated 15 x 10 / 9 = 150 / 9 = 16.666... -> "not_low".
    # Row 3, rses_01..rses_04 answered 0, 1, 0, 0, rses_05..rses_10 answered 3:
    #   0 + (3 - 1) + 0 + 0 + (3 - 3) + (3 - 3) + 3 + (3 - 3) + (3 - 3) + 3 = 8 -> "low".
    # Row 4, two unanswered: more than max_missing 1 -> no score, no band.
    parsed = shipped("rses-1.0.yaml")
    item_ids = [f"rses_{number:02d}" for number in range(1, 11)]
    answer_sets = [
        dict.fromkeys(item_ids, 2),
        dict.fromkeys(item_ids[:9], 0),
        {**dict(zip(item_ids[:4], [0, 1, 0, 0], strict=True)), **dict.fromkeys(item_ids[4:], 3)},
        dict.fromkeys(item_ids[:8], 1),
    ]
    total = score_many(parsed, answer_matrix(parsed, answer_sets))["total"]
    np.testing.assert_array_equal(total.values, [15, 150 / 9, 8, np.nan])
    assert total.bands == ["not_low", "not_low", "low", None]
    assert total.n_answered.tolist() == [10, 9, 10, 8]


# -- the cross-check


@pytest.mark.parametrize("name", SHIPPED)
def test_bulk_scores_equal_the_engine_on_every_shipped_instrument(name):
    parsed = shipped(name)
    answer_sets = edge_answer_sets(parsed, seed=1) + random_answer_sets(parsed, count=3000, seed=2)
    assert_same_as_engine(parsed, answer_sets)


def features_no_shipped_scale_uses() -> list[InstrumentDefinition]:
    """Options scored as missing (also on a reversed item), integer items, mean with refuse, percent_correct
    prorated, a decimal multiply and decimal band limits."""
    with_dont_know = {**choice("d"), "options": options(1, 2, 3, 4, 5, 9, missing=(9,)), "reverse": True}
    mixed = definition(
        [choice("a"), choice("b", reverse=True), with_dont_know, item("n", "integer", min=0, max=7)],
        scales=[
            scale(
                "sum",
                ["a", "b", "d", "n"],
                [2.5, 45],
                missing={"max_missing": 2, "rule": "prorate"},
                multiply=2.5,
                bands=[band("low", 7.5), band("mid", 20.35), band("high")],
            ),
            scale(
                "mean",
                ["a", "b", "d"],
                [1 / 3, 11 / 3],
                method="mean",
                missing={"rule": "refuse"},
                bands=[band("low", 1.3), band("high")],
            ),
            scale(
                "zero",
                ["a", "d", "n"],
                [1 / 30, 0.5],
                method="mean",
                missing={"max_missing": 2, "rule": "zero"},
                multiply=0.1,
            ),
        ],
    )
    keys = {"k1": 1, "k2": 0, "k3": 1, "k4": 1, "k5": 0, "k6": 1, "k7": 0}
    knowledge = definition(
        [{**choice(key_id, correct=key), "options": options(0, 1, 9, missing=(9,))} for key_id, key in keys.items()],
        scales=[
            scale(
                "prorated",
                list(keys),
                [0, 100],
                method="percent_correct",
                missing={"max_missing": 3, "rule": "prorate"},
                bands=[band("half", 50), band("fail", 57.15), band("pass")],
            ),
            scale(
                "zero", list(keys)[:3], [0, 100], method="percent_correct", missing={"max_missing": 2, "rule": "zero"}
            ),
        ],
    )
    return [parse_definition(mixed), parse_definition(knowledge)]


@pytest.mark.parametrize("parsed", features_no_shipped_scale_uses(), ids=["mixed", "knowledge"])
def test_bulk_scores_equal_the_engine_on_rules_no_shipped_scale_uses(parsed):
    answer_sets = edge_answer_sets(parsed, seed=3) + random_answer_sets(parsed, count=3000, seed=4)
    assert_same_as_engine(parsed, answer_sets)


def assert_item_points_as_engine(parsed: InstrumentDefinition, answer_sets: list[dict[str, Any]]) -> None:
    for scale_def in parsed.scales:
        answers = np.array(
            [
                [np.nan if row.get(item_id) is None else row[item_id] for item_id in scale_def.items]
                for row in answer_sets
            ]
        ).reshape(len(answer_sets), len(scale_def.items))
        points = item_points_many(parsed, scale_def, answers)
        expected = [item_points(parsed, scale_def, row) for row in answer_sets]
        assert [[None if np.isnan(value) else value for value in row] for row in points.tolist()] == expected


@pytest.mark.parametrize("name", SHIPPED)
def test_item_points_equal_the_engines_on_every_shipped_instrument(name):
    parsed = shipped(name)
    assert_item_points_as_engine(parsed, edge_answer_sets(parsed, seed=5) + random_answer_sets(parsed, 500, seed=6))


@pytest.mark.parametrize("parsed", features_no_shipped_scale_uses(), ids=["mixed", "knowledge"])
def test_item_points_equal_the_engines_on_rules_no_shipped_scale_uses(parsed):
    assert_item_points_as_engine(parsed, edge_answer_sets(parsed, seed=7) + random_answer_sets(parsed, 500, seed=8))


# -- what it refuses


def test_a_scale_with_decimal_items_is_left_to_the_engine():
    parsed = parse_definition(definition([item("w", "decimal", min=0, max=1)], scales=[scale("s", ["w"], [0, 1])]))
    with pytest.raises(UnsupportedScale, match="decimal items"):
        score_many(parsed, np.array([[0.5]]))


def test_scores_too_large_for_float64_are_left_to_the_engine():
    # 2**53 + 1 is the first whole number float64 cannot hold; the engine, in fractions, still scores it
    data = definition([item("n", "integer", min=0, max=2**60)], scales=[scale("s", ["n"], [0, 2**60])])
    parsed = parse_definition(data)
    assert score(parsed, {"n": 2**53 + 1}).scales["s"].value == 2.0**53
    with pytest.raises(UnsupportedScale, match="too large"):
        score_many(parsed, np.array([[2.0**53]]))


def test_a_matrix_with_other_columns_is_refused():
    parsed = shipped("who5-1.0.yaml")
    with pytest.raises(ValueError, match="expected a matrix with 5 columns"):
        score_many(parsed, np.zeros((3, 4)))


def test_no_rows_give_empty_scores():
    scores = score_many(shipped("who5-1.0.yaml"), np.zeros((0, 5)))
    assert scores["percent"].values.shape == (0,)
    assert scores["percent"].bands == []
