"""The [training] table of an exercise file: the conventions a step is computed under (the keys a
[[published]] figure may also set, to name the conventions its source used), and how the run takes
its samples: how many steps, in which order, in batches of what size.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..core.arithmetic import Arithmetic, parse_rounding
from ..core.conventions import Conventions
from ..core.memory import parse_size
from ..core.network import as_number
from ..errors import NeurosimError
from ..messages import say
from .fields import boolean, optional_whole, string, whole
from .rules import rule_from

SAMPLING = ("cycle", "random")
TRAINING_KEYS = ("loss", "learning_rate", "steps", "mode", "order", "update_biases", "dtype", "round",
                 "rounding", "sampling", "seed", "batch_size", "rule", "flat_spot", "tolerance", "max_memory",
                 "kernel", "bptt", "time_loss", "time_update")


def conventions_from(training: Mapping, where: str = "training.") -> Conventions:
    """Conventions from a [training] table (defaults for missing keys)."""
    try:
        round_to = optional_whole(f"{where}round", training.get("round"))
        habit = "round"
        if "rounding" in training:  # a rounding habit by its id: round-written-3, chop-4 …
            if round_to is not None:
                raise NeurosimError(say('{where}rounding: give either round = K or rounding = "HABIT-K", not both',
                                        where=where))
            habit, round_to = parse_rounding(string(f"{where}rounding", training["rounding"]), f"{where}rounding")
        arithmetic = Arithmetic(string(f"{where}dtype", training.get("dtype", "float64")), round_to, habit)
        lr = training.get("learning_rate", 0.5)
        if isinstance(lr, str):
            lr = as_number(f"{where}learning_rate", lr)
        return Conventions(
            loss=string(f"{where}loss", training.get("loss", "half_sse")),
            learning_rate=lr,
            update_biases=boolean(f"{where}update_biases", training.get("update_biases", True)),
            order=string(f"{where}order", training.get("order", "simultaneous")),
            mode=string(f"{where}mode", training.get("mode", "online")),
            arithmetic=arithmetic,
            rule=rule_from(training),
            flat_spot=_non_negative(f"{where}flat_spot", training.get("flat_spot", 0.0)),
            tolerance=_non_negative(f"{where}tolerance", training.get("tolerance", 0.0)),
            kernel=string(f"{where}kernel", training.get("kernel", "cross-correlation")),
            bptt=whole(f"{where}bptt", training.get("bptt", 0)),
            time_loss=string(f"{where}time_loss", training.get("time_loss", "sum")),
            time_update=string(f"{where}time_update", training.get("time_update", "sequence")),
        )
    except NeurosimError as error:
        text = str(error)
        raise NeurosimError(text if text.startswith(where) else f"{where}{text}") from None


def _non_negative(field: str, value) -> float:
    value = as_number(field, value)
    if value < 0:
        raise NeurosimError(say("{field}: must not be negative, got {value:g}", field=field, value=value))
    return value


def run_options(training: Mapping, conventions: Conventions, n_samples: int) -> dict:
    """The Spec fields of a run: steps, sampling, sampling_seed, batch_size, max_memory."""
    sampling = string("training.sampling", training.get("sampling", "cycle"))
    if sampling not in SAMPLING:
        raise NeurosimError(say("training.sampling: unknown value '{sampling}' (choose from {choices})",
                                sampling=sampling, choices=", ".join(SAMPLING)))
    batch_size = optional_whole("training.batch_size", training.get("batch_size"), 1)
    if batch_size is not None:
        if conventions.mode == "online":
            raise NeurosimError("training.batch_size: mini-batches need mode 'batch-sum' or 'batch-mean'")
        if batch_size >= n_samples:
            batch_size = None  # one batch of every sample: an epoch a step
    return {
        "steps": whole("training.steps", training.get("steps", 1), 0),
        "sampling": sampling,
        "sampling_seed": whole("training.seed", training.get("seed", 0)),
        "batch_size": batch_size,
        "max_memory": parse_size(training["max_memory"], "training.max_memory") if "max_memory" in training else None,
    }
