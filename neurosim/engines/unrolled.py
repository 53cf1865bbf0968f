"""The online step written out for one network shape, as straight-line Python (the seed's style).

For one sample x with targets t, layer by layer (l = 1 … L, neuron j, source i):

Forward:   net_lj = 0.0 + Σ_i w_lji·out_(l-1)i + b_lj     (a running sum in source order)
           out_lj = f_l(net_lj)                          (softmax: over the whole layer)
Loss:      E_total = 0.0 + Σ_j term(t_j, out_Lj, n)       dE/dout_Lj = derivative(t_j, out_Lj, n)
Backward:  delta_lj = dE/dout_lj · f_l'(net_lj, out_lj)   (softmax: Σ_k dE/dout_k · dout_k/dnet_j)
           dE/dout_(l-1)i = 0.0 + Σ_j delta_lj·w_lji       (w+ in sequential order, w otherwise)
Update:    w_lji+ = w_lji - η·(delta_lj·out_(l-1)i)
           b_lj+  = b_lj - η·delta_lj,  shared: b_l+ = b_l - η·(0.0 + Σ_j delta_lj)
           (with another learning rule the step returns the gradients delta_lj·out_(l-1)i, delta_lj
           and 0.0 + Σ_j delta_lj instead, and the rule updates the parameters: neuron_loop.py)
Options:   flat spot c: f_l'(net_lj, out_lj) + c; tolerance dmax: dE/dout_Lj = 0.0 where |t_j - out_Lj| ≤ dmax

These are the operations of the traced step (core/step.py: the methods of Neuron, Connection and
Layer), in its order, so the results are identical to the last bit (tests/test_unrolled.py). Loops
over two or three neurons cost Python more than the arithmetic does; written out without loops the
step runs about four times faster (the neuron engine's long runs spend their time here).
`step_source` returns the code, one line per quantity, to read it.

The parameters travel as one flat tuple: layer by layer, the weights neuron by neuron (each in
source order), then the layer's biases (one per neuron, one if shared, none without biases).
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from ..core.activations import Activation, softmax_deltas, softmax_values
from ..core.losses import Loss

TERMS_PER_LINE = 32  # long sums go on several lines (deeply nested expressions strain the compiler)

OnlineStep = Callable[[tuple, tuple, tuple], tuple]


def parameter_names(sizes, bias_mode: str) -> list[str]:
    """The names the step's code gives the parameters, in the order of the flat tuple."""
    names = []
    for l in range(1, len(sizes)):
        names += [f"w{l}_{j}_{i}" for j in range(sizes[l]) for i in range(sizes[l - 1])]
        if bias_mode == "shared":
            names.append(f"b{l}")
        elif bias_mode == "per-neuron":
            names += [f"b{l}_{j}" for j in range(sizes[l])]
    return names


def step_source(sizes: tuple[int, ...], acts: tuple[Activation, ...], bias_mode: str, sequential: bool,
                update_biases: bool, gradients: bool = False, flat_spot: float = 0.0, tolerance: float = 0.0) -> str:
    """The code of `online_step(x, t, p) -> (E_total, p+)` for this shape (see the module docstring);
    with `gradients` (simultaneous order only) it returns (E_total, dE/dp) instead.

    Names: out_1_0 is out of neuron 0 of layer 1 (out_0_i: the inputs), likewise net_1_0,
    dE_1_0 (dE/dout), d_1_0 (delta); w1_0_2 is the weight from out_0_2 into neuron 1_0, b1_0 that
    neuron's bias (b1 if shared); an updated value has a trailing `_` (w1_0_2_)."""
    L = len(sizes) - 1
    names = parameter_names(sizes, bias_mode)
    lines = ["def online_step(x, t, p):",
             f"    {_targets(names)} = p",
             f"    {_targets(f'out_0_{i}' for i in range(sizes[0]))} = x",
             f"    {_targets(f't_{j}' for j in range(sizes[L]))} = t"]
    for l in range(1, L + 1):
        outs_below = [f"out_{l - 1}_{i}" for i in range(sizes[l - 1])]
        for j in range(sizes[l]):
            bias = {"shared": [f"b{l}"], "per-neuron": [f"b{l}_{j}"], "none": []}[bias_mode]
            terms = [f"w{l}_{j}_{i} * {o}" for i, o in enumerate(outs_below)] + bias
            lines += _running_sum(f"net_{l}_{j}", terms)
        nets = [f"net_{l}_{j}" for j in range(sizes[l])]
        if acts[l - 1].layer_level:
            outs = _targets(f"out_{l}_{j}" for j in range(sizes[l]))
            lines.append(f"    {outs} = softmax_values([{', '.join(nets)}])")
        else:
            lines += [f"    out_{l}_{j} = f{l}({net})" for j, net in enumerate(nets)]
    n = sizes[L]
    lines += _running_sum("e", [f"term(t_{j}, out_{L}_{j}, {n})" for j in range(n)])
    lines += [f"    dE_{L}_{j} = derivative(t_{j}, out_{L}_{j}, {n})" for j in range(n)]
    if tolerance:
        lines += [f"    dE_{L}_{j} = 0.0 if abs(t_{j} - out_{L}_{j}) <= {tolerance!r} else dE_{L}_{j}"
                  for j in range(n)]
    flat = f" + {flat_spot!r}" if flat_spot else ""
    for l in range(L, 0, -1):
        if acts[l - 1].layer_level:
            lines.append(f"    {_targets(f'd_{l}_{j}' for j in range(sizes[l]))} = softmax_deltas("
                         f"[{', '.join(f'dE_{l}_{j}' for j in range(sizes[l]))}], "
                         f"[{', '.join(f'out_{l}_{j}' for j in range(sizes[l]))}])")
        else:
            lines += [f"    d_{l}_{j} = dE_{l}_{j} * (df{l}(net_{l}_{j}, out_{l}_{j}){flat})" if flat else
                      f"    d_{l}_{j} = dE_{l}_{j} * df{l}(net_{l}_{j}, out_{l}_{j})" for j in range(sizes[l])]
        lines += _gradient_lines(sizes, l, bias_mode) if gradients else _update_lines(sizes, l, bias_mode,
                                                                                     update_biases)
        if l > 1:
            new = "_" if sequential and not gradients else ""
            for i in range(sizes[l - 1]):
                lines += _running_sum(f"dE_{l - 1}_{i}", [f"d_{l}_{j} * w{l}_{j}_{i}{new}" for j in range(sizes[l])])
    lines.append(f"    return e, ({', '.join(name + '_' for name in names)},)")
    return "\n".join(lines) + "\n"


