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

from .activations import softmax_deltas, softmax_jacobian, softmax_values
from .conventions import Conventions
from .errors import NeurosimError, TrainingDiverged
from .losses import get_loss
from .network import Network
from .trace import (
    Contribution, Factor, GradientPart, NeuronBackward, NeuronForward, OutputError,
    ParameterUpdate, SampleTrace, StepTrace, Term,
)

Sample = tuple[Sequence[float], Sequence[float]]
# Above this many weights NeuronLoop does not write the step out: compiling the code takes ~25 ms
# and ~6 MB at this size, and grows with it (a 784-100-10 network: 2 s and 570 MB).
UNROLL_MAX_WEIGHTS = 1000


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


def fast_step(network: Network, samples: Sequence[Sample], conventions: Conventions, *, step: int = 1,
              hooks: StepHooks | None = None) -> float:
    """The same step as `trace_step` without records; returns E_total (before the update)."""
    _check_step(samples, conventions)
    if hooks is not None or not conventions.arithmetic.is_exact_float64:
        return _Step(network, conventions, record=False, step=step, hooks=hooks).run(samples)[1]
    loop = NeuronLoop(network, conventions)
    e_total = loop.step(samples, step)
    loop.store_into(network)
    return e_total


def float_samples(samples: Sequence[Sample]) -> list[tuple[tuple[float, ...], tuple[float, ...]]]:
    """The samples as tuples of Python floats (inputs and targets exactly as written, float64)."""
    return [(tuple(map(float, inputs)), tuple(map(float, targets))) for inputs, targets in samples]


