"""Loss functions: per-output contribution E_oj, its derivative dE/dout_oj, and formula text.

E_total is the sum of the per-output contributions E_oj, so every loss is written as
E_total = Σ_j term(t_j, o_j, n) over the n outputs of one sample. "none" is no loss at all:
dE/dout_oj = 1, the gradients of the outputs themselves (micrograd's o.backward()); E is not
defined (its terms are kept as 0 so that the step runs, and never shown). Mean forms put the 1/n inside
each term. Averaging or summing over the samples of a batch is a training convention, not part
of the loss.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import attrs
import numpy as np

from ..errors import NeurosimError
from ..messages import say


@attrs.frozen
class Loss:
    """A loss written per output: E_oj = term(t, o, n), dE/dout_oj = derivative(t, o, n).

    `term_formula` and `derivative_formula` are templates over {t}, {o} and {n}.
    """

    name: str
    formula: str
    term_formula: str
    derivative_formula: str
    term: Callable = attrs.field(repr=False)
    derivative: Callable = attrs.field(repr=False)
    defined: bool = True  # False for "none": no loss, backpropagation from the outputs themselves

    def __str__(self) -> str:
        return self.name


def _ln(x):
    """Natural log that gives -inf/NaN instead of raising, so training can report where it broke."""
    if type(x) is float:
        return math.log(x) if x > 0 else (-math.inf if x == 0 else math.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log(x)


def _sign(x) -> float:
    return float(x > 0) - float(x < 0)


LOSSES: dict[str, Loss] = {
    l.name: l
    for l in (
        Loss("half_sse", "E_total = Σ ½(target - out)²", "½({t}-{o})²", "-({t}-{o})",
             lambda t, o, n: 0.5 * (t - o) * (t - o), lambda t, o, n: -(t - o)),
        Loss("sse", "E_total = Σ (target - out)²", "({t}-{o})²", "-2({t}-{o})",
             lambda t, o, n: (t - o) * (t - o), lambda t, o, n: -2 * (t - o)),
        Loss("mse", "E_total = (1/n) Σ (target - out)²", "({t}-{o})²/{n}", "-2({t}-{o})/{n}",
             lambda t, o, n: (t - o) * (t - o) / n, lambda t, o, n: -2 * (t - o) / n),
        Loss("mae", "E_total = (1/n) Σ |target - out|", "|{t}-{o}|/{n}", "sign({o}-{t})/{n}",
             lambda t, o, n: abs(t - o) / n, lambda t, o, n: _sign(o - t) / n),
        Loss("bce", "E_total = -(1/n) Σ [t·ln(out) + (1-t)·ln(1-out)]",
             "-({t}·ln({o}) + (1-{t})·ln(1-{o}))/{n}", "({o}-{t})/({o}·(1-{o})·{n})",
             lambda t, o, n: -(t * _ln(o) + (1 - t) * _ln(1 - o)) / n,
             lambda t, o, n: (o - t) / (o * (1 - o) * n)),
        Loss("cce", "E_total = -Σ t·ln(out)", "-{t}·ln({o})", "-{t}/{o}",
             lambda t, o, n: -(t * _ln(o)) if t else 0.0 * o, lambda t, o, n: -t / o),
        # micrograd's o.backward(), CS231n's circuits: the gradients of the outputs themselves
        Loss("none", "no loss: dE/dout = 1 at every output (backpropagation from the outputs themselves)",
             "—", "1", lambda t, o, n: 0.0 * o, lambda t, o, n: 1.0 + 0.0 * o, defined=False),
    )
}


def get_loss(name: str | Loss) -> Loss:
    """Look a loss up by name (a Loss is returned as is); an unknown name is a user error that
    lists the known ones."""
    if isinstance(name, Loss):
        return name
    try:
        return LOSSES[name]
    except (KeyError, TypeError):
        raise NeurosimError(say("loss: unknown name '{name}' (choose from {choices})", name=name,
                                choices=", ".join(LOSSES))) from None
