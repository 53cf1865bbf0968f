"""The document model of a worked solution: a title and a list of blocks, format-neutral.

A block is a Heading, a Paragraph, Bullets, a Grid (a small table) or Equations. Inline text is a
tuple of (kind, text) parts: kind "text" (prose, escaped by each renderer) or "math" (formula text,
typeset by mathtext.py). explain.py builds a Document; render_markdown.py, render_latex.py and
render_html.py write it out.
"""

from __future__ import annotations

import attrs

Inline = tuple[tuple[str, str], ...]


def T(text: str) -> tuple[str, str]:
    """An inline part of prose."""
    return ("text", text)


def M(text: str) -> tuple[str, str]:
    """An inline part of formula text."""
    return ("math", text)


@attrs.frozen
class Heading:
    level: int
    text: str


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


@attrs.frozen
class Equations:
    items: tuple[Equation, ...]


Block = Heading | Paragraph | Bullets | Grid | Equations


@attrs.frozen
class Document:
    title: str
    blocks: tuple[Block, ...]
