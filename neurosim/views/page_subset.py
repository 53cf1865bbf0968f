"""What a page draws and explains of a network (`Drawn`): every neuron of a layer of at most
MAX_TERMS, else its first two and last two — the same ones a long sum shows (elide.join_terms:
`w1·i1 + w2·i2 + … + w784·i784 + b1`), so every name left in an elided formula has a panel; the
weights between the neurons drawn, and their biases; of a batch step, the first SAMPLES samples
(or as many as the exercise's [report] samples says). `PageShown` makes the worked solution
(explain.py) write out exactly these, whatever the size of the network and of the batch.
"""

from __future__ import annotations

import attrs

from ..core.trace import StepTrace
from .elide import MAX_TERMS, Shown

HEAD, TAIL = 2, 2  # the neurons drawn of a long layer, as join_terms shows the terms of a long sum
SAMPLES = 4  # the samples of a batch step a page works out (their sums over every sample stay whole)


@attrs.frozen
class Drawn:
    """The neurons drawn, layer by layer from the inputs (internal names), how many each layer leaves
    out, the weights drawn as (weight, source, target), the biases as (bias, the neurons it feeds),
    the output neurons, and the samples of a batch step shown (0 for a one-sample step)."""

    layers: tuple[tuple[str, ...], ...]
    left_out: tuple[int, ...]
    weights: tuple[tuple[str, str, str], ...]
    biases: tuple[tuple[str, tuple[str, ...]], ...]
    outputs: tuple[str, ...]
    samples: int = 0

    @property
    def neurons(self) -> tuple[str, ...]:
        return tuple(n for layer in self.layers for n in layer)

    def wanted(self) -> frozenset[str]:
        """The quantity names whose worked-solution lines a page writes out (PageShown)."""
        names = {"E_total", "E_total+", "E_decay", "E_report", "change"}
        tags = [f"[{k}]" for k in range(1, self.samples + 1)] or [""]
        for n in self.neurons:
            names.update(f"{name}{tag}" for tag in tags for name in (
                f"net_{n}", f"out_{n}", f"dE/dout_{n}", f"dout_{n}/dnet_{n}", f"delta_{n}", f"E_{n}", f"out_{n}+"))
        for p in [w for w, _, _ in self.weights] + [b for b, _ in self.biases]:
            names.update((p, f"dE/d{p}", f"{p}+", f"Δ{p}"))
        return frozenset(names)


def kept_of(names: list[str]) -> tuple[list[str], int]:
    """All of a layer's neurons, or the first HEAD and last TAIL of a long one, and how many are left out."""
    if len(names) <= MAX_TERMS:
        return names, 0
    return names[:HEAD] + names[-TAIL:], len(names) - HEAD - TAIL


def drawn_of(trace: StepTrace, samples_shown: int | None = None) -> Drawn:
    """The neurons, weights and biases a page of `trace`'s network draws, and the samples it shows
    (`samples_shown`: the exercise's [report] samples)."""
    first = trace.samples[0]
    layers: dict[int, list[str]] = {0: [f"i{k}" for k in range(1, len(first.inputs) + 1)]}
    for f in first.forward:
        layers.setdefault(f.layer, []).append(f.neuron)
    kept, left_out = zip(*(kept_of(layers[k]) for k in sorted(layers)))
    shown = {n for layer in kept for n in layer}
    weights, biases = [], {}
    for f in first.forward:
        if f.neuron not in shown:
            continue
        weights += [(t.weight, t.source, f.neuron) for t in f.terms if t.source in shown]
        if f.bias is not None:
            biases.setdefault(f.bias, []).append(f.neuron)
    return Drawn(tuple(tuple(layer) for layer in kept), tuple(left_out), tuple(weights),
                 tuple((b, tuple(ns)) for b, ns in biases.items()), tuple(e.neuron for e in first.errors),
                 min(len(trace.samples), samples_shown or SAMPLES) if len(trace.samples) > 1 else 0)


@attrs.frozen
class PageShown(Shown):
    """Show exactly the row groups with a name in `names` (a set: 50,000 groups are looked up at
    once), long sums elided as the tables elide them."""

    names: frozenset[str] = frozenset()

    def wants(self, names) -> bool:
        return any(n in self.names for n in names)


def page_shown(drawn: Drawn) -> PageShown:
    return PageShown(only=("(the neurons and parameters a page draws)",), names=drawn.wanted())


def page_trace(trace: StepTrace, drawn: Drawn) -> StepTrace:
    """`trace` with only the parameters and the inputs' gradients a page explains (the worked solution
    of a 784-64-10 step then costs what it writes); the sums over them are kept whole (E_decay's over
    every parameter, so a step with weight decay keeps them all)."""
    parameters = {w for w, _, _ in drawn.weights} | {b for b, _ in drawn.biases}
    inputs = set(drawn.layers[0])
    samples = tuple(attrs.evolve(s, input_gradients=tuple(g for g in s.input_gradients if g.neuron in inputs))
                    for s in trace.samples)
    updates = trace.updates if trace.E_decay is not None else tuple(u for u in trace.updates if u.name in parameters)
    return attrs.evolve(trace, samples=samples, updates=updates)
