"""Names people write in a hand calculation that the trace tables do not list on their own lines —
every value a check can name is `checkable(trace)`: `StepTrace.quantities()` and these:

    e_o1          the raw error out_o1 − target_o1 (many tutorials' e, or "error" before squaring)
    E_o1+         one output's error after the update (E_total+ is their sum)
    E_total+[2]   one sample's loss after a batch step (E_total+ sums or averages them)
    e^net_o1      a softmax output's exponential, and Σe^net their sum over the layer
    dE/dnet_h1    another name of delta_h1

Each sample of a batch step carries its tag [s] as everywhere. Nothing here prints.
"""

from __future__ import annotations

import math

from .activations import get_activation
from .combined import loss_terms
from .losses import get_loss
from .neuron import add_up
from .trace import StepTrace


def checkable(trace: StepTrace) -> dict[str, float]:
    """Every value of the step a check can name (see the module docstring)."""
    values = trace.quantities()
    values.update(extra_quantities(trace))
    return values


def extra_quantities(trace: StepTrace) -> dict[str, float]:
    """The values of the module docstring's names."""
    q: dict[str, float] = {}
    batch = len(trace.samples) > 1
    loss = get_loss(trace.conventions.loss)
    after = {index: {name: (net, out) for name, net, out in values}
             for index, values in enumerate(trace.values_after, start=1)}
    for sample in trace.samples:
        tag = f"[{sample.index}]" if batch else ""
        for e in sample.errors:
            q[f"e_{e.neuron}{tag}"] = e.out - e.target
        for b in sample.backward:
            q[f"dE/dnet_{b.neuron}{tag}"] = b.delta
        softmax = [f for f in sample.forward if get_activation(f.activation).layer_level]
        if softmax and len({f.layer for f in softmax}) == 1 and softmax[-1] is sample.forward[-1]:
            exps = [math.exp(f.net) if f.net < 709 else math.inf for f in softmax]
            for f, value in zip(softmax, exps):
                q[f"e^net_{f.neuron}{tag}"] = value
            q[f"Σe^net{tag}"] = add_up(exps)
        outputs = after.get(sample.index)
        if outputs and loss.defined and sample.errors:
            nets = [outputs[e.neuron][0] for e in sample.errors]
            outs = [outputs[e.neuron][1] for e in sample.errors]
            if None not in nets:
                activation = get_activation(trace.activations[-1])
                terms = loss_terms(activation, loss, sample.targets, nets, outs)
                for e, term in zip(sample.errors, terms):
                    q[f"E_{e.neuron}+{tag}"] = term
                if batch:
                    q[f"E_total+{tag}"] = add_up(terms)
    return q
