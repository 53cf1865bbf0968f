"""How each named quantity is kept once computed: float64, float32, or rounded by hand.

The engine passes every named quantity (a net input, an output, a factor, a delta, a gradient)
through `Arithmetic.keep` once its formula has been evaluated in one go, and every new weight or
bias through `Arithmetic.keep_param`. Given data are stored with `Arithmetic.store` (inputs,
targets) and `Arithmetic.store_param` (initial weights and biases): converted to the dtype, never
rounded — a person with a calculator copies them as printed. The dtypes:

    float64         everything in float64 (the default)
    float32         everything in float32: a NumPy program whose inputs and weights are all float32
    float32-params  weights and biases stored as float32, everything else computed in float64: a
                    NumPy program with float32 weight arrays and integer (or float64) inputs, since
                    NumPy promotes float32 · int64 to float64 (broadcast_forward: x = np.array([[1, 1]]) with
                    W = np.array(…, dtype=np.float32) prints pred_out = -0.57840305 and
                    MSE = 0.33455008989960927, which neither pure float32 nor float64 gives)

Hand rounding (`round_to=K`) models a person with a calculator: each formula (a weighted sum, a
product of factors, w - η·dE/dw) is keyed in at once from the values already written down, the
calculator's display (about 15 significant digits, so 0.219+0.395+0.621 shows 1.235, not
1.2349999999999999) is rounded half-up to K decimals, and that is what is written down and
carried on. The written value remembers what the calculator showed (`Kept.raw`), so a value the
user wrote with more than K decimals (the tutorial's ŷ = 1.235 with activations carried at 2) can be
checked at the precision it was written.

A rounding habit (`RoundingHabit`, HABITS) says which kinds of quantity are written down rounded,
and how; `round-K` (every quantity, half-up) is the habit of `round_to=K` alone:

    round-K          every quantity rounded half-up to K decimals and carried on rounded
    round-written-K  only what a textbook's tables print is rounded — net inputs, outputs, the
                     errors (E and delta, a textbook's Err) and the new weights; each further
                     formula is keyed in at once from them (the gradient from the written delta:
                     dE/dw = delta·out, Han/Kamber/Pei's Err_j·O_i)
    round-forward-K  the activations rounded at the end of the forward pass; the backward pass exact
    chop-K           every quantity truncated (chopped) to K decimals instead of rounded
"""

from __future__ import annotations

import math
from decimal import ROUND_DOWN, ROUND_HALF_UP, Context, Decimal

import attrs
import numpy as np

from ..errors import NeurosimError
from ..messages import N_, say

DTYPES = ("float64", "float32", "float32-params")

# The kinds of computed quantity. Every formula passes its result to `keep(value, kind)`, so that a
# rounding habit can treat what a person writes down (net, out, errors, deltas, new weights)
# differently from what they key straight into the next formula.
NET, OUT = "net", "out"                                    # net_h1, out_h1
ERROR, LOSS = "error", "loss"                              # E_o1; E_total (a sample's or the step's)
DE_DOUT, DE_DOUT_PART = "dE_dout", "dE_dout_part"          # dE/dout_h1; dE_o1/dout_h1 = delta_o1·w5
DOUT_DNET, DELTA = "dout_dnet", "delta"                    # dout_h1/dnet_h1; delta_h1 = dE/dnet_h1
GRADIENT_PART, GRADIENT = "gradient_part", "gradient"      # one sample's dE/dw5; dE/dw5 of the step
PARAMETER = "parameter"                                    # w5+, b1+
KINDS = (NET, OUT, ERROR, LOSS, DE_DOUT, DE_DOUT_PART, DOUT_DNET, DELTA, GRADIENT_PART, GRADIENT, PARAMETER)
CALCULATOR_DIGITS = 15
MAX_DECIMALS = 15
_WIDE = Context(prec=400)  # room for every float's whole part and 15 decimals
HALF_UP, CHOP = "half-up", "chop"


@attrs.frozen
class RoundingHabit:
    """How a person writes quantities down: which `kinds` are rounded, by `method` (half-up or
    chop), and whether a gradient is keyed in from the written delta (delta·dnet/dw) instead of
    from its factors (dE/dout·dout/dnet·dnet/dw). `description` has {k} for the decimals."""

    name: str
    kinds: tuple[str | None, ...]
    method: str
    description: str
    gradient_from_delta: bool = False

    def describe(self, decimals: int | str) -> str:
        """What the habit rounds, at `decimals` (a number, or 'K'), in the active language."""
        return say(self.description, k=decimals)

    def id(self, decimals: int) -> str:
        """The habit's catalog id at `decimals`: round-3, round-written-3, chop-4 …"""
        return f"{self.name}-{decimals}"


