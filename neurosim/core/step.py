"""One training step, traced: the step calls the objects' methods in the conventions' order and
records what they return. The arithmetic is in neuron.py and layer.py; nothing here computes a
formula of its own, and nothing here prints.

Forward:   net_j = Σ_i w_ij·out_i + b_j,        out_j = f(net_j)          (Layer.forward)
Loss:      E_total = Σ_j E_oj                                              (Neuron.calculate_error)
Backward:  output j:  dE/dout_j = dE_oj/dout_j
           hidden j:  dE/dout_j = Σ_k dE_k/dout_j = Σ_k delta_k·w_jk
           delta_j = dE/dout_j · dout_j/dnet_j   (softmax: Σ_k dE/dout_k · dout_k/dnet_j)   (Layer.backward)
Gradient:  dE/dw_ij = dE/dout_j · dout_j/dnet_j · dnet_j/dw_ij,  dnet_j/dw_ij = out_i
           dE/db = Σ over the neurons that share b of delta_j         (Connection.calculate_gradient)
Update:    w+ = w - η·dE/dw                                           (Connection.calculate_update)

The order: per sample, forward, errors, then layer by layer from the output down, backward and the
layer's gradient shares; in the sequential order each layer is updated at once (the layer below
then sees its new weights), in the simultaneous order every layer after the last sample. Batch
modes sum the shares over the samples (batch-mean divides by their number).

`trace_step` returns a `StepTrace` of every value; the engines in neurosim/engines compute the same
numbers without records.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from ..errors import NeurosimError
from .arithmetic import GRADIENT, LOSS
from .conventions import Conventions
from .divergence import raise_diverged
from .evaluation import Sample, evaluate, layer_values, sample_loss
from .losses import get_loss
from .network import Network
from .neuron import add_up
from .trace import (
    Contribution,
    Factor,
    GradientPart,
    InputGradient,
    NeuronBackward,
    NeuronForward,
    OutputError,
    ParameterUpdate,
    SampleTrace,
    StepTrace,
    Term,
)
from .wanted import Wanted

__all__ = ["Sample", "StepHooks", "Wanted", "check_sample", "evaluate", "layer_values", "sample_loss", "trace_step"]


def check_sample(network: Network, inputs: Sequence[float], targets: Sequence[float], index: int) -> None:
    n_in, n_out = network.sizes[0], network.sizes[-1]
    if len(inputs) != n_in:
        raise NeurosimError(f"data: sample {index} has {len(inputs)} inputs, the network has {n_in}")
    if len(targets) != n_out:
        raise NeurosimError(f"data: sample {index} has {len(targets)} targets, the network has {n_out} outputs")


class StepHooks:
    """Where a step can be changed from outside the engine (used to reproduce named mistakes,
    see neurosim/check/mistakes.py). The default hooks change nothing."""

    def prepare(self, network: Network, samples: Sequence[Sample], conventions: Conventions) -> None:
        """Called at the start of each step, before the forward pass."""

    def dnet_dw(self, connection, sample: int) -> float:
        """The factor dnet_j/dw_ij of `connection` (source i → target j) for a sample: out_i."""
        return connection.calculate_dnet_dw()


class _Step:
    """One step in progress on `network`; `record` decides whether records are built (of `wanted`
    neurons and parameters only, if given)."""

    def __init__(self, network: Network, conventions: Conventions, record: bool, step: int, hooks=None,
                 wanted: Wanted | None = None):
        self.network = network
        self.conv = conventions
        self.hooks = hooks
        self.wanted = wanted
        self.keep = conventions.arithmetic.keeper()
        self.keep_param = conventions.arithmetic.param_keeper()
        self.store = conventions.arithmetic.storer()
        self.loss = get_loss(conventions.loss)
        self.record = record
        self.step = step
        self.grad: dict[str, float] = {}  # Σ over the samples so far of each parameter's share
        self.parts: dict[str, list[GradientPart]] = {}
        self.updates: dict[str, ParameterUpdate] = {}
        self.sample: int | None = None  # the sample in progress of a batch step (for messages)
        self.terms: list[float] = []
        self.new_values_sum = 0.0

    def run(self, samples: Sequence[Sample]) -> tuple[list[SampleTrace], float]:
        """The step on `samples`: (per-sample records, E_total before the update)."""
        self.sample = None
        try:
            with np.errstate(over="ignore", invalid="ignore"):  # float32 overflow: reported below
                return self._run(samples)
        except (OverflowError, ZeroDivisionError):
            raise_diverged(self.network, self.step, self.sample, self.terms, math.inf)

    def _run(self, samples: Sequence[Sample]) -> tuple[list[SampleTrace], float]:
        layers = self.network.layers[1:]
        sequential = self.conv.order == "sequential"
        if self.hooks is not None:
            self.hooks.prepare(self.network, samples, self.conv)
        sample_traces, losses = [], []
        for index, (inputs, targets) in enumerate(samples, start=1):
            if len(samples) > 1:
                self.sample = index
            check_sample(self.network, inputs, targets, index)
            trace, e_total = self._sample(index, inputs, tuple(float(t) for t in targets), sequential,
                                          batch=len(samples) > 1)
            losses.append(e_total)
            if trace is not None:
                sample_traces.append(trace)
        if not sequential:
            for layer in reversed(layers):
                self._update(layer, len(samples))
        total = add_up(losses)
        e_total = self.keep(total / len(samples) if self.conv.mode == "batch-mean" else total, LOSS)
        if not math.isfinite(e_total + self.new_values_sum):
            raise_diverged(self.network, self.step, None, self.terms, e_total)
        return sample_traces, e_total

    def _sample(self, index: int, inputs, targets: tuple[float, ...], sequential: bool,
                batch: bool) -> tuple[SampleTrace | None, float]:
        """Forward pass, errors, and the backward pass with the gradient shares of one sample."""
        network, keep = self.network, self.keep
        network.forward(inputs, keep, self.store)
        forward_records = _forward_records(network, self.wanted) if self.record else ()
        outputs = network.output_layer.neurons
        self.terms = [o.calculate_error(t, self.loss, len(outputs), keep) for o, t in zip(outputs, targets)]
        e_total = keep(add_up(self.terms), LOSS)
        backward_records = []
        for layer in reversed(network.layers[1:]):
            is_output = layer is network.output_layer
            parts = layer.backward(keep, targets if is_output else None, self.loss)
            self._add_gradients(layer, index)
            if sequential:
                self._update(layer, 1)
            if self.record:
                backward_records += _backward_records(layer, parts, self.wanted)
        if batch and not math.isfinite(e_total + sum(n.delta for layer in network.layers[1:] for n in layer.neurons)):
            raise_diverged(network, self.step, self.sample, self.terms, e_total)
        if not self.record:
            return None, e_total
        errors = tuple(OutputError(o.name, t, o.out, e) for o, t, e in zip(outputs, targets, self.terms))
        return SampleTrace(index, tuple(inputs), targets, forward_records, errors, e_total,
                           tuple(backward_records), _input_gradients(network.input_layer, keep, self.wanted)), e_total

    def _add_gradients(self, layer, sample: int) -> None:
        """Add this sample's share of dE/dp for every weight and bias feeding `layer`."""
        keep, grad = self.keep, self.grad
        dnet_dw = self.hooks.dnet_dw if self.hooks is not None else None
        from_delta = self.conv.arithmetic.gradient_from_delta
        wanted = None if self.wanted is None else self.wanted.parameters
        for neuron in layer.neurons:
            for conn in neuron.incoming:
                factor = conn.calculate_dnet_dw() if dnet_dw is None else dnet_dw(conn, sample)
                value = conn.calculate_gradient(factor, keep, from_delta)
                grad[conn.name] = grad.get(conn.name, 0.0) + value
                if self.record and (wanted is None or conn.name in wanted):
                    self._part(conn.name, sample, neuron, f"dnet_{neuron.name}/d{conn.name}", factor, value)
            if neuron.bias is not None:
                value = neuron.calculate_dE_db()
                grad[neuron.bias.name] = grad.get(neuron.bias.name, 0.0) + value
                if self.record and (wanted is None or neuron.bias.name in wanted):
                    self._part(neuron.bias.name, sample, neuron, f"dnet_{neuron.name}/d{neuron.bias.name}", 1.0,
                               value)

    def _part(self, name: str, sample: int, neuron, last_name: str, last_value: float, value: float) -> None:
        factors = _factors(neuron, last_name, last_value, self.conv.arithmetic.gradient_from_delta)
        self.parts.setdefault(name, []).append(GradientPart(sample, neuron.name, factors, value))

    def _update(self, layer, n_samples: int) -> None:
        """p+ = p - η·dE/dp for every weight and bias feeding `layer` (biases only if not frozen);
        dE/dp is the sum of the samples' shares (batch-mean: their mean)."""
        keep, conv = self.keep, self.conv
        reduction = "single" if n_samples == 1 else ("mean" if conv.mode == "batch-mean" else "sum")
        done_biases: list[str] = []
        for neuron in layer.neurons:
            params = [(conn.name, "weight", conn) for conn in neuron.incoming]
            if neuron.bias is not None and neuron.bias.name not in done_biases:
                done_biases.append(neuron.bias.name)
                params.append((neuron.bias.name, "bias", neuron.bias))
            for name, kind, obj in params:
                total = self.grad[name]
                gradient = keep(total / n_samples if reduction == "mean" else total, GRADIENT)
                old = obj.weight if kind == "weight" else obj.value
                updated = kind == "weight" or conv.update_biases
                new = obj.calculate_update(gradient, conv.learning_rate, self.keep_param) if updated else old
                obj.gradient = gradient
                if kind == "weight":
                    obj.weight = new
                else:
                    obj.value = new
                if self.record and name in self.parts:
                    self.updates[name] = ParameterUpdate(name, kind, tuple(self.parts[name]), reduction, gradient,
                                                         old, new, updated)
                self.new_values_sum += new


