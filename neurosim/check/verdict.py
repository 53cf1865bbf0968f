"""Verdicts on a number written by hand, at the precision it was written.

A value written with d decimals ("0.7514", "7.514e-1", "0.7500") is judged against the computed
value as a calculator shows it (15 significant digits):

correct   the computed value rounded half-up to d decimals is what was written (a value written
          with 16 or 17 significant digits, as Python prints a float, also when it is one or two
          units in the last place off: another order of evaluation in float64);
rounded   it is not, but the written value is the computed one truncated to d decimals, or
          rounded half-to-even (a tie broken the other way): right digits, last one rounded
          differently;
wrong     neither. The value agrees to k decimals — the largest k ≤ d with
          |written − computed| ≤ ½·10^-k (the textbook "correct to k decimal places") — and is
          wrong from decimal k+1 on. A value that is right except for its sign says so.

Trailing zeros count: "0.7500" claims four decimals. Pure functions; nothing here prints.
"""

from __future__ import annotations

import math
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, localcontext

import attrs

from ..core.arithmetic import calculator_decimal
from ..core.written import Written, parse_written
from ..messages import say, say_count

CORRECT, ROUNDED, WRONG = "correct", "rounded", "wrong"
FLOAT_ORDER_ULPS = 2  # a 16–17 digit value this many units in the last place off: another evaluation order


def _quantize(value: Decimal, exponent: int, rounding: str) -> Decimal:
    """`value` rounded to the place 10^exponent, with as many digits as that takes (the default
    context's 28 would fail on w5+ = 1e-29 or on a value near 1e308 written to a decimal)."""
    with localcontext() as context:
        context.prec = max(context.prec, value.adjusted() - exponent + 2)
        return value.quantize(Decimal(1).scaleb(exponent), rounding=rounding)


@attrs.frozen
class Verdict:
    """How a written value compares with the computed one."""

    kind: str  # CORRECT, ROUNDED or WRONG
    decimals_written: int
    decimals_agree: int | None  # None: not even the whole-number part agrees
    how: str = ""  # ROUNDED: "truncated" or "half-even"; WRONG: "sign" when only the sign is wrong

    @property
    def ok(self) -> bool:
        """Right digits: correct, or correct but rounded differently in the last digit."""
        return self.kind != WRONG

    @property
    def first_wrong_decimal(self) -> int | None:
        """The decimal place (1 = first after the point) from which a wrong value goes wrong;
        0 when the whole-number part is already wrong; None when the value is not wrong."""
        if self.kind != WRONG:
            return None
        return 0 if self.decimals_agree is None else self.decimals_agree + 1

    def describe(self) -> str:
        """One line for a student: 'correct to 4 decimals', 'wrong from the 3rd decimal on'."""
        if self.kind == CORRECT and self.how == "float-order":
            return say("correct (float64 evaluation order: the last digits differ by a unit or two)")
        if self.kind == CORRECT:
            return (say_count("correct to 1 decimal", "correct to {count} decimals", self.decimals_written)
                    if self.decimals_written else say("correct (whole number)"))
        if self.kind == ROUNDED:
            return (say("correct, but the last digit truncated instead of rounded") if self.how == "truncated" else
                    say("correct, but the last digit rounded half-to-even instead of half-up"))
        if self.how == "sign":
            return say("wrong sign (the digits are right)")
        first = self.first_wrong_decimal
        if first == 0:
            return say("wrong before the decimal point")
        return wrong_from(first)


def judge(written: str | Written, computed: float) -> Verdict:
    """The verdict on `written` (a number as the user wrote it) against `computed`."""
    w = written if isinstance(written, Written) else parse_written(written)
    if not math.isfinite(float(computed)):
        return Verdict(WRONG, w.decimals, None)
    # A calculator's 15 significant digits hide binary noise (1.2349999999999999 shows 1.235); a
    # value written with more digits than that is compared with the float's exact shortest form,
    # and one or two units in the last place of a float64 are the order of its evaluation.
    if len(w.value.as_tuple().digits) > 15:
        c = Decimal(repr(float(computed)))
        if c != w.value and abs(float(w.value) - float(computed)) <= FLOAT_ORDER_ULPS * math.ulp(float(computed)):
            return Verdict(CORRECT, w.decimals, w.decimals, "float-order")
    else:
        c = calculator_decimal(computed)
    e = w.exponent
    if _far(w, float(computed)):  # more than a unit of the last digit off, whatever its sign
        agree = agreeing_decimals(w, c)
        return Verdict(WRONG, w.decimals, min(agree, w.decimals - 1) if agree is not None and w.decimals else None)
    if _quantize(c, e, ROUND_HALF_UP) == w.value:
        return Verdict(CORRECT, w.decimals, w.decimals)
    agree = agreeing_decimals(w, c)
    for rounding, how in ((ROUND_HALF_EVEN, "half-even"), (ROUND_DOWN, "truncated")):
        if _quantize(c, e, rounding) == w.value:
            return Verdict(ROUNDED, w.decimals, agree, how)
    if w.value != 0 and _quantize(-c, e, ROUND_HALF_UP) == w.value:
        return Verdict(WRONG, w.decimals, agree, "sign")
    if agree is not None and agree >= w.decimals:
        agree = w.decimals - 1 if w.decimals > 0 else None
    return Verdict(WRONG, w.decimals, agree)


def agreeing_decimals(written: Written, computed: Decimal) -> int | None:
    """The largest k ≤ decimals written with |written − computed| ≤ ½·10^-k, or None."""
    error = abs(written.value - computed)
    for k in range(written.decimals, -1, -1):
        if error <= Decimal(5).scaleb(-k - 1):
            return k
    return None


def agrees(written: str | Written, computed: float) -> bool:
    """True when `computed` is right at the precision `written` has (correct or rounded): `judge`'s
    `ok`, answered at once for a value more than a unit of the last digit off and, written with
    every digit of a float, more than FLOAT_ORDER_ULPS units in its last place (the searches of the
    diagnosis ask this of thousands of candidate values)."""
    w = written if isinstance(written, Written) else parse_written(written)
    c = float(computed)
    if not math.isfinite(c) or abs(w.as_float - c) > max(_UNIT_SLACK * w.unit, FLOAT_ORDER_ULPS * math.ulp(c)):
        return False
    return judge(w, c).ok


_UNIT_SLACK = 1.01  # a right value (rounded or truncated) is within one unit of the last digit written


def _far(w: Written, c: float) -> bool:
    """Whether c is more than a unit of the last digit from the written value and from its negative."""
    return abs(w.as_float - c) > _UNIT_SLACK * w.unit and abs(w.as_float + c) > _UNIT_SLACK * w.unit


def wrong_from(n: int) -> str:
    """'wrong from the 1st decimal on', … the 2nd, 3rd, 4th, 11th, 21st (English ordinals)."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    if suffix == "st":
        return say("wrong from the {n}st decimal on", n=n)
    if suffix == "nd":
        return say("wrong from the {n}nd decimal on", n=n)
    if suffix == "rd":
        return say("wrong from the {n}rd decimal on", n=n)
    return say("wrong from the {n}th decimal on", n=n)
