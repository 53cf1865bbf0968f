"""Output activations and losses whose chain-rule factors cancel: the output delta and the loss
written in their combined form, as the libraries compute them (PyTorch's BCEWithLogitsLoss and
CrossEntropyLoss, TensorFlow's *_with_logits).

sigmoid + bce:  delta_o = dE/dout·dout/dnet = (out-t)/(out·(1-out)·n) · out·(1-out) = (out - t)/n
                E_o = -(t·ln(out) + (1-t)·ln(1-out))/n = (softplus(net) - t·net)/n,
                softplus(x) = max(x, 0) + ln(1 + e^(-|x|))
softmax + cce:  delta_j = Σ_k dE/dout_k·dout_k/dnet_j = Σ_k (-t_k/out_k)·out_k·(δ_kj - out_j)
                        = out_j·Σ_k t_k - t_j            (out_j - t_j when the targets sum to 1)
                E_j = -t_j·ln(out_j) = t_j·(lse - net_j),  lse = m + ln Σ_k e^(net_k - m), m = max_k net_k

The factor form divides by out·(1-out) or by out, which is exactly 0 once an output saturates
(a sigmoid output rounds to 1.0 from net ≈ 37 on, a softmax probability underflows to 0): dE/dout
is then infinite while the delta is perfectly finite. The combined forms never divide by an
output, and the loss taken from net never takes ln(0). Every engine uses these functions (or
their array forms), so the engines keep agreeing.

A pair applies to the registered activation and loss themselves (get_activation, get_loss): a
wrapped activation or loss — a named mistake (check/mistakes.py) such as a left-out derivative —
keeps the factor form, which is what that mistake is about.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import attrs
import numpy as np

from ..messages import say
from .activations import ACTIVATIONS, Activation, _softplus_array, _softplus_scalar
from .arithmetic import ERROR, exact
from .losses import LOSSES, Loss


@attrs.frozen
class CombinedOutput:
    """An output activation and a loss computed together.

    deltas(targets, outs, n) and terms(targets, nets, n) give one sample's output deltas and loss
    terms E_oj (lists, one per output); array_deltas(T, A) and array_terms(T, Z) the same for a
    matrix of samples, one per row (or a stack of them: the outputs are the last axis).
    delta_text(out, target, n, Σ targets, text of Σ targets) and term_text(net, target, n, text of
    lse) write the formulas, with names or with numbers.
    """

    activation: str
    loss: str
    delta_text: Callable = attrs.field(repr=False)
    term_text: Callable = attrs.field(repr=False)
    deltas: Callable = attrs.field(repr=False)
    terms: Callable = attrs.field(repr=False)
    array_deltas: Callable = attrs.field(repr=False)
    array_terms: Callable = attrs.field(repr=False)

    @property
    def label(self) -> str:
        return say("{activation} with {loss}", activation=self.activation, loss=self.loss)


def _sum(values) -> float:
    total = 0.0
    for v in values:
        total += v
    return total


# -- sigmoid + bce --------------------------------------------------------------------------------
def _sigmoid_bce_deltas(targets: Sequence[float], outs: Sequence[float], n: int) -> list[float]:
    """delta_o = (out - t)/n."""
    return [(o - t) / n for t, o in zip(targets, outs)]


def _sigmoid_bce_terms(targets: Sequence[float], nets: Sequence[float], n: int) -> list[float]:
    """E_o = (softplus(net) - t·net)/n."""
    return [(_softplus_scalar(z) - t * z) / n for t, z in zip(targets, nets)]


def _sigmoid_bce_array_deltas(T: np.ndarray, A: np.ndarray) -> np.ndarray:
    return (A - T) / A.shape[-1]


def _sigmoid_bce_array_terms(T: np.ndarray, Z: np.ndarray) -> np.ndarray:
    return (_softplus_array(Z) - T * Z) / Z.shape[-1]


# -- softmax + cce --------------------------------------------------------------------------------
def _softmax_cce_deltas(targets: Sequence[float], outs: Sequence[float], n: int) -> list[float]:
    """delta_j = out_j·Σ_k t_k - t_j (Σ_k t_k a running sum in output order)."""
    total = _sum(targets)
    return [o * total - t for t, o in zip(targets, outs)]


def log_sum_exp(nets: Sequence[float]) -> float:
    """lse = m + ln Σ_k e^(net_k - m), m = max_k net_k (a running sum in output order)."""
    m = max(nets)
    if not math.isfinite(m):
        return m
    return m + math.log(_sum(math.exp(z - m) for z in nets))


def _softmax_cce_terms(targets: Sequence[float], nets: Sequence[float], n: int) -> list[float]:
    """E_j = t_j·(lse - net_j)."""
    lse = log_sum_exp(nets)
    return [t * (lse - z) for t, z in zip(targets, nets)]


def _softmax_cce_array_deltas(T: np.ndarray, A: np.ndarray) -> np.ndarray:
    return A * T.sum(axis=-1, keepdims=True) - T


def _softmax_cce_array_terms(T: np.ndarray, Z: np.ndarray) -> np.ndarray:
    M = np.max(Z, axis=-1, keepdims=True)
    lse = M + np.log(np.sum(np.exp(Z - M), axis=-1, keepdims=True))
    return T * (lse - Z)


def _over_n(text: str, n: int) -> str:
    return text if n == 1 else f"({text})/{n}"


COMBINED: dict[tuple[str, str], CombinedOutput] = {
    (c.activation, c.loss): c
    for c in (
        CombinedOutput("sigmoid", "bce",
                       lambda o, t, n, total, total_text: _over_n(f"{o} - {t}", n),
                       lambda net, t, n, lse: _over_n(f"ln(1+e^{net}) - {t}·{net}", n),
                       _sigmoid_bce_deltas, _sigmoid_bce_terms, _sigmoid_bce_array_deltas,
                       _sigmoid_bce_array_terms),
        CombinedOutput("softmax", "cce",
                       lambda o, t, n, total, total_text: f"{o} - {t}" if total == 1 else f"{o}·{total_text} - {t}",
                       lambda net, t, n, lse: f"{t}·({lse} - {net})",
                       _softmax_cce_deltas, _softmax_cce_terms, _softmax_cce_array_deltas,
                       _softmax_cce_array_terms),
    )
}


def combined_output(activation: Activation | str | None, loss: Loss | str | None) -> CombinedOutput | None:
    """The combined form of this output activation and loss, or None (the factor form applies).
    Only the registered objects qualify: a wrapped activation or loss (a named mistake) does not."""
    if activation is None or loss is None:
        return None
    act = ACTIVATIONS.get(activation) if isinstance(activation, str) else activation
    los = LOSSES.get(loss) if isinstance(loss, str) else loss
    if act is None or los is None:
        return None
    pair = COMBINED.get((act.name, los.name))
    if pair is None or act is not ACTIVATIONS[pair.activation] or los is not LOSSES[pair.loss]:
        return None
    return pair


def loss_terms(activation: Activation, loss: Loss, targets: Sequence[float], nets: Sequence[float],
               outs: Sequence[float], keep: Callable[..., float] = exact, by_hand: bool = False) -> list[float]:
    """E_oj of one sample's outputs: from the nets in the combined form where this activation and
    loss have one, else loss.term(t, out, n); each value through `keep`. `by_hand` (a rounding
    habit): a person takes E from the outputs as written down (-ln(1 - 0.551), not softplus of the
    rounded net), so the combined form is used only where that is not finite (an output written as
    exactly 0 or 1)."""
    n = len(outs)
    pair = combined_output(activation, loss)
    if pair is not None and by_hand:
        written = [loss.term(t, o, n) for t, o in zip(targets, outs)]
        if all(math.isfinite(e) for e in written):
            return [keep(e, ERROR) for e in written]
    if pair is not None:
        return [keep(e, ERROR) for e in pair.terms(targets, nets, n)]
    return [keep(loss.term(t, o, n), ERROR) for t, o in zip(targets, outs)]
