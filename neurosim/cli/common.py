"""What every command shares: NAME|PATH resolution and the options that override an exercise's
[training] conventions (the argument parser's one-line errors: parser.py)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import attrs

from ..core.arithmetic import parse_rounding
from ..core.exercise import Spec
from ..core.notation import get_notation
from ..errors import NeurosimError
from ..files.exercise import load_spec, with_training
from ..files.givens import state_in_notation
from ..messages import say
from ..scenarios import NAMES, load_scenario
from .parser import ArgumentParser  # noqa: F401  (commands import it from here too)
from .rule_options import add_rule_options, rule_changes, rule_option_names

# the arguments that name a file or a folder, as a message names them when typed empty ('')
PATH_ARGUMENTS = {"target": "NAME|PATH", "answers": "ANSWERS.csv", "path": "FILE", "variants": "--variants",
                  "output": "-o", "save": "--save", "wide_csv": "--wide-csv"}


def refuse_empty_paths(args: argparse.Namespace) -> None:
    """An empty file name ('') is refused: it would read or write the current folder, or be ignored."""
    for dest, shown in PATH_ARGUMENTS.items():
        if getattr(args, dest, None) == "":
            option = getattr(args, "typed_options", {}).get(dest, shown)
            raise NeurosimError(say("{option}: an empty name; give a file or folder name", option=option))


def resolve(target: str, directories: bool = False) -> Spec:
    """A built-in scenario by name, or an exercise file by path. A path that does not exist is
    said to be missing (not an unknown scenario); `directories`: the command also takes one."""
    path = Path(target)
    if target.lower().endswith(".json"):  # a network saved by run --save, with the exercise it was trained on
        from ..files.trained import spec_from_network_file

        return spec_from_network_file(path)
    if target.endswith(".toml") or path.is_file():
        return load_spec(path)
    if path.is_dir():
        raise NeurosimError(say("{target}: is a directory; give an exercise file (.toml) or a scenario name",
                                target=target))
    if target not in NAMES and ("/" in target or os.sep in target or target.startswith(".")):
        raise NeurosimError(say("{target}: no such file or directory", target=target) if directories
                            else say("{target}: no such file", target=target))
    if directories and target not in NAMES and not _near_a_name(target):
        raise NeurosimError(say("{target}: no such directory, exercise file or built-in scenario "
                                "(`neurosim list` shows the scenarios)", target=target))
    return load_scenario(target)


def _near_a_name(target: str) -> bool:
    import difflib  # (start-up: only for a name that is not a scenario's)

    return bool(difflib.get_close_matches(target, NAMES, n=1))


def add_training_options(parser: argparse.ArgumentParser) -> None:
    """Options that override the scenario's [training] conventions."""
    group = parser.add_argument_group("conventions (override the scenario's)")
    group.add_argument("--steps", type=int, help="number of training steps (batch modes: epochs)")
    group.add_argument("--lr", "--learning-rate", dest="learning_rate", type=float, help="learning rate η")
    group.add_argument("--loss", help="half_sse, sse, mse, mae, bce or cce")
    group.add_argument("--order", help="simultaneous or sequential update")
    group.add_argument("--mode", help="online, batch-sum or batch-mean")
    group.add_argument("--dtype", help="float64, float32 or float32-params (float32 weights, float64 arithmetic)")
    group.add_argument("--round", type=int, metavar="K",
                       help="hand rounding: every quantity rounded half-up to K decimals")
    group.add_argument("--rounding", metavar="HABIT-K",
                       help="a rounding habit: round-K, round-written-K, round-forward-K or chop-K "
                            "(`neurosim mistakes` describes them)")
    group.add_argument("--max-memory", metavar="SIZE", help="memory limit, e.g. 8G (default 2G; see core/memory.py)")
    biases = group.add_mutually_exclusive_group()
    biases.add_argument("--update-biases", dest="update_biases", action="store_const", const=True)
    biases.add_argument("--freeze-biases", dest="update_biases", action="store_const", const=False)
    add_from_option(group)
    add_rule_options(parser)


