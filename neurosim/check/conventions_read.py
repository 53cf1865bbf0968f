"""Readings of the written values that are a convention, not a mistake (the diagnosis applies them
before follow-through, pipeline.py).

The sign of delta: many textbooks define δ = (target − out)·f'(net) = −dE/dnet (and update
w + η·δ·out); neurosim's delta is dE/dnet. A student who writes every delta with the other sign
— the contributions δ·w sent back and a hidden neuron's Σ_k δ_k·w_k with them — has followed that
convention, not made a mistake: those values are read with the other sign and said to be
"sign convention". It applies only when *every* delta written has the other sign (a single delta
of the other sign among right ones is a slip). Nothing here prints.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..core.notation.quantity import parse
from ..messages import N_

DELTA_SIGN = "delta-sign"
CONVENTIONS = {DELTA_SIGN: N_("sign convention: every delta written with the other sign (many textbooks write "
                              "δ = (target − out)·f'(net) = −dE/dnet)")}
_DELTAS = ("delta", "dE_dnet")
_WITH_DELTAS = ("contribution", "dE_dout")


def delta_sign_convention(rows: Sequence, names: Sequence[str], outputs: Sequence[str]) -> tuple[int, ...]:
    """The indexes of `rows` (judged CheckRows; `names` neurosim's names) written in the other sign
    of delta, when every delta written is (see the module docstring); () otherwise."""
    kinds = [parse(name) for name in names]
    deltas = [k for k, q in enumerate(kinds) if q is not None and q.kind in _DELTAS]
    if not deltas or not all(rows[k].verdict.how == "sign" for k in deltas):
        return ()
    others = [k for k, q in enumerate(kinds) if q is not None and q.kind in _WITH_DELTAS and q.subject not in outputs
              and rows[k].verdict.how == "sign"]
    return tuple(sorted(deltas + others))
