"""One traced step's records (core/trace.py) found by neuron and sample, by parameter, or by the
name of a learning rule's quantity: what the formula graph (graph.py) reads its formulas from."""

from __future__ import annotations

from ..trace import StepTrace


def source_name(source: str) -> str:
    """A term's source as a quantity: an input as it is (i1), a neuron by its output (out_h1)."""
    return source if source.startswith("i") else f"out_{source}"


class StepRecords:
    """One traced step's records, found by neuron and sample, parameter or rule quantity."""

    def __init__(self, trace: StepTrace):
        self.trace = trace
        self.batch = len(trace.samples) > 1
        self.forward, self.errors, self.backward, self.inputs_back = {}, {}, {}, {}
        self.samples = {s.index: s for s in trace.samples}
        self.layers: dict[int, list[str]] = {}
        for s in trace.samples:
            for f in s.forward:
                self.forward[(f.neuron, s.index)] = f
                if s is trace.samples[0]:
                    self.layers.setdefault(f.layer, []).append(f.neuron)
            for e in s.errors:
                self.errors[(e.neuron, s.index)] = e
            for b in s.backward:
                self.backward[(b.neuron, s.index)] = b
            for g in s.input_gradients:
                self.inputs_back[(g.neuron, s.index)] = g
        self.updates = {u.name: u for u in trace.updates}
        self.rule_rows = {r.name: (r, u) for u in trace.updates for r in u.rule}

    def tag(self, sample: int) -> str:
        return f"[{sample}]" if self.batch else ""

    def layer_of(self, neuron: str) -> list[str]:
        f = self.forward[(neuron, self.trace.samples[0].index)]
        return self.layers[f.layer]


    def weight_between(self, source: str, target: str, sample: int) -> str | None:
        """The weight from `source` to `target` (None if they are not joined)."""
        f = self.forward.get((target, sample))
        if f is None:
            return None
        for t in f.terms:
            if t.source == source:
                return t.weight
        return None
