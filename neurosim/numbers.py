"""How numbers are written in tables: fixed decimals, trailing zeros dropped, as Mazur prints them."""

import math

DEFAULT_DIGITS = 9


def fmt(value: float, digits: int = DEFAULT_DIGITS) -> str:
    """Write `value` with at most `digits` decimals and no trailing zeros (0.75136507, 0.3775).

    A non-zero value too small to show at that precision is written in scientific notation
    (3.1e-12) rather than as a misleading 0.
    """
    value = float(value)
    if not math.isfinite(value):
        return str(value)
    text = f"{value:.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    if text == "0" and value != 0.0:
        return f"{value:.3g}"
    return text


def fmt_operand(value: float, digits: int = DEFAULT_DIGITS) -> str:
    """Like `fmt`, but a negative number is put in parentheses so it can stand inside a formula."""
    text = fmt(value, digits)
    return f"({text})" if text.startswith("-") else text


def decimals_written(text: str) -> int:
    """How many decimals a number was written with: '0.7500' → 4, '1e-3' → 3, '12' → 0."""
    from decimal import Decimal

    exponent = Decimal(text.strip()).as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def agrees_at_written_precision(text: str, value: float) -> bool:
    """True when `value`, rounded half-up to the decimals `text` was written with, equals `text`."""
    from decimal import ROUND_HALF_UP, Decimal

    written = Decimal(text.strip())
    quantum = Decimal(1).scaleb(-decimals_written(text))
    return Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP) == written.quantize(quantum)