def _update_lines(sizes, l: int, bias_mode: str, update_biases: bool) -> list[str]:
    """p+ = p - η·dE/dp for the weights and biases of layer l (a frozen bias: b+ = b)."""
    lines = []
    for j in range(sizes[l]):
        lines += [f"    w{l}_{j}_{i}_ = w{l}_{j}_{i} - lr * (d_{l}_{j} * out_{l - 1}_{i})" for i in range(sizes[l - 1])]
    if bias_mode == "shared":
        if update_biases:
            lines += _running_sum(f"g_{l}", [f"d_{l}_{j}" for j in range(sizes[l])])
            lines.append(f"    b{l}_ = b{l} - lr * g_{l}")
        else:
            lines.append(f"    b{l}_ = b{l}")
    elif bias_mode == "per-neuron":
        lines += [f"    b{l}_{j}_ = b{l}_{j} - lr * d_{l}_{j}" if update_biases else f"    b{l}_{j}_ = b{l}_{j}"
                  for j in range(sizes[l])]
    return lines


def _gradient_lines(sizes, l: int, bias_mode: str) -> list[str]:
    """dE/dw = delta·out below and dE/db = delta (a shared bias: 0.0 + Σ_j delta) of layer l, named
    like the parameters with a trailing `_` (what the step returns in place of p+)."""
    lines = []
    for j in range(sizes[l]):
        lines += [f"    w{l}_{j}_{i}_ = d_{l}_{j} * out_{l - 1}_{i}" for i in range(sizes[l - 1])]
    if bias_mode == "shared":
        lines += _running_sum(f"b{l}_", [f"d_{l}_{j}" for j in range(sizes[l])])
    elif bias_mode == "per-neuron":
        lines += [f"    b{l}_{j}_ = d_{l}_{j}" for j in range(sizes[l])]
    return lines


@functools.lru_cache(maxsize=32)
def online_step(sizes: tuple[int, ...], acts: tuple[Activation, ...], bias_mode: str, loss: Loss,
                learning_rate: float, sequential: bool, update_biases: bool, gradients: bool = False,
                flat_spot: float = 0.0, tolerance: float = 0.0) -> OnlineStep:
    """The compiled step for this shape and these conventions (built once, then reused)."""
    source = step_source(sizes, acts, bias_mode, sequential, update_biases, gradients, flat_spot, tolerance)
    namespace = {"lr": learning_rate, "term": loss.term, "derivative": loss.derivative,
                 "softmax_values": softmax_values, "softmax_deltas": softmax_deltas}
    for l, act in enumerate(acts, start=1):
        namespace[f"f{l}"], namespace[f"df{l}"] = act.scalar, act.derivative_from
    exec(compile(source, f"<neurosim online step {'-'.join(map(str, sizes))}>", "exec"), namespace)
    return namespace["online_step"]


def _targets(names) -> str:
    """An unpacking target `a, b,` (the trailing comma also makes one name a tuple target)."""
    return ", ".join(names) + ","


def _running_sum(name: str, terms: list[str]) -> list[str]:
    """`name = 0.0 + t1 + t2 + …` evaluated left to right, split over lines of TERMS_PER_LINE."""
    lines = []
    for k in range(0, len(terms), TERMS_PER_LINE):
        start = "0.0" if k == 0 else name
        lines.append(f"    {name} = {' + '.join([start] + terms[k:k + TERMS_PER_LINE])}")
    return lines
