"""The untraced step of the neuron-level engine: the same step as core.step (Neuron/Layer), written
for speed on plain Python floats, proven equal to it bit for bit (tests/test_unrolled.py,
tests/test_engines.py).

`fast_step` runs one step without records: on `NeuronLoop` for float64, on the traced step's
objects (core.step) for float32, hand rounding and engine hooks.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from ..core.activations import softmax_deltas
from ..core.combined import combined_output
from ..core.conventions import Conventions
from ..core.evaluation import check_arguments
from ..core.losses import get_loss
from ..core.network import Network, _assemble
from ..core.step import Sample, StepHooks, check_step, untraced_step
from .list_forward import forward_lists, loss_over
from .rule_update import RuleApplier

# Above this many weights NeuronLoop does not write the step out: compiling the code takes ~25 ms
# and ~6 MB at this size, and grows with it (a 784-100-10 network: 2 s and 570 MB).
UNROLL_MAX_WEIGHTS = 1000


def fast_step(network: Network, samples: Sequence[Sample], conventions: Conventions, *, step: int = 1,
              hooks: StepHooks | None = None, rule=None) -> float:
    """The same step as `trace_step` without records; returns E_total (before the update). `rule`:
    the learning rule carrying its state from the steps before (None: a fresh one). Its arguments are
    checked when the step fails (a NeurosimError naming the one that is wrong), not before each step."""
    try:
        check_step(samples, conventions)
        if hooks is not None or not conventions.arithmetic.is_exact_float64 or getattr(network, "architecture", None):
            return untraced_step(network, samples, conventions, step=step, hooks=hooks, rule=rule)
        loop = NeuronLoop(network, conventions, rule)
        e_total = loop.step(samples, step)
    except (ArithmeticError, AttributeError, LookupError, TypeError, ValueError):  # NeurosimError, TrainingDiverged
        check_arguments(network, samples, conventions, step, "", hooks, rule, None)  # names a wrong one
        raise
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
    hand-rounded arithmetic take the traced step's objects (core.step.untraced_step: every quantity
    through `keep`).

    A step yields E_total and a new tuple p+; it is kept only if E_total + Σ p+ is finite.
    Otherwise (or on an overflow) the step is re-run from the parameters before it on the
    general engine, which names the step and the neuron (`_general_step`).

    A learning rule other than plain gradient descent (`rule`, core/rules) gets the step's
    gradients and updates the parameters one by one by name (`rule_update.RuleApplier`), exactly
    as the traced step calls it.
    """

    def __init__(self, network: Network, conventions: Conventions, rule=None):
        layers = network.layers[1:]
        self.conv = conventions
        self.rule = rule if rule is not None else conventions.make_rule()
        self.applier = None if self.rule.plain else RuleApplier(network, self.rule, conventions.update_biases)
        self.acts = [layer.activation for layer in layers]
        self.sizes = network.sizes
        self.bias_mode = network.bias_mode
        self.shared = network.bias_mode == "shared"
        W = [[[c.weight for c in n.incoming] for n in layer.neurons] for layer in layers]
        B = [None if network.bias_mode == "none" else [n.bias.value for n in layer.neurons] for layer in layers]
        self.params = self._flat(W, B)
        loss = get_loss(conventions.loss)
        self.term, self.derivative = loss.term, loss.derivative
        # delta = out - target … (core/combined.py), unless SNNS's flat spot or tolerance change the factors
        plain_factors = not conventions.flat_spot and not conventions.tolerance
        self.combined = combined_output(self.acts[-1], loss) if plain_factors else None
        self.unrolled = sum(a * b for a, b in zip(self.sizes, self.sizes[1:])) <= UNROLL_MAX_WEIGHTS
        self._online = None  # larger networks: one sample through the loops of `_step`
        sequential = conventions.order == "sequential"
        if self.unrolled and not (self.applier and sequential):  # a rule, sequential: the loops of `_step`
            from .unrolled import online_step  # only runs that train untraced steps need it
            self._online = online_step(tuple(self.sizes), tuple(self.acts), self.bias_mode, loss,
                                       conventions.learning_rate, sequential, conventions.update_biases,
                                       self.applier is not None, conventions.flat_spot, conventions.tolerance)

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
        online, params, e_total, applier = self._online, self.params, math.nan, self.applier
        for step, (a, b) in enumerate(batches, start=first_step):
            saved = applier.save() if applier else None
            try:
                if b - a == 1 and online is not None:
                    x, t = data[a]
                    e_total, new = online(x, t, params)
                    if applier:  # `new` holds the gradients
                        new = applier.apply(params, new, e_total)
                else:
                    e_total, new = self._step(params, data[a:b])
                finite = math.isfinite(e_total + sum(new))
            except (OverflowError, ZeroDivisionError):
                finite = False
            if finite:
                params = new
            else:
                if applier:
                    applier.restore(saved)
                self.params = params
                e_total = self._general_step(data[a:b], step)
                params = self.params
        self.params = params
        return e_total

    def _general_step(self, samples, step: int) -> float:
        """Re-run a step that went non-finite on the objects (core.step), from the parameters before it: it raises
        TrainingDiverged naming the step and the neuron (or, if all was finite after all, finishes it)."""
        network = _assemble_like(self, *self._nested(self.params))
        e_total = untraced_step(network, samples, self.conv, step=step, rule=self.rule)
        self.__init__(network, self.conv, self.rule)  # the general engine finished the step: carry on from it
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
        # NumPy. Every sum is a running `+=` in source order, every product the one Neuron/Connection forms.
        conv = self.conv
        lr, shared, mean = conv.learning_rate, self.shared, conv.mode == "batch-mean"
        sequential = conv.order == "sequential"
        acts, combined = self.acts, self.combined
        W, B = self._nested(params)
        n_layers, n_samples = len(W), len(samples)
        gW = [None] * n_layers  # per-sample gradients, summed over the samples of the step
        gB = [None] * n_layers
        e_sum = 0.0
        for inputs, targets in samples:
            nets, outs = forward_lists(W, B, acts, inputs)
            e, dE_dout, top_delta = self._output(targets, nets[-1], outs[-1])
            e_sum += e
            if sequential and self.applier:
                self.applier.begin(e)
            for l in range(n_layers - 1, -1, -1):
                act, out, source = acts[l], outs[l + 1], outs[l]
                if combined is not None and l == n_layers - 1:
                    delta = top_delta
                elif act.layer_level:
                    delta = softmax_deltas(dE_dout, out)
                else:
                    dfn, c = act.derivative_from, conv.flat_spot
                    delta = [d * (dfn(z, o) + c) if c else d * dfn(z, o) for d, z, o in zip(dE_dout, nets[l], out)]
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
        e_total = e_sum / n_samples if mean else e_sum
        if not sequential:
            if self.applier:
                self.applier.begin(e_total)
            for l in range(n_layers - 1, -1, -1):
                self._update(W, B, gW, gB, l, n_samples, lr)
        return e_total, self._flat(W, B)

    def _errors(self, targets, x) -> tuple[float, list[float]]:
        """E_total of one sample (0.0 + Σ_j term) and dE/dout of every output (0.0 within the tolerance)."""
        term, derivative, tolerance = self.term, self.derivative, self.conv.tolerance
        n, e, dE_dout = len(x), 0.0, []
        for t, o in zip(targets, x):
            e += term(t, o, n)
            dE_dout.append(0.0 if tolerance and abs(t - o) <= tolerance else derivative(t, o, n))
        return e, dE_dout

    def evaluate(self, data, outputs: bool = False) -> tuple[float, tuple[tuple[float, ...], ...]]:
        """(E_total over `data` with the current parameters, computed as core.evaluation.sample_loss
        computes it, to the last bit; and, if `outputs`, every sample's outputs)."""
        W, B = self._nested(self.params)
        return loss_over(W, B, self.acts, data, self.term, self.combined, self.conv.mode == "batch-mean", outputs)

    def _output(self, targets, nets, outs) -> tuple[float, list[float], list[float] | None]:
        """(E_total, dE/dout, None) of one sample's outputs; with a combined form (core/combined.py)
        (E_total from the nets, [], the deltas out - target …)."""
        if self.combined is None:
            return (*self._errors(targets, outs), None)
        n, e = len(outs), 0.0
        for v in self.combined.terms(targets, nets, n):
            e += v
        return e, [], self.combined.deltas(targets, outs, n)

    def _update(self, W, B, gW, gB, l, n_samples, lr) -> None:
        """p+ = p - η·dE/dp for layer l (replacing W[l], B[l]); with a learning rule, the rule's p+."""
        mean = n_samples > 1 and self.conv.mode == "batch-mean"
        if self.applier:
            self.applier.update_layer(W, B, gW, gB, l, n_samples, mean, self.shared)
            return
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


def _assemble_like(loop: NeuronLoop, W, B) -> Network:
    """A network with the loop's shape and the given parameters (for re-running a failed step)."""
    weights = [w for Wl in W for ws in Wl for w in ws]
    biases = []
    for Bl in B:
        if Bl is not None:
            biases += Bl[:1] if loop.shared else Bl
    bias_mode = "none" if all(Bl is None for Bl in B) else ("shared" if loop.shared else "per-neuron")
    return _assemble(loop.sizes, loop.acts, weights, biases, bias_mode)
