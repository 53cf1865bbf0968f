"""[data] of a network with shared weights from a .csv or .npy file (files/datafile.py reads them):

    [data]
    inputs = "images.npy"        # a conv network: shape (samples, channels, height, width) as
                                 # [network] input says, (samples, height, width) with one channel,
                                 # or (samples, values) flat; a CSV: one image a row, row by row
    targets = "labels.csv"       # (samples, …) of the output's shape, or flat

    inputs = "sequences.npy"     # a recurrent network: (sequences, time steps, values per step),
                                 # (sequences, time steps) with one value a step; a CSV: one sequence
                                 # a row, its steps' values in turn (x1 of t = 1, x2 of t = 1, x1 of t = 2 …)
    targets = "targets.npy"      # the same per step, or one step's (the last)

A shape that does not fit is one line naming the field, the file, its shape and the network's.
"""

from __future__ import annotations

import math
from pathlib import Path

from ..errors import NeurosimError
from ..messages import N_, say
from .datafile import read_shaped


def _shape(shape: tuple[int, ...]) -> str:
    return "x".join(map(str, shape))


def _rows(field: str, name: str) -> tuple[tuple[tuple[float, ...], ...], tuple[int, ...]]:
    """The file's samples and the shape of one, every row of a CSV as long as the first."""
    rows, shape = read_shaped(field, name)
    for number, row in enumerate(rows, start=1):
        if len(row) != len(rows[0]):
            raise NeurosimError(say("{field}: {path}: sample {i} has {count} values, the first has {first}",
                                    field=field, path=Path(name).name, i=number, count=len(row), first=len(rows[0])))
    return rows, shape


def grid_samples(field: str, name: str, shape: tuple[int, ...], what: str) -> tuple[tuple[float, ...], ...]:
    """The samples of a file for a network over a grid, each flat (channel by channel, row by row);
    `shape` is the network's input (`what` "input") or output (`what` "output") shape."""
    rows, got = _rows(field, name)
    size = math.prod(shape)
    if got != tuple(shape) and got != (size,) and not (shape[0] == 1 and got == tuple(shape[1:])):
        sentence = N_("{field}: {path} holds samples of shape {got}; the network's input is {shape} ({size} values a "
                      "sample)") if what == "input" else \
            N_("{field}: {path} holds samples of shape {got}; the network's output is {shape} ({size} values a sample)")
        raise NeurosimError(say(sentence, field=field, path=Path(name).name, got=_shape(got), shape=_shape(shape),
                                size=size))
    return rows


def sequence_rows(field: str, name: str, size: int) -> list[list[list[float]]]:
    """The sequences of a file, each a list of time steps of `size` values (files/sequences.py
    checks their lengths as it checks sequences written inline)."""
    rows, got = _rows(field, name)
    if len(got) == 2 and got[1] == size:
        steps = got[0]
    elif len(got) == 1 and got[0] % size == 0:
        steps = got[0] // size
    else:
        steps = 0
    if not steps:
        raise NeurosimError(say("{field}: {path} holds sequences of shape {got}; a sequence is time steps of {size} "
                                "values (shape T x {size}, or T·{size} values a row)", field=field,
                                path=Path(name).name, got=_shape(got), size=size))
    return [[list(row[t * size:(t + 1) * size]) for t in range(steps)] for row in rows]
