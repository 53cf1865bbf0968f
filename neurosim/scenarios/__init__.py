"""The built-in scenarios: one module per published example, each defining SCENARIO, a dict in
the exercise-file layout (see neurosim.spec), so that any scenario can be exported as a file."""

from __future__ import annotations

import difflib
import importlib

from ..errors import NeurosimError
from ..core.exercise import Spec
from ..files.exercise import spec_from_dict

NAMES = ("mazur", "ann_forward", "broadcast_forward", "numeric_gd", "deep_xor", "xor_random", "xor_tanh",
         "curve_fit", "xor_cross_entropy")


def scenario_dict(name: str) -> dict:
    """The exercise-file dict of a built-in scenario."""
    if name not in NAMES:
        hint = difflib.get_close_matches(name, NAMES, n=1)
        tip = f" (did you mean '{hint[0]}'?)" if hint else ""
        raise NeurosimError(f"unknown scenario '{name}'{tip}; `neurosim list` shows them")
    return importlib.import_module(f"{__name__}.{name}").SCENARIO


def load_scenario(name: str) -> Spec:
    return spec_from_dict(scenario_dict(name))


def summaries() -> list[tuple[str, str]]:
    """(name, one-line description) of every built-in scenario, in listing order."""
    return [(name, scenario_dict(name)["title"]) for name in NAMES]
