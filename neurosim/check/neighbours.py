"""The quantities a person may use in place of another by mistake — its neighbours on the page:

    a sibling      the same kind of value of another neuron of the same layer (out_h2 for out_h1),
                   a weight beside it into the same neuron or out of the same one (w6 for w5), the
                   weight at the same place in another layer (w1 for w5), the transposed weight
                   (w3 for w2: i1→h2 for i2→h1), another output's target
    another kind   another value of the same neuron (net_o1, dE/dout_o1 or delta_o1 for out_o1;
                   dE/dw5 or Δw5 for w5; mhat_w5 for m_w5)
    before/after   the new weight for the old (w5+ for w5) and the reverse
    another sample the same value of another sample of a batch (net_h1[2] for net_h1[1])
    the step before the same value at the step before (v_w5@1 for v_w5@2), if traced

Only names that have a value in the step qualify. Nothing here prints.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core.formulas import StepFormulas
from ..core.notation.quantity import Quantity, format_name, parse

NEURON_KINDS = ("net", "out", "target", "dE_dout", "dout_dnet", "delta")
SIDE = 2  # the weights this many places on either side count as beside a weight
PARAMETER_KINDS = ("param", "gradient", "change")


def neighbours(graph: StepFormulas, step: int, name: str) -> Iterator[tuple[int, str]]:
    """The keys (step, name) of `name`'s neighbours at `step` (see the module docstring), each once."""
    q = parse(name)
    if q is None or step not in graph.records:
        return
    seen = {(step, name)}
    for candidate in _candidates(graph, step, q):
        key = candidate if isinstance(candidate, tuple) else (step, candidate)
        if key not in seen and graph.value(*key) is not None:
            seen.add(key)
            yield key


def _candidates(graph: StepFormulas, step: int, q: Quantity) -> Iterator:
    places = Places(graph, step)
    text = format_name(q)
    if q.kind in NEURON_KINDS or q.kind == "error":
        for sibling in places.siblings(q.subject):
            yield format_name(_with(q, subject=sibling))
        for kind in NEURON_KINDS:
            if kind != q.kind:
                yield format_name(_with(q, kind=kind, plus=False))
    elif q.kind == "input":
        for sibling in places.inputs():
            yield _tagged(sibling, q.sample)
    elif q.kind in PARAMETER_KINDS or q.kind == "rule_state":
        for sibling in places.parameter_siblings(q.subject):
            yield format_name(_with(q, subject=sibling))
        for kind in PARAMETER_KINDS:
            if kind != q.kind:
                yield format_name(_with(q, kind=kind, other="", plus=False))
        for prefix in places.rule_prefixes(q.subject):
            if not (q.kind == "rule_state" and prefix == q.other):
                yield format_name(_with(q, kind="rule_state", other=prefix, plus=False))
    elif q.kind == "contribution":
        yield from (format_name(_with(q, other=k)) for k in places.siblings(q.other))
        yield from (format_name(_with(q, subject=h)) for h in places.siblings(q.subject))
    yield format_name(_with(q, plus=not q.plus))
    for sample in places.samples():
        if q.sample is not None and sample != q.sample:
            yield format_name(_with(q, sample=sample))
    if step - 1 in graph.steps:
        yield (step - 1, text)


def _with(q: Quantity, **changes) -> Quantity:
    fields = {"kind": q.kind, "subject": q.subject, "other": q.other, "plus": q.plus, "sample": q.sample}
    fields.update(changes)
    return Quantity(**fields)


def _tagged(name: str, sample: int | None) -> str:
    return name if sample is None else f"{name}[{sample}]"


class Places:
    """Where neurons and parameters sit in a traced step (from its forward records)."""

    def __init__(self, graph: StepFormulas, step: int):
        self.records = graph.records[step]

    def siblings(self, neuron: str) -> list[str]:
        """The other neurons of `neuron`'s layer."""
        try:
            return [n for n in self.records.layer_of(neuron) if n != neuron]
        except KeyError:
            return []

    def inputs(self) -> list[str]:
        first = self.records.trace.samples[0]
        return [f"i{k}" for k in range(1, len(first.inputs) + 1)]

    def samples(self) -> list[int]:
        return list(self.records.samples) if self.records.batch else []

    def parameter_siblings(self, parameter: str) -> list[str]:
        """The weights beside it into the same neuron and out of the same neuron (two on each side),
        the weight at the same place in the other layers, and the transposed one (j→i for i→j, a
        matrix used without transposing it); for a bias, the other biases."""
        rec = self.records
        places = _weight_places(rec)
        if parameter not in places:
            return [u.name for u in rec.trace.updates if u.kind == "bias" and u.name != parameter]
        source, target, layer, index, s, t = places[parameter]
        found = []
        for w, (s2, t2, l2, i2, sp, tp) in places.items():
            if w == parameter:
                continue
            beside = (t2 == target and abs(sp - s) <= SIDE) or (s2 == source and abs(tp - t) <= SIDE)
            if beside or (l2 != layer and i2 == index) or (l2 == layer and (sp, tp) == (t, s)):
                found.append(w)
        return found

    def rule_prefixes(self, parameter: str) -> list[str]:
        """The learning rule's state prefixes recorded for `parameter` (v, m, mhat …)."""
        u = self.records.updates.get(parameter)
        if u is None:
            return []
        prefixes = []
        for row in u.rule:
            q = parse(row.name)
            if q is not None and q.kind == "rule_state" and q.other not in prefixes:
                prefixes.append(q.other)
        return prefixes


def _weight_places(rec) -> dict[str, tuple[str, str, int, int, int, int]]:
    """weight → (source, target, layer, index among its layer's weights, source's place among the
    target's sources, target's place in its layer), from the first sample."""
    cached = getattr(rec, "_weight_places", None)
    if cached is not None:
        return cached
    places, counters = {}, {}
    first = rec.trace.samples[0].index
    for (_, sample), f in rec.forward.items():
        if sample != first:
            continue
        target_place = rec.layers[f.layer].index(f.neuron)
        for source_place, t in enumerate(f.terms):
            index = counters.get(f.layer, 0)
            counters[f.layer] = index + 1
            places[t.weight] = (t.source, f.neuron, f.layer, index, source_place, target_place)
    rec._weight_places = places
    return places
