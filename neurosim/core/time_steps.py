"""Real-time BPTT: a recurrent network's weights updated after every time step (the convention
`time_update = "per_step"`), as Williams & Zipser define real-time (on-line) backpropagation through
time, against epochwise BPTT (the whole sequence, then one update: `"sequence"`, the default), in
"Gradient-based learning algorithms for recurrent networks and their computational complexity"
(1995); truncated to h steps back it is their truncated BPTT(h) (Williams & Peng 1990). At each
time step t = 1 … T of a sequence:

    forward   step t only, with the current weights θ_t; h_1 … h_(t-1) (y_1 … y_(t-1) fed back by
              a Jordan layer) stay as they were computed, with the weights of their own steps
    loss      E(t) = Σ_j E(target_j(t), y_j(t))          (divided by T with time_loss = "mean")
    backward  dE(t)/dθ by BPTT from step t back through the stored history, with the current
              weights: to t = 1 (full), or k steps, h_t … h_(t-k+1) (bptt = k)
    update    θ_(t+1) = θ_t - η·dE(t)/dθ (the learning rule's step), before step t+1's forward pass

A run step is one time step: run step k works time step t = (k-1) mod T + 1 of the sequence
⌊(k-1)/T⌋ mod n + 1 (engines/batches.py), so every time step's update has its own trace: its
forward rows, E(t), the deltas of its backward pass and its update. Every step needs a target
(files/layers.py refuses a target at the last step only).

`TimeStepView` is the unrolled network seen at time t: its layers those of steps 1 … t with the
outputs of step t as the output layer (the same neuron and connection objects), its forward pass
computing the layers of step t only. While a step runs, the connections into neurons outside the
view (later steps, other steps' outputs) are taken out of their sources' outgoing connections, so
the backward pass sends nothing from them (`time_step_view` puts the lists back as they were).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import attrs

from .arithmetic import exact
from .neuron import Keep
from .recurrent import carry, over_time
from .shared_network import SharedLayer, SharedNetwork
from .step_records import neuron_forward


@attrs.define(eq=False, repr=False)
class TimeStepView(SharedNetwork):
    """The unrolled network at time step `time`: `order` every layer of the whole network in its
    forward order (where the neurons' positions point), `computed` the layers step `time` computes."""

    time: int = 1
    order: list = attrs.Factory(list)
    computed: list = attrs.Factory(list)

    def forward(self, inputs: Sequence[float], keep: Keep = exact, store: Keep | None = None) -> list[float]:
        """The layers of step t (its hidden units, its state units, its outputs) from the inputs and
        the values kept of the steps before; returns the outputs of step t."""
        values = [(store or keep)(x) for x in inputs]
        for neuron, out in zip(self.input_layer.neurons, values):
            neuron.out = out
        for layer in self.order[1:-1]:
            computed = any(layer is c for c in self.computed)
            values.extend(layer.forward(values, keep) if computed else [n.out for n in layer.neurons])
            if computed:  # kept for the traces of the steps after, as computed now
                self.history.update((n.name, neuron_forward(n, layer)) for n in layer.neurons)
        return self.output_layer.forward(values, keep)

    @property
    def earlier_records(self) -> list:
        """The forward records of the steps before t in the view, as they were made at their steps."""
        below = [n.name for layer in self.layers[1:-1] if layer is not self.computed[0] for n in layer.neurons]
        return [self.history[name] for name in below if name in self.history]

    @property
    def at_one_time_step(self) -> bool:
        return True  # (core/step.py: the step runs on it as on any network)

    def prepare(self, conventions) -> None:
        """Truncated BPTT counted back from step t (core/recurrent.carry; the links into steps ≤ t)."""
        carry(self.links[:self.time], self.time, conventions.bptt)

    @property
    def recorded(self) -> list:
        """The layers whose forward pass the trace writes: step t's hidden units and outputs (those
        of the steps before were computed, and written, at their own steps)."""
        return [self.computed[0], self.output_layer]

    def step_loss(self, loss, conventions):
        """E(t): the loss of step t's outputs (divided by T with time_loss = "mean")."""
        mean = conventions.time_loss == "mean"
        return over_time(loss, self.architecture.steps, self.architecture.layers[-1].size, True) if mean else loss

    def shape_text(self) -> str:
        return f"{self.architecture.describe()}, t = {self.time}"


def per_time_step(step_function, network: SharedNetwork, samples: Sequence[tuple], conventions, step: int,
                  **options):
    """`step_function` (trace_step or untraced_step) on the network seen at run step `step`'s time step."""
    with time_step_view(network, step, samples) as (view, at_t):
        return step_function(view, at_t, conventions, step=step, **options)


def time_of(network: SharedNetwork, step: int) -> int:
    """The time step a run step works: (step - 1) mod T + 1."""
    return (step - 1) % network.architecture.steps + 1


@contextmanager
def time_step_view(network: SharedNetwork, step: int,
                   samples: Sequence[tuple]) -> Iterator[tuple[TimeStepView, list[tuple]]]:
    """The network seen at run step `step`'s time step t, and the samples with the targets of step t;
    the connections the view leaves out are put back, and the truncation laid back, afterwards."""
    t = time_of(network, step)
    if t == 1:
        network.history.clear()  # a new sequence
    m = network.architecture.layers[-1].size
    hidden = [layer for layer in network.layers if layer.name == f"t{t}"][0]
    below = network.layers[:hidden.index + 1]
    state = [layer for layer in network.layers if layer.name == f"s{t}"]  # a Jordan layer's y_t as fed back
    outputs = network.layers[-1].neurons[(t - 1) * m:t * m]
    output = SharedLayer(len(below), "output", outputs, network.layers[-1].activation, kind="dense",
                         shape=(m,), parameters=network.layers[-1].parameters)
    view = TimeStepView(below + [output], network.connections, network.biases, network.bias_mode,
                        architecture=network.architecture, weight_params=network.weight_params,
                        activation_objects=network.activation_objects, flipped=network.flipped,
                        links=network.links, bptt=network.bptt, history=network.history,
                        time=t, order=list(network.layers),
                        computed=[hidden, *state])
    inside = {id(n) for layer in view.layers for n in layer.neurons}
    kept = {}
    for layer in network.layers:
        for neuron in layer.neurons:
            kept[id(neuron)] = (neuron, neuron.outgoing)
            neuron.outgoing = [c for c in neuron.outgoing if id(c.target) in inside]
    try:
        yield view, [(inputs, tuple(targets[(t - 1) * m:t * m])) for inputs, targets in samples]
    finally:
        for neuron, outgoing in kept.values():  # the lists as they were (with the network's own truncation)
            neuron.outgoing = outgoing
