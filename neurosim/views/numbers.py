"""How numbers are written in tables: fixed decimals, trailing zeros dropped, as Mazur prints them."""

import math

DEFAULT_DIGITS = 9
LARGE = 1e16  # from here on a float64 has fewer significant digits than the integer has


_WRITTEN: dict[tuple[float, int], str] = {}  # values written so far: a step's tables write most more than once
_KEPT = 10_000  # texts kept at most (then forgotten all at once)


def fmt(value: float, digits: int = DEFAULT_DIGITS) -> str:
    """Write `value` with at most `digits` decimals and no trailing zeros (0.75136507, 0.3775).

    A non-zero value too small to show at that precision is written in scientific notation
    (3.1e-12) rather than as a misleading 0, and so is one of 10^16 or more, whose integer digits
    float64 does not hold (1e+308, -8.21670406e+304 rather than 300 digits).
    """
    value = float(value)
    key = (value, digits)  # (0.0 and -0.0 are one key: both are written "0")
    text = _WRITTEN.get(key)
    if text is None:
        if len(_WRITTEN) >= _KEPT:
            _WRITTEN.clear()
        text = _WRITTEN[key] = _write(value, digits)
    return text


def _write(value: float, digits: int) -> str:
    if not math.isfinite(value):
        return str(value)
    if abs(value) >= LARGE:
        return f"{value:.{max(digits, 1)}g}"
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


def shortest(value: float) -> str:
    """A computed value as a person reads it: 15 significant digits, float noise and the sign of a
    zero dropped (-0.019600000000000003 → -0.0196, -0.0 → 0)."""
    text = f"{float(value):.15g}"
    return "0" if text in ("-0", "0") else text
