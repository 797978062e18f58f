"""An indicator broken down by sex, age group, territorial administration and session, safe to release.

Primary suppression: a cell with fewer than min_cell_size respondents is hidden (disaggregation.disaggregate).
Complementary suppression: the indicator's total is published beside each breakdown, so a single hidden
cell could be recovered by subtraction (total n x total mean minus the other cells' n x mean). When exactly
one cell of a breakdown is hidden, the smallest other cell is hidden too; with two or more hidden cells only
their combined total can be derived. A hidden cell hides its n as well as its value, so that neither the
count nor the value of a small group can be read off.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import cast

import numpy as np

from surveyapp.scoring.disaggregation import MIN_CELL_SIZE, Cell

DIMENSIONS = ("sex", "age_group", "territory", "session")


@dataclass(frozen=True, eq=False)
class Pairs:
    """Matched respondents as arrays in the same order: codes, pre and post values, and the reliable-change
    category of each (None when the RCI could not be computed)."""

    codes: np.ndarray
    pre: np.ndarray
    post: np.ndarray
    categories: np.ndarray | None

    def __len__(self) -> int:
        return len(self.codes)

    def subset(self, selection: np.ndarray) -> Pairs:
        return Pairs(
            self.codes[selection],
            self.pre[selection],
            self.post[selection],
            None if self.categories is None else self.categories[selection],
        )


NO_PAIRS = Pairs(np.array([], dtype=str), np.array([]), np.array([]), None)


@dataclass(frozen=True, eq=False)
class Groups:
    """Each respondent's group on one dimension, as an index into `labels` (a label None: unknown)."""

    labels: tuple[str | None, ...]
    index: np.ndarray

    def take(self, positions: np.ndarray) -> Groups:
        return Groups(self.labels, self.index[positions])


@dataclass(frozen=True)
class BreakdownCell:
    key: str | None
    """None collects the respondents whose group is unknown (e.g. sex not given)."""
    n: int | None
    """None when the cell is suppressed."""
    value: float | None
    is_suppressed: bool
    is_small: bool
    """n below the minimum cell size (shown to staff who may see it, with a warning)."""


@dataclass(frozen=True)
class Breakdown:
    dimension: str
    """One of DIMENSIONS."""
    cells: tuple[BreakdownCell, ...]


def breakdowns_for(
    pairs: Pairs,
    groups: Mapping[str, Groups],
    statistic: Callable[[Pairs], float | None],
    *,
    with_age_group: bool,
    suppress_small: bool,
    min_cell_size: int = MIN_CELL_SIZE,
) -> tuple[Breakdown, ...]:
    """One breakdown per dimension (age group only when with_age_group, i.e. for children); `groups` gives each
    pair's group per dimension (a dimension not given: every group unknown)."""
    dimensions = [dimension for dimension in DIMENSIONS if with_age_group or dimension != "age_group"]
    unknown = Groups((None,), np.zeros(len(pairs), dtype=np.intp))
    return tuple(
        Breakdown(
            dimension,
            release_cells(
                _cells(
                    pairs,
                    groups.get(dimension, unknown),
                    statistic,
                    suppress_small=suppress_small,
                    min_cell_size=min_cell_size,
                ),
                suppress_small=suppress_small,
                min_cell_size=min_cell_size,
            ),
        )
        for dimension in dimensions
    )


def _cells(
    pairs: Pairs,
    groups: Groups,
    statistic: Callable[[Pairs], float | None],
    *,
    suppress_small: bool,
    min_cell_size: int,
) -> list[Cell]:
    """As disaggregation.disaggregate does it (one cell per group, sorted, unknown last; a suppressed cell's
    statistic not computed), on arrays. Labels that appear twice form one group."""
    members: dict[str | None, np.ndarray] = {}
    counts = np.bincount(groups.index, minlength=len(groups.labels))
    for position, label in enumerate(groups.labels):
        if counts[position]:
            selection = groups.index == position
            members[label] = members[label] | selection if label in members else selection
    cells = []
    for label in sorted(members, key=lambda value: (value is None, value)):
        n = int(np.count_nonzero(members[label]))
        suppressed = suppress_small and n < min_cell_size
        value = None if suppressed else statistic(pairs.subset(members[label]))
        cells.append(Cell(key=label, n=n, value=value, suppressed=suppressed))
    return cells


def release_cells(
    cells: Sequence[Cell], *, suppress_small: bool, min_cell_size: int = MIN_CELL_SIZE
) -> tuple[BreakdownCell, ...]:
    """Cells as they may be released: with suppress_small, primary and complementary suppression applied."""
    hidden = {index for index, cell in enumerate(cells) if cell.suppressed}
    if suppress_small and len(hidden) == 1 and len(cells) > 1:
        visible = [index for index in range(len(cells)) if index not in hidden]
        hidden.add(min(visible, key=lambda index: (cells[index].n, index)))
    return tuple(
        BreakdownCell(
            key=cast(str | None, cell.key),  # the keys are the groups' labels
            n=None if index in hidden else cell.n,
            value=None if index in hidden else cell.value,
            is_suppressed=index in hidden,
            is_small=cell.n < min_cell_size,
        )
        for index, cell in enumerate(cells)
    )