# -- records -----------------------------------------------------------------------------------
def _forward_records(network: Network, wanted: Wanted | None = None) -> tuple[NeuronForward, ...]:
    return tuple(
        NeuronForward(
            n.name, layer.index,
            tuple(Term(c.name, c.weight, c.source.name, c.source.out) for c in n.incoming),
            n.bias.name if n.bias else None, n.bias.value if n.bias else None,
            n.net, layer.activation.name, n.out)
        for layer in network.layers[1:] for n in layer.neurons if wanted is None or n.name in wanted.neurons)


def _backward_records(layer, parts_per_neuron, wanted: Wanted | None = None) -> list[NeuronBackward]:
    jac = layer.jacobian if layer.activation.layer_level else None
    records = []
    for j, (n, parts) in enumerate(zip(layer.neurons, parts_per_neuron)):
        if wanted is not None and n.name not in wanted.neurons:
            continue
        contributions = tuple(Contribution(c.target.name, c.name, c.weight, c.target.delta, v)
                              for c, v in zip(n.outgoing, parts))
        row = tuple(r[j] for r in jac) if jac else None
        records.append(NeuronBackward(n.name, layer.index, n.dE_dout, contributions, n.dout_dnet, n.delta, row))
    return records


def _input_gradients(layer, keep, wanted: Wanted | None = None) -> tuple[InputGradient, ...]:
    """dE/dout of every input (dL/dx): Σ_k delta_k·w(i→k) over the first hidden layer, as a hidden
    neuron's dE/dout is formed (recorded only: no formula of the step uses it)."""
    records = []
    for n in layer.neurons:
        if wanted is not None and n.name not in wanted.neurons:
            continue
        parts = n.calculate_dE_dout_parts(keep)
        n.dE_dout = n.calculate_dE_dout_from_parts(parts, keep)
        out = n.outgoing
        records.append(InputGradient(n.name, n.dE_dout, tuple(c.target.name for c in out), tuple(c.name for c in out),
                                     tuple(c.weight for c in out), tuple(c.target.delta for c in out), tuple(parts)))
    return tuple(records)


