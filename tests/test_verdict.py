"""Verdicts at the precision written: trailing zeros, signs, scientific notation, 1-decimal values."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from neurosim.check.verdict import CORRECT, ROUNDED, WRONG, judge, parse_written
from neurosim.errors import NeurosimError

W5_NEW = 0.35891647971788465  # Mazur's w5+ (published 0.35891648)


@pytest.mark.parametrize("text, decimals", [
    ("0.35891648", 8), ("0.7500", 4), ("12", 0), ("4.38568e-4", 9), ("-0.0226", 4), ("1.2e3", 0), ("3.", 0),
])
def test_decimals_written(text, decimals):
    assert parse_written(text).decimals == decimals


def test_correct_at_the_precision_written():
    v = judge("0.35891648", W5_NEW)
    assert (v.kind, v.decimals_written, v.decimals_agree) == (CORRECT, 8, 8)
    assert v.describe() == "correct to 8 decimals"


def test_trailing_zeros_claim_digits():
    # 0.75 is right for out_o1 = 0.75136507 at 2 decimals; 0.7500 claims 4 and is wrong at the 3rd
    assert judge("0.75", 0.75136507).kind == CORRECT
    v = judge("0.7500", 0.75136507)
    assert v.kind == WRONG and v.decimals_agree == 2 and v.first_wrong_decimal == 3
    assert v.describe() == "wrong from the 3rd decimal on"
    assert judge("0.511301270", 0.5113012702).kind == CORRECT


def test_one_decimal_values():
    assert judge("0.4", W5_NEW).describe() == "correct to 1 decimal"
    assert judge("0.3", W5_NEW).kind == ROUNDED  # 0.3589 cut at 1 decimal, not rounded
    v = judge("0.5", W5_NEW)
    assert v.kind == WRONG and v.decimals_agree == 0 and v.first_wrong_decimal == 1
    assert judge("0.4", 0.45).kind == ROUNDED and judge("0.4", 0.45).how == "half-even"
    assert judge("0.4", 0.46).kind == ROUNDED and judge("0.4", 0.46).how == "truncated"
    assert judge("0.5", 0.45).kind == CORRECT  # half-up


def test_negative_values():
    assert judge("-0.02260254", -0.022602540477).kind == CORRECT
    v = judge("-0.0226025", -0.022602558)  # truncated toward zero (rounded: -0.0226026)
    assert v.kind == ROUNDED and v.how == "truncated"
    v = judge("0.02260254", -0.022602540477)
    assert v.kind == WRONG and v.how == "sign" and v.describe() == "wrong sign (the digits are right)"
    assert judge("-0.0227", -0.02260254).kind == WRONG


def test_scientific_notation():
    assert judge("4.38568e-4", 0.000438568).kind == CORRECT
    assert judge("4.386e-4", 0.000438568).kind == CORRECT
    v = judge("4.385e-4", 0.000438568)  # 7 decimals, truncated
    assert v.kind == ROUNDED and v.decimals_written == 7
    v = judge("4.39e-4", 0.000428568)
    assert v.kind == WRONG and v.first_wrong_decimal == 5
    assert judge("1.2e3", 1234.5).kind == CORRECT  # written to the hundreds


def test_half_even_tie_and_calculator_display():
    assert judge("0.34", 0.345).how == "half-even"
    assert judge("0.35", 0.345).kind == CORRECT
    # a calculator shows 1.235 for 0.219+0.395+0.621, which rounds half-up to 1.24
    assert judge("1.24", 0.219 + 0.395 + 0.621).kind == CORRECT


def test_wrong_before_the_decimal_point():
    v = judge("2.5", 1.2332121)
    assert v.kind == WRONG and v.decimals_agree is None and v.describe() == "wrong before the decimal point"


@pytest.mark.parametrize("bad", ["abc", "", "nan", "inf", "0.1.2", True, None])
def test_not_a_number(bad):
    with pytest.raises(NeurosimError):
        parse_written(bad)


@given(st.floats(-1e6, 1e6, allow_nan=False), st.integers(0, 9))
def test_rounding_half_up_is_always_correct(value, decimals):
    from decimal import ROUND_HALF_UP, Decimal

    from neurosim.core.arithmetic import calculator_decimal

    text = str(calculator_decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))
    v = judge(text, value)
    assert v.kind == CORRECT and v.decimals_agree == decimals


@given(st.floats(-1e3, 1e3, allow_nan=False), st.integers(1, 8), st.integers(1, 9))
def test_a_changed_last_digit_is_not_correct(value, decimals, change):
    from decimal import ROUND_HALF_UP, Decimal

    from neurosim.core.arithmetic import calculator_decimal

    quantum = Decimal(1).scaleb(-decimals)
    right = calculator_decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)
    v = judge(str(right + change * quantum), value)
    assert v.kind != CORRECT
    assert v.kind == WRONG or (change == 1 and v.kind == ROUNDED)


@given(st.floats(-1e6, 1e6, allow_nan=False).filter(lambda v: v != 0), st.integers(-3, 3), st.integers(0, 9))
def test_agrees_is_the_judges_ok_also_for_every_digit_of_a_float(value, ulps, decimals):
    """`agrees` (the diagnosis's quick question) answers as `judge` does: a value written with every
    digit of a float, one or two units in the last place off, is right (float-order) for both."""
    import math
    from decimal import ROUND_HALF_UP, Decimal

    from neurosim.check.verdict import agrees

    other = value
    for _ in range(abs(ulps)):
        other = math.nextafter(other, math.copysign(math.inf, ulps))
    texts = [repr(other), f"{other:.16g}", str(Decimal(f"{other:.15g}").quantize(Decimal(1).scaleb(-decimals),
                                                                                  rounding=ROUND_HALF_UP))]
    for text in texts:
        assert agrees(text, value) == judge(text, value).ok
    if len(Decimal(repr(other)).as_tuple().digits) > 15 and abs(other - value) <= 2 * math.ulp(value):
        assert agrees(repr(other), value)
