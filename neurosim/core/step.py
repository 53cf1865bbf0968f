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
Update:    w+ = w + Δw, Δw by the learning rule (core/rules; plain gradient descent: w+ = w - η·dE/dw,
           Connection.calculate_update); frozen biases are never changed
Options:   flat spot c: dout/dnet + c; tolerance dmax: an output with |target - out| ≤ dmax sends
           back dE/dout = 0 (Layer.backward)

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
from . import step_records as records
from .arithmetic import GRADIENT, LOSS
from .conventions import Conventions
from .divergence import largest_parameter, raise_diverged, run_restoring
from .evaluation import Sample, check_arguments, evaluate, layer_values, sample_loss
from .lazy import Lazy
from .losses import get_loss
from .network import Network
from .neuron import add_up
from .step_order import layer_parameters
from .trace import SampleTrace, StepTrace
from .wanted import Wanted

__all__ = ["Sample", "StepHooks", "Wanted", "check_sample", "evaluate", "layer_values", "sample_loss", "trace_step"]


def check_sample(network: Network, inputs: Sequence[float], targets: Sequence[float], index: int) -> None:
    n_in, n_out = len(network.input_layer.neurons), len(network.output_layer.neurons)
    if len(inputs) != n_in:
        raise NeurosimError(f"data: sample {index} has {len(inputs)} inputs, the network has {n_in}")
    if len(targets) != n_out:
        raise NeurosimError(f"data: sample {index} has {len(targets)} targets, the network has {n_out} outputs")


class StepHooks:
    """Where a step can be changed from outside the engine (used to reproduce named mistakes,
    see neurosim/check/mistakes.py). The default hooks change nothing. `rule` is the step's
    learning rule (its state before the step) while `prepare` runs."""

    rule = None

    def prepare(self, network: Network, samples: Sequence[Sample], conventions: Conventions) -> None:
        """Called at the start of each step, before the forward pass."""

    def dnet_dw(self, connection, sample: int) -> float:
        """The factor dnet_j/dw_ij of `connection` (source i → target j) for a sample: out_i."""
        return connection.calculate_dnet_dw()