class NeuronLoop:
    """The untraced step of the neuron-level engine, on plain Python floats (float64).

    The parameters are one flat tuple, `params` (layer by layer: the weights neuron by neuron,
    each in source order, then the layer's biases; see `unrolled`). A one-sample step runs the
    step written out for this network's shape (`unrolled.online_step`); a step on several
    samples runs the loops of `_step`, and so does every step of a network of more than
    UNROLL_MAX_WEIGHTS weights (`unrolled` is False: the written-out code grows with the weights,
    and the loops' overhead matters less in wide layers). The arithmetic is that of `trace_step`,
    operation for operation, so the results are identical to the last bit; it only skips the
    records. `store_into` writes the parameters back into the network's objects. Float32 and
    hand-rounded arithmetic take the general `_Step` (every quantity through `keep`).

    A step yields E_total and a new tuple p+; it is kept only if E_total + Σ p+ is finite.
    Otherwise (or on an overflow) the step is re-run from the parameters before it on the
    general engine, which names the step and the neuron (`_general_step`).
    """

    def __init__(self, network: Network, conventions: Conventions):
        layers = network.layers[1:]
        self.conv = conventions
        self.acts = [layer.activation for layer in layers]
        self.sizes = network.sizes
        self.bias_mode = network.bias_mode
        self.shared = network.bias_mode == "shared"
        W = [[[c.weight for c in n.incoming] for n in layer.neurons] for layer in layers]
        B = [None if network.bias_mode == "none" else [n.bias.value for n in layer.neurons] for layer in layers]
        self.params = self._flat(W, B)
        loss = get_loss(conventions.loss)
        self.term, self.derivative = loss.term, loss.derivative
        self.unrolled = sum(a * b for a, b in zip(self.sizes, self.sizes[1:])) <= UNROLL_MAX_WEIGHTS
        self._online = None  # larger networks: one sample through the loops of `_step`
        if self.unrolled:
            from .unrolled import online_step  # only runs that train untraced steps need it
            self._online = online_step(tuple(self.sizes), tuple(self.acts), self.bias_mode, loss,
                                       conventions.learning_rate, conventions.order == "sequential",
                                       conventions.update_biases)

    def __repr__(self) -> str:
        return f"NeuronLoop({'-'.join(map(str, self.sizes))}, {self.conv.order}, {self.conv.mode})"

    def store_into(self, network: Network) -> None:
        W, B = self._nested(self.params)
        for layer, Wl, Bl in zip(network.layers[1:], W, B):
            for neuron, weights in zip(layer.neurons, Wl):
                for conn, w in zip(neuron.incoming, weights):
                    conn.weight = w
            if Bl is not None:
                for neuron, b in zip(layer.neurons, Bl):
                    neuron.bias.value = b

    def step(self, samples: Sequence[Sample], step: int = 1) -> float:
        """One step on `samples`; returns E_total before the update. A non-finite value (or an
        overflow) re-runs the step on the general engine, which names the step and the neuron."""
        return self.run(float_samples(samples), [(0, len(samples))], step)

    def run(self, data: Sequence[tuple[tuple[float, ...], tuple[float, ...]]],
            batches: Sequence[tuple[int, int]], first_step: int = 1) -> float:
        """Steps first_step, first_step + 1, … on data[a:b] for each (a, b) of `batches`
        (`data` as `float_samples` gives it); returns E_total of the last step, before its update."""
        online, params, e_total = self._online, self.params, math.nan
        for step, (a, b) in enumerate(batches, start=first_step):
            try:
                if b - a == 1 and online is not None:
                    x, t = data[a]
                    e_total, new = online(x, t, params)
                else:
                    e_total, new = self._step(params, data[a:b])
                finite = math.isfinite(e_total + sum(new))
            except (OverflowError, ZeroDivisionError):
                finite = False
            if finite:
                params = new
            else:
                self.params = params
                e_total = self._general_step(data[a:b], step)
                params = self.params
        self.params = params
        return e_total

    def _general_step(self, samples, step: int) -> float:
        """Re-run a step that went non-finite on `_Step`, from the parameters before it: it raises
        TrainingDiverged naming the step and the neuron (or, if all was finite after all, finishes it)."""
        network = _assemble_like(self, *self._nested(self.params))
        e_total = _Step(network, self.conv, record=False, step=step).run(samples)[1]
        self.__init__(network, self.conv)  # the general engine finished the step: carry on from it
        return e_total

    def _nested(self, params) -> tuple[list, list]:
        """(W, B) as lists from the flat tuple: W[l][j] the incoming weights of neuron j of layer l
        (in source order), B[l][j] its bias (a shared bias repeated for every neuron), B[l] None
        without biases."""
        W, B, k = [], [], 0
        for m, n in zip(self.sizes, self.sizes[1:]):
            W.append([list(params[k + j * m:k + (j + 1) * m]) for j in range(n)])
            k += m * n
            if self.bias_mode == "none":
                B.append(None)
            elif self.shared:
                B.append([params[k]] * n)
                k += 1
            else:
                B.append(list(params[k:k + n]))
                k += n
        return W, B

    def _flat(self, W, B) -> tuple[float, ...]:
        """The flat tuple of (W, B) (the inverse of `_nested`)."""
        flat = []
        for Wl, Bl in zip(W, B):
            for ws in Wl:
                flat += ws
            if Bl is not None:
                flat += Bl[:1] if self.shared else Bl
        return tuple(flat)

    def _step(self, params, samples) -> tuple[float, tuple[float, ...]]:
        """A step on the samples (float pairs): dE/dp summed over them, p+ = p - η·dE/dp
        (batch-mean: dE/dp / n; sequential order: each layer updated as soon as its share is in).
        Returns E_total before the update and p+ (as a flat tuple, like `params`)."""
        # Plain loops, as in the seed's code: for layers this small they beat comprehensions and
        # NumPy. Every sum is a running `+=` in source order, every product the one `_Step` forms.
        conv = self.conv
        lr, shared, mean = conv.learning_rate, self.shared, conv.mode == "batch-mean"
        sequential = conv.order == "sequential"
        acts, term, derivative = self.acts, self.term, self.derivative
        W, B = self._nested(params)
        n_layers, n_samples = len(W), len(samples)
        gW = [None] * n_layers  # per-sample gradients, summed over the samples of the step
        gB = [None] * n_layers
        e_sum = 0.0
        for inputs, targets in samples:
            x = inputs
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
            n, e, dE_dout = len(x), 0.0, []
            for t, o in zip(targets, x):
                e += term(t, o, n)
                dE_dout.append(derivative(t, o, n))
            e_sum += e
            for l in range(n_layers - 1, -1, -1):
                act, out, source = acts[l], outs[l + 1], outs[l]
                if act.layer_level:
                    delta = softmax_deltas(dE_dout, out)
                else:
                    dfn = act.derivative_from
                    delta = [d * dfn(z, o) for d, z, o in zip(dE_dout, nets[l], out)]
                if gW[l] is None:
                    gW[l] = [[d * o for o in source] for d in delta]
                    gB[l] = [0.0] * len(delta)
                else:
                    for gs, d in zip(gW[l], delta):
                        for i, o in enumerate(source):
                            gs[i] += d * o
                gb = gB[l]
                if shared:  # one sum over the samples and the layer's neurons, in that order
                    for d in delta:
                        gb[0] += d
                else:
                    for k, d in enumerate(delta):
                        gb[k] += d
                if sequential:
                    self._update(W, B, gW, gB, l, 1, lr)
                if l:
                    dE_dout = [0.0] * len(source)
                    for d, ws in zip(delta, W[l]):
                        for i, w in enumerate(ws):
                            dE_dout[i] += d * w
        if not sequential:
            for l in range(n_layers - 1, -1, -1):
                self._update(W, B, gW, gB, l, n_samples, lr)
        return (e_sum / n_samples if mean else e_sum), self._flat(W, B)

    def _update(self, W, B, gW, gB, l, n_samples, lr) -> None:
        """p+ = p - η·dE/dp for layer l (replacing W[l], B[l])."""
        mean = n_samples > 1 and self.conv.mode == "batch-mean"
        rows = []
        for ws, gs in zip(W[l], gW[l]):
            row = []
            for w, g in zip(ws, gs):
                if mean:
                    g = g / n_samples
                row.append(w - lr * g)
            rows.append(row)
        W[l] = rows
        if B[l] is not None:
            grads = [gB[l][0]] * len(B[l]) if self.shared else gB[l]
            if mean:
                grads = [g / n_samples for g in grads]
            if self.conv.update_biases:
                B[l] = [b - lr * g for b, g in zip(B[l], grads)]


def _add_up(values) -> float:
    """Σ values as a running sum from 0.0 in the given order (the one order every engine uses)."""
    total = 0.0
    for v in values:
        total += v
    return total


def _assemble_like(loop: NeuronLoop, W, B) -> Network:
    """A network with the loop's shape and the given parameters (for re-running a failed step)."""
    from .network import _assemble
    weights = [w for Wl in W for ws in Wl for w in ws]
    biases = []
    for Bl in B:
        if Bl is not None:
            biases += Bl[:1] if loop.shared else Bl
    bias_mode = "none" if all(Bl is None for Bl in B) else ("shared" if loop.shared else "per-neuron")
    return _assemble(loop.sizes, loop.acts, weights, biases, bias_mode)


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
