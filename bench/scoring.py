"""Time the bulk scorer on 1,000,000 responses x 20 items against a plain NumPy floor of the same arithmetic.

    .venv/bin/python bench/scoring.py                  # defaults: --rows 1000000 --repeat 7

The instrument is synthetic (no shipped one has 20 items in a scale): 20 choice items coded 0-3, 8 of them
reverse-keyed, one sum scale with at most 2 items missing prorated, bands "low" (max 14.9) and "not_low" - the
RSES rules on 20 items. About 3% of the answers are missing. The floor is the same arithmetic written for this
one scale by hand (no definition, no general rules), on the whole matrix at once ("floor") and over the same
blocks of 16,384 rows that `score_many` uses ("floor in blocks", the tighter of the two); the scorer is
`score_many` reading the definition. Runs alternate (scorer, floor, floor in blocks, scorer, ...) so that noise
from other work on the machine hits all three; each figure is the median and the minimum of --repeat runs, and
the ratios are of paired runs. The answer matrix is built once, outside the timings. Before timing, the script
checks that all three give the same values and bands. For scale, the first --engine-rows rows are also scored
one submission at a time by `engine.score` (once, not interleaved), which checks they agree too.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time

import numpy as np

from surveyapp.definitions.documents import InstrumentDefinition, parse_definition
from surveyapp.scoring.bulk import score_many
from surveyapp.scoring.engine import score

N_ITEMS = 20
REVERSED = (1, 4, 5, 7, 8, 11, 14, 17)
LOW_MAX = 14.9


def synthetic_definition() -> InstrumentDefinition:
    text = {"en": "text", "ru": "text"}
    options = [{"value": value, "label": text} for value in (0, 1, 2, 3)]
    items = [
        {"id": f"q{index:02d}", "type": "choice", "text": text, "options": options, "reverse": index in REVERSED}
        for index in range(N_ITEMS)
    ]
    scale = {
        "id": "total",
        "label": text,
        "items": [item["id"] for item in items],
        "method": "sum",
        "range": [0, 3 * N_ITEMS],
        "missing": {"max_missing": 2, "rule": "prorate"},
        "bands": [{"code": "low", "max": LOW_MAX, "label": text}, {"code": "not_low", "label": text}],
    }
    return parse_definition(
        {
            "id": "bench",
            "version": "1.0",
            "respondent_kind": "child",
            "title": text,
            "languages": ["en", "ru"],
            "source": "synthetic",
            "licence": "none",
            "translation_status": {"en": "original", "ru": "draft"},
            "items": items,
            "scales": [scale],
        }
    )


def answers(rows: int, seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    matrix = rng.integers(0, 4, size=(rows, N_ITEMS)).astype(np.float64)
    matrix[rng.random((rows, N_ITEMS)) < 0.03] = np.nan
    return matrix


def floor(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The same scores, hand-written for this scale: reverse keys, count answered, sum, prorate, band."""
    sign = np.ones(N_ITEMS)
    offset = np.zeros(N_ITEMS)
    sign[list(REVERSED)] = -1
    offset[list(REVERSED)] = 3
    points = matrix * sign + offset
    missing = np.isnan(points)
    points[missing] = 0
    n_answered = N_ITEMS - missing.sum(axis=1)
    total = points.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        values = np.where(n_answered < N_ITEMS, total * N_ITEMS / n_answered, total)
    values[N_ITEMS - n_answered > 2] = np.nan
    bands = np.where(np.isnan(values), -1, np.where(values <= LOW_MAX, 0, 1)).astype(np.int8)
    return values, bands


def floor_in_blocks(matrix: np.ndarray, block_rows: int = 16_384) -> tuple[np.ndarray, np.ndarray]:
    """The floor run over blocks of rows, as `score_many` does, so that its temporaries stay in cache."""
    parts = [floor(matrix[start : start + block_rows]) for start in range(0, len(matrix), block_rows)]
    return np.concatenate([values for values, _ in parts]), np.concatenate([bands for _, bands in parts])


def time_engine(definition: InstrumentDefinition, matrix: np.ndarray, expected: np.ndarray) -> float:
    """Seconds for `engine.score` on each row, one submission at a time (after checking it agrees)."""
    item_ids = [item.id for item in definition.items]
    answer_sets = [
        {item_id: int(value) for item_id, value in zip(item_ids, row.tolist(), strict=True) if value == value}
        for row in matrix
    ]
    started = time.perf_counter()
    values = [score(definition, answers).scales["total"].value for answers in answer_sets]
    seconds = time.perf_counter() - started
    np.testing.assert_array_equal(np.array(values, dtype=np.float64), expected)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--engine-rows", type=int, default=20_000, help="rows also scored one by one by the engine")
    args = parser.parse_args()

    definition = synthetic_definition()
    matrix = answers(args.rows)
    scores = score_many(definition, matrix)["total"]
    for floor_values, floor_bands in (floor(matrix), floor_in_blocks(matrix)):
        np.testing.assert_array_equal(scores.values, floor_values)
        np.testing.assert_array_equal(scores.band_index, floor_bands)

    engine_seconds = time_engine(definition, matrix[: args.engine_rows], scores.values[: args.engine_rows])

    runs = {
        "score_many": lambda: score_many(definition, matrix),
        "floor": lambda: floor(matrix),
        "floor in blocks": lambda: floor_in_blocks(matrix),
    }
    timings: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(args.repeat):
        for name, run in runs.items():
            started = time.perf_counter()
            run()
            timings[name].append(time.perf_counter() - started)

    print(
        f"{args.rows:,} responses x {N_ITEMS} items, {args.repeat} interleaved runs each; "
        f"NumPy {np.__version__}, Python {platform.python_version()}"
    )
    for name, seconds in timings.items():
        print(f"{name:>15}: median {statistics.median(seconds):.3f} s, min {min(seconds):.3f} s")
    if args.engine_rows:
        per_response = engine_seconds / args.engine_rows
        print(
            f"engine.score, one at a time: {per_response * 1e6:.0f} us per response on {args.engine_rows:,} rows "
            f"({per_response * args.rows:.0f} s for {args.rows:,} at that rate)"
        )
    for floor_name in ("floor", "floor in blocks"):
        ratios = [bulk / plain for bulk, plain in zip(timings["score_many"], timings[floor_name], strict=True)]
        print(
            f"score_many / {floor_name}: median {statistics.median(ratios):.2f} (paired runs: "
            f"{', '.join(f'{ratio:.2f}' for ratio in ratios)})"
        )


if __name__ == "__main__":
    main()
