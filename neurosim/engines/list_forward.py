"""The neuron loop's forward pass on plain lists (engines/neuron_loop.py: W[l][j] the incoming weights
of neuron j of layer l, in source order; B[l][j] its bias), and the loss over samples from it — the
operations of Network.layer_values and core.evaluation.sample_loss, in their order, so the results
agree to the last bit.
"""

from __future__ import annotations

from ..core.activations import softmax_values


def forward_lists(W, B, acts, x) -> tuple[list[list[float]], list[list[float]]]:
    """(nets, outs) of every layer for the inputs x (outs[0] = x): net_j = 0.0 + Σ_i w_ji·out_i + b_j
    as a running sum in source order, out = f(net) (softmax over the layer)."""
    outs, nets = [x], []
    for Wl, Bl, act in zip(W, B, acts):
        net = []
        for k, ws in enumerate(Wl):
            z = 0.0
            for w, o in zip(ws, x):
                z += w * o
            if Bl is not None:
                z += Bl[k]
            net.append(z)
        x = softmax_values(net) if act.layer_level else list(map(act.scalar, net))
        nets.append(net)
        outs.append(x)
    return nets, outs


def loss_over(W, B, acts, data, term, combined, mean: bool,
              outputs: bool) -> tuple[float, tuple[tuple[float, ...], ...]]:
    """(E_total over `data`: Σ_s (0.0 + Σ_j E_oj), batch-mean: / number of samples; and, if `outputs`,
    every sample's outputs). E_oj = term(t, out, n), or from the nets in the combined form."""
    total, rows = 0.0, []
    for inputs, targets in data:
        nets, outs = forward_lists(W, B, acts, inputs)
        n = len(outs[-1])
        terms = combined.terms(targets, nets[-1], n) if combined is not None else \
            [term(t, o, n) for t, o in zip(targets, outs[-1])]
        e = 0.0
        for v in terms:
            e += v
        total += e
        if outputs:
            rows.append(tuple(outs[-1]))
    return (total / len(data) if mean else total), tuple(rows)
