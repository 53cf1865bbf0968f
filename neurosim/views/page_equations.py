"""The lines of a page's panels (`PageLine`): one traced step's worked solution (explain.py), in the
exercise's notation (notation_view.py), line by line in the order a person works it — each
`name = formula = numbers = value` with every name in the formula a link to that name's own line
(mathtext.to_html's `link`), the neuron or parameter it belongs to, and the names it uses. The
given values (inputs, targets, the parameters at the start of the step) come first. Said in the
active language; page_data.py puts the languages together.
"""

from __future__ import annotations

import html

import attrs

from ..core.exercise import Spec
from ..core.notation import NameMap, parse
from ..core.trace import StepTrace
from ..messages import say
from .document import Document, Equations, Heading
from .explain import build_document
from .explain_setup import natural
from .mathtext import to_html
from .notation_view import NotationView
from .numbers import fmt
from .page_subset import Drawn, page_shown, page_trace

NEURON_KINDS = ("net", "out", "target", "delta", "error", "dE_dout", "dE_dnet", "dout_dnet", "contribution", "input")
PARAMETER_KINDS = ("dnet_dp", "gradient", "change", "param", "rule_state")


@attrs.frozen
class PageLine:
    """One line of a panel: `id`, the quantity's name in the notation ("" for a line that names no
    quantity of the step); `internal`, neurosim's name; `entity`, the panel of the neuron or
    parameter it belongs to ("neuron:h1", "w5"; "" none); `sample` of a batch step; HTML of the
    left side, the formula (names linked) and the numbers; the value as written, a note; `uses`, the
    ids the formula links to; `given`: a value the exercise gives (not worked out); `negative`: the
    notation's value is minus neurosim's (hkp's Err = -delta)."""

    id: str
    internal: str
    entity: str
    sample: int | None
    lhs: str
    formula: str
    numbers: str
    value: str
    note: str = ""
    uses: tuple[str, ...] = ()
    given: bool = False
    negative: bool = False


def neuron_panel(names: NameMap, neuron: str) -> str:
    """The panel id of a neuron: 'neuron:' and the notation's label of it (neuron:h1, neuron:3)."""
    return f"neuron:{names.neuron(neuron)}"


def entity_of(internal: str, names: NameMap) -> str:
    """The panel of the neuron or parameter a quantity belongs to ('' for E_total and the like)."""
    q = parse(internal)
    if q is None:
        return ""
    if q.kind in NEURON_KINDS:
        return neuron_panel(names, q.subject)
    if q.kind in PARAMETER_KINDS:
        return names.name(q.subject)
    return ""


def given_lines(trace: StepTrace, drawn: Drawn) -> list[tuple[str, float, str]]:
    """(internal name, value, note) of what the step starts from: the inputs and targets of each
    sample shown, the parameters drawn before the update."""
    shown = set(drawn.neurons)
    lines = []
    for sample in trace.samples[:max(drawn.samples, 1)]:
        tag = f"[{sample.index}]" if drawn.samples else ""
        names = trace.input_names or [f"i{k}" for k in range(1, len(sample.inputs) + 1)]  # (a sequence: i1_t1, h1_t0)
        lines += [(f"{n if n.startswith('i') else 'out_' + n}{tag}", v, say("given"))
                  for n, v in zip(names, sample.inputs) if n in shown]
        lines += [(f"target_{e.neuron}{tag}", e.target, say("given")) for e in sample.errors if e.neuron in shown]
    parameters = {w for w, _, _ in drawn.weights} | {b for b, _ in drawn.biases}
    start = say("given") if trace.step == 1 else say("after step {step}", step=trace.step - 1)
    updates = sorted((u for u in trace.updates if u.name in parameters), key=lambda u: (u.kind != "weight",
                                                                                         natural(u.name)))
    return lines + [(u.name, u.old, start) for u in updates]


def worked_equations(document: Document, shown: Document, quantities: dict[str, float], digits: int):
    """(neurosim's name, the equation in neurosim's names, the equation as shown) of every equation
    of the worked solution. A batch step's per-sample equations are written without their sample
    (net_h1 under the heading 'Sample 2'): their name gets it back (net_h1[2]), from the heading
    above them, unless the name without one is a quantity of the step with the value written."""
    sample = None
    for block, view in zip(document.blocks, shown.blocks):
        if isinstance(block, Heading) and block.sample is not None:
            sample = block.sample
        if not isinstance(block, Equations):
            continue
        for ours, theirs in zip(block.items, view.items):
            name = ours.lhs
            plain = name in quantities and fmt(quantities[name], digits) == ours.value
            if sample is not None and parse(name) is not None and not plain and f"{name}[{sample}]" in quantities:
                name = f"{name}[{sample}]"
            yield name, ours, theirs


def step_lines(spec: Spec, trace: StepTrace, names: NameMap, drawn: Drawn, digits: int,
               quantities: dict[str, float]) -> list[PageLine]:
    """Every line of the step's panels, givens first, then the worked solution's equations in order."""
    document = build_document(spec, page_trace(trace, drawn), digits, page_shown(drawn))
    shown = document
    if not names.identity:
        shown = NotationView(names, page_trace(trace, drawn), digits, (spec.description,)).document(document)
    equations = list(worked_equations(document, shown, quantities, digits))
    givens = given_lines(trace, drawn)
    known = {names.name(internal) for internal, _, _ in givens}
    known.update(names.name(internal) for internal, _, _ in equations if parse(internal) is not None)
    known.update(neuron_panel(names, n) for n in drawn.neurons)
    per_sample = {(names.name(internal.rpartition("[")[0]), _sample(internal)): names.name(internal)
                  for internal in [g[0] for g in givens] + [e[0] for e in equations] if _sample(internal)}
    lines = [_given(internal, value, note, names, digits) for internal, value, note in givens]
    seen = {line.id for line in lines}
    for internal, ours, theirs in equations:
        quantity = parse(internal) is not None
        name = names.name(internal) if quantity else theirs.lhs
        uses: list[str] = []
        sample = _sample(internal) if internal != ours.lhs else None
        of_sample = {n: i for (n, k), i in per_sample.items() if k == sample}
        formula = to_html(theirs.formula, _linker(known, uses, of_sample))
        lines.append(PageLine(name if quantity and name not in seen else "", internal, entity_of(internal, names),
                              _sample(internal), to_html(name), formula, to_html(theirs.numbers), theirs.value,
                              theirs.note, tuple(dict.fromkeys(uses)), negative=quantity and names.sign(internal) < 0))
        seen.add(name)
    return lines


def _given(internal: str, value: float, note: str, names: NameMap, digits: int) -> PageLine:
    name = names.name(internal)
    shown = fmt(names.sign(internal) * value, digits)
    return PageLine(name, internal, entity_of(internal, names), _sample(internal), to_html(name), "", "", shown,
                    note, given=True)


def _sample(internal: str) -> int | None:
    q = parse(internal)
    return None if q is None else q.sample


def _linker(known: set[str], uses: list[str], of_sample: dict[str, str]):
    """The `link` of mathtext.to_html: a name with a panel becomes a link to it (and is noted in `uses`);
    in an equation about one sample of a batch step, a name to that sample's (`of_sample`: out_h1 →
    out_h1[2], as the notation writes them)."""
    def link(name: str, text: str) -> str:
        name = of_sample.get(name, name)
        if name not in known:
            return text
        uses.append(name)
        quoted = html.escape(name, quote=True)
        return f'<a data-q="{quoted}">{text}</a>'
    return link
