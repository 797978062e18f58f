"""What changed between two versions of an instrument, entry by entry (items, scales, flags) and field by field."""

from dataclasses import dataclass, field

KEYED_LISTS = ("items", "scales", "flags", "sections")


@dataclass(frozen=True)
class EntryChange:
    kind: str  # items / scales / flags / sections
    id: str
    status: str  # added / removed / changed
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class VersionComparison:
    changed_fields: tuple[str, ...]
    entries: tuple[EntryChange, ...] = field(default_factory=tuple)

    @property
    def is_identical(self) -> bool:
        return not self.changed_fields and not self.entries


def compare_versions(old: dict, new: dict) -> VersionComparison:
    """Top-level fields that differ (besides the keyed lists and the version number), then each entry of the
    keyed lists that was added, removed or changed - with the names of its changed fields."""
    top = sorted(key for key in (old.keys() | new.keys()) - {"version", *KEYED_LISTS} if old.get(key) != new.get(key))
    entries = [change for kind in KEYED_LISTS for change in _entry_changes(kind, old.get(kind, []), new.get(kind, []))]
    return VersionComparison(tuple(top), tuple(entries))


def _entry_changes(kind: str, old: list[dict], new: list[dict]) -> list[EntryChange]:
    old_by_id, new_by_id = {e["id"]: e for e in old}, {e["id"]: e for e in new}
    changes = [EntryChange(kind, entry_id, "removed") for entry_id in old_by_id if entry_id not in new_by_id]
    for entry_id, entry in new_by_id.items():
        before = old_by_id.get(entry_id)
        if before is None:
            changes.append(EntryChange(kind, entry_id, "added"))
        elif before != entry:
            fields = sorted(key for key in before.keys() | entry.keys() if before.get(key) != entry.get(key))
            changes.append(EntryChange(kind, entry_id, "changed", tuple(fields)))
    return changes
