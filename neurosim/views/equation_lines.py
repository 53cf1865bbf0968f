"""Long equations over several lines: a formula wider than WRAP (see `width`) is cut at its
top-level ' + ', and each side of `lhs = formula = numbers = value` goes on its own line(s).

Used by the LaTeX `aligned` environments of the Markdown and LaTeX worked solutions.
"""

from __future__ import annotations

import re

from .document import Equation

WRAP = 72  # a formula wider than this (see width) is written over several lines

_DERIVATIVE = re.compile(r"d(E|out|net)\w*/d\w+")


def split_terms(text: str) -> list[str]:
    """'a + b + (c + d)' → ['a', '+ b', '+ (c + d)']: cut before each top-level ' + '."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(text):
        char = text[i]
        depth += char == "("
        depth -= char == ")"
        if depth == 0 and text.startswith(" + ", i) and i > start:
            parts.append(text[start:i])
            start = i + 1
            i += 3
            continue
        i += 1
    parts.append(text[start:])
    return parts


def width(text: str) -> int:
    """Roughly how wide a formula is once typeset: a fraction dE/dout_o1 is about as wide as its
    longer half, subscripts are narrow."""
    return len(_DERIVATIVE.sub("dnet_xx_x", text).replace("_", ""))


def _chunk(side: str) -> list[str]:
    """A long side cut into lines at top-level ' + ' (a short one stays one line)."""
    if width(side) <= WRAP:
        return [side]
    lines, chunk = [], ""
    for term in split_terms(side):
        if chunk and width(chunk) + width(term) > WRAP:
            lines.append(chunk)
            chunk = ""
        chunk = f"{chunk} {term}" if chunk else term
    lines.append(chunk)
    return lines


def equation_lines(equation: Equation) -> list[tuple[bool, str]]:
    """The right-hand side as (starts a new side, text) lines: one line when the equation is short,
    else each side (formula, numbers, value) on its own line(s)."""
    sides = list(equation.sides())
    if width(" = ".join([equation.lhs, *sides])) <= WRAP:
        return [(True, " = ".join(sides))]
    return [(k == 0, chunk) for side in sides for k, chunk in enumerate(_chunk(side))]
