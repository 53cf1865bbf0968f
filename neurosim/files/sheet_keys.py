"""The keys an exercise file sets for the classroom: `variant` (the id `neurosim variants` writes
into each variant), `ask` (the quantities a question sheet asks for) and `[plot]` (draw the
network on the sheet).

    variant = "v07"
    ask = ["E_total", "w5+", "w1+"]     # or, to say how many decimals the answers need:
    [ask]
    quantities = ["E_total", "w5+", "w1+"]
    decimals = 4
    [plot]
    network = true                      # the sheet draws the network (needs matplotlib)
    digits = 4                          # decimals of the numbers on the drawing

Quantity names are checked for their form here (`w5+@2`: step 2); whether the exercise has such
a quantity is checked when the sheet is made, against the computed step.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..core.exercise import SheetRequest
from ..errors import NeurosimError
from ..messages import say
from .fields import boolean, check_keys, string, table, whole
from .figures import parse_expected

ASK_KEYS = ("quantities", "decimals")
PLOT_KEYS = ("network", "digits")
MAX_DIGITS = 12


def variant_id(data: Mapping) -> str:
    """The `variant` key: "" when missing."""
    text = string("variant", data.get("variant", ""))
    if text != text.strip() or any(c in text for c in "/\\\n"):
        raise NeurosimError(say("variant: {value!r} cannot be a file name (no slashes, no spaces at the ends)",
                                value=text))
    return text


def sheet_request(data: Mapping) -> SheetRequest:
    """`ask` (a list, or a table with `quantities` and `decimals`) and `[plot]`."""
    ask, decimals = _ask(data.get("ask"))
    plot = table(data, "plot")
    check_keys(plot, PLOT_KEYS, "plot")
    digits = whole("plot.digits", plot.get("digits", 4))
    if digits > MAX_DIGITS:
        raise NeurosimError(say("plot.digits: at most {most}, got {digits}", most=MAX_DIGITS, digits=digits))
    diagram = boolean("plot.network", plot.get("network", True)) if "plot" in data else False
    return SheetRequest(ask, decimals, diagram, digits)


def _ask(value) -> tuple[tuple[str, ...], int | None]:
    if value is None:
        return (), None
    decimals = None
    if isinstance(value, Mapping):
        check_keys(value, ASK_KEYS, "ask")
        if "quantities" not in value:
            raise NeurosimError("ask.quantities: missing (e.g. quantities = [\"w5+\", \"w1+\"])")
        if "decimals" in value:
            decimals = whole("ask.decimals", value["decimals"])
        value = value["quantities"]
        field = "ask.quantities"
    else:
        field = "ask"
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise NeurosimError(say("{field}: expected a list of quantity names such as [\"w5+\", \"w1+\"], got {value!r}",
                                field=field, value=value))
    names = []
    for name in value:
        parse_expected(name, "0", where=f"{field}: ")  # the form of the name: w5+@2 is step 2
        if name.strip() in names:
            raise NeurosimError(say("{field}: '{name}' is asked for twice", field=field, name=name.strip()))
        names.append(name.strip())
    return tuple(names), decimals
