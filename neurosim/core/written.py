"""A number as a person writes it down: its digits kept as text, so "0.7500" claims four decimals.

Hand-computed values (`[expect]`, `--expect`) and published figures (`[[published]]`) are kept in
this form; the verdicts (check/verdict.py) judge them at the precision written.
"""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation

import attrs

from ..errors import NeurosimError
from ..messages import say

# A float64 shown to 15 significant digits has at most 338 decimals (5e-324); more cannot be judged
# and would only cost time (a Decimal of a million digits).
MAX_DECIMALS = 400


class TooManyDigits(NeurosimError):
    """A number written with more than MAX_DECIMALS decimals or digits."""


@attrs.frozen
class Written:
    """A number as the user wrote it: the text, its exact decimal value and its last decimal place
    (`exponent` -4 for "0.7500"; 0 for "12"; 2 for "1.2e3", written to the hundreds)."""

    text: str
    value: Decimal
    exponent: int

    @property
    def as_float(self) -> float:
        """The value as a float."""
        return float(self.value)

    @property
    def unit(self) -> float:
        """One unit of the last digit written (0.0001 for "0.7500")."""
        return 10.0 ** self.exponent

    @property
    def decimals(self) -> int:
        """Decimals written (0 for whole numbers and numbers written to the tens or beyond)."""
        return max(0, -self.exponent)


def parse_written(text: str) -> Written:
    """Read a number written by hand: '0.75136507', '-0.0226', '4.38568e-4', '12'."""
    if isinstance(text, bool) or not isinstance(text, (str, int, float)):
        raise NeurosimError(say("{text!r} is not a number", text=text))
    cleaned = str(text).strip() if isinstance(text, str) else repr(text)
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise NeurosimError(say("'{text}' is not a number", text=text)) from None
    if not value.is_finite() or not math.isfinite(float(value)):  # 1e999 is a finite Decimal, not a float
        raise NeurosimError(say("'{text}' is not a finite number", text=text))
    if -value.as_tuple().exponent > MAX_DECIMALS or len(value.as_tuple().digits) > MAX_DECIMALS:
        raise TooManyDigits(say("'{text}' has more digits than a number can be judged to (at most {count} decimals)",
                                text=_short(cleaned), count=MAX_DECIMALS))
    return Written(cleaned, value, value.as_tuple().exponent)


def _short(text: str) -> str:
    """A long number shortened for a message: its first and last 12 characters."""
    return text if len(text) <= 30 else f"{text[:12]}…{text[-12:]}"
