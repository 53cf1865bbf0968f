"""[data] of a recurrent network: sequences.

    [data]
    inputs = [[[1.0], [2.0], [3.0]]]     # a list of sequences, each a list of time steps, each the
                                         # values of one step ([[1.0, 2.0, 3.0]] with one input)
    targets = [[[0.5], [0.2], [0.9]]]    # per sequence: a target for every step …
    # targets = [[0.9]]                  # … or one, for the last step only

Every sequence has the same length T (the unrolled network is built once). A sample of the unrolled
network is the sequence's inputs, step by step, then h_0 (core/recurrent.py; y_0 of a Jordan
layer, core/recurrent.py); its targets are those
of every step, or of the last one.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from ..core.architecture import Architecture
from ..core.network import as_number
from ..errors import NeurosimError
from ..messages import say

SEQUENCE_HINT = "[[x1, x2, x3]] with one input, [[[x1a, x1b], [x2a, x2b]]] with two"


def sequence_data(architecture: Architecture, data: Mapping, no_loss: bool = False) -> tuple[Architecture, tuple,
                                                                                               tuple]:
    """(the architecture with its sequence length and target layout, inputs, targets), checked."""
    n_in, n_out = architecture.input[0], architecture.layers[-1].size
    if any(isinstance(data.get(key), str) for key in ("inputs", "targets")):  # .csv or .npy files
        from .arraydata import sequence_rows
        data = {**data, **{key: sequence_rows(f"data.{key}", data[key], size) for key, size in
                           (("inputs", n_in), ("targets", n_out)) if isinstance(data.get(key), str)}}
    if "inputs" not in data:
        raise NeurosimError(say("data.inputs: missing (a recurrent layer reads sequences: {hint})", hint=SEQUENCE_HINT))
    sequences = _sequences("data.inputs", data["inputs"], n_in)
    steps = len(sequences[0])
    for i, sequence in enumerate(sequences, start=1):
        if len(sequence) != steps:
            raise NeurosimError(say("data.inputs[{i}]: has {count} time steps, the first sequence has {steps} (every "
                                    "sequence has the same length)", i=i, count=len(sequence), steps=steps))
    if no_loss and "targets" not in data:
        targets = [[(0.0,) * n_out] * steps for _ in sequences]
    elif "targets" not in data:
        raise NeurosimError(say("data.{key}: missing", key="targets"))
    else:
        targets = _sequences("data.targets", data["targets"], n_out)
    if len(targets) != len(sequences):
        raise NeurosimError(say("data: {inputs} input samples but {targets} target samples", inputs=len(sequences),
                                targets=len(targets)))
    last = len(targets[0]) == 1 and steps > 1
    for i, sequence in enumerate(targets, start=1):
        if len(sequence) != (1 if last else steps):
            raise NeurosimError(say("data.targets[{i}]: has {count} targets for a sequence of {steps} time steps "
                                    "(give one per step, or one for the last step)", i=i, count=len(sequence),
                                    steps=steps))
    h0 = architecture.h0 or (0.0,) * architecture.fed_back
    inputs = tuple(tuple(v for step in sequence for v in step) + tuple(h0) for sequence in sequences)
    flat_targets = tuple(tuple(v for step in sequence for v in step) for sequence in targets)
    return attrs.evolve(architecture, steps=steps, last_target_only=last), inputs, flat_targets


def _sequences(field: str, value, size: int) -> list[list[tuple[float, ...]]]:
    """A list of sequences, each a list of steps of `size` values (a step may be a bare number when
    size is 1)."""
    if not isinstance(value, list) or not value or not all(isinstance(v, list) and v for v in value):
        raise NeurosimError(say("{field}: a recurrent layer reads sequences: a list of them, each a list of time "
                                "steps ({hint}), got {value!r}", field=field, hint=SEQUENCE_HINT, value=value))
    result = []
    for i, sequence in enumerate(value, start=1):
        steps = []
        for t, step in enumerate(sequence, start=1):
            values = step if isinstance(step, list) else [step]
            if len(values) != size:
                raise NeurosimError(say("{field}[{i}]: time step {t} has {count} values, the network takes {size}",
                                        field=field, i=i, t=t, count=len(values), size=size))
            steps.append(tuple(as_number(f"{field}[{i}]", v) for v in values))
        result.append(steps)
    return result