_EVERY = (*KINDS, None)
HABITS: dict[str, RoundingHabit] = {h.name: h for h in (
    RoundingHabit("round", _EVERY, HALF_UP, N_("every quantity rounded half-up to {k} decimals")),
    RoundingHabit("round-written", (NET, OUT, ERROR, LOSS, DELTA, PARAMETER), HALF_UP,
                  N_("only what is written down rounded half-up to {k} decimals (net, out, the errors E and "
                     "delta, the new weights), each further formula keyed in at once from them"),
                  gradient_from_delta=True),
    RoundingHabit("round-forward", (OUT,), HALF_UP,
                  N_("the activations rounded half-up to {k} decimals at the end of the forward pass, the "
                     "backward pass exact")),
    RoundingHabit("chop", _EVERY, CHOP, N_("every quantity truncated (chopped) to {k} decimals instead of rounded")),
)}


def parse_rounding(text: str, where: str = "rounding") -> tuple[str, int]:
    """'round-written-3' → ('round-written', 3); a one-line error names a bad habit or K."""
    name, _, digits = str(text).rpartition("-")
    if name not in HABITS or not digits.lstrip("-").isdigit():
        choices = ", ".join(f"{h}-K" for h in HABITS)
        raise NeurosimError(f"{where}: unknown rounding habit '{text}' (choose from {choices}; K = 0..15 decimals)")
    decimals = int(digits)
    if not 0 <= decimals <= MAX_DECIMALS:
        raise NeurosimError(f"{where}: '{text}': {decimals} decimals is out of range (0..{MAX_DECIMALS})")
    return name, decimals


class Kept(float):
    """A value as written down by hand: the rounded number, remembering the unrounded `raw` one
    (the formula's result before it was rounded). Arithmetic on it gives plain floats."""

    __slots__ = ("raw",)

    def __new__(cls, value: float, raw: float):
        self = super().__new__(cls, value)
        self.raw = raw
        return self

    def __repr__(self) -> str:
        return float.__repr__(self)

    def __reduce__(self):
        return (Kept, (float(self), self.raw))


def unrounded(value: float) -> float:
    """The value a formula gave before it was rounded by hand (the value itself if it was not)."""
    return value.raw if isinstance(value, Kept) else value


def as_checked(value: float, decimals_written: int, arithmetic: Arithmetic) -> float:
    """The value a hand-written number is judged against: the value as the habit wrote it down when
    the number has exactly the habit's decimals (a chopped 0.331, not the 0.3318 it came from),
    otherwise the formula's result before it was rounded (`unrounded`: a number written with more
    decimals than the habit keeps is checked at the precision it was written)."""
    if isinstance(value, Kept) and decimals_written == arithmetic.round_to:
        return float(value)
    return unrounded(value)


