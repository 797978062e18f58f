"""Pairing each child's scale scores across survey waves.

A score is identified by respondent code + instrument id + scale id + wave. Pairing by the anonymous
respondent code is what makes paired tests (t, Wilcoxon, RCI, McNemar) possible; children seen at only
one wave are counted, not silently dropped.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

WAVES = ("baseline", "post", "follow_up")


@dataclass(frozen=True)
class ScoreRecord:
    respondent_code: str
    instrument_id: str
    scale_id: str
    wave: str
    """One of WAVES."""
    value: float | None
    """None when the scale could not be scored (e.g. too many missing items); treated as absent."""


@dataclass(frozen=True)
class MatchedPair:
    respondent_code: str
    pre: float
    post: float


@dataclass(frozen=True)
class ScaleMatch:
    """Pairs for one instrument scale between two waves (normally baseline -> post)."""

    instrument_id: str
    scale_id: str
    pre_wave: str
    post_wave: str
    pairs: tuple[MatchedPair, ...]
    pre_only_codes: tuple[str, ...]
    """Scored at pre_wave only: lost to attrition."""
    post_only_codes: tuple[str, ...]
    """Scored at post_wave only: no baseline to compare with."""

    @property
    def n_matched(self) -> int:
        return len(self.pairs)

    @property
    def n_pre_only(self) -> int:
        return len(self.pre_only_codes)

    @property
    def n_post_only(self) -> int:
        return len(self.post_only_codes)

    @property
    def pre_values(self) -> np.ndarray:
        return np.array([pair.pre for pair in self.pairs], dtype=float)

    @property
    def post_values(self) -> np.ndarray:
        return np.array([pair.post for pair in self.pairs], dtype=float)


ScaleKey = tuple[str, str]
"""(instrument_id, scale_id)"""


def index_scores(records: Iterable[ScoreRecord]) -> dict[tuple[str, str, str], dict[str, float]]:
    """(instrument_id, scale_id, wave) -> {respondent_code: value}, skipping unscored (None) records.

    Raises ValueError on an unknown wave or on two records for the same code, scale and wave: which one
    counts is a data-cleaning decision, not something to guess here.
    """
    index: dict[tuple[str, str, str], dict[str, float]] = defaultdict(dict)
    seen: set[tuple[str, str, str, str]] = set()
    for record in records:
        if record.wave not in WAVES:
            raise ValueError(f"unknown wave {record.wave!r}; expected one of {WAVES}")
        identity = (record.respondent_code, record.instrument_id, record.scale_id, record.wave)
        if identity in seen:
            raise ValueError(f"duplicate score for respondent/instrument/scale/wave {identity}")
        seen.add(identity)
        if record.value is not None:
            index[(record.instrument_id, record.scale_id, record.wave)][record.respondent_code] = record.value
    return dict(index)


def match_waves(
    records: Iterable[ScoreRecord], pre_wave: str = "baseline", post_wave: str = "post"
) -> dict[ScaleKey, ScaleMatch]:
    """Pair pre_wave and post_wave scores by respondent code, per instrument scale (sorted by key)."""
    for wave in (pre_wave, post_wave):
        if wave not in WAVES:
            raise ValueError(f"unknown wave {wave!r}; expected one of {WAVES}")
    index = index_scores(records)
    scale_keys = sorted({(instrument, scale) for instrument, scale, _ in index})
    return {
        (instrument, scale): _match_scale(
            instrument,
            scale,
            pre_wave,
            post_wave,
            index.get((instrument, scale, pre_wave), {}),
            index.get((instrument, scale, post_wave), {}),
        )
        for instrument, scale in scale_keys
    }


def match_codes(pre_codes: np.ndarray, post_codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions in `pre_codes` and in `post_codes` of the respondents scored at both waves, in code order as
    `match_waves` pairs them. For large data: each array holds one wave's codes, each code once."""
    _, pre_index, post_index = np.intersect1d(pre_codes, post_codes, assume_unique=True, return_indices=True)
    return pre_index, post_index


def _match_scale(
    instrument_id: str,
    scale_id: str,
    pre_wave: str,
    post_wave: str,
    pre: dict[str, float],
    post: dict[str, float],
) -> ScaleMatch:
    matched_codes = sorted(pre.keys() & post.keys())
    return ScaleMatch(
        instrument_id=instrument_id,
        scale_id=scale_id,
        pre_wave=pre_wave,
        post_wave=post_wave,
        pairs=tuple(MatchedPair(code, pre[code], post[code]) for code in matched_codes),
        pre_only_codes=tuple(sorted(pre.keys() - post.keys())),
        post_only_codes=tuple(sorted(post.keys() - pre.keys())),
    )
