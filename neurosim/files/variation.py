"""The [variants] table of an exercise file: which given numbers `neurosim variants` draws afresh,
and from which hand-friendly values.

    [variants]
    weights = { min = 0.05, max = 0.95, step = 0.05 }    # 0.05, 0.1, … 0.95
    inputs = { min = 0.01, max = 0.99, decimals = 2 }    # 0.01, 0.02, … 0.99
    learning_rate = { values = [0.1, 0.25, 0.5] }        # one of these
    targets = true                                       # over the default values
    biases = false                                       # kept as the template gives them
    description = "Compute w5+ and w1+."                 # the variants' description

Each of weights, biases, inputs, targets, learning_rate is `true` (vary over the default values),
`false` (keep), or a table: `min`, `max` and either `step` or `decimals` (a step of 10^-decimals),
or `values` (a list to choose from). Without a [variants] table weights, biases and inputs vary
over the defaults and targets and the learning rate are kept; with one, only what it names varies.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

import attrs

from ..errors import NeurosimError
from ..messages import say
from .fields import check_keys, string, whole

CATEGORIES = ("weights", "biases", "inputs", "targets", "learning_rate")
VARIANTS_KEYS = CATEGORIES + ("description",)
RANGE_KEYS = ("min", "max", "step", "decimals", "values")
MAX_DECIMALS = 9
MAX_CHOICES = 10 ** 6


@attrs.frozen
class HandValues:
    """Numbers a person writes easily: first, first + step, …, first + (count - 1)·step — or the
    `listed` ones when given."""

    first: Decimal = Decimal(0)
    step: Decimal = Decimal(0)
    count: int = 0
    listed: tuple[Decimal, ...] = ()

    @property
    def size(self) -> int:
        return len(self.listed) if self.listed else self.count

    def draw(self, rng) -> Decimal:
        """One of the values, uniformly (`rng`: a numpy Generator)."""
        k = int(rng.integers(self.size))
        return self.listed[k] if self.listed else self.first + k * self.step

    def describe(self) -> str:
        if self.listed:
            return say("one of {values}", values=", ".join(str(v) for v in self.listed))
        last = self.first + (self.count - 1) * self.step
        return say("{first} to {last} in steps of {step}", first=self.first, last=last, step=self.step)


def _steps(first: str, step: str, count: int) -> HandValues:
    return HandValues(Decimal(first), Decimal(step), count)


DEFAULTS: dict[str, HandValues] = {
    "weights": _steps("0.05", "0.05", 19),
    "biases": _steps("0.05", "0.05", 19),
    "inputs": _steps("0.01", "0.01", 99),
    "targets": _steps("0.01", "0.01", 99),
    "learning_rate": HandValues(listed=(Decimal("0.1"), Decimal("0.25"), Decimal("0.5"), Decimal("1"))),
}
VARIED_BY_DEFAULT = ("weights", "biases", "inputs")


@attrs.frozen
class VariationRules:
    """The categories that vary, each with its values (in CATEGORIES order), and the description
    the variants get (None: none)."""

    ranges: tuple[tuple[str, HandValues], ...]
    description: str | None = None

    def values_for(self, category: str) -> HandValues | None:
        return dict(self.ranges).get(category)


def variation_rules(table: Mapping | None) -> VariationRules:
    """The [variants] table (None when the file has none) read and checked key by key."""
    if table is None:
        return VariationRules(tuple((c, DEFAULTS[c]) for c in VARIED_BY_DEFAULT))
    if not isinstance(table, Mapping):
        raise NeurosimError(say("variants: expected a table ([variants]), got {value!r}", value=table))
    check_keys(table, VARIANTS_KEYS, "variants")
    ranges = []
    for category in CATEGORIES:
        if category in table:
            values = _hand_values(f"variants.{category}", table[category], DEFAULTS[category])
            if values is not None:
                ranges.append((category, values))
    description = table.get("description")
    return VariationRules(tuple(ranges), None if description is None else string("variants.description",
                                                                                   description))


def _hand_values(field: str, value, default: HandValues) -> HandValues | None:
    """true → the default values; false → None (kept); a table → its values."""
    if isinstance(value, bool):
        return default if value else None
    if not isinstance(value, Mapping):
        raise NeurosimError(say("{field}: expected true, false or a table such as "
                                "{{ min = 0.05, max = 0.95, step = 0.05 }}, got {value!r}", field=field, value=value))
    check_keys(value, RANGE_KEYS, field)
    if "values" in value:
        extra = [k for k in ("min", "max", "step", "decimals") if k in value]
        if extra:
            raise NeurosimError(say("{field}: give either values or a range (min, max and step or decimals), "
                                    "not both ({key} is given with values)", field=field, key=extra[0]))
        return _listed(f"{field}.values", value["values"])
    return _range(field, value)


def _listed(field: str, values) -> HandValues:
    if not isinstance(values, list) or not values:
        raise NeurosimError(say("{field}: expected a non-empty list of numbers, got {value!r}",
                                field=field, value=values))
    numbers = tuple(_decimal(f"{field}[{i}]", v) for i, v in enumerate(values, start=1))
    return HandValues(listed=tuple(dict.fromkeys(numbers)))  # repeated values once, in order


def _range(field: str, table: Mapping) -> HandValues:
    """min, max and step (or decimals): the values min, min + step, … up to max."""
    for key in ("min", "max"):
        if key not in table:
            raise NeurosimError(say("{field}: {key} is missing (e.g. {{ min = 0.05, max = 0.95, step = 0.05 }})",
                                    field=field, key=key))
    if ("step" in table) == ("decimals" in table):
        raise NeurosimError(say("{field}: give one of step (step = 0.05) or decimals (decimals = 2)", field=field))
    low, high = _decimal(f"{field}.min", table["min"]), _decimal(f"{field}.max", table["max"])
    if "step" in table:
        step = _decimal(f"{field}.step", table["step"])
        if step <= 0:
            raise NeurosimError(say("{field}.step: must be positive, got {step}", field=field, step=step))
    else:
        decimals = whole(f"{field}.decimals", table["decimals"])
        if decimals > MAX_DECIMALS:
            raise NeurosimError(say("{field}.decimals: at most {most}, got {decimals}", field=field,
                                    most=MAX_DECIMALS, decimals=decimals))
        step = Decimal(1).scaleb(-decimals)
    if low > high:
        raise NeurosimError(say("{field}: min {low} is above max {high}", field=field, low=low, high=high))
    count = (high - low) / step
    if count != count.to_integral_value():
        raise NeurosimError(say("{field}: from min {low} to max {high} is not a whole number of steps of {step}",
                                field=field, low=low, high=high, step=step))
    if count + 1 > MAX_CHOICES:
        raise NeurosimError(say("{field}: {count} values to choose from; at most {most}", field=field,
                                count=int(count) + 1, most=MAX_CHOICES))
    return HandValues(low, step, int(count) + 1)


def _decimal(field: str, value) -> Decimal:
    """A number from the file (0.05 or "0.05") as the decimal it reads as."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise NeurosimError(say("{field}: expected a number, got {value!r}", field=field, value=value))
    try:
        number = Decimal(value.strip() if isinstance(value, str) else repr(value))
    except InvalidOperation:
        raise NeurosimError(say("{field}: {value!r} is not a number", field=field, value=value)) from None
    if not number.is_finite():
        raise NeurosimError(say("{field}: {value!r} is not a finite number", field=field, value=value))
    return number
