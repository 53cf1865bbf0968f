"""The records a traced step keeps when only some quantities are needed (`Wanted`)."""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from .notation.quantity import parse


@attrs.frozen
class Wanted:
    """The records a traced step keeps when only some quantities are needed (the diagnosis asks
    for the values a student wrote): the forward and backward records of `neurons`, the gradient
    parts and updates of `parameters`. The errors, E_total and the values after the update are
    always kept; every value is computed as in a full trace, only the records are left out."""

    neurons: frozenset[str]
    parameters: frozenset[str]

    @classmethod
    def of(cls, names: Iterable[str]) -> Wanted:
        """What the quantities `names` (neurosim's names: net_h1, dE/dw5, dE_o1/dout_h1 …) need."""
        neurons, parameters = set(), set()
        for name in names:
            q = parse(name)
            if q is None:
                continue
            target = parameters if q.kind in ("param", "gradient", "change", "dnet_dp", "rule_state") else neurons
            target.add(q.subject)
            if q.kind == "contribution":
                neurons.add(q.other)
        return cls(frozenset(neurons), frozenset(parameters))
