"""What every learning rule shares: its per-parameter state, the step counter, weight decay, and
the records of what it computed (`RuleQuantity`). Nothing here formats a number.

A rule is an object holding, for every parameter p (by name: w5, b1, b_h1 …), the state its
source keeps (a momentum buffer, Adam's moments, Rprop's step size …). Each step the engine calls
`begin_step(E_total)` once, then `update(p, w, dE/dw, …)` for every parameter that learns, which
returns (w+, Δw) and keeps the step's values in `state[p]`. The traced step asks `rows(…)` for
the records of those values (formula and operands, to print `name = formula = numbers = value`);
the fast engines skip that, and the matrix engine calls `update_array` on whole W and B arrays.

State quantities are named `<prefix>_<parameter>` (v_w5, m_w5, mhat_w5, vhat_w5, G_w5, step_w5 …)
and the weight change `Δ<parameter>` (Δw5, Δb1, Δb_h1); `state_name` writes them. The prefixes
each rule uses are listed in its module's docstring; those carried from one step to the next
(`CARRIED`) are what a [training.rule.state] table may give before step 1 (v_w5 = 0.08), and the
rule-wide counters (`COUNTERS`: the step count t, the previous E_total) likewise.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs
import numpy as np

from ..lazy import Deferred
from .params import Param

Keep = Callable[[float], float]
CHANGE = "Δ"  # the prefix of the weight change: Δw5


def state_name(prefix: str, parameter: str) -> str:
    """v, w5 → v_w5; Δ, w5 → Δw5."""
    return f"{CHANGE}{parameter}" if prefix == CHANGE else f"{prefix}_{parameter}"


def split_state_name(name: str) -> tuple[str, str]:
    """v_w5 → (v, w5); v_b_h1 → (v, b_h1); Δw5 → (Δ, w5); a name without '_' → ('', name)."""
    if name.startswith(CHANGE):
        return CHANGE, name[len(CHANGE):]
    prefix, _, parameter = name.partition("_")
    return (prefix, parameter) if parameter else ("", name)


def at(name: str, step: int) -> str:
    """A quantity at a step, as checks name it: v_w5@1 (step 0: the state given before step 1)."""
    return f"{name}@{step}"


@attrs.frozen
class RuleQuantity:
    """One value a rule computed for one parameter: `name = template(symbols) = template(numbers) = value`.

    `template` holds one `{}` per operand; `operands` are (symbol, value) pairs in that order, e.g.
    ("{}·{} - {}·{}", (("α", 0.9), ("v_w5@1", 0.08), ("η", 0.5), ("dE/dw5", 0.08))).
    """

    name: str
    template: str
    operands: tuple[tuple[str, float], ...]
    value: float
    note: str = ""

    @property
    def formula(self) -> str:
        return self.template.format(*(symbol for symbol, _ in self.operands))


def quantity(name: str, template: str, operands: Sequence[tuple[str, float]], value: float,
             note: str = "") -> RuleQuantity:
    """A rule's record; the value is kept as the arithmetic kept it (a hand-rounded value keeps the
    unrounded one it came from, so a number written with more decimals is checked against that)."""
    return RuleQuantity(name, template, tuple([(s, float(v)) for s, v in operands]),
                        value if isinstance(value, float) else float(value), note)


class Rule:
    """A learning rule with its state (see the module docstring). Subclasses set NAME, PARAMS,
    CARRIED, and implement `update`, `rows`, `update_array` and `describe`."""

    NAME = ""
    TITLE = ""  # what it is, for tables: "momentum", "Adam"
    PARAMS: tuple[Param, ...] = ()
    CARRIED: tuple[str, ...] = ()  # per-parameter state carried to the next step
    COUNTERS: tuple[str, ...] = ()  # rule-wide state a [training.rule.state] may set ("t", "E_total")
    FIRST: Mapping[str, float] = {}  # the carried state before step 1 when none is given (default 0.0)

    def __init__(self, config, learning_rate: float):
        self.config = config
        self.lr = learning_rate
        self.p: dict[str, Any] = {param.name: config.get(param.name) for param in self.PARAMS}
        given = dict(config.state)
        self.t = int(given.pop("t", 0))  # steps begun
        self.E: float | None = given.pop("E_total", None)  # E_total of the step in progress
        self.E_prev: float | None = None
        self.given: dict[str, dict[str, float]] = {}
        for name, value in given.items():
            prefix, parameter = split_state_name(name)
            self.given.setdefault(parameter, {})[prefix] = float(value)
        self.state: dict[str, dict[str, float]] = {}
        decay = self.p.get("weight_decay", 0.0) > 0  # (asked once a parameter a step: decays, coupled)
        self._decays = (decay, decay and self.p.get("decay_biases", True))  # (a weight, a bias)
        self._coupled_form = self.p.get("decay", "coupled") == "coupled"

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.config.describe()}, step {self.t}, {len(self.state)} parameters)"

    @property
    def plain(self) -> bool:
        """True for w+ = w - η·dE/dw exactly (the engines' own SGD code applies)."""
        return False

    # -- the step ---------------------------------------------------------------------------
    def begin_step(self, loss: float) -> None:
        """A new step: t ← t + 1; E(t-1) ← E(t); E(t) ← the step's E_total (before its update)."""
        self.t += 1
        self.E_prev, self.E = self.E, float(loss)
        self._during = None  # the copy `during_step` made is the last step's

    def start(self, p: str) -> dict[str, float]:
        """The carried state of p before its first update: the given one, else the rule's start."""
        first = {prefix: self.FIRST.get(prefix, 0.0) for prefix in self.CARRIED}
        first.update(self.given.get(p, {}))
        return first

    def previous(self, p: str) -> dict[str, float]:
        """The state of p after its last update (or before the first)."""
        state = self.state.get(p)
        return state if state is not None else self.start(p)

    def in_use(self) -> tuple[str, ...]:
        """The carried prefixes this configuration uses (Adam's vmax only with amsgrad …)."""
        return self.CARRIED

    def update(self, p: str, w: float, g: float, keep: Keep, keep_param: Keep, bias: bool) -> tuple[float, float]:
        """(w+, Δw) for parameter p with value w and gradient g; keeps the step's values in state[p]."""
        raise NotImplementedError

    def apply(self, p: str, w: float, g: float, keep: Keep, keep_param: Keep, bias: bool, step: int,
              record: bool) -> tuple[float, float, Sequence[RuleQuantity]]:
        """(w+, Δw, the records of the update if `record`): `update`, then `rows` (the traced step),
        made when read (`Deferred`) by the rule as it is during this step (`during_step`)."""
        if not record:
            return (*self.update(p, w, g, keep, keep_param, bias), ())
        before = self.previous(p) if self.CARRIED else {}
        new, change = self.update(p, w, g, keep, keep_param, bias)
        return new, change, Deferred(self.during_step().rows_of, (p, self.state[p], w, g, before, bias, step))

    def during_step(self) -> Rule:
        """A copy of this rule as it is during the step in progress (its counters, t, E_total …), whose
        `rows_of` reads no state of a later step: each update's state is kept as its own dict (an
        update replaces state[p], never changes it)."""
        view = self.__dict__.get("_during")
        if view is None:
            view = object.__new__(type(self))
            view.__dict__.update(self.__dict__)
            view.state = {}
            self._during = view
        return view

    def rows_of(self, p: str, state: dict[str, float], w: float, g: float, prev: Mapping[str, float], bias: bool,
                step: int) -> tuple[RuleQuantity, ...]:
        """`rows` of p's update whose state after it was `state`."""
        self.state[p] = state
        return self.rows(p, w, g, prev, bias, step)

    def rows(self, p: str, w: float, g: float, prev: Mapping[str, float], bias: bool,
             step: int) -> tuple[RuleQuantity, ...]:
        """The records of p's last update (its state before it: `prev`; the trace's step number: `step`)."""
        raise NotImplementedError

    def update_array(self, W: np.ndarray, G: np.ndarray, S: dict[str, np.ndarray],
                     bias: bool) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
        """The same update on arrays (the matrix engine): (W+, ΔW, the new carried state)."""
        raise NotImplementedError

    def describe(self) -> str:
        """The rule and its form in a few words, for the trace header."""
        raise NotImplementedError

    def formulas(self) -> tuple[str, ...]:
        """The update's formulas for a parameter p, one per line, for the worked solutions."""
        raise NotImplementedError

    # -- the state as arrays (the matrix engine) ----------------------------------------------
    def gather(self, names: np.ndarray, dtype) -> dict[str, np.ndarray]:
        """The carried state of the parameters named in `names` (an object array), shaped like it."""
        flat = [self.previous(n) for n in names.reshape(-1).tolist()]
        return {prefix: np.array([s[prefix] for s in flat], dtype=dtype).reshape(names.shape)
                for prefix in self.CARRIED}

    def scatter(self, names: np.ndarray, S: Mapping[str, np.ndarray]) -> None:
        """Write carried state arrays back by name (the inverse of `gather`)."""
        columns = {prefix: np.asarray(S[prefix]).reshape(-1).tolist() for prefix in self.CARRIED}
        for k, name in enumerate(names.reshape(-1).tolist()):
            self.state[name] = {prefix: float(values[k]) for prefix, values in columns.items()}

    def checkpoint(self) -> tuple[dict, dict]:
        """The rule as it is now, for `restore` (a step that fails leaves its rule as it was before it):
        its attributes and per-parameter state (an update replaces state[p], never changes it)."""
        return dict(self.__dict__), dict(self.state)

    def restore(self, saved: tuple[dict, dict]) -> None:
        """Put back what `checkpoint` saved."""
        self.__dict__.clear()
        self.__dict__.update(saved[0])
        self.state = saved[1]

    def copy(self) -> Rule:
        import copy  # only the diagnosis copies a rule

        return copy.deepcopy(self)

    # -- weight decay (the rules that take weight_decay, decay, decay_biases) --------------------
    def decays(self, bias: bool) -> bool:
        """λ > 0 acts on this parameter (on a bias only with decay_biases)."""
        return self._decays[1 if bias else 0]

    def coupled(self, bias: bool) -> bool:
        """λ·w is added to the gradient (L2 in the loss)."""
        return self._decays[1 if bias else 0] and self._coupled_form

    def decoupled(self, bias: bool) -> bool:
        """λ·w is taken off the weight itself, outside the rule's step."""
        return self._decays[1 if bias else 0] and not self._coupled_form

    def penalty(self, values: Mapping[str, float], biases: Sequence[str]) -> float | None:
        """E_decay = λ/2·Σ p² over the parameters that coupled decay acts on (None without it):
        the L2 term whose gradient λ·p the rule adds to dE/dp."""
        if not self.p.get("weight_decay"):
            return None
        squares = [value * value for name, value in values.items() if self.coupled(name in biases)]
        if not squares:
            return None
        total = 0.0
        for square in squares:
            total += square
        return self.p["weight_decay"] / 2 * total

    def gradient(self, w: float, g: float, keep: Keep, bias: bool) -> float:
        """The gradient the rule uses: dE/dp + λ·p under coupled decay, else dE/dp."""
        return keep(g + self.p["weight_decay"] * w) if self.coupled(bias) else g

    def decay_term(self, w: float, keep: Keep) -> float:
        """The decoupled decay of one step: -λ·w (SNNS BackpropWeightDecay; AdamW overrides it)."""
        return keep(-self.p["weight_decay"] * w)

    def finish(self, p: str, w: float, step: float, keep: Keep, keep_param: Keep, bias: bool,
               values: dict[str, float]) -> tuple[float, float]:
        """Δw = the rule's step (+ the decoupled decay), w+ = w + Δw; keeps `values` and Δ in state[p]."""
        if self.decoupled(bias):
            decay = values["decay"] = self.decay_term(w, keep)
            change = keep(step + decay)
        else:
            change = step
        values[CHANGE] = change
        self.state[p] = values
        return keep_param(w + change), change

    def finish_array(self, W: np.ndarray, step: np.ndarray, bias: bool) -> tuple[np.ndarray, np.ndarray]:
        """`finish` on arrays: (W+, ΔW)."""
        if self.decoupled(bias):
            step = step + self.decay_array(W)
        return W + step, step

    def decay_array(self, W: np.ndarray) -> np.ndarray:
        return -self.p["weight_decay"] * W

    def change_row(self, p: str, template: str, operands, bias: bool) -> RuleQuantity:
        """Δp = the rule's step (+ decay_p when decoupled decay acts on p)."""
        state = self.state[p]
        if "decay" in state:
            template = template + " + {}"
            operands = (*operands, (state_name("decay", p), state["decay"]))
        return quantity(state_name(CHANGE, p), template, operands, state[CHANGE])

    def decay_rows(self, p: str, w: float) -> list[RuleQuantity]:
        """decay_p = -λ·p (decoupled decay; AdamW: -η·λ·p)."""
        state = self.state[p]
        if "decay" not in state:
            return []
        return [quantity(state_name("decay", p), "-{}·{}", (("λ", self.p["weight_decay"]), (p, w)), state["decay"])]

    def gradient_rows(self, p: str, w: float, g: float, bias: bool, grad: float) -> list[RuleQuantity]:
        """grad_p = dE/dp + λ·p, when coupled decay acts on p."""
        if not self.coupled(bias):
            return []
        return [quantity(state_name("grad", p), "{} + {}·{}",
                         ((f"dE/d{p}", g), ("λ", self.p["weight_decay"]), (p, w)), grad)]

    def gradient_symbol(self, p: str, g: float, bias: bool, grad: float) -> tuple[str, float]:
        """The gradient the rule uses, as an operand: dE/dp, or grad_p under coupled decay."""
        return (state_name("grad", p), grad) if self.coupled(bias) else (f"dE/d{p}", g)


def is_nan(value: float) -> bool:
    return value != value  # works for floats and float32 scalars alike

