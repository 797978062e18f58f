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
from typing import TYPE_CHECKING

from surveyapp.scoring.disaggregation import MIN_CELL_SIZE, Cell, age_group, disaggregate
from surveyapp.scoring.paired import ChangeCategory

if TYPE_CHECKING:
    from surveyapp.scoring.indicators import Attendance, RespondentProfile

DIMENSIONS = ("sex", "age_group", "territory", "session")


@dataclass(frozen=True)
class PairUnit:
    respondent_code: str
    pre: float
    post: float
    category: ChangeCategory | None
    """The respondent's reliable-change category; None when the RCI could not be computed."""


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
    pairs: Sequence[PairUnit],
    profiles: Mapping[str, RespondentProfile],
    attendance: Mapping[str, Attendance],
    statistic: Callable[[Sequence[PairUnit]], float | None],
    *,
    with_age_group: bool,
    suppress_small: bool,
    min_cell_size: int = MIN_CELL_SIZE,
) -> tuple[Breakdown, ...]:
    """One breakdown per dimension (age group only when with_age_group, i.e. for children)."""
    def profile(unit: PairUnit):
        return profiles.get(unit.respondent_code)

    def attended(unit: PairUnit):
        return attendance.get(unit.respondent_code)

    keys: dict[str, Callable[[PairUnit], str | None]] = {
        "sex": lambda unit: getattr(profile(unit), "sex", None),
        "age_group": lambda unit: _age_group(profile(unit), attended(unit)),
        "territory": lambda unit: getattr(profile(unit), "territory", None),
        "session": lambda unit: getattr(attended(unit), "session", None),
    }
    dimensions = [dimension for dimension in DIMENSIONS if with_age_group or dimension != "age_group"]
    return tuple(
        Breakdown(
            dimension,
            release_cells(
                disaggregate(pairs, keys[dimension], statistic, suppress_small=suppress_small,
                             min_cell_size=min_cell_size),
                suppress_small=suppress_small,
                min_cell_size=min_cell_size,
            ),
        )
        for dimension in dimensions
    )


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
            key=cell.key,
            n=None if index in hidden else cell.n,
            value=None if index in hidden else cell.value,
            is_suppressed=index in hidden,
            is_small=cell.n < min_cell_size,
        )
        for index, cell in enumerate(cells)
    )


def _age_group(profile, attended) -> str | None:
    if profile is None or attended is None:
        return None
    return age_group(profile.birth_year, attended.year)
