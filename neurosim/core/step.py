"""One training step, neuron by neuron: forward, loss, backward, update — and the after-values.

Forward:   net_j = Σ_i w_ij·out_i + b_j,        out_j = f(net_j)
Loss:      E_total = Σ_j E_oj                    (per-output terms, see losses.py)
Backward:  output j:  dE/dout_j = dE_oj/dout_j
           hidden j:  dE/dout_j = Σ_k dE_k/dout_j = Σ_k delta_k·w_jk
           delta_j = dE/dout_j · dout_j/dnet_j   (softmax: Σ_k dE/dout_k · dout_k/dnet_j)
Gradient:  dE/dw_ij = dE/dout_j · dout_j/dnet_j · dnet_j/dw_ij,  dnet_j/dw_ij = out_i
           dE/db = Σ over the neurons that share b of delta_j (per-neuron bias: delta_j)
Update:    w+ = w - η·dE/dw

`trace_step` returns a `StepTrace` of every value; `fast_step` and `NeuronLoop` compute the same
numbers without building records (for long runs; one-sample steps run the step written out for
the network's shape, see unrolled.py). Nothing here prints.
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np

from .activations import softmax_jacobian, softmax_values
from .conventions import Conventions
from ..errors import NeurosimError, TrainingDiverged
from .losses import get_loss
from .network import Network
from .trace import (
    Contribution, Factor, GradientPart, NeuronBackward, NeuronForward, OutputError,
    ParameterUpdate, SampleTrace, StepTrace, Term,
)

Sample = tuple[Sequence[float], Sequence[float]]


def layer_values(network: Network, inputs: Sequence[float], keep, store=None) -> list[list[tuple[float, float]]]:
    """(net, out) of every neuron of every non-input layer, without touching the neurons.

    `keep` keeps each computed value (Arithmetic.keeper); `store` converts the given inputs
    (Arithmetic.storer: the dtype, never rounded; default `keep`)."""
    store = store or keep
    outs = [store(x) for x in inputs]
    result = []
    for layer in network.layers[1:]:
        nets = []
        for neuron in layer.neurons:
            total = 0.0
            for conn, source_out in zip(neuron.incoming, outs):
                total += conn.weight * source_out
            if neuron.bias is not None:
                total += neuron.bias.value
            nets.append(keep(total))
        act = layer.activation
        if act.layer_level:
            outs = [keep(v) for v in softmax_values(nets)]
        else:
            outs = [keep(act.value(net)) for net in nets]
        result.append(list(zip(nets, outs)))
    return result


def evaluate(network: Network, inputs: Sequence[float], keep=float, store=None) -> list[float]:
    """The network's outputs for `inputs`, computed without changing any neuron's state."""
    return [out for _, out in layer_values(network, inputs, keep, store)[-1]]


def sample_loss(network: Network, samples: Sequence[Sample], conventions: Conventions) -> float:
    """E_total over `samples` with the current parameters (summed, or averaged in batch-mean)."""
    keep, store = conventions.arithmetic.keeper(), conventions.arithmetic.storer()
    loss = get_loss(conventions.loss)
    total = 0.0
    for inputs, targets in samples:
        outputs = evaluate(network, inputs, keep, store)
        n = len(outputs)
        total += keep(_add_up(keep(loss.term(t, o, n)) for t, o in zip(targets, outputs)))
    if conventions.mode == "batch-mean":
        total = total / len(samples)
    return keep(total)


def check_sample(network: Network, inputs: Sequence[float], targets: Sequence[float], index: int) -> None:
    n_in, n_out = network.sizes[0], network.sizes[-1]
    if len(inputs) != n_in:
        raise NeurosimError(f"data: sample {index} has {len(inputs)} inputs, the network has {n_in}")
    if len(targets) != n_out:
        raise NeurosimError(f"data: sample {index} has {len(targets)} targets, the network has {n_out} outputs")


class StepHooks:
    """Where a step can be changed from outside the engine (used to reproduce named mistakes,
    see neurosim.mistakes). The default hooks change nothing."""

    def prepare(self, network: Network, samples: Sequence[Sample], conventions: Conventions) -> None:
        """Called at the start of each step, before the forward pass."""

    def dnet_dw(self, connection, sample: int) -> float:
        """The factor dnet_j/dw_ij of `connection` (source i → target j) for a sample: out_i."""
        return connection.source.out


class _Step:
    """The state of one step in progress; `record` decides whether records are built."""

    def __init__(self, network: Network, conventions: Conventions, record: bool, step: int, hooks=None):
        self.network = network
        self.conv = conventions
        self.hooks = hooks
        self.keep = conventions.arithmetic.keeper()
        self.keep_param = conventions.arithmetic.param_keeper()
        self.store = conventions.arithmetic.storer()
        self.loss = get_loss(conventions.loss)
        self.record = record
        self.step = step
        self.grad: dict[str, float] = {}
        self.parts: dict[str, list[GradientPart]] = {}
        self.updates: dict[str, ParameterUpdate] = {}
        self.neurons = network.neurons()[network.sizes[0]:]
        self.sample: int | None = None
        self.terms: list[float] = []

    # -- forward and loss -------------------------------------------------------------------
    def forward(self, inputs) -> None:
        for neuron, x in zip(self.network.input_layer.neurons, inputs):
            neuron.out = self.store(x)
        values = layer_values(self.network, inputs, self.keep, self.store)
        for layer, layer_vals in zip(self.network.layers[1:], values):
            for neuron, (net, out) in zip(layer.neurons, layer_vals):
                neuron.net, neuron.out = net, out

    def errors(self, targets) -> tuple[list[float], float]:
        keep, outputs = self.keep, self.network.output_layer.neurons
        n = len(outputs)
        terms = [keep(self.loss.term(t, o.out, n)) for t, o in zip(targets, outputs)]
        return terms, keep(_add_up(terms))

    # -- backward ---------------------------------------------------------------------------
    def backward_layer(self, layer, targets, contributions: dict) -> None:
        keep, neurons = self.keep, layer.neurons
        if layer is self.network.output_layer:
            n = len(neurons)
            for neuron, t in zip(neurons, targets):
                try:
                    neuron.dE_dout = keep(self.loss.derivative(t, neuron.out, n))
                except ZeroDivisionError:
                    raise TrainingDiverged(self.step, f"dE/dout_{neuron.name}", math.inf, neuron.name,
                                           self.sample) from None
        else:
            for neuron in neurons:
                parts = [keep(c.target.delta * c.weight) for c in neuron.outgoing]
                if self.record:
                    contributions[neuron.name] = tuple(
                        Contribution(c.target.name, c.name, c.weight, c.target.delta, v)
                        for c, v in zip(neuron.outgoing, parts))
                neuron.dE_dout = keep(_add_up(parts))
        act = layer.activation
        if act.layer_level:
            jac = softmax_jacobian([nr.out for nr in neurons])
            for j, neuron in enumerate(neurons):
                neuron.dout_dnet = keep(jac[j][j])
                neuron.delta = keep(_add_up(neurons[k].dE_dout * jac[k][j] for k in range(len(neurons))))
            if self.record:
                contributions["jacobian"] = tuple(tuple(row[j] for row in jac) for j in range(len(neurons)))
        else:
            for neuron in neurons:
                neuron.dout_dnet = keep(act.derivative(neuron.net, neuron.out))
                neuron.delta = keep(neuron.dE_dout * neuron.dout_dnet)

    def gradients_into(self, layer, sample: int) -> None:
        """Add this sample's share of dE/dp for every weight and bias feeding `layer`."""
        keep, grad, record = self.keep, self.grad, self.record
        layer_level = layer.activation.layer_level
        dnet_dw = self.hooks.dnet_dw if self.hooks is not None else None
        for neuron in layer.neurons:
            for conn in neuron.incoming:
                source_out = conn.source.out if dnet_dw is None else dnet_dw(conn, sample)
                if layer_level:
                    value = keep(neuron.delta * source_out)
                else:
                    value = keep(neuron.dE_dout * neuron.dout_dnet * source_out)
                grad[conn.name] = grad.get(conn.name, 0.0) + value
                if record:
                    self.parts.setdefault(conn.name, []).append(GradientPart(
                        sample, neuron.name, self._factors(neuron, f"dnet_{neuron.name}/d{conn.name}", source_out),
                        value))
            bias = neuron.bias
            if bias is not None:
                value = neuron.delta
                grad[bias.name] = grad.get(bias.name, 0.0) + value
                if record:
                    self.parts.setdefault(bias.name, []).append(GradientPart(
                        sample, neuron.name, self._factors(neuron, f"dnet_{neuron.name}/d{bias.name}", 1.0),
                        value))

    def _factors(self, neuron, last_name: str, last_value: float) -> tuple[Factor, ...]:
        if neuron.activation.layer_level:
            return (Factor(f"delta_{neuron.name}", neuron.delta), Factor(last_name, last_value))
        return (Factor(f"dE/dout_{neuron.name}", neuron.dE_dout),
                Factor(f"dout_{neuron.name}/dnet_{neuron.name}", neuron.dout_dnet),
                Factor(last_name, last_value))

    # -- update -----------------------------------------------------------------------------
    def update_into(self, layer, n_samples: int) -> None:
        """p+ = p - η·dE/dp for every weight and bias feeding `layer` (biases only if not frozen)."""
        keep, keep_param, conv = self.keep, self.keep_param, self.conv
        lr = conv.learning_rate
        reduction = "single" if n_samples == 1 else ("mean" if conv.mode == "batch-mean" else "sum")
        seen_bias = set()
        for neuron in layer.neurons:
            params = [(conn.name, "weight", conn) for conn in neuron.incoming]
            if neuron.bias is not None and neuron.bias.name not in seen_bias:
                seen_bias.add(neuron.bias.name)
                params.append((neuron.bias.name, "bias", neuron.bias))
            for name, kind, obj in params:
                total = self.grad[name]
                gradient = keep(total / n_samples) if reduction == "mean" else keep(total)
                old = obj.weight if kind == "weight" else obj.value
                updated = kind == "weight" or conv.update_biases
                new = keep_param(old - lr * gradient) if updated else old
                obj.gradient = gradient
                if kind == "weight":
                    obj.weight = new
                else:
                    obj.value = new
                if self.record:
                    self.updates[name] = ParameterUpdate(
                        name, kind, tuple(self.parts[name]), reduction, gradient, old, new, updated)
                self.new_values_sum += new

    # -- the step ---------------------------------------------------------------------------
    def run(self, samples: Sequence[Sample]):
        self.sample = None
        try:
            with np.errstate(over="ignore", invalid="ignore"):  # float32 overflow: reported below
                return self._run(samples)
        except (OverflowError, ZeroDivisionError):
            self._raise_diverged(math.inf)

    def _run(self, samples: Sequence[Sample]):
        network, conv = self.network, self.conv
        layers = network.layers[1:]
        sequential = conv.order == "sequential"
        sample_traces = []
        losses = []
        self.new_values_sum = 0.0
        batch = len(samples) > 1
        if self.hooks is not None:
            self.hooks.prepare(network, samples, conv)
        for index, (inputs, targets) in enumerate(samples, start=1):
            if batch:
                self.sample = index
            check_sample(network, inputs, targets, index)
            targets = tuple(float(t) for t in targets)  # data, exactly as written
            self.forward(inputs)
            forward_records = self._forward_records() if self.record else ()
            terms, e_total = self.errors(targets)
            self.terms = terms
            losses.append(e_total)
            contributions: dict = {}
            backward_records = []
            for layer in reversed(layers):
                self.backward_layer(layer, targets, contributions)
                self.gradients_into(layer, index)
                if sequential:
                    self.update_into(layer, 1)
                if self.record:
                    backward_records += self._backward_records(layer, contributions)
            if batch and not math.isfinite(e_total + sum(n.delta for n in self.neurons)):
                self._raise_diverged(e_total)
            if self.record:
                errors = tuple(OutputError(o.name, t, o.out, e)
                               for o, t, e in zip(network.output_layer.neurons, targets, terms))
                sample_traces.append(SampleTrace(index, tuple(inputs), tuple(targets), forward_records,
                                                 errors, e_total, tuple(backward_records)))
        if not sequential:
            for layer in reversed(layers):
                self.update_into(layer, len(samples))
        e_total = self.keep(_add_up(losses) / len(samples) if conv.mode == "batch-mean" else _add_up(losses))
        if not math.isfinite(e_total + self.new_values_sum):
            self.sample = None
            self._raise_diverged(e_total)
        return sample_traces, e_total

    def _raise_diverged(self, e_total: float):
        """Name the first value that is not finite, in the order they are computed: the forward
        pass layer by layer, the backward pass from the output down, then the updated parameters."""
        step, sample, layers = self.step, self.sample, self.network.layers[1:]
        for layer in layers:
            for neuron in layer.neurons:
                for label, value in (("net", neuron.net), ("out", neuron.out)):
                    if not math.isfinite(value):
                        raise TrainingDiverged(step, f"{label}_{neuron.name}", float(value), neuron.name, sample)
        for layer in reversed(layers):
            for neuron in layer.neurons:
                for label, value in (("dE/dout_", neuron.dE_dout), ("delta_", neuron.delta)):
                    if not math.isfinite(value):
                        raise TrainingDiverged(step, f"{label}{neuron.name}", float(value), neuron.name, sample)
        for neuron, term in zip(self.network.output_layer.neurons, self.terms):
            if not math.isfinite(term):
                raise TrainingDiverged(step, f"E_{neuron.name}", float(term), neuron.name, sample)
        for layer in reversed(layers):
            for neuron in layer.neurons:
                for conn in neuron.incoming:
                    if not math.isfinite(conn.weight):
                        raise TrainingDiverged(step, f"{conn.name}+ (weight {conn.source.name}→{neuron.name})",
                                               float(conn.weight), neuron.name)
                if neuron.bias is not None and not math.isfinite(neuron.bias.value):
                    raise TrainingDiverged(step, f"{neuron.bias.name}+ (bias)", float(neuron.bias.value),
                                           neuron.name)
        raise TrainingDiverged(step, "E_total", float(e_total))

    # -- records ----------------------------------------------------------------------------
    def _backward_records(self, layer, contributions) -> list[NeuronBackward]:
        jac = contributions.get("jacobian") if layer.activation.layer_level else None
        return [NeuronBackward(n.name, layer.index, n.dE_dout, contributions.get(n.name, ()), n.dout_dnet,
                               n.delta, jac[j] if jac else None)
                for j, n in enumerate(layer.neurons)]

    def _forward_records(self) -> tuple[NeuronForward, ...]:
        return tuple(
            NeuronForward(
                n.name, layer.index,
                tuple(Term(c.name, c.weight, c.source.name, c.source.out) for c in n.incoming),
                n.bias.name if n.bias else None, n.bias.value if n.bias else None,
                n.net, layer.activation.name, n.out)
            for layer in self.network.layers[1:] for n in layer.neurons)


