"""Answer keys (`neurosim sheet --key`): the values a question sheet asks for (asked.py), then
the worked solution of each step they belong to — what `neurosim explain` writes — with its
headings one level down. When the sheet asks for a number of decimals, the answers are also
given rounded half-up to them, as a correct answer is written.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import attrs

from ..core.arithmetic import calculator_decimal
from ..core.exercise import Spec
from ..errors import NeurosimError
from ..messages import say
from .asked import asked_label, asked_quantities, asked_steps, traces_at
from .document import Block, Document, Grid, Heading, T
from .explain import RENDERERS, build_document
from .numbers import fmt
from .sheet import SHEET_FORMATS, in_notation, sheet_title


def answer_key(spec: Spec, fmt_name: str = "markdown") -> str:
    """The answer key of `spec` as Markdown, LaTeX or HTML text."""
    if fmt_name not in SHEET_FORMATS:
        raise NeurosimError(say("format: unknown '{name}' (choose from {names})", name=fmt_name,
                                names=", ".join(SHEET_FORMATS)))
    traces = traces_at(spec, asked_steps(spec))
    asked = asked_quantities(spec, traces)
    decimals = spec.sheet.decimals
    headers = (say("quantity"), say("answer"))
    if decimals is not None:
        headers += (say("to {decimals} decimals", decimals=decimals),)
    rows = []
    for a in asked:
        row = (asked_label(a, spec), (T(fmt(a.value)),))
        if decimals is not None:
            rounded = calculator_decimal(a.value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
            row += ((T(str(rounded)),),)
        rows.append(row)
    blocks: list[Block] = [Heading(2, say("Answers")), Grid(headers, tuple(rows))]  # named in the notation
    for step in sorted({1} | {a.step for a in asked}):  # the worked solutions, in the notation too
        worked = in_notation(build_document(spec, traces[step]), spec, traces[step])
        blocks.append(Heading(2, worked.title))
        blocks += [_demoted(block) for block in worked.blocks]
    return RENDERERS[fmt_name](Document(sheet_title(spec, key=True), tuple(blocks)))


def _demoted(block: Block) -> Block:
    """A heading one level down (the worked solution sits under its own heading)."""
    return attrs.evolve(block, level=block.level + 1) if isinstance(block, Heading) else block
