"""
Rank planning for a ranked list, independent of forms and the database.

An editor edits a list as a whole: some entries keep their rank, some are
given a new rank (moved), some are new (inserted at a rank, or added at the
end when no rank is given). `plan_ranks` turns that into the final ranks
1…N, or refuses with messages that name the entries involved.
"""

from dataclasses import dataclass
from typing import Hashable

from django.core.exceptions import ValidationError


@dataclass(frozen=True)
class RankRequest:
    key: Hashable
    label: str
    current: int | None  # None for an entry that is not saved yet
    requested: int | None  # None: keep the current rank, or add at the end


def plan_ranks(rows):
    """
    Return {key: final rank} for `rows` (RankRequest), ranks running 1…N.

    Entries given a rank they do not already hold are placed exactly there
    and the others close up around them, keeping their relative order, the
    way inserting a row into a numbered list works on paper. Two entries
    asking for the same rank, or a rank past the end of the list, are refused.
    """
    rows = list(rows)
    total = len(rows)
    errors = []

    placed = [r for r in rows if r.requested is not None and r.requested != r.current]
    staying = sorted(
        (r for r in rows if r.current is not None and r not in placed), key=lambda r: r.current
    )
    appended = [r for r in rows if r.current is None and r.requested is None]

    by_rank = {}
    for row in placed:
        by_rank.setdefault(row.requested, []).append(row)
    for rank, group in sorted(by_rank.items()):
        if rank < 1:
            errors.append(f"“{group[0].label}” has rank {rank}; ranks start at 1.")
        elif len(group) > 1:
            names = _join([f"“{r.label}”" for r in group])
            errors.append(f"Rank {rank} is given to both {names}. Give each entry its own rank.")
        elif rank > total:
            errors.append(
                f"Rank {rank} for “{group[0].label}” would leave a gap: the list has "
                f"{total} {'entry' if total == 1 else 'entries'}, so ranks run from 1 to {total}."
            )
    if errors:
        raise ValidationError(errors)

    order = staying + appended
    for row in sorted(placed, key=lambda r: r.requested):
        order.insert(row.requested - 1, row)
    return {row.key: position for position, row in enumerate(order, start=1)}


def _join(items):
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
