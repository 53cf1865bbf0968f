"""What every stage table of a step shares (`StageTables`): numbers as written, sums and tables
elided at size (elide.py), and the per-step tables — gradients and updates, the learning rule's rows,
the values after the update. stages.py adds the per-sample stages (forward pass, errors, deltas).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..core.trace import ParameterUpdate, SampleTrace, StepTrace
from ..messages import N_, said, say
from .elide import ELIDED_AT_SIZE, MAX_TERMS, RowGroup, Shown, join_terms, select_rows
from .numbers import fmt, fmt_operand
from .rule_rows import HEADERS as RULE_HEADERS
from .rule_rows import parameter_rows, shows_rule
from .tables import Table

STAGE_HEADERS = (N_("quantity"), N_("formula"), N_("with the numbers"), N_("value"))  # said where shown


def time_step(name: str) -> int:
    """The time step of an unrolled recurrent network's neuron (h1_t2: 2), 0 for any other."""
    head, _, t = name.rpartition("_t")
    return int(t) if head and t.isdigit() else 0


def layer_kind(name: str) -> str:
    """What kind of layer a neuron's name says it is in: time (h1_t2), conv (c1_11), pool (p1_11)."""
    if time_step(name):
        return "time"
    return {"c": "conv", "p": "pool"}.get(name[:1], "")


