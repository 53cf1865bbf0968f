"""A notation: one table of rules that names every kind of quantity the way a textbook does.

`names` maps a kind of quantity (quantity.py: net, out, delta, weight, gradient, …; a neuron kind
may have a variant per role, "out.input" before "out") to a name template; `aliases` to further
names the notation accepts on input; `signs` gives -1 where the textbook's quantity is minus
ours (Han/Kamber/Pei's Err = -delta); `formulas` the textbook's own formula for a kind, where it
writes one differently from the chain rule (used by the views); `phrases` rewrite words of table
titles and headers; `symbols` the learning rate's letter;
`generic` the letters of the formulas that name no particular neuron (out = 1/(1+e^-net), its
derivative dout/dnet, target and E in a loss), as the textbook writes them (O, I, T in hkp).
`samples` says how a batch sample is written: "suffix" (net_h1[2], 1-based) or "row" (h1[1][0]:
a row index, 0-based, as in NumPy).

Templates are str.format strings over the place of the quantity (structure.py):
    neuron kinds   {n} {u} {l} {m} {j} {j0} (the neuron's), {net} {out} (its names in this
                   notation); contribution (what neuron Y above sends back to X): also {Y_net}
                   {Y_delta} {Y.u} … and {w} (the weight X→Y's name)
    weight         {name} {s.u} {t.u} {s.j} {t.j} {s.j0} {t.j0} {t.l} {t.m} {pair_u} {pair_j}
    bias           {name} {t.…} (per-neuron); shared_bias: {name} {m} {l}
    gradient, change, param+   {p} (the parameter's name in this notation)
    dnet_dp        {p} {Y_net}; rule_state: {prefix} {p}
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

NEURON_KINDS = ("net", "out", "target", "error", "raw_error", "exp", "dE_dout", "dE_dnet", "dout_dnet", "delta")
KINDS = (*NEURON_KINDS, "input", "contribution", "weight", "bias", "shared_bias", "gradient", "change",
         "dnet_dp", "loss", "report", "summary", "rule_state", "neuron", "exp_sum")


@attrs.frozen
class Notation:
    """The rules of one notation (see the module docstring); `source` cites where it comes from."""

    name: str
    title: str
    source: str
    summary: str
    names: Mapping[str, str]
    aliases: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)
    signs: Mapping[str, int] = attrs.field(factory=dict)
    formulas: Mapping[str, str] = attrs.field(factory=dict)
    phrases: tuple[tuple[str, str], ...] = ()
    symbols: Mapping[str, str] = attrs.field(factory=dict)
    samples: str = "suffix"
    generic: Mapping[str, str] = attrs.field(factory=dict)  # formulas' bare words: out = f(net) → O = f(I)

    def template(self, kind: str, role: str = "") -> str:
        """The name template of `kind` (its variant for `role`, if the notation has one)."""
        return self.names.get(f"{kind}.{role}") or self.names[kind]

    def alias_templates(self, kind: str, role: str = "") -> tuple[str, ...]:
        return tuple(self.aliases.get(f"{kind}.{role}", ())) + tuple(self.aliases.get(kind, ()))

    def sign(self, kind: str) -> int:
        """+1, or -1 where the notation's quantity of this kind is minus neurosim's."""
        return self.signs.get(kind, 1)

    def formula(self, kind: str, role: str = "") -> str | None:
        """The notation's own formula template for a kind (None: the chain rule, renamed)."""
        return self.formulas.get(f"{kind}.{role}") or self.formulas.get(kind)

    @property
    def learning_rate(self) -> str:
        return self.symbols.get("learning_rate", "η")

    def __repr__(self) -> str:
        return f"Notation({self.name}: {self.title})"
