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
                    NumPy promotes float32 · int64 to float64 (seed 000: x = np.array([[1, 1]]) with
                    W = np.array(…, dtype=np.float32) prints pred_out = -0.57840305 and
                    MSE = 0.33455008989960927, which neither pure float32 nor float64 gives)

Hand rounding (`round_to=K`) models a person with a calculator: each formula (a weighted sum, a
product of factors, w - η·dE/dw) is keyed in at once from the values already written down, the
calculator's display (about 15 significant digits, so 0.219+0.395+0.621 shows 1.235, not
1.2349999999999999) is rounded half-up to K decimals, and that is what is written down and
carried on. The written value remembers what the calculator showed (`Kept.raw`), so a value the
user wrote with more than K decimals (the seed's ŷ = 1.235 with activations carried at 2) can be
checked at the precision it was written.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import attrs
import numpy as np

from ..errors import NeurosimError

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


@attrs.frozen
class Arithmetic:
    """float64 (default), float32, float32-params (see the module docstring), or hand rounding.

    `round_to=K` keeps every computed quantity rounded half-up to K decimals, as a person with a
    calculator writes it down and carries it on.
    """

    dtype: str = "float64"
    round_to: int | None = None

    def __attrs_post_init__(self) -> None:
        if self.dtype not in DTYPES:
            raise NeurosimError(f"dtype: unknown arithmetic '{self.dtype}' (choose from {', '.join(DTYPES)})")
        if self.round_to is not None and not (0 <= self.round_to <= 15):
            raise NeurosimError(f"round: {self.round_to} decimals is out of range (0..15)")

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
        if self.round_to is not None:
            rounded = round_half_up(value, self.round_to)
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
            text = "float32 weights and biases, float64 arithmetic"
        if self.round_to is not None:
            text += f", every quantity rounded half-up to {self.round_to} decimals"
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
    value = float(value)
    if not np.isfinite(value):
        return value
    quantum = Decimal(1).scaleb(-decimals)
    return float(calculator_decimal(value).quantize(quantum, rounding=ROUND_HALF_UP))