def apply_training_options(spec: Spec, args: argparse.Namespace) -> Spec:
    """The spec with --from's weights and the training options given (each checked, named as typed)."""
    spec = apply_from(spec, args)
    changes = {key: getattr(args, key, None) for key in
               ("steps", "learning_rate", "loss", "order", "mode", "dtype", "update_biases", "round", "rounding")}
    if changes["steps"] is not None and changes["steps"] < 1:
        raise NeurosimError(say("--steps: must be at least 1, got {steps}", steps=changes["steps"]))
    if changes["round"] is not None and not 0 <= changes["round"] <= 15:
        raise NeurosimError(say("--round: must be between 0 and 15 decimals, got {round}", round=changes["round"]))
    if changes["round"] is not None and changes["rounding"] is not None:
        raise NeurosimError("--rounding: give either --round K or --rounding HABIT-K, not both")
    if changes["rounding"] is not None:
        parse_rounding(changes["rounding"], "--rounding")
    changes.update(rule_changes(spec.raw.get("training", {}), args, _state_names(spec, args)))
    if all(v is None for v in changes.values()):
        return spec
    try:
        return with_training(spec, **changes)
    except NeurosimError as error:  # named by the option that set the value, as typed
        raise NeurosimError(as_option(str(error), option_names(args, changes))) from None


def option_names(args: argparse.Namespace, changes: dict) -> dict[str, str]:
    """The exercise-file key each training option set (training.learning_rate) → the option typed (--lr)."""
    typed = getattr(args, "typed_options", {})
    names = {f"training.{key}": typed.get(key, "--" + key.replace("_", "-"))
             for key, value in changes.items() if value is not None and key != "rule"}
    names.update(rule_option_names(args))
    return names


def as_option(message: str, names: dict[str, str]) -> str:
    """`message` with the file key it starts with replaced by the option that set it, if one did."""
    for key in sorted(names, key=len, reverse=True):
        if message.startswith((key + ":", key + "：")):  # the message in any language
            return names[key] + message[len(key):]
    return message


def _state_names(spec: Spec, args: argparse.Namespace):
    """How --state names are written into the exercise's [training.rule.state]: in the file's
    notation, read from --notation's names when it differs."""
    notation = getattr(args, "notation", None)
    if notation is None or notation == spec.notation:
        return None
    get_notation(notation, "--notation")
    return lambda keys: state_in_notation(spec, keys, notation)


def parse_trace_steps(text: str | None, steps: int) -> tuple[int, ...] | None:
    """'1,100,last' → (1, 100, steps)."""
    if text is None:
        return None
    result = []
    for part in text.split(","):
        part = part.strip()
        if part in ("last", "-1"):
            result.append(steps)
        elif part == "first":
            result.append(1)
        elif part.isdigit() and int(part) >= 1:
            if int(part) > steps:
                raise NeurosimError(say("--trace: step {step} is after the last step, {steps} (set --steps)",
                                        step=part, steps=steps))
            result.append(int(part))
        else:
            raise NeurosimError(say("--trace: '{part}' is not a step number (use e.g. 1,100,last)", part=part))
    return tuple(result)


def add_notation_option(parser: argparse.ArgumentParser) -> None:
    """--notation NAME: the names (and signs) to write values in and read tables in."""
    group = parser.add_argument_group("notation")
    group.add_argument("--notation", metavar="NAME",
                       help="the names of your textbook: mazur (default), hkp, nielsen, matrix "
                            "(`neurosim notations` describes them); overrides the file's notation")


def apply_notation(spec: Spec, args: argparse.Namespace) -> Spec:
    """The spec with --notation's notation, if given (checked: an unknown one is an error)."""
    notation = getattr(args, "notation", None)
    if notation is None:
        return spec
    get_notation(notation, "--notation")
    return attrs.evolve(spec, notation=notation)


def add_from_option(parser) -> None:
    """--from NET.json: start from a saved network's weights and biases (the exercise gives the rest)."""
    parser.add_argument("--from", dest="from_network", metavar="NET.json",
                        help="start from the weights and biases of a network saved with run --save "
                             "(the exercise gives the data and conventions)")


def apply_from(spec: Spec, args: argparse.Namespace) -> Spec:
    """The spec starting from --from's network, if given."""
    path = getattr(args, "from_network", None)
    if path is None:
        return spec
    if not path:
        raise NeurosimError(say("--from: an empty file name"))
    from ..files.trained import with_trained_weights

    return with_trained_weights(spec, path)


def with_decimal_points(pairs: list[str]) -> list[str]:
    """--expect NAME=VALUE options with a decimal comma (w5+=0,3589, as grading reads a class's
    spreadsheet) read with a point, each said in a note on stderr."""
    from ..files.answers import written_number

    result = []
    for pair in pairs:
        name, eq, value = pair.partition("=")
        number = written_number(value) if eq and "," in value else None
        if number is not None and number != value:
            print(say("neurosim: note: --expect {name}={value} read as {number} (a decimal comma)", name=name,
                      value=value, number=number), file=sys.stderr)
            pair = f"{name}={number}"
        result.append(pair)
    return result