class _Step:
    """One step in progress on `network`; `record` decides whether records are built (of `wanted`
    neurons and parameters only, if given)."""

    def __init__(self, network: Network, conventions: Conventions, record: bool, step: int, hooks=None,
                 rule=None, wanted: Wanted | None = None):
        self.network = network
        self.rule = rule if rule is not None else conventions.make_rule()  # its state: before this step
        self.rule_started = False
        self.conv = conventions
        self.hooks = hooks
        self.wanted = wanted
        self.keep = conventions.arithmetic.keeper()
        self.keep_param = conventions.arithmetic.param_keeper()
        self.store = conventions.arithmetic.storer()
        self.by_hand = conventions.arithmetic.round_to is not None  # E from the written outputs (core/combined.py)
        self.loss = network.step_loss(get_loss(conventions.loss), conventions)
        self.record = record
        self.step = step
        self.grad: dict[str, float] = {}  # Σ over the samples so far of each parameter's share
        self.parts: dict[str, list[tuple]] = {}  # each share's raw values (GradientPart.of makes it)
        self.updates: dict[str, tuple] = {}  # each ParameterUpdate's values (records.parameter_update)
        self.sample: int | None = None  # the sample in progress of a batch step (for messages)
        self.terms: list[float] = []
        self.new_values_sum = 0.0
        self.updated: set[str] = set()  # the shared parameters updated so far (each once a step)
        self.olds: dict[str, float] = {}  # each updated parameter's value before the step

    def run(self, samples: Sequence[Sample]) -> tuple[list[SampleTrace], float]:
        """The step on `samples`: (per-sample records, E_total before the update)."""
        self.sample = None
        try:
            with np.errstate(over="ignore", invalid="ignore"):  # float32 overflow: reported below
                return self._run(samples)
        except (OverflowError, ZeroDivisionError):
            self._diverged(self.sample, math.inf)

    def _diverged(self, sample: int | None, e_total: float):
        largest = largest_parameter(self.network, self.olds)  # at the start of the step, for the cause
        raise_diverged(self.network, self.step, sample, self.terms, e_total, self.conv, largest)

    def _run(self, samples: Sequence[Sample]) -> tuple[list[SampleTrace], float]:
        layers = self.network.layers[1:]
        sequential = self.conv.order == "sequential"
        self.network.prepare(self.conv)  # a SharedNetwork lays its kernels as the conventions say
        if self.hooks is not None:
            self.hooks.rule = self.rule
            self.hooks.prepare(self.network, samples, self.conv)
        sample_traces, losses = [], []
        for index, (inputs, targets) in enumerate(samples, start=1):
            if len(samples) > 1:
                self.sample = index
            check_sample(self.network, inputs, targets, index)
            trace, e_total = self._sample(index, inputs, tuple([float(t) for t in targets]), sequential,
                                          batch=len(samples) > 1)
            losses.append(e_total)
            if trace is not None:
                sample_traces.append(trace)
        total = add_up(losses)
        e_total = self.keep(total / len(samples) if self.conv.mode == "batch-mean" else total, LOSS)
        if not sequential:
            self._begin_rule(e_total)
            for layer in reversed(layers):
                self._update(layer, len(samples))
        if not math.isfinite(e_total + self.new_values_sum):
            self._diverged(None, e_total)
        return sample_traces, e_total

    def _sample(self, index: int, inputs, targets: tuple[float, ...], sequential: bool,
                batch: bool) -> tuple[SampleTrace | None, float]:
        """Forward pass, errors, and the backward pass with the gradient shares of one sample."""
        network, keep = self.network, self.keep
        network.forward(inputs, keep, self.store)
        forward_records = records.forward_records(network, self.wanted) if self.record else ()
        outputs = network.output_layer.neurons
        self.terms = network.output_layer.calculate_errors(targets, self.loss, keep, self.by_hand)
        e_total = keep(add_up(self.terms), LOSS)
        if sequential:
            self._begin_rule(e_total)
        backward_records = []
        conv = self.conv
        in_time_order = bool(getattr(network, "links", None))  # BPTT: the shares summed from t = 1 on
        for layer in reversed(network.layers[1:]):
            is_output = layer is network.output_layer
            parts = layer.backward(keep, targets if is_output else None, self.loss, conv.flat_spot,
                                   conv.tolerance)
            if not in_time_order:
                self._add_gradients(layer, index)
            if sequential:
                self._update(layer, 1)
            if self.record:
                tolerated = layer.tolerated(targets, conv.tolerance) if is_output else ()
                backward_records += records.backward_records(layer, parts, conv.flat_spot, tolerated, self.wanted)
        if in_time_order:
            for layer in network.layers[1:]:
                self._add_gradients(layer, index)
        if batch and not math.isfinite(e_total + sum(n.delta for layer in network.layers[1:] for n in layer.neurons)):
            self._diverged(self.sample, e_total)
        if not self.record:
            return None, e_total
        errors = records.output_errors(outputs, targets, self.terms)
        inputs_back = records.input_gradients(network.input_layer, keep, self.wanted)
        return SampleTrace(index, tuple(inputs), targets, forward_records, errors, e_total,
                           Lazy(backward_records, records.neuron_backward), inputs_back), e_total

    def _add_gradients(self, layer, sample: int) -> None:
        """Add this sample's share of dE/dp for every weight and bias feeding `layer`."""
        if not getattr(layer, "trainable", True):  # a pooling layer: no parameter
            return
        keep, grad, record, parts = self.keep, self.grad, self.record, self.parts
        dnet_dw = self.hooks.dnet_dw if self.hooks is not None else None
        from_delta = self.conv.arithmetic.gradient_from_delta
        wanted = None if self.wanted is None else self.wanted.parameters
        for neuron in layer.neurons:
            head = records.head_factors(neuron, from_delta) if record else ()  # shared by its incoming weights
            for conn in neuron.incoming:
                factor = conn.calculate_dnet_dw() if dnet_dw is None else dnet_dw(conn, sample)
                value = conn.calculate_gradient(factor, keep, from_delta)
                name = conn.name
                grad[name] = grad.get(name, 0.0) + value
                if record and (wanted is None or name in wanted):  # the share's record, made when read
                    shares = parts.get(name)
                    if shares is None:
                        parts[name] = [(sample, neuron.name, head, name, factor, value)]
                    else:
                        shares.append((sample, neuron.name, head, name, factor, value))
            bias = neuron.bias
            if bias is not None:
                value = neuron.calculate_dE_db()
                name = bias.name
                grad[name] = grad.get(name, 0.0) + value
                if record and (wanted is None or name in wanted):
                    parts.setdefault(name, []).append((sample, neuron.name, head, name, 1.0, value))

    def _begin_rule(self, e_total: float) -> None:
        """Tell the learning rule a step begins (once), with the step's E_total before its update."""
        if not self.rule_started:
            self.rule_started = True
            self.rule.begin_step(e_total)

    def _update(self, layer, n_samples: int) -> None:
        """p+ = p + Δp by the learning rule (plain: p - η·dE/dp) for every weight and bias feeding
        `layer` (biases only if not frozen; a shared parameter once a step: step_order.py); dE/dp is
        the sum of the samples' shares (batch-mean: their mean). The records go in the order Mazur
        works them: the layer's weights in naming order, then its biases."""
        keep, keep_param, apply, grad, olds, step = self.keep, self.keep_param, self.rule.apply, self.grad, self.olds, \
            self.step
        mean = n_samples != 1 and self.conv.mode == "batch-mean"
        reduction = "single" if n_samples == 1 else ("mean" if mean else "sum")
        update_biases, record, parts = self.conv.update_biases, self.record, self.parts
        wanted = None if self.wanted is None else self.wanted.parameters
        weights, biases = [], []  # (name, ParameterUpdate), in that order
        new_values_sum = self.new_values_sum
        for params in layer_parameters(layer, self.updated):
            for name, kind, obj in params:
                is_bias = kind == "bias"
                total = grad[name]
                gradient = keep(total / n_samples if mean else total, GRADIENT)
                old = obj.value if is_bias else obj.weight
                olds.setdefault(name, old)
                updated = update_biases or not is_bias
                rows_wanted = record and (wanted is None or name in wanted)
                new, change, rows = (apply(name, old, gradient, keep, keep_param, is_bias, step, rows_wanted)
                                     if updated else (old, 0.0, ()))
                obj.gradient = gradient
                if is_bias:
                    obj.value = new
                else:
                    obj.weight = new
                new_values_sum += new
                if record and name in parts:  # the record's values (records.parameter_update makes it)
                    (biases if is_bias else weights).append(
                        (name, (name, kind, parts[name], reduction, gradient, old, new, updated, change, rows)))
        self.new_values_sum = new_values_sum
        if record:
            self.updates.update(weights)
            self.updates.update(biases)