def _check_step(samples: Sequence[Sample], conventions: Conventions) -> None:
    if not samples:
        raise NeurosimError("data: no samples")
    if conventions.mode == "online" and len(samples) != 1:
        raise NeurosimError(f"mode: 'online' takes one sample a step, got {len(samples)}")


def trace_step(network: Network, samples: Sequence[Sample], conventions: Conventions, *,
               step: int = 1, title: str = "", hooks: StepHooks | None = None) -> StepTrace:
    """Run one step on `samples` (one in online mode, all of them in batch mode), updating
    `network` in place, and return the record of every intermediate value."""
    _check_step(samples, conventions)
    worker = _Step(network, conventions, record=True, step=step, hooks=hooks)
    sample_traces, e_total = worker.run(samples)
    keep, store = worker.keep, worker.store
    outputs_after = tuple(
        tuple((n.name, v) for n, v in zip(network.output_layer.neurons, evaluate(network, inputs, keep, store)))
        for inputs, _ in samples)
    return StepTrace(
        step=step, title=title, network_shape=network.shape_text(), activations=network.activations,
        bias_mode=network.bias_mode, conventions=conventions, samples=tuple(sample_traces),
        E_total=e_total,
        updates=tuple(worker.updates[name] for name in _update_order(network)),
        E_total_after=sample_loss(network, samples, conventions),
        outputs_after=outputs_after,
    )


def _add_up(values) -> float:
    """Σ values as a running sum from 0.0 in the given order (the one order every engine uses)."""
    total = 0.0
    for v in values:
        total += v
    return total


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
