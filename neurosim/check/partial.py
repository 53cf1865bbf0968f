"""Whole-exercise candidates for part of the values (stage 5 of the diagnosis, with catalog.py): an
entry of the catalog alone that makes some of the wrong values right and none of the right ones
wrong explains those — a convention the student followed in part of the exercise. Each such match
is weighed as local.py weighs a slip: the chance that some entry would match random wrong values
as far off, multiplied over the values it explains. Nothing here prints.
"""

from __future__ import annotations

import attrs

from .local import STRONG_CHANCE, STRONG_DIGITS, chance_of, significant_digits
from .mistakes import Mistake
from .verdict import agrees


@attrs.frozen
class PartialMatch:
    """One entry that makes the wrong values `explained` (indexes of the user's values) right and
    no right value wrong; `chance` weighs it as local.py weighs a slip (strong: unlikely by chance)."""

    mistake: Mistake
    explained: tuple[int, ...]
    values: tuple[tuple[str, float], ...]
    chance: float
    digits: int

    @property
    def strong(self) -> bool:
        return self.digits >= STRONG_DIGITS and self.chance <= STRONG_CHANCE


def partial_matches(search, singles: list[tuple[Mistake, list[float | None] | None]]) -> tuple[PartialMatch, ...]:
    """The single entries (with the values each gives, catalog.py's runs; `search` holds what was
    written and the exercise's own values) that make some wrong values right and no right one wrong."""
    at_wrong = {i: [] for i in search.wrong}
    for _, values in singles:
        for i in search.wrong:
            if values is not None and values[i] is not None:
                at_wrong[i].append(values[i])
    matches = []
    for mistake, values in singles:
        if values is None:
            continue
        right = [None if v is None else agrees(w, v) for w, v in zip(search.written, values)]
        explained = tuple(i for i in search.wrong if right[i])
        broken = any(ok is False for i, ok in enumerate(right) if i not in search.wrong)
        if not explained or broken or len(explained) == len(search.wrong):
            continue
        chance = 1.0
        for i in explained:
            written = search.written[i]
            chance *= chance_of(at_wrong[i], float(written.value), search.baseline[i], 0.5 * 10.0 ** written.exponent)
        digits = max(significant_digits(search.written[i]) for i in explained)
        matches.append(PartialMatch(mistake, explained, tuple((search.expected[i].quantity, values[i])
                                                              for i in explained), chance, digits))
    return tuple(sorted(matches, key=lambda m: (-len(m.explained), m.mistake.cost, m.chance)))
