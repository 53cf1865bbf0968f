"""The built-in scenarios: one exercise file per published example, `NAME.toml` beside this module,
in exactly the format users write (neurosim.files.exercise reads both).

The files ship as package data beside this module, so they are found in an installed wheel as in a
checkout (and through importlib.resources inside a zip file). `neurosim export NAME` is a copy of the
file (`export_text`).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from ..core.exercise import Spec
from ..errors import NeurosimError
from ..files.exercise import spec_from_dict
from ..messages import N_, say_unknown

NAMES = ("mazur", "ann_forward", "broadcast_forward", "numeric_gd", "deep_xor", "xor_random", "xor_tanh",
         "curve_fit", "xor_cross_entropy",  # listing order: Mazur first, then the seeds in order,
         "xor_momentum", "mazur_adam",  # then the learning rules,
         "d2l_conv", "bptt_walkthrough", "conv_backward")  # then shared weights


def export_text(name: str) -> str:
    """The exercise file of a built-in scenario, as shipped (the text `neurosim export` writes)."""
    if name not in NAMES:
        raise NeurosimError(say_unknown(
            N_("unknown scenario '{name}' (did you mean '{hint}'?); `neurosim list` shows them"),
            N_("unknown scenario '{name}'; `neurosim list` shows them"), name, NAMES, name=name))
    path = Path(__file__).with_name(f"{name}.toml")
    if path.is_file():  # (importlib.resources and the zipfile module cost start-up)
        return path.read_text(encoding="utf-8")
    from importlib import resources
    return resources.files(__name__).joinpath(f"{name}.toml").read_text(encoding="utf-8")


def scenario_dict(name: str) -> dict:
    """The exercise-file dict of a built-in scenario (its file as parsed; a new dict each call)."""
    return tomllib.loads(export_text(name))


def load_scenario(name: str) -> Spec:
    return spec_from_dict(scenario_dict(name))


def summaries() -> list[tuple[str, str]]:
    """(name, one-line description) of every built-in scenario, in listing order."""
    return [(name, scenario_dict(name)["title"]) for name in NAMES]
