"""The values a person would type for a constant of a formula, in place of the stated one: a
learning rate of 0.65 where the text says 0.5, β1 = 0.99, ε = 1e-6, the timestep t off by one.

A value "a person would type" has at most two significant digits, the second a 0 or a 5 (0.65,
0.1, 3, 0.025), or is one of the 0.9… values rates of decay take (0.99, 0.999); ε takes a power of
ten; the timestep t its neighbours t - 1 and t + 1; ½ of a squared error is 1 when the ½ is
forgotten. Any other number that reproduces a value is not reported: a constant solved for to fit
one number always fits, and says nothing.
"""

from __future__ import annotations

RATES = ("η", "α", "λ", "c", "τ", "μ")  # learning rates, momenta, decays: any nice value
FRACTIONS = ("β1", "β2", "ρ", "γ")  # rates of decay: nice values below 1 and 0.9…
NINES = (0.9, 0.95, 0.99, 0.995, 0.999, 0.9999)


def nice_values(low: float = 1e-4, high: float = 10.0) -> tuple[float, ...]:
    """Numbers with one or two significant digits, the second 0 or 5, between `low` and `high`."""
    values = []
    scale = 1e-4
    while scale <= high:
        for mantissa in (1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5, 5.5, 6, 6.5, 7, 7.5, 8, 8.5, 9, 9.5):
            value = float(f"{mantissa * scale:.6g}")
            if low <= value <= high and value not in values:
                values.append(value)
        scale *= 10
    return tuple(values)


NICE = nice_values()


def constant_values(symbol: str, stated: float) -> tuple[float, ...]:
    """The values tried for the constant `symbol` stated as `stated` (not `stated` itself)."""
    if symbol == "t":
        candidates: tuple[float, ...] = tuple(v for v in (stated - 1, stated + 1) if v >= 1)
    elif symbol == "ε":
        candidates = (0.0,) + tuple(10.0 ** -k for k in range(3, 13))
    elif symbol == "½":
        candidates = (1.0,)
    elif symbol in FRACTIONS:
        candidates = tuple(v for v in NICE if v < 1) + NINES
    elif symbol in RATES:
        candidates = NICE + NINES
    else:
        return ()
    return tuple(sorted({v for v in candidates if v != stated}))
