"""The names an exercise gives its numbers by: the keys of [network.weights], [network.biases] and
the parameters of [training.rule.state], written in the exercise's notation (hkp: w14, theta4 or
θ4; nielsen: w^2_11, b^2_1; matrix: W1[0][0]), by the user's [names] aliases, or by neurosim's own
names (w1, b_h1) — read as neurosim's names (`GivenNames.read`), and written back in the notation
(`GivenNames.written`).

A name is read in the notation first, then as one of neurosim's names: in an hkp file w46 is the
weight from unit 4 to unit 6, even in a network that also has a w46 of neurosim's. A table that
uses both readings, with a name that means different parameters in them, is ambiguous (an error),
as are two names of one parameter. A name that is not a parameter's (I4, w14+) is an error that
says what it names.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from ...errors import NeurosimError
from ...messages import N_, say
from .namemap import NameMap, hints_text
from .quantity import Quantity, parse

KINDS = ("weights", "biases", "parameters")  # what a table gives: parameters = weights and biases
_WHAT = {"net": N_("a net input"), "out": N_("an output"), "input": N_("an input"), "target": N_("a target"),
         "error": N_("an output's error"), "delta": N_("a neuron's error term (dE/dnet)"),
         "dE_dout": N_("a derivative"), "dout_dnet": N_("a derivative"), "gradient": N_("a gradient"),
         "change": N_("a parameter's change"), "loss": N_("the loss"), "weights": N_("a weight"),
         "biases": N_("a bias")}


class GivenNames:
    """The parameter names `names` (a NameMap) accepts for the givens of its network."""

    def __init__(self, names: NameMap):
        self.names = names
        self.structure = names.structure
        self._own = {"weights": list(self.structure.weights), "biases": list(self.structure.biases)}
        self._own["parameters"] = self._own["weights"] + self._own["biases"]
        self._own_sets = {kind: frozenset(own) for kind, own in self._own.items()}
        self._tables: dict[str, dict[str, str]] = {}

    def __repr__(self) -> str:
        return f"GivenNames({self.names.notation.name}, {self.structure!r})"

    def structure_names(self, kind: str) -> list[str]:
        """neurosim's names of the network's parameters of `kind` (weights, biases), in order."""
        return list(self._own[kind])

    @property
    def notation(self) -> str:
        return self.names.notation.name

    def written(self, internal: str) -> str:
        """How the notation writes parameter `internal` (w7 → hkp's w46)."""
        return internal if self.names.identity else self.names.render(Quantity("param", internal))

    def table(self, kind: str) -> dict[str, str]:
        """Every name the notation accepts for a parameter of `kind` (its name, alias forms and the
        user's aliases) → neurosim's name."""
        if kind not in self._tables:
            table: dict[str, str] = {}
            for internal in self._own[kind]:
                for form in ([internal] if self.names.identity else self.names.parameter_forms(internal)):
                    table.setdefault(form, internal)
            for alias, target in self.names.aliases.items():
                internal = table.get(target) or (target if target in self._own_sets[kind] else None)
                if internal is not None:
                    table.setdefault(alias, internal)
            self._tables[kind] = table
        return self._tables[kind]

    def read(self, written: Sequence[str], kind: str, where: str | Sequence[str],
             slots: Sequence[str] | None = None) -> list[str]:
        """neurosim's names of the parameters `written` names (a table's keys, in order). `where`
        names the table in errors (or each name's key, one per name); `slots` (one per name: a
        rule state's prefix) tell apart two names of one parameter meant for different things."""
        labels = [where] * len(written) if isinstance(where, str) else list(where)
        if self.names.identity and not self.names.aliases and all(w in self._own_sets[kind] for w in written):
            internals, readings = list(written), ["notation"] * len(written)
        else:
            table, own = self.table(kind), self._own_sets[kind]
            internals, readings = [], []
            for name, label in zip(written, labels):
                if name in table:
                    internals.append(table[name])
                    readings.append("notation")
                elif name in own:
                    internals.append(name)
                    readings.append("own")
                else:
                    raise NeurosimError(self._unknown(name, kind, label))
            self._check_ambiguity(written, internals, readings, kind, labels)
        self._check_repeats(written, internals, slots, labels)
        return internals

    def _check_ambiguity(self, written, internals, readings, kind: str, labels) -> None:
        """A table that also uses neurosim's names may not hold a notation name that is neurosim's
        name of another parameter."""
        own = [w for w, how in zip(written, readings) if how == "own"]
        if not own:
            return
        for name, internal, how, where in zip(written, internals, readings, labels):
            if how == "notation" and name in self._own_sets[kind] and name != internal:
                raise NeurosimError(say(
                    "{where}: '{name}' is ambiguous: in notation {notation} it is neurosim's {internal}, but this "
                    "table also uses neurosim's own names (as '{other}'), in which '{name}' is another parameter; "
                    "write every name of the table in one notation", where=where, name=name, notation=self.notation,
                    internal=internal, other=own[0]))

    def _check_repeats(self, written, internals, slots, labels) -> None:
        seen: dict[tuple[str, str], str] = {}
        for k, (name, internal) in enumerate(zip(written, internals)):
            key = (slots[k] if slots else "", internal)
            if key in seen:
                raise NeurosimError(say("{where}: '{second}' names the same parameter as '{first}' ({name}); give it "
                                        "once", where=labels[k], first=seen[key], second=name,
                                        name=self.written(internal)))
            seen[key] = name

    # -- errors ---------------------------------------------------------------------------------
    def _unknown(self, name: str, kind: str, where: str) -> str:
        """What `name` is, if anything but a parameter of `kind`; else a did-you-mean."""
        in_notation = "" if self.names.identity else say(" in notation {notation}", notation=self.notation)
        other = {"weights": "biases", "biases": "weights"}.get(kind)
        if other and (name in self.table(other) or name in self._own_sets[other]):
            return say("{where}: '{name}' is {what}{in_notation}; give it under [network.{other}]", where=where,
                       name=name, what=say(_WHAT[other]), in_notation=in_notation, other=other)
        if name.endswith("+") and name[:-1] in self.table(kind):
            return say("{where}: '{name}' is the value after the update; give the value before it, as '{plain}'",
                       where=where, name=name, plain=name[:-1])
        meaning = self._quantity_kind(name)
        wanted = say({"weights": N_("a weight"), "biases": N_("a bias"), "parameters": N_("a weight or a bias")}[kind])
        if meaning:
            return say("{where}: '{name}' is {what}{in_notation}, not {wanted}", where=where, name=name,
                       what=say(meaning), in_notation=in_notation, wanted=wanted)
        own = self._own[kind]
        span = f"{self.written(own[0])}..{self.written(own[-1])}" if own else say("none")
        names = list(self.table(kind))
        swapped = [n for n in names if sorted(n) == sorted(name)]  # w41 for w14: the indices the other way round
        hints = (swapped or difflib.get_close_matches(name, names, n=2, cutoff=0.6))[:2]
        shape = "-".join(map(str, self.structure.sizes))
        if hints:
            return say("{where}: no parameter named '{name}'{in_notation} (did you mean {hints}? this {shape} network "
                       "has {span})", where=where, name=name, in_notation=in_notation,
                       hints=hints_text(hints), shape=shape, span=span)
        return say("{where}: no parameter named '{name}'{in_notation} (this {shape} network has {span})", where=where,
                   name=name, in_notation=in_notation, shape=shape, span=span)

    def _quantity_kind(self, name: str) -> str | None:
        """In words, what kind of quantity `name` is (in neurosim's names, or the notation's)."""
        q = parse(name)
        if q is not None and q.kind != "param":
            return _WHAT.get(q.kind)
        if self.names.identity:
            return None
        neurons = [p.n for layer in self.structure.layers[1:] for p in layer]
        internals = [p.n for p in self.structure.layers[0]] + ["E_total"]
        internals += [f"{kind}_{n}" for n in neurons for kind in ("net", "out", "delta", "target")]
        for internal in internals:
            if name in self.names.forms(internal):
                return _WHAT.get(parse(internal).kind)
        return None
