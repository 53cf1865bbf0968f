"""How each named quantity is kept once computed: float64, float32, or rounded by hand.

The engine passes every named quantity (a net input, an output, a factor, a delta, a gradient)
through `Arithmetic.keep` once its formula has been evaluated in one go, and every stored
parameter (a weight or bias as set, and w+ after an update) through `Arithmetic.keep_param`.
Those are the only places where the ways of doing arithmetic differ:

    float64         everything in float64 (the default)
    float32         everything in float32: a NumPy program whose inputs and weights are all float32
    float32-params  weights and biases stored as float32, everything else computed in float64: a
                    NumPy program with float32 weight arrays and integer (or float64) inputs, since
                    NumPy promotes float32 · int64 to float64 (seed 000: x = np.array([[1, 1]]) with
                    W = np.array(…, dtype=np.float32) prints pred_out = -0.57840305 and
                    MSE = 0.33455008989960927, which neither pure float32 nor float64 gives)
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import attrs
import numpy as np

from .errors import NeurosimError

DTYPES = ("float64", "float32", "float32-params")


@attrs.frozen
class Arithmetic:
    """float64 (default), float32, float32-params (see the module docstring), or hand rounding.

    `round_to=K` keeps every named quantity rounded half-up to K decimals, as a person with a
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

    def keep(self, value: float) -> float:
        """The value as it is carried on to later quantities."""
        return self._keep(value, self.dtype == "float32")

    def keep_param(self, value: float) -> float:
        """A weight or bias as it is stored: float32 in the float32 and float32-params modes (in
        float32-params a Python float holding the float32 value, so arithmetic stays float64)."""
        if self.dtype == "float32-params":
            return float(self._keep(value, True))
        return self._keep(value, self.dtype == "float32")

    def _keep(self, value: float, float32: bool) -> float:
        if float32:
            value = np.float32(value)
        else:
            value = float(value)
        if self.round_to is not None:
            value = round_half_up(value, self.round_to)
            if float32:
                value = np.float32(value)
        return value

    def keeper(self):
        """A fast callable equivalent to `keep` (the builtin `float` for plain float64)."""
        if self.round_to is None:
            return np.float32 if self.dtype == "float32" else float
        return self.keep

    def param_keeper(self):
        """A fast callable equivalent to `keep_param`."""
        if self.round_to is None and self.dtype != "float32-params":
            return float if self.dtype == "float64" else np.float32
        return self.keep_param

    def describe(self) -> str:
        text = self.dtype
        if self.dtype == "float32-params":
            text = "float32 weights and biases, float64 arithmetic"
        if self.round_to is not None:
            text += f", every quantity rounded half-up to {self.round_to} decimals"
        return text


def round_half_up(value: float, decimals: int) -> float:
    """Round half away from zero at `decimals` places, as a calculator does: on the value's
    15-significant-digit decimal form (all a float64 holds faithfully), so that a sum such as
    0.219 + 0.395 + 0.621 = 1.2349999999999999 rounds as the 1.235 it stands for (to 1.24)."""
    value = float(value)
    if not np.isfinite(value):
        return value
    quantum = Decimal(1).scaleb(-decimals)
    return float(Decimal(f"{value:.15g}").quantize(quantum, rounding=ROUND_HALF_UP))
