"""A notation applied to one network: neurosim's names ↔ the notation's names, with their signs.

`NameMap.name("delta_o1")` is "Err6" in hkp, `sign("delta_o1")` -1 (Err6 = -delta_o1). Input goes
the other way: `resolve("Err6", names)` finds the internal name among `names` (a step's
quantities), accepting every alias form (θ6 for theta6) and the user's own `[names]` aliases; an
unknown name is a NeurosimError with a did-you-mean among the notation's names.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterable, Mapping, Sequence

from ...errors import NeurosimError
from ...messages import say
from .quantity import Quantity, parse
from .rules import NEURON_KINDS, Notation
from .structure import Structure

_ROW_KINDS = (*NEURON_KINDS, "input", "contribution", "dnet_dp")  # take a batch sample as a row index


def get_notation(name: str, where: str = "notation") -> Notation:
    """A notation by name; an unknown one is a one-line error with a did-you-mean."""
    from .tables import NOTATIONS
    if name in NOTATIONS:
        return NOTATIONS[name]
    folded = str(name).lower()
    hint = [folded] if folded in NOTATIONS else difflib.get_close_matches(str(name), NOTATIONS, n=1)
    tip = f"did you mean '{hint[0]}'? " if hint else ""
    raise NeurosimError(f"{where}: unknown notation '{name}' ({tip}choose from {', '.join(NOTATIONS)}; "
                        "`neurosim notations` describes them)")


def name_map(spec) -> NameMap:
    """The notation of an exercise (`Spec.notation`) applied to its network, with its [names]."""
    return NameMap(get_notation(spec.notation), structure_of(spec), dict(spec.names))


def structure_of(spec) -> Structure:
    """Where every neuron, weight and bias of an exercise's network sits (a network given layer by
    layer: read from its objects, once per architecture)."""
    if getattr(spec, "architecture", None) is None:
        return Structure(spec.layers, spec.bias)
    return _shared_structure(spec.architecture, tuple(spec.activations))


@functools.lru_cache(maxsize=8)
def _shared_structure(architecture, activations: tuple[str, ...]) -> Structure:
    from ..shared_network import assemble
    return Structure.of_network(assemble(architecture, activations))



def hints_text(hints: Sequence[str]) -> str:
    """The quoted names of a did-you-mean: 'w14' or 'w41' (or 'w44'), in the active language."""
    text = repr(hints[0])
    for hint in hints[1:]:
        text = say("{first} or {second}", first=text, second=repr(hint))
    return text


class NameMap:
    """The names of `structure`'s quantities in `notation`, and the user's `aliases` (alias → a
    name in the notation)."""

    def __init__(self, notation: Notation, structure: Structure, aliases: Mapping[str, str] | None = None):
        self.notation = notation
        self.structure = structure
        self.aliases = dict(aliases or {})
        self._by_pair = structure.pairs or {(w.s.n, w.t.n): w for w in structure.weights.values()}
        self._reverse: dict[str, str] | None = None
        self._reverse_of: frozenset | None = None

    def __repr__(self) -> str:
        return f"NameMap({self.notation.name}, {self.structure!r})"

    @property
    def identity(self) -> bool:
        """True for neurosim's own names (nothing to translate)."""
        return self.notation.name == "mazur"

    # -- internal → notation ------------------------------------------------------------------
    def name(self, internal: str) -> str:
        """The notation's name of one of neurosim's quantity names (unknown names unchanged)."""
        q = parse(internal)
        return internal if q is None else self.render(q)

    def sign(self, internal: str) -> int:
        q = parse(internal)
        return 1 if q is None else self.notation.sign(q.kind)

    def neuron(self, name: str) -> str:
        """How the notation labels a neuron (unit 4: '4'; Nielsen: '(2,1)'; matrix: 'h1[0]')."""
        place = self.structure.neurons.get(name)
        if place is None:
            return name
        return self.render(Quantity("neuron", name))

    def render(self, q: Quantity, template: str | None = None) -> str:
        """q's name in the notation (`template`: one of its alias forms instead)."""
        kind, role = self._kind_role(q)
        text = (template or self.notation.template(kind, role)).format(**self._context(q, kind, role))
        if q.plus:
            text += "+"
        if q.sample is not None and not (self.notation.samples == "row" and q.kind in _ROW_KINDS):
            text += f"[{q.sample - 1}]" if self.notation.samples == "row" else f"[{q.sample}]"
        return text

    def forms(self, internal: str) -> list[str]:
        """Every name the notation accepts for `internal`: the name, then its alias forms."""
        q = parse(internal)
        if q is None:
            return [internal]
        kind, role = self._kind_role(q)
        return [self.render(q)] + [self.render(q, t) for t in self.notation.alias_templates(kind, role)]

    def parameter_forms(self, name: str) -> list[str]:
        """Every name the notation accepts for parameter `name` (b_h1 in hkp: theta4, θ4)."""
        q = Quantity("param", name)
        kind = self._param_kind(name)
        return [self.render(q)] + [self.render(q, t) for t in self.notation.alias_templates(kind, "")]

    def _kind_role(self, q: Quantity) -> tuple[str, str]:
        if q.kind == "input":
            return "out", "input"
        if q.kind in NEURON_KINDS:
            return q.kind, self.structure.neurons[q.subject].role
        if q.kind == "param":
            return self._param_kind(q.subject), ""
        return q.kind, ""

    def _param_kind(self, name: str) -> str:
        if name in self.structure.weights:
            return "weight"
        bias = self.structure.biases.get(name)
        return "bias" if bias is not None and bias.t is not None else "shared_bias"

    def _neuron_context(self, name: str, sample: int | None, kind: str) -> dict:
        p = self.structure.neurons[name]
        j0 = p.j0
        if sample is not None and self.notation.samples == "row":
            j0 = f"{sample - 1}][{p.j0}"
        context = {"n": p.n, "u": p.u, "l": p.l, "m": p.m, "j": p.j, "j0": j0, "net_label": p.net_label,
                   "out_label": p.out_label}
        if kind not in ("net", "out", "neuron"):
            context["out"] = self.render(Quantity("input" if p.role == "input" else "out", name, sample=sample))
            if p.role != "input":
                context["net"] = self.render(Quantity("net", name, sample=sample))
        elif kind == "neuron":
            context["out"] = self.render(Quantity("input" if p.role == "input" else "out", name))
        return context

    def _context(self, q: Quantity, kind: str, role: str) -> dict:
        if q.kind in NEURON_KINDS or q.kind in ("input", "neuron"):
            return self._neuron_context(q.subject, q.sample, kind)
        if q.kind == "contribution":  # dE_Y/dout_X: what Y sends back to X
            context = self._neuron_context(q.subject, q.sample, kind)
            context.update(Y=self.structure.neurons[q.other],
                           Y_net=self.render(Quantity("net", q.other, sample=q.sample)),
                           Y_delta=self.render(Quantity("delta", q.other, sample=q.sample)),
                           w=self.render(Quantity("param", self._by_pair[q.subject, q.other].name)))
            return context
        if q.kind == "param":
            if kind == "weight":
                w = self.structure.weights[q.subject]
                return {"name": w.name, "s": w.s, "t": w.t, "pair_u": w.pair_u, "pair_j": w.pair_j, "label": w.label}
            b = self.structure.biases[q.subject]
            return {"name": b.name, "t": b.t, "m": b.m, "l": b.l, "label": b.label}
        p = self.render(Quantity("param", q.subject)) if q.kind in ("gradient", "change", "dnet_dp",
                                                                      "rule_state") else ""
        if q.kind == "dnet_dp":
            return {"p": p, "Y": self.structure.neurons[q.other],
                    "Y_net": self.render(Quantity("net", q.other, sample=q.sample))}
        return {"p": p, "prefix": q.other, "name": q.subject}

    # -- notation → internal ------------------------------------------------------------------
    def reverse(self, internals: Iterable[str]) -> dict[str, str]:
        """Every accepted written name (names, alias forms, the user's aliases) → internal name."""
        key = frozenset(internals)
        if self._reverse is not None and self._reverse_of == key:
            return self._reverse
        table: dict[str, str] = {}
        for internal in internals:
            for form in self.forms(internal):
                table.setdefault(form, internal)
        for alias, target in self.aliases.items():
            if alias in table:
                raise NeurosimError(f'names."{alias}": \'{alias}\' is already the name of a quantity in notation '
                                    f"{self.notation.name} (an alias must be a name of your own)")
            if target not in table:
                raise NeurosimError(f'names."{alias}": {self._unknown(target, table)}')
            table[alias] = table[target]
        self._reverse, self._reverse_of = table, key
        return table

    def resolve(self, written: str, internals: Iterable[str], label: str = "expect") -> tuple[str, int]:
        """(internal name, sign) of a name the user wrote; an unknown one is an error that starts
        with `label` (the key as the file or the option wrote it) and hints. (`internals`: a
        dict or set, for neurosim's own names looked up directly.)"""
        if self.identity and written not in self.aliases and written in internals:
            return written, 1
        table = self.reverse(internals)
        if written not in table:
            raise NeurosimError(f"{label}: {self._unknown(written, table)}")
        internal = table[written]
        return internal, self.sign(internal)

    def _unknown(self, written: str, table: Mapping[str, str]) -> str:
        names = list(table)
        folded = {n.lower(): n for n in names}
        guess = written.lower()
        for suffix in ("_new", "new", "'", "_updated", "_after", "_plus", "plus"):  # w5_new, w5plus → w5+
            if guess.endswith(suffix) and guess[:-len(suffix)] + "+" in folded:
                guess = guess[:-len(suffix)] + "+"
        untagged = re.sub(r"\[\d+\]$", "", written)  # O5[1] in a step of one sample: O5
        hints = ([folded[guess]] if guess in folded else []) or ([untagged] if untagged in table else []) or \
            difflib.get_close_matches(written, names, n=3, cutoff=0.6)
        where = "" if self.identity else say(" in notation {notation}", notation=self.notation.name)
        if hints:
            return say("no quantity named '{name}'{in_notation} (did you mean {hints}?)", name=written,
                       in_notation=where, hints=hints_text(hints))
        examples = ", ".join(self.name(n) for n in ("net_h1", "out_o1", "delta_o1", "dE/dw5", "w5+")
                             if parse(n) and self._exists(n))
        return say("no quantity named '{name}'{in_notation} (names: {examples} …)", name=written, in_notation=where,
                   examples=examples)

    def _exists(self, internal: str) -> bool:
        q = parse(internal)
        try:
            self.render(q)
        except (KeyError, IndexError):
            return False
        return True
