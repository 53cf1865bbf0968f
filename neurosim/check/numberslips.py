"""The slips of a written number itself (the local search, local.py, tries them at each root): two
adjacent digits transposed (0.0297 for 0.0279), or the value of a neighbouring line copied.
Each found slip is a tuple (kind, sentence, args, expr, value, site, reading, cost), as local.py
makes them. Nothing here prints."""

from __future__ import annotations

import math

from ..core.formulas import StepFormulas
from ..core.written import Written
from ..messages import N_
from .follow import StudentValues
from .verdict import agrees

NEIGHBOUR_LINES = 3  # a value copied from up to this many lines before or after


def number_slips(graph: StepFormulas, student: StudentValues, key: tuple[int, str], written: Written, right: float,
                 values: list[float]) -> list[tuple]:
    """Two adjacent digits transposed, or a neighbouring line's value copied (`values` gains the
    values tried, for the chance)."""
    found = []
    for swapped in transpositions(written.text):
        value = float(swapped)
        # the student meant `right` and wrote its digits swapped: weighed as a value they might write
        values.append(right + (float(written.value) - value))
        if agrees(swapped, right):
            found.append(("transposed", N_("two digits transposed: {meant} written as {written}"),
                          (("meant", swapped), ("written", written.text)), None, right, key, "exact", 1))
    for other in copied_candidates(graph, key):
        if key in student.sources(other):
            continue  # computed from the root itself
        value = student.value(other)
        if value is None or not math.isfinite(value):
            continue
        values.append(value)
        if agrees(written, value) and not agrees(written, right):
            label = other[1] if other[0] == key[0] else f"{other[1]}@{other[0]}"
            found.append(("copied", N_("the value of {other} copied"), (("other", label),), None, value, key, "exact",
                          1))
    return found


def transpositions(text: str) -> list[str]:
    """The text with two adjacent digits swapped, each distinct way (the mantissa only)."""
    mantissa, e, exponent = text.lower().partition("e")
    positions = [i for i, c in enumerate(mantissa) if c.isdigit()]
    results = []
    for a, b in zip(positions, positions[1:]):
        if b == a + 1 and mantissa[a] != mantissa[b]:
            chars = list(mantissa)
            chars[a], chars[b] = chars[b], chars[a]
            candidate = "".join(chars) + (e + exponent if e else "")
            if candidate not in results:
                results.append(candidate)
    return results


def copied_candidates(graph: StepFormulas, key: tuple[int, str]) -> list[tuple[int, str]]:
    """The quantities up to NEIGHBOUR_LINES lines before or after `key` in a person's order, of its step."""
    at = graph.line_index(key)
    if at is None:
        return []
    lines = graph.lines
    return [k for k in lines[max(0, at - NEIGHBOUR_LINES): at + NEIGHBOUR_LINES + 1] if k != key and k[0] == key[0]]