def _factors(neuron, last_name: str, last_value: float, from_delta: bool = False) -> tuple[Factor, ...]:
    """The chain-rule factors of one gradient share, named as the trace names them (delta·dnet/dw
    for a softmax neuron, or when the gradient is keyed in from the written delta)."""
    if from_delta or neuron.activation.layer_level:
        return (Factor(f"delta_{neuron.name}", neuron.delta), Factor(last_name, last_value))
    return (Factor(f"dE/dout_{neuron.name}", neuron.dE_dout),
            Factor(f"dout_{neuron.name}/dnet_{neuron.name}", neuron.dout_dnet),
            Factor(last_name, last_value))


def check_step(samples: Sequence[Sample], conventions: Conventions) -> None:
    if not samples:
        raise NeurosimError("data: no samples")
    if conventions.mode == "online" and len(samples) != 1:
        raise NeurosimError(f"mode: 'online' takes one sample a step, got {len(samples)}")


def trace_step(network: Network, samples: Sequence[Sample], conventions: Conventions, *,
               step: int = 1, title: str = "", hooks: StepHooks | None = None,
               wanted: Wanted | None = None) -> StepTrace:
    """Run one step on `samples` (one in online mode, all of them in batch mode), updating
    `network` in place, and return the record of every intermediate value (of the `wanted`
    neurons and parameters only, if given)."""
    check_step(samples, conventions)
    worker = _Step(network, conventions, record=True, step=step, hooks=hooks, wanted=wanted)
    sample_traces, e_total = worker.run(samples)
    keep, store = worker.keep, worker.store
    values_after = tuple(
        tuple((n.name, net, out) for layer, values in zip(network.layers[1:], network.layer_values(inputs, keep, store))
              for n, (net, out) in zip(layer.neurons, values))
        for inputs, _ in samples)
    n_out = len(network.output_layer.neurons)
    outputs_after = tuple(tuple((name, out) for name, _, out in values[-n_out:]) for values in values_after)
    return StepTrace(
        step=step, title=title, network_shape=network.shape_text(), activations=network.activations,
        bias_mode=network.bias_mode, conventions=conventions, samples=tuple(sample_traces),
        E_total=e_total,
        updates=tuple(worker.updates[name] for name in _update_order(network) if name in worker.updates),
        E_total_after=sample_loss(network, samples, conventions),
        outputs_after=outputs_after,
        values_after=values_after,
    )


def untraced_step(network: Network, samples: Sequence[Sample], conventions: Conventions, *, step: int = 1,
                  hooks: StepHooks | None = None) -> float:
    """The same step as `trace_step` on the same objects, without records; returns E_total."""
    check_step(samples, conventions)
    return _Step(network, conventions, record=False, step=step, hooks=hooks).run(samples)[1]


def _update_order(network: Network) -> list[str]:
    """Parameters in the order Mazur works them: output layer first, then down to the first
    hidden layer; within a layer, weights in naming order, then the layer's biases."""
    names = []
    for layer in reversed(network.layers[1:]):
        names += [c.name for n in layer.neurons for c in n.incoming]
        for n in layer.neurons:
            if n.bias is not None and n.bias.name not in names:
                names.append(n.bias.name)
    return names
