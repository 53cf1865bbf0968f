"""What the student wrote (stage 1 of a check): their values named as neurosim names them, at the
step they belong to, each number kept as written.

The values come from the exercise file's [expect] table and `--expect NAME=VALUE` (a value given on
the command line replaces the file's value of the same quantity; two given for one quantity on the
command line are refused), named in the exercise's notation (Err6 = 0.1311 in hkp is delta_o1 =
-0.1311 in neurosim's names and sign). Nothing here prints.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..core.exercise import Expected, Spec
from ..core.notation import NameMap
from ..errors import NeurosimError
from ..files.figures import parse_expected
from ..messages import say


def expected_from_options(pairs: Sequence[str]) -> list[Expected]:
    """`--expect NAME=VALUE` options as Expected values."""
    result = []
    for pair in pairs:
        name, eq, value = pair.partition("=")
        if not eq or not name.strip() or not value.strip():
            raise NeurosimError(say("--expect: '{pair}' is not NAME=VALUE (e.g. --expect w5+=0.3589)", pair=pair))
        result.append(parse_expected(name.strip(), value.strip(), where="--expect "))
    return result


def merge_expected(from_file: Iterable[Expected], from_options: Iterable[Expected]) -> tuple[Expected, ...]:
    """The file's values with those given on the command line added (a same-named one replaced);
    one quantity given twice on the command line is an error."""
    merged = {e.quantity: e for e in from_file}
    given: dict[str, Expected] = {}
    for e in from_options:
        if e.quantity in given and given[e.quantity].text != e.text:
            raise NeurosimError(say("--expect: {name} is given twice ({first} and {second}); give each value once",
                                    name=e.quantity, first=given[e.quantity].text, second=e.text))
        given[e.quantity] = merged[e.quantity] = e
    return tuple(merged.values())


def steps_of(spec: Spec, expected: Sequence[Expected]) -> dict[str, int]:
    """The step each value belongs to (`@k`, or the last step run); a step beyond the run is an error."""
    if spec.steps < 1:
        raise NeurosimError(say("training.steps: the exercise runs no steps, there is nothing to check"))
    steps = {}
    for e in expected:
        step = spec.steps if e.step is None else e.step
        if step > spec.steps:
            raise NeurosimError(say("expect.{name}: step {step} is beyond the {steps} step(s) this exercise runs "
                                    "(set training.steps or --steps)", name=e.quantity, step=step, steps=spec.steps))
        steps[e.quantity] = step
    return steps


def in_our_names(e: Expected, names: NameMap, values: Iterable[str]) -> tuple[Expected, int]:
    """The user's value named and signed as neurosim does (Err6 = 0.1311 → delta_o1 = -0.1311),
    and the sign between the two; an unknown name is an error with a did-you-mean."""
    internal, sign = names.resolve(e.name, values, f"expect.{e.quantity}")
    text = e.text if sign == 1 else negated(e.text)
    return Expected(internal, e.step, text), sign


def negated(text: str) -> str:
    """A written number with the other sign, every digit kept ('0.1311' → '-0.1311')."""
    text = text.strip()
    if text.startswith("-"):
        return text[1:]
    return "-" + (text[1:] if text.startswith("+") else text)
