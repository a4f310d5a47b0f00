"""
The rules of a ranked list, and the messages editors read when one is broken:
one rank per entry, one entry per film, ranks from 1 with no gaps.

Everything that edits or reads a list asks here: the admin formset and the
services (through `plan_ranks` and `film_repeats`), the importer (a text's
numbers through `ranks_held` and `missing_ranks`), and the editorial checks.
Each place adds only what it knows, such as the line of a pasted text.
Independent of forms and the database.
"""

from collections.abc import Hashable
from dataclasses import dataclass

from django.core.exceptions import ValidationError

ONE_FILM_ONCE = "A film can appear only once."
OWN_RANK = "Give each entry its own rank."


@dataclass(frozen=True)
class RankRequest:
    key: Hashable
    label: str
    current: int | None  # None for an entry that is not saved yet
    requested: int | None  # None: keep the current rank, or add at the end


def plan_ranks(rows):
    """
    Return {key: final rank} for `rows` (RankRequest), ranks running 1…N.

    An editor edits a list as a whole: some entries keep their rank, some are
    given a new rank (moved), some are new (inserted at a rank, or added at
    the end when no rank is given). Entries given a rank they do not already
    hold are placed exactly there and the others close up around them,
    keeping their relative order, the way inserting a row into a numbered
    list works on paper. Two entries asking for the same rank, or a rank
    past the end of the list, are refused by name.
    """
    rows = list(rows)
    total = len(rows)
    errors = []

    placed = [r for r in rows if r.requested is not None and r.requested != r.current]
    staying = sorted((r for r in rows if r.current is not None and r not in placed), key=lambda r: r.current)
    appended = [r for r in rows if r.current is None and r.requested is None]

    for rank, group in ranks_held(placed, rank=lambda r: r.requested):
        if rank < 1:
            errors.append(rank_below_one(rank, label=group[0].label))
        elif len(group) > 1:
            errors.append(rank_shared(rank, [r.label for r in group]))
        elif rank > total:
            errors.append(rank_past_the_end(rank, group[0].label, total=total))
    if errors:
        raise ValidationError(errors)

    order = staying + appended
    for row in sorted(placed, key=lambda r: r.requested):
        order.insert(row.requested - 1, row)
    return {row.key: position for position, row in enumerate(order, start=1)}


def ranks_held(items, *, rank):
    """(rank, the items holding it) for each rank `rank(item)` gives, lowest first."""
    by_rank = {}
    for item in items:
        by_rank.setdefault(rank(item), []).append(item)
    return sorted(by_rank.items())


def missing_ranks(ranks):
    """The ranks from 1 up to the highest of `ranks` that nothing holds."""
    held = set(ranks)
    return [r for r in range(1, max(held, default=0) + 1) if r not in held]


def film_repeats(items, *, films):
    """
    (first, repeat) for each of `items` whose film an earlier item already
    has, in the order of the repeats. `films(item)` names the item's film by
    one or more keys (its pk, or the title keys of a film not saved yet):
    two items sharing any key are the same film.
    """
    first_by_key, repeats = {}, []
    for item in items:
        keys = films(item)
        first = next((first_by_key[k] for k in keys if k in first_by_key), None)
        if first is not None:
            repeats.append((first, item))
        for k in keys:
            first_by_key.setdefault(k, item)
    return repeats


# --- The messages -------------------------------------------------------------


def rank_shared(rank, labels, *, lines=()):
    names = _join([f"“{label}”" for label in labels])
    message = f"rank {rank} is given to both {names}. {OWN_RANK}"
    if lines:
        return f"Lines {_join([str(line) for line in lines])}: {message}"
    return message[0].upper() + message[1:]


def rank_below_one(rank, *, label=None, line=None):
    if line is not None:
        return f"Line {line}: ranks start at 1, not {rank}."
    return f"“{label}” has rank {rank}; ranks start at 1."


def rank_past_the_end(rank, label, *, total):
    return (
        f"Rank {rank} for “{label}” would leave a gap: the list has "
        f"{total} {'entry' if total == 1 else 'entries'}, so ranks run from 1 to {total}."
    )


def ranks_missing(gaps, *, in_text=False):
    """“Rank 2 is missing.”; for a pasted text, where the numbering jumps over it."""
    if len(gaps) == 1:
        said, them = f"Rank {gaps[0]} is missing", "it"
    else:
        said, them = f"Ranks {_join([str(r) for r in gaps])} are missing", "them"
    return f"{said}: the list jumps over {them}." if in_text else f"{said}."


def film_already_listed(title, *, rank):
    return f"“{title}” is already in this list at #{rank}. {ONE_FILM_ONCE}"


def film_listed_times(title, *, ranks):
    return f"“{title}” is in this list {len(ranks)} times (ranks {', '.join(ranks)}). {ONE_FILM_ONCE}"


def film_same_as(*, line, title, rank, first_title, first_rank):
    return f"Line {line}: “{title}” (#{rank}) is the same film as #{first_rank} “{first_title}”. {ONE_FILM_ONCE}"


def _join(items):
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
