"""A learning rule (core/rules) applied to the neuron loop's parameters: the step computes the
gradients, `RuleApplier` updates every parameter by name with `Rule.update` — the very calls the
traced step makes (core/step.py), in float64, so the two agree to the last bit. Frozen biases
keep their values.

The parameters are the loop's flat tuple (layer by layer: the weights neuron by neuron, then the
layer's biases, one if shared; see unrolled.py), or per layer W[l], B[l] in the loops of
`NeuronLoop._step` (a shared bias repeated for every neuron).
"""

from __future__ import annotations

from ..core.network import Network


class RuleApplier:
    """Updates the neuron loop's parameters with `rule` (see the module docstring)."""

    def __init__(self, network: Network, rule, update_biases: bool):
        self.rule = rule
        self.update_biases = update_biases
        self.weights: list[list[list[str]]] = []  # per layer, per neuron: the names of its weights
        self.biases: list[list[str] | None] = []  # per layer: the bias names (one if shared)
        items = []
        for layer in network.layers[1:]:
            names = [[c.name for c in n.incoming] for n in layer.neurons]
            self.weights.append(names)
            items += [(name, False, True) for row in names for name in row]
            if network.bias_mode == "none":
                self.biases.append(None)
                continue
            biases = [b.name for b in layer.biases()]
            self.biases.append(biases)
            items += [(name, True, update_biases) for name in biases]
        self.items = tuple(items)

    def __repr__(self) -> str:
        return f"RuleApplier({self.rule!r}, {len(self.items)} parameters)"

    def apply(self, params, grads, e_total: float) -> tuple[float, ...]:
        """p+ for the flat tuples `params` and `grads` (a new step, with E_total before it)."""
        rule = self.rule
        rule.begin_step(e_total)
        update = rule.update
        new = []
        for (name, bias, updated), p, g in zip(self.items, params, grads):
            new.append(update(name, p, g, float, float, bias)[0] if updated else p)
        return tuple(new)

    def begin(self, e_total: float) -> None:
        self.rule.begin_step(e_total)

    def update_layer(self, W, B, gW, gB, l: int, n_samples: int, mean: bool, shared: bool) -> None:
        """Replace W[l] and B[l] by their updates from the summed gradients gW[l], gB[l] (batch-mean:
        divided by `n_samples`, as the traced step does)."""
        update = self.rule.update
        rows = []
        for names, ws, gs in zip(self.weights[l], W[l], gW[l]):
            rows.append([update(name, w, g / n_samples if mean else g, float, float, False)[0]
                         for name, w, g in zip(names, ws, gs)])
        W[l] = rows
        if B[l] is None or not self.update_biases:
            return
        names = self.biases[l]
        grads = gB[l][:1] if shared else gB[l]
        new = [update(name, b, g / n_samples if mean else g, float, float, True)[0]
               for name, b, g in zip(names, B[l], grads)]
        B[l] = new * len(B[l]) if shared else new

    def save(self) -> tuple:
        """The rule's state before a step (an update replaces a parameter's state, never changes it)."""
        rule = self.rule
        return dict(rule.state), rule.t, rule.E, rule.E_prev

    def restore(self, saved: tuple) -> None:
        rule = self.rule
        state, rule.t, rule.E, rule.E_prev = saved
        rule.state = dict(state)
