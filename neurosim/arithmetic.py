"""How each named quantity is kept once computed: float64, float32, or rounded by hand.

The engine passes every named quantity (a net input, an output, a factor, a delta, a gradient, a
new weight) through `Arithmetic.keep` once its formula has been evaluated in one go. That is the
only place where the three ways of doing arithmetic differ.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import attrs
import numpy as np

from .errors import NeurosimError

DTYPES = ("float64", "float32")


@attrs.frozen
class Arithmetic:
    """float64 (default), float32 (reproduces programs with float32 weights), or hand rounding.

    `round_to=K` keeps every named quantity rounded half-up to K decimals, as a person with a
    calculator writes it down and carries it on.
    """

    dtype: str = "float64"
    round_to: int | None = None

    def __attrs_post_init__(self) -> None:
        if self.dtype not in DTYPES:
            raise NeurosimError(f"dtype: unknown arithmetic '{self.dtype}' (choose {' or '.join(DTYPES)})")
        if self.round_to is not None and not (0 <= self.round_to <= 15):
            raise NeurosimError(f"round: {self.round_to} decimals is out of range (0..15)")

    @property
    def is_exact_float64(self) -> bool:
        return self.dtype == "float64" and self.round_to is None

    def keep(self, value: float) -> float:
        """The value as it is carried on to later quantities."""
        if self.dtype == "float32":
            value = np.float32(value)
        else:
            value = float(value)
        if self.round_to is not None:
            value = round_half_up(value, self.round_to)
            if self.dtype == "float32":
                value = np.float32(value)
        return value

    def keeper(self):
        """A fast callable equivalent to `keep` (the builtin `float` for plain float64)."""
        if self.round_to is None:
            return float if self.dtype == "float64" else np.float32
        return self.keep

    def describe(self) -> str:
        text = self.dtype
        if self.round_to is not None:
            text += f", every quantity rounded half-up to {self.round_to} decimals"
        return text


def round_half_up(value: float, decimals: int) -> float:
    """Round half away from zero at `decimals` places, on the shortest decimal form of `value`."""
    value = float(value)
    if not np.isfinite(value):
        return value
    quantum = Decimal(1).scaleb(-decimals)
    return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))