@attrs.frozen
class Arithmetic:
    """float64 (default), float32, float32-params (see the module docstring), or hand rounding.

    `round_to=K` keeps every computed quantity rounded half-up to K decimals, as a person with a
    calculator writes it down and carries it on; `habit` (HABITS) chooses which quantities are
    rounded and how (default "round": every one, half-up).
    """

    dtype: str = "float64"
    round_to: int | None = None
    habit: str = "round"

    def __attrs_post_init__(self) -> None:
        for field, value, ok in (("dtype", self.dtype, type(self.dtype) is str), ("rounding", self.habit, type(
                self.habit) is str), ("round", self.round_to, self.round_to is None or type(self.round_to) is int)):
            if not ok:  # (a name; a whole number of decimals or None)
                raise NeurosimError(say("{field}: expected {kind}, got {value!r}", field=field, value=value, kind=say(
                    N_("a whole number of decimals or None") if field == "round" else N_("a name"))))
        if self.dtype not in DTYPES:
            raise NeurosimError(f"dtype: unknown arithmetic '{self.dtype}' (choose from {', '.join(DTYPES)})")
        if self.round_to is not None and not (0 <= self.round_to <= MAX_DECIMALS):
            raise NeurosimError(f"round: {self.round_to} decimals is out of range (0..{MAX_DECIMALS})")
        if self.habit not in HABITS:
            raise NeurosimError(f"rounding: unknown habit '{self.habit}' (choose from {', '.join(HABITS)})")

    @property
    def rounding(self) -> RoundingHabit | None:
        """The rounding habit in force (None: no hand rounding)."""
        return None if self.round_to is None else HABITS[self.habit]

    @property
    def rounding_id(self) -> str | None:
        """round-3, round-written-3, chop-4 … (None: no hand rounding)."""
        return None if self.round_to is None else HABITS[self.habit].id(self.round_to)

    @property
    def gradient_from_delta(self) -> bool:
        """True when the habit keys a gradient in from the written delta: dE/dw = delta·dnet/dw."""
        return self.round_to is not None and HABITS[self.habit].gradient_from_delta

    @property
    def is_exact_float64(self) -> bool:
        return self.dtype == "float64" and self.round_to is None

    def store(self, value: float) -> float:
        """A given value (input, target, initial parameter) in this dtype; never rounded."""
        return np.float32(value) if self.dtype == "float32" else float(value)

    def store_param(self, value: float) -> float:
        """A given weight or bias: float32 in the float32 and float32-params modes (in
        float32-params a Python float holding the float32 value, so arithmetic stays float64)."""
        if self.dtype == "float32-params":
            return float(np.float32(value))
        return self.store(value)

    def keep_param(self, value: float, kind: str | None = PARAMETER) -> float:
        """A new weight or bias (w+ = w - η·dE/dw) as it is written down and stored."""
        value = self.keep(value, kind)
        if self.dtype == "float32-params":
            return float(np.float32(value))
        return value

    def keep(self, value: float, kind: str | None = None) -> float:
        """A computed value of `kind` (KINDS; None: any other) as it is carried on to later quantities.

        Keeping a value that was already written down (out = net for a linear neuron) changes
        nothing: it is the same quantity, written once.
        """
        if isinstance(value, Kept):
            return value
        if self.dtype == "float32":
            value = np.float32(value)
        else:
            value = float(value)
        if self.round_to is not None and kind in HABITS[self.habit].kinds:
            rounded = round_decimals(value, self.round_to, HABITS[self.habit].method)
            if self.dtype == "float32":
                return np.float32(rounded)
            return Kept(rounded, value)
        return value

    def keeper(self):
        """A fast callable equivalent to `keep`: keeper(value, kind=None)."""
        if self.round_to is None:
            return as_float32 if self.dtype == "float32" else exact
        return self.keep

    def param_keeper(self):
        """A fast callable equivalent to `keep_param`."""
        if self.round_to is None and self.dtype != "float32-params":
            return self.keeper()
        return self.keep_param

    def storer(self):
        """A fast callable equivalent to `store`."""
        return np.float32 if self.dtype == "float32" else float

    def describe(self) -> str:
        text = self.dtype
        if self.dtype == "float32-params":
            text = say("float32 weights and biases, float64 arithmetic")
        if self.round_to is not None:
            text += say(", {habit}", habit=self.rounding.describe(self.round_to))
            if self.habit != "round":
                text += f" ({self.rounding_id})"
        return text


def exact(value: float, kind: str | None = None) -> float:
    """float64 arithmetic: a computed value is kept as it is (as a Python float)."""
    return float(value)


def as_float32(value: float, kind: str | None = None) -> float:
    """float32 arithmetic: a computed value is kept as a NumPy float32."""
    return np.float32(value)


def calculator_decimal(value: float) -> Decimal:
    """`value` as a calculator displays it: 15 significant digits, binary noise gone."""
    return Decimal(f"{float(value):.{CALCULATOR_DIGITS}g}")


def round_half_up(value: float, decimals: int) -> float:
    """Round half away from zero at `decimals` places, on the calculator display of `value`
    (so 1.2349999999999999, which a calculator shows as 1.235, rounds to 1.24)."""
    return round_decimals(value, decimals, HALF_UP)


def round_decimals(value: float, decimals: int, method: str = HALF_UP) -> float:
    """`value` as the calculator displays it (15 significant digits), rounded half away from zero
    (HALF_UP) or truncated toward zero (CHOP) at `decimals` places.

    Fast path: with y = |value|·10^decimals, the display and the product move y by less than
    1e-13·y, so unless y is that close to where the result changes (a half for HALF_UP, a whole
    number for CHOP) the float computation gives the same digits; (n ± 1)/10^decimals is then the
    float nearest the decimal result, as float(Decimal) is. Anything closer goes through Decimal.
    """
    value = float(value)
    if not math.isfinite(value):
        return value
    scale = 10.0 ** decimals
    y = abs(value) * scale
    if y < 2.0 ** 52:
        whole = math.floor(y)
        fraction = y - whole
        band = 1e-13 * max(y, 1.0)
        if method == HALF_UP and abs(fraction - 0.5) > band:
            return math.copysign((whole + (fraction > 0.5)) / scale, value)
        if method == CHOP and band < fraction < 1.0 - band:
            return math.copysign(whole / scale, value)
    return round_decimals_exact(value, decimals, method)


def round_decimals_exact(value: float, decimals: int, method: str = HALF_UP) -> float:
    """The same as `round_decimals`, always through Decimal (the definition; tests compare the two)."""
    value = float(value)
    if not math.isfinite(value):
        return value
    mode = ROUND_HALF_UP if method == HALF_UP else ROUND_DOWN
    return float(calculator_decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=mode, context=_WIDE))
