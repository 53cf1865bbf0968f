"""Tables and worked solutions in a textbook's notation: the finished `Table`s and `Document` of a
step, rewritten by the notation's rules (core/notation) — nothing upstream knows about notations.

A row or equation `name | formula | numbers | value` becomes:
  name     the notation's name of the quantity (Err6 for delta_o1);
  formula  every name in it renamed, a quantity of the other sign written (-Err6), and the whole
           formula negated when the row's own quantity has the other sign — unless the notation
           writes that kind with a formula of its own (hkp: Err6 = O6·(1-O6)·(T6-O6), w46+ = w46 +
           l·Err6·O4), which is then filled in with the step's names and numbers (one-sample steps);
  numbers  unchanged (they are the values of the renamed names), or negated with the formula;
  value    in the notation's sign. Titles, headers and prose: renamed alike (neurons by label, η by letter).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import attrs

from ..core.activations import get_activation
from ..core.combined import COMBINED
from ..core.losses import get_loss
from ..core.neuron import add_up
from ..core.notation import NameMap, Quantity, parse
from ..core.trace import StepTrace
from ..messages import say
from .elide import ELIDED
from .notation_text import (
    NEURON,
    is_gap,
    is_layer_summary,
    layer_summary_row,
    note_in_notation,
    text_in_notation,
    with_phrases,
)
from .numbers import fmt, fmt_operand
from .tables import Table

if TYPE_CHECKING:  # .document is imported where a worked solution is rewritten (start-up time)
    from .document import Document, Equation

_PARAMETER = re.compile(r"(?<![\w/^\[])(w\d+|b\d+|b_[iho]\d+(?:_\d+)?)(\+?)(?![\w(\[])")
_SLOT = re.compile(r"\{([^{}]+)\}")


def negated(text: str) -> str:
    """A number as shown, with the other sign ('0.1311' → '-0.1311'; '0' stays; a note is kept)."""
    number, space, rest = text.partition(" ")
    if not number or number in ("0", "—") or not (number[0].isdigit() or number[0] in "-."):
        return text
    number = number[1:] if number.startswith("-") else "-" + number
    return number + space + rest


def negated_formula(text: str) -> str:
    """-(…) of a formula text, without a double minus: '-(t-o)' → '(t-o)', 'x' → '-x'."""
    if text.startswith("-(") and text.endswith(")") and _balanced(text[2:-1]):
        return text[1:]
    if text.startswith("-") and not any(op in text[1:] for op in "+-"):
        return text[1:]
    if re.fullmatch(r"[\w.^/·]+", text):
        return f"-{text}"
    return f"-({text})"


def _balanced(text: str) -> bool:
    depth = 0
    for c in text:
        depth += {"(": 1, ")": -1}.get(c, 0)
        if depth < 0:
            return False
    return depth == 0


class NotationView:
    """Rewrites the tables and worked solution of `trace` in the notation of `names`."""

    def __init__(self, names: NameMap, trace: StepTrace, digits: int, untouched: tuple[str, ...] = ()):
        self.untouched = untouched  # texts in their author's own names (an exercise's description)
        self.names = names
        self.notation = names.notation
        self.trace = trace
        self.d = digits
        self.single = len(trace.samples) == 1
        conv = trace.conventions  # the textbook's update formulas are plain gradient descent's
        self.plain = conv.rule.plain and not conv.flat_spot and not conv.tolerance
        self.updates = {u.name: u for u in trace.updates}
        self.use_sample(1)
        self.sources = {t.weight: t.source for f in trace.samples[0].forward for t in f.terms}

    def use_sample(self, index: int) -> None:
        """The records the notation's own formulas are filled in from: those of sample `index` (the
        sample a batch step's table or section is about)."""
        sample = next((s for s in self.trace.samples if s.index == index), self.trace.samples[0])
        self.sample = sample.index
        self.forward = {f.neuron: f for f in sample.forward}
        self.backward = {b.neuron: b for b in sample.backward}
        self.targets = {e.neuron: e.target for e in sample.errors}
        names = self.trace.input_names or map("i{}".format, range(1, len(sample.inputs) + 1))  # (i1_t1 … h1_t0)
        self.inputs = dict(zip(names, sample.inputs))
        self.sent = {(b.neuron, c.neuron): (c.delta, c.weight, c.weight_value)
                     for b in sample.backward for c in b.contributions}
        self.sent.update(((g.neuron, t), (d, w, v)) for g in sample.input_gradients
                         for t, w, v, d in zip(g.targets, g.weights, g.weight_values, g.deltas))

    def _follow(self, sample: int | None) -> None:
        """A batch step's tables and headings say which sample they are about (Table.sample, Heading.sample)."""
        if sample is not None and not self.single:
            self.use_sample(sample)

    # -- text ---------------------------------------------------------------------------------
    def formula(self, text: str) -> str:
        return text_in_notation(text, self.names)

    def prose(self, text: str) -> str:
        """Neurons by the notation's label (unit 4, (2,1), h1[0]), the notation's phrases, η."""
        text = with_phrases(text, self.names)
        text = _PARAMETER.sub(lambda m: self.names.name(m.group(1)) + m.group(2), text)
        text = NEURON.sub(lambda m: self.names.neuron(m.group(1)), text)
        return text.replace("η", self.notation.learning_rate)

    def title(self, text: str) -> str:
        return text_in_notation(text, self.names, title=True)

    # -- rows -----------------------------------------------------------------------------------
    def row(self, name: str, formula: str, numbers: str, value: str) -> tuple[str, str, str, str]:
        """One `quantity | formula | numbers | value` row (or equation) in the notation."""
        q = parse(name)
        if q is None:
            return self.formula(name), self.formula(formula), numbers, value
        numbers, spaced, remark = numbers.partition("  (")  # a remark after the numbers (stages.unused_note)
        own = self.own_formula(q, formula)
        sign = self.names.sign(name)
        if own is not None:
            formula, numbers = own
        elif sign < 0 and formula:
            formula, numbers = negated_formula(self.formula(formula)), negated_formula(numbers)
        else:
            formula = self.formula(formula)
        if spaced:
            numbers += "  " + note_in_notation(f"({remark}", self.names)
        return self.names.name(name), formula, numbers, negated(value) if sign < 0 else value

    def own_formula(self, q: Quantity, formula: str) -> tuple[str, str] | None:
        """The notation's own formula for q's kind, filled in (formula, numbers); None if it has none
        here (a batch step, a softmax layer, a shared bias …: the chain rule, renamed, is used)."""
        combined = q.kind == "delta" and q.subject in self.backward and self.backward[q.subject].combined
        if combined and self.notation.formula("delta", "output") is not None:
            return self._combined_delta(q.subject)
        if q.sample is not None:
            return None
        kind, role, slots = q.kind, "", None
        if q.kind == "delta" and q.subject in self.backward:
            role = "output" if q.subject in self.targets else "hidden"
            slots = self._delta_slots(q.subject)
        elif q.kind == "contribution":
            slots = self._contribution_slots(q.subject, q.other)
        elif self.single and (q.kind == "gradient" or (self.plain and (q.kind == "change" or (
                q.kind == "param" and q.plus and "η" in formula)))):
            kind = "update" if q.kind == "param" else q.kind
            slots = self._parameter_slots(q.subject)
            role = "" if slots is None else slots.pop("role")
        template = self.notation.formula(kind, role) if slots is not None else None
        if template is None:
            return None
        return self._fill(template, slots, 0), self._fill(template, slots, 1)

    @staticmethod
    def _fill(template: str, slots: dict, which: int) -> str | None:
        try:
            return _SLOT.sub(lambda m: slots[m.group(1)][which], template)
        except KeyError:
            return None

    def _value(self, internal: str, value: float) -> tuple[str, str]:
        """(name, number) of a quantity in the notation: its name, and its value in its sign."""
        return self.names.name(internal), fmt_operand(self.names.sign(internal) * value, self.d)

    def _delta_slots(self, neuron: str) -> dict | None:
        f, b = self.forward[neuron], self.backward[neuron]
        act = get_activation(f.activation)
        if act.layer_level:
            return None
        out, net = self.names.name(f"out_{neuron}"), self.names.name(f"net_{neuron}")
        slots = {"f'": (act.derivative_formula.format(out=out, net=net),
                        act.derivative_formula.format(out=fmt_operand(f.out, self.d), net=fmt_operand(f.net, self.d)))}
        if neuron in self.targets:
            loss = get_loss(self.trace.conventions.loss)
            d = negated_formula(loss.derivative_formula)
            n = len(self.targets)
            slots["-dE/dout"] = (d.format(t=self.names.name(f"target_{neuron}"), o=out, n=n),
                                 d.format(t=fmt_operand(self.targets[neuron], self.d), o=fmt_operand(f.out, self.d),
                                          n=n))
        else:
            terms = [self._contribution_slots(neuron, c.neuron) for c in b.contributions]
            if any(t is None for t in terms):
                return None
            filled = [(self._fill(self.notation.formula("contribution") or "", t, 0),
                       self._fill(self.notation.formula("contribution") or "", t, 1)) for t in terms]
            if any(a is None for a, _ in filled):
                return None
            slots["sum"] = (" + ".join(a for a, _ in filled), " + ".join(n for _, n in filled))
        return slots

    def _combined_delta(self, neuron: str) -> tuple[str, str]:
        """An output delta computed in its combined form (core/combined.py: out - target), in the
        notation's names and sign (hkp: Err6 = -(O6 - T6)), in place of the notation's factor form."""
        f, target = self.forward[neuron], self.targets[neuron]
        pair = COMBINED[(f.activation, get_loss(self.trace.conventions.loss).name)]
        n, total = len(self.targets), add_up(self.targets.values())
        formula = pair.delta_text(self.names.name(f"out_{neuron}"), self.names.name(f"target_{neuron}"), n, total,
                                  f"Σ_k {self.names.name(f'target_{neuron}')}")
        numbers = pair.delta_text(fmt_operand(f.out, self.d), fmt_operand(target, self.d), n, total,
                                  fmt_operand(total, self.d))
        if self.names.sign(f"delta_{neuron}") < 0:
            return negated_formula(formula), negated_formula(numbers)
        return formula, numbers

    def _contribution_slots(self, neuron: str, above: str) -> dict | None:
        """What `above` sends back to `neuron` (a hidden neuron or an input): delta·w."""
        if (neuron, above) not in self.sent:
            return None
        delta, weight, weight_value = self.sent[neuron, above]
        return {"Y_delta": self._value(f"delta_{above}", delta), "w": self._value(weight, weight_value)}

    def _parameter_slots(self, param: str) -> dict | None:
        u = self.updates.get(param)
        if u is None or len(u.parts) != 1 or not u.updated:
            return None
        target = u.parts[0].neuron
        delta = self.backward[target].delta if target in self.backward else None
        if delta is None:
            return None
        slots = {"role": u.kind, "p": self._value(param, u.old), "t_delta": self._value(f"delta_{target}", delta),
                 "lr": (self.notation.learning_rate, fmt(self.trace.conventions.learning_rate, self.d))}
        if u.kind == "weight":
            source = self.sources[param]
            value = self.inputs[source] if source in self.inputs else self.forward[source].out
            slots["s_out"] = self._value(source if source in self.inputs else f"out_{source}", value)
        return slots

    # -- tables and documents -------------------------------------------------------------------
    def table(self, table: Table) -> Table:
        """The table in the notation; an elided one keeps its gap row (… in every column) and its
        note, renamed (notation_text.py)."""
        self._follow(table.sample)
        headers = tuple(self.title(h) for h in table.headers)
        if table.headers[:1] == (say("quantity"),) and len(table.headers) == 4:
            row = self.row
        elif table.headers[:1] == (say("parameter"),) and len(table.headers) == 6:
            row = self._update_row
        elif is_layer_summary(table.headers):
            row = lambda *r: layer_summary_row(r, self.names)  # noqa: E731
        else:
            row = lambda *r: (self.formula(r[0]), *(note_in_notation(c, self.names) for c in r[1:]))  # noqa: E731
        rows = tuple(r if not r or is_gap(r) else row(*r) for r in table.rows)
        return attrs.evolve(table, title=self.title(table.title), headers=headers, rows=rows,
                            note=note_in_notation(table.note, self.names))

    def _update_row(self, *row: str) -> tuple[str, ...]:
        """parameter | dE/dp = chain rule | numbers | dE/dp | p | p+ (the gradient's sign is ours)."""
        name, chain, numbers, gradient, old, new = row
        _, chain, numbers, _ = self.row(f"dE/d{name}", chain, numbers, gradient)
        return self.names.name(name), chain, numbers, gradient, old, new

    def document(self, document: Document) -> Document:
        from .document import Document
        return Document(self.prose(document.title), tuple(self._block(b) for b in document.blocks))

    def _block(self, block):
        from .document import Bullets, Equations, Grid, Heading, Paragraph
        if isinstance(block, Heading):
            self._follow(block.sample)
            return Heading(block.level, self.prose(block.text), block.sample)
        if isinstance(block, Paragraph):
            if block.parts and block.parts[0][1].startswith(f"{ELIDED} "):  # what an elided list leaves out
                return Paragraph(tuple((kind, note_in_notation(text, self.names)) for kind, text in block.parts))
            return Paragraph(self._inline(block.parts))
        if isinstance(block, Bullets):
            return Bullets(tuple(self._inline(item) for item in block.items))
        if isinstance(block, Grid):
            return Grid(tuple(self.prose(h) for h in block.headers),
                        tuple(tuple(self._inline(cell) for cell in row) for row in block.rows))
        if isinstance(block, Equations):
            return Equations(tuple(self._equation(e) for e in block.items))
        return block

    def _inline(self, parts):
        return tuple((kind, text if text in self.untouched else self.formula(text) if kind == "math"
                      else self.prose(text)) for kind, text in parts)

    def _equation(self, e: Equation) -> Equation:
        if parse(e.lhs) is None:
            return attrs.evolve(e, lhs=self.formula(e.lhs), formula=self.formula(e.formula))
        lhs, formula, numbers, value = self.row(e.lhs, e.formula, e.numbers, e.value)
        return attrs.evolve(e, lhs=lhs, formula=formula, numbers=numbers, value=value)


def tables_in_notation(tables: list[Table], trace: StepTrace, names: NameMap | None, digits: int) -> list[Table]:
    """The step's tables in the notation of `names` (unchanged for None or neurosim's own names)."""
    if names is None or names.identity:
        return tables
    view = NotationView(names, trace, digits)
    return [view.table(t) for t in tables]


def header_in_notation(header: str, names: NameMap | None) -> str:
    """A trace header with the notation named at its end."""
    if names is None or names.identity:
        return header
    return header + say("; notation {name} ({title})", name=names.notation.name, title=say(names.notation.title))


def quantities_in_notation(quantities: dict[str, float], names: NameMap | None) -> dict[str, float]:
    """Every quantity under the notation's name, in its sign."""
    if names is None or names.identity:
        return quantities
    return {names.name(k): names.sign(k) * v for k, v in quantities.items()}