class StageTables:
    """The rows and tables of one step that do not depend on a sample; `shown` says what they show
    at size (elide.py)."""

    def __init__(self, trace: StepTrace, digits: int, shown: Shown = ELIDED_AT_SIZE):
        self.trace = trace
        self.d = digits
        self.shown = shown
        self.batch = len(trace.samples) > 1

    def join(self, terms: Sequence[str], joiner: str = " + ", count: str = "", limit: int = MAX_TERMS) -> str:
        """Terms joined, elided beyond `limit` unless everything is shown (`count`: with the count)."""
        return join_terms(terms, joiner, self.shown.full, count, limit)

    def sum_text(self, values: Sequence[float]) -> str:
        """v1 + v2 + … with the numbers as operands (negative ones in parentheses)."""
        if not values:
            return "0"
        return self.join([self.n(values[0])] + [self.o(v) for v in values[1:]])

    def names(self, sample: SampleTrace | None, *names: str) -> tuple[str, ...]:
        """Quantity names of a row group, also with the sample tag of a batch step (net_h1, net_h1[2])."""
        tag = self.tag(sample) if sample is not None else ""
        return names + tuple(f"{n}{tag}" for n in names) if tag else names

    def table(self, title: str, headers: tuple[str, ...], groups: list[RowGroup], what: str,
              largest: str | None = None, sample: int | None = None) -> Table | None:
        """A stage table of the groups shown (None when --only leaves none of them); `sample`: the
        sample of a batch step it is about."""
        rows, note = select_rows(groups, self.shown, len(headers), what, largest)
        return Table(title, headers, rows, note, sample=sample) if rows else None

    def n(self, value: float) -> str:
        return fmt(value, self.d)

    def o(self, value: float) -> str:
        return fmt_operand(value, self.d)

    def tag(self, sample: SampleTrace) -> str:
        return f"[{sample.index}]" if self.batch else ""

    def suffix(self, sample: SampleTrace) -> str:
        return say(" — sample {index} of {count}", index=sample.index, count=len(self.trace.samples)) \
            if self.batch else ""

    def index(self, sample: SampleTrace) -> int | None:
        """The sample's number in a batch step (None in a one-sample step)."""
        return sample.index if self.batch else None

    def decay_row(self) -> tuple[str, ...]:
        """E_decay = λ/2·Σp²: the L2 term coupled weight decay descends (shown, not added to E_total)."""
        rule = self.trace.conventions.rule
        decayed = sorted((u for u in self.trace.updates if any(r.name == f"grad_{u.name}" for r in u.rule)),
                         key=lambda u: (u.kind != "weight", len(u.name), u.name))  # w1 … w8, then the biases
        symbols = self.join([f"{u.name}²" for u in decayed], count="terms")
        numbers = self.join([f"{self.o(u.old)}²" for u in decayed])
        lam = self.o(rule.get("weight_decay"))
        return ("E_decay", f"λ/2·({symbols})   ({say('weight decay; not in E_total')})", f"{lam}/2·({numbers})",
                self.n(self.trace.E_decay))

    # -- per step -----------------------------------------------------------------------------
    def updates(self) -> list[Table]:
        conv = self.trace.conventions
        lr = fmt(conv.learning_rate, self.d)
        by_layer: dict[str, list[ParameterUpdate]] = {}
        layer_of = {}
        for sample in self.trace.samples[:1]:
            for f in sample.forward:
                layer_of[f.neuron] = f.layer
        top = max(layer_of.values())
        for u in self.trace.updates:
            last = u.parts[-1].neuron  # the layer of its last share: a Jordan layer's W_hy is the output layer's
            index, kind = layer_of[last], layer_kind(last)
            label = say("output layer") if index == top else (
                say("recurrent layer (every time step)") if kind == "time" else say("conv layer") if kind == "conv"
                else say("hidden layer") if top == 2 else say("hidden layer {index}", index=index))
            by_layer.setdefault(label, []).append(u)
        plain = conv.rule.plain
        last = f"p+ = p - {lr}·dE/dp" if plain else say("p+ = p + Δp (the learning rule's rows below)")
        headers = (say("parameter"), say("dE/dp = chain rule"), say("with the numbers"), "dE/dp", "p", last)
        tables = []
        for label, updates in by_layer.items():
            groups = [RowGroup(u.name, (u.name, f"dE/d{u.name}", f"{u.name}+"), (("dE/dp", u.name, u.gradient),),
                               1, lambda u=u: [self.update_row(u)]) for u in updates]
            title = say("Gradients and updates: {layer} (η = {rate})", layer=label, rate=lr)
            table = self.table(title, headers, groups, "parameters", largest="dE/dp")
            if table is not None:
                tables.append(table)
        return tables + self.rule_tables(by_layer)

    def rule_tables(self, by_layer: dict[str, list[ParameterUpdate]]) -> list[Table]:
        """The learning rule's rows of every parameter, one table per layer (views/rule_rows.py), shown
        like the other tables at size; none for plain gradient descent."""
        if not shows_rule(self.trace):
            return []
        describe = self.trace.conventions.rule.describe()
        tables = []
        for label, updates in by_layer.items():
            groups = [RowGroup(u.name, (*(r.name for r in u.rule), f"{u.name}+", f"Δ{u.name}"),
                               (("Δp", f"Δ{u.name}", u.change),), len(u.rule) + 1,
                               lambda u=u: parameter_rows(u, self.d)) for u in updates]
            table = self.table(say("Learning rule, {layer}: {rule}", layer=label, rule=describe), said(RULE_HEADERS),
                               groups, "parameters",
                               largest="Δp")
            if table is not None:
                tables.append(table)
        return tables

    def update_row(self, u: ParameterUpdate) -> tuple[str, ...]:
        new = self.n(u.new) if u.updated else say("{value} (frozen)", value=self.n(u.new))
        if u.reduction == "single" and len(u.parts) == 1:
            factors = u.parts[0].factors
            chain = "·".join(f.name for f in factors)
            numbers = "·".join(self.o(f.value) for f in factors)
        elif u.kind == "weight" and len(u.parts) > len(self.trace.samples):  # a shared weight: Σ_p delta_p·x_p
            chain, numbers = self.shared_sum(u)
            if u.reduction == "mean":
                chain, numbers = f"(1/{len(self.trace.samples)})·({chain})", f"({numbers})/{len(self.trace.samples)}"
        elif u.reduction == "single":  # a shared bias: one part per neuron
            chain = self.join([f"delta_{p.neuron}" for p in u.parts], count="terms")
            numbers = self.sum_text([p.value for p in u.parts])
        else:
            what = "Σ_s" if u.reduction == "sum" else f"(1/{len(self.trace.samples)})·Σ_s"
            first = u.parts[0].factors
            chain = f"{what} " + "·".join(f.name for f in first) + "[s]"
            numbers = self.sum_text([p.value for p in u.parts])
            if u.reduction == "mean":
                numbers = f"({numbers})/{len(self.trace.samples)}"
        return (u.name, chain, numbers, self.n(u.gradient), self.n(u.old), new)

    def shared_sum(self, u: ParameterUpdate) -> tuple[str, str]:
        """A shared weight's gradient as the sum of its shares, one per position or time step (and
        sample): delta_c1_1·i1 + delta_c1_2·i2 + …, with the numbers."""
        sources = self.sources()
        symbols, numbers = [], []
        for part in u.parts:
            delta = 1.0
            for factor in part.factors[:-1]:
                delta *= factor.value
            tag = f"[{part.sample}]" if self.batch else ""
            source = sources.get((part.neuron, u.name), f"dnet_{part.neuron}/d{u.name}")
            symbols.append(f"delta_{part.neuron}{tag}·{source}{tag}")
            numbers.append(f"{self.o(delta)}·{self.o(part.factors[-1].value)}")
        return self.join(symbols, count="terms"), self.join(numbers)

    def sources(self) -> dict[tuple[str, str], str]:
        """(neuron, weight) → what the weight multiplies in the neuron's net input (i1, out_c1_2)."""
        if not hasattr(self, "_sources"):
            self._sources = {(f.neuron, t.weight): t.source if t.source.startswith("i") else f"out_{t.source}"
                             for f in self.trace.samples[0].forward for t in f.terms} if self.trace.samples else {}
        return self._sources

    def after(self) -> Table | None:
        groups = []
        for sample, outputs in zip(self.trace.samples, self.trace.outputs_after):
            for name, value in outputs:
                row = (f"out_{name}+{self.tag(sample)}", say("forward pass with the updated parameters"), "",
                       self.n(value))
                groups.append(RowGroup(row[0], (row[0],), (("out+", row[0], value),), 1, lambda row=row: [row]))
        trace = self.trace
        if not trace.has_loss:  # loss "none": no E, only the outputs after the update
            return self.table(say("After the update"), said(STAGE_HEADERS), groups, "rows")
        groups.append(RowGroup("E_total+", ("E_total+",), (), 1, lambda: [
            ("E_total+", say("E_total recomputed with the updated parameters"), "", self.n(trace.E_total_after))]))
        change = trace.E_total_after - trace.E_total
        groups.append(RowGroup("change", ("change",), (), 1, lambda: [
            (say("change"), "E_total+ - E_total", f"{self.n(trace.E_total_after)} - {self.o(trace.E_total)}",
             self.n(change))]))
        return self.table(say("After the update"), said(STAGE_HEADERS), groups, "rows")
