"""The quantities a question sheet asks for (`ask` in the exercise file, views/sheet.py) and their
values (the answer key, views/answer_key.py).

A name is written as in [expect] — `w5+`, `dE/dw1`, `w5+@2` for step 2 — and without `@k` means
the last step the exercise runs. Without `ask`, a sheet asks for E_total and the new value of every
parameter the step updates. The names are kept as the file writes them.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

import attrs

from ..core.exercise import Spec
from ..core.trace import StepTrace
from ..engines.runner import RunPlan, iterate_run
from ..errors import NeurosimError
from ..files.figures import parse_expected
from ..messages import say
from .document import Inline, M, sentence


@attrs.frozen
class Asked:
    """One quantity asked for: its name as written, the trace's name for it, its step and value."""

    name: str
    quantity: str
    step: int
    value: float


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
    """Every quantity the sheet asks for, with its value; an unknown name is an error with a hint."""
    if not spec.sheet.ask:
        last = traces[spec.steps]
        names = ["E_total"] + [f"{u.name}+" for u in last.updates if u.updated]
        values = last.quantities()
        return [Asked(name, name, spec.steps, values[name]) for name in names]
    result = []
    for name in spec.sheet.ask:
        expected = parse_expected(name, "0", where="ask: ")
        step = spec.steps if expected.step is None else expected.step
        values = traces[step].quantities()
        if expected.name not in values:
            guess = difflib.get_close_matches(expected.name, list(values), n=1)
            raise NeurosimError(say("ask: no quantity named '{name}' (did you mean '{guess}'?)", name=expected.name,
                                    guess=guess[0]) if guess else
                                say("ask: no quantity named '{name}' (the names are those `neurosim run --format csv` "
                                    "lists)", name=expected.name))
        result.append(Asked(name, expected.name, step, values[expected.name]))
    return result


def asked_label(asked: Asked, spec: Spec) -> Inline:
    """The quantity as a formula, and its step when the exercise runs more than one."""
    if spec.steps == 1:
        return (M(asked.quantity),)
    return sentence(say("{{quantity}} (step {step})", step=asked.step), quantity=asked.quantity)
