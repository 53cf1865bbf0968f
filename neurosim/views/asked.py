"""The quantities a question sheet asks for (`ask` in the exercise file, views/sheet.py) and their
values (the answer key, views/answer_key.py).

A name is written as in [expect] — `w5+`, `dE/dw1`, `w5+@2` for step 2 — and without `@k` means
the last step the exercise runs, in the exercise's notation (hkp: O6, Err6, w46+, with Err6 =
-delta_o1). Without `ask`, a sheet asks for E_total and the new value of every parameter the step
updates. The sheet and the key write them in the notation (views/notation_view.py).
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from ..core.exercise import Spec
from ..core.notation import name_map
from ..core.trace import StepTrace
from ..engines.runner import RunPlan, iterate_run
from ..errors import NeurosimError
from ..files.figures import parse_expected
from ..messages import say
from .document import Inline, M, sentence


@attrs.frozen
class Asked:
    """One quantity asked for: its name as written, the trace's name for it, its step and value
    (in the sign of the exercise's notation)."""

    name: str
    quantity: str
    step: int
    value: float
    label: str = ""  # its name in the exercise's notation (Err6; w46+ for w7+), as sheets show it


def traces_at(spec: Spec, steps: Iterable[int]) -> dict[int, StepTrace]:
    """The StepTrace of each of `steps` (training from the start)."""
    wanted = frozenset(steps)
    last = max(wanted)
    return {r.step: r for r in iterate_run(spec, RunPlan(last, wanted, last + 1)) if isinstance(r, StepTrace)}


def asked_steps(spec: Spec) -> list[int]:
    """The steps the sheet's quantities belong to, and step 1 (whose givens the sheet shows)."""
    if spec.steps < 1:
        raise NeurosimError("training.steps: the exercise runs no steps, so there is nothing to ask for")
    steps = {1, spec.steps}
    for name in spec.sheet.ask:
        expected = parse_expected(name, "0", where="ask: ")
        step = spec.steps if expected.step is None else expected.step
        if step > spec.steps:
            raise NeurosimError(say("ask: {name}: step {step} is beyond the {steps} step(s) the exercise runs",
                                    name=name, step=step, steps=spec.steps))
        steps.add(step)
    return sorted(steps)


def asked_quantities(spec: Spec, traces: dict[int, StepTrace]) -> list[Asked]:
    """Every quantity the sheet asks for, with its value in the sign of the exercise's notation
    (hkp's Err6 = -delta_o1); an unknown name is an error with a hint in that notation."""
    if not spec.sheet.ask:
        last = traces[spec.steps]
        names = ["E_total"] + [f"{u.name}+" for u in last.updates if u.updated]
        values = last.quantities()
        notation = name_map(spec)
        return [Asked(name, name, spec.steps, values[name], notation.name(name)) for name in names]
    notation = name_map(spec)
    result = []
    for name in spec.sheet.ask:
        expected = parse_expected(name, "0", where="ask: ")
        step = spec.steps if expected.step is None else expected.step
        values = traces[step].quantities()
        internal, sign = notation.resolve(expected.name, values, "ask")
        result.append(Asked(name, internal, step, sign * values[internal], notation.name(internal)))
    return result


def asked_label(asked: Asked, spec: Spec) -> Inline:
    """The quantity as a formula, and its step when the exercise runs more than one."""
    label = asked.label or asked.quantity
    if spec.steps == 1:
        return (M(label),)
    return sentence(say("{{quantity}} (step {step})", step=asked.step), quantity=label)
