"""The document model of a worked solution: a title and a list of blocks, format-neutral.

A block is a Heading, a Paragraph, Bullets, a Grid (a small table), Equations, a Picture or an
AnswerTable (a table with blank cells to write in: question sheets, views/sheet.py). Inline text is a
tuple of (kind, text) parts: kind "text" (prose, escaped by each renderer) or "math" (formula text,
typeset by mathtext.py). explain.py builds a Document; render_markdown.py, render_latex.py and
render_html.py write it out.
"""

from __future__ import annotations

import re

import attrs

Inline = tuple[tuple[str, str], ...]


def T(text: str) -> tuple[str, str]:
    """An inline part of prose."""
    return ("text", text)


def M(text: str) -> tuple[str, str]:
    """An inline part of formula text."""
    return ("math", text)


def sentence(template: str, **formulas) -> Inline:
    """A whole sentence with formulas in it: each {name} of `template` becomes the formula
    `formulas[name]` (so a translation can move the formulas about), the rest prose; a slot given
    as an inline part (T(...)) or as inline text (several parts) is put in as it is.

        sentence("Update: {rule}.", rule="w+ = w - η·dE/dw")
    """
    parts = re.split(r"\{(\w+)\}", template)
    inline: list[tuple[str, str]] = []
    for k, part in enumerate(parts):
        slot = formulas[part] if k % 2 else T(part)
        if isinstance(slot, str):
            inline.append(M(slot))
        elif slot and isinstance(slot[0], tuple):  # an inline of several parts
            inline += slot
        else:
            inline.append(slot)
    return tuple(part for part in inline if part[1])


@attrs.frozen
class Heading:
    level: int
    text: str
    sample: int | None = None  # the sample of a batch step the section is about (views/notation_view.py)


@attrs.frozen
class Paragraph:
    parts: Inline


@attrs.frozen
class Bullets:
    items: tuple[Inline, ...]


@attrs.frozen
class Grid:
    """A small table; every cell is inline text."""

    headers: tuple[str, ...]
    rows: tuple[tuple[Inline, ...], ...]


@attrs.frozen
class Equation:
    """lhs = formula = numbers = value (formula or numbers may be empty when they add nothing)."""

    lhs: str
    formula: str
    numbers: str
    value: str
    note: str = ""

    def sides(self) -> tuple[str, ...]:
        """The right-hand sides worth writing, the value last: a side that only repeats the next one
        is left out (out_o1 = net_o1 = -0.89, not = (-0.89) = -0.89; dout/dnet = 1, not = 1 = 1)."""
        sides = [s for s in (self.formula, self.numbers) if s] + [self.value]
        return (*(s for s, nxt in zip(sides, sides[1:]) if s not in (nxt, f"({nxt})")), self.value)


@attrs.frozen
class Equations:
    items: tuple[Equation, ...]


@attrs.frozen
class Picture:
    """A picture: `file`, a file beside the document (Markdown and LaTeX refer to it), and `svg`, the
    picture itself (HTML puts it in the page); `alt` says in words what it shows."""

    alt: str
    file: str = ""
    svg: str = ""


@attrs.frozen
class AnswerTable:
    """A table to fill in by hand: one row per item, with a blank cell beside it."""

    headers: tuple[str, str]
    items: tuple[Inline, ...]


Block = Heading | Paragraph | Bullets | Grid | Equations | Picture | AnswerTable


@attrs.frozen
class Document:
    title: str
    blocks: tuple[Block, ...]
