"""Breaking a statistic down by sex, age group, territorial administration, session, etc.

Small cells are suppressed: with n < 5 a value could identify a child and is too unstable to report.
Suppression here is per cell only; a report that also shows the total must make sure a single suppressed
cell cannot be recovered by subtraction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

MIN_CELL_SIZE = 5

AGE_GROUPS = ((10, 12, "10-12"), (13, 14, "13-14"), (15, 16, "15-16"))
"""(lowest age, highest age, label), inclusive."""

Item = TypeVar("Item")
Value = TypeVar("Value")


def age_in_survey_year(birth_year: int, survey_year: int) -> int:
    """Age reached during the survey year; a child whose birthday is still to come is one year younger."""
    return survey_year - birth_year


def age_group(birth_year: int | None, survey_year: int) -> str | None:
    """'10-12', '13-14' or '15-16'; None when the birth year is unknown or the age is outside 10-16."""
    if birth_year is None:
        return None
    age = age_in_survey_year(birth_year, survey_year)
    for lowest, highest, label in AGE_GROUPS:
        if lowest <= age <= highest:
            return label
    return None


@dataclass(frozen=True)
class Cell(Generic[Value]):
    key: Hashable | None
    """None collects the items whose key is unknown."""
    n: int
    value: Value | None
    """None when suppressed."""
    suppressed: bool


def disaggregate(
    items: Iterable[Item],
    key: Callable[[Item], Hashable | None],
    statistic: Callable[[Sequence[Item]], Value],
    *,
    suppress_small: bool = True,
    min_cell_size: int = MIN_CELL_SIZE,
) -> list[Cell[Value]]:
    """One cell per key value (sorted, None last): n items and statistic(items of the cell).

    With suppress_small, a cell with n < min_cell_size gets value None and suppressed=True; the statistic
    is then not computed at all.
    """
    groups: dict[Hashable | None, list[Item]] = defaultdict(list)
    for item in items:
        groups[key(item)].append(item)
    cells = []
    for group_key in sorted(groups, key=lambda value: (value is None, value)):
        members = groups[group_key]
        suppressed = suppress_small and len(members) < min_cell_size
        cells.append(
            Cell(
                key=group_key,
                n=len(members),
                value=None if suppressed else statistic(members),
                suppressed=suppressed,
            )
        )
    return cells