def check_step(samples: Sequence[Sample], conventions: Conventions) -> None:
    if not samples:
        raise NeurosimError("data: no samples")
    if conventions.mode == "online" and len(samples) != 1:
        raise NeurosimError(f"mode: 'online' takes one sample a step, got {len(samples)}")


def trace_step(network: Network, samples: Sequence[Sample], conventions: Conventions, *,
               step: int = 1, title: str = "", hooks: StepHooks | None = None, rule=None,
               wanted: Wanted | None = None) -> StepTrace:
    """Run one step on `samples` (one in online mode, all of them in batch mode), updating
    `network` in place, and return the record of every intermediate value (of the `wanted`
    neurons and parameters only, if given).

    `rule` is the learning rule object carrying its state from the steps before (a run passes the same one to every
    step; None: a fresh one). A step that fails (a NaN input, an overflow) leaves the network and rule as they were."""
    check_arguments(network, samples, conventions, step, title, hooks, rule, wanted)  # (and inputs, targets)
    check_step(samples, conventions)
    if conventions.time_update == "per_step" and not getattr(network, "at_one_time_step", True):
        from .time_steps import per_time_step  # real-time BPTT: a step is one time step of a sequence
        return per_time_step(trace_step, network, samples, conventions, step, title=title, hooks=hooks, rule=rule,
                             wanted=wanted)
    before = network.parameters() if wanted is not None else None  # E_decay of every parameter
    worker = _Step(network, conventions, record=True, step=step, hooks=hooks, rule=rule, wanted=wanted)
    sample_traces, e_total = run_restoring(worker, samples)  # a step that fails changes nothing
    keep, store = worker.keep, worker.store
    order = getattr(network, "update_order", None)  # a SharedNetwork: each shared parameter once, its order
    updates = Lazy(list(worker.updates.values()) if order is None  # in the order Mazur works them (_Step._update)
                   else [worker.updates[name] for name in order() if name in worker.updates], records.parameter_update)
    after = [network.layer_values(inputs, keep, store) for inputs, _ in samples]  # one forward pass for both
    values_after = tuple([
        tuple([(n.name, net, out) for layer, values in zip(network.layers[1:], sample_values)
               for n, (net, out) in zip(layer.neurons, values)])
        for sample_values in after])
    decay = worker.rule.p.get("weight_decay")  # E_decay: None without weight decay (Rule.penalty)
    n_out = len(network.output_layer.neurons)
    outputs_after = tuple([tuple([(name, out) for name, _, out in values[-n_out:]]) for values in values_after])
    return StepTrace(
        step=step, title=title, network_shape=network.shape_text(), activations=network.activations,
        bias_mode=network.bias_mode, conventions=conventions, samples=tuple(sample_traces),
        E_total=e_total,
        updates=updates,
        E_total_after=sample_loss(network, samples, conventions, after),
        outputs_after=outputs_after,
        values_after=values_after,
        E_decay=worker.rule.penalty(*records.decayed(network, updates, before, conventions)) if decay else None,
        **records.shared_fields(network),
    )


def untraced_step(network: Network, samples: Sequence[Sample], conventions: Conventions, *, step: int = 1,
                  hooks: StepHooks | None = None, rule=None) -> float:
    """The same step as `trace_step` on the same objects, without records; returns E_total."""
    check_step(samples, conventions)
    if conventions.time_update == "per_step" and not getattr(network, "at_one_time_step", True):
        from .time_steps import per_time_step
        return per_time_step(untraced_step, network, samples, conventions, step, hooks=hooks, rule=rule)
    return _Step(network, conventions, record=False, step=step, hooks=hooks, rule=rule).run(samples)[1]
