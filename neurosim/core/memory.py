"""Memory estimates, checked before anything large is allocated: a network refuses to be built, a
traced run to start and a file to be read when the estimate is beyond the limit in force.

The estimates are per weight (the objects of core/network.py, the arrays of a fast engine, the
records of a traced step), per neuron, and per byte of a file to parse, measured with tracemalloc
on networks of 30,000 to 200,000 weights (tests/test_memory.py checks that they bound what the
objects take, within a factor of 4). The limit is
DEFAULT_LIMIT, or an exercise's `max_memory` ([training]), or `--max-memory` (which wins: the CLI
sets it for the whole command with `limit_in_force`).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator, Sequence
from contextvars import ContextVar

from ..errors import NeurosimError
from ..messages import N_, say

DEFAULT_LIMIT = 2 * 1024**3  # 2 GiB: fits comfortably on a laptop
NETWORK_BYTES_PER_WEIGHT = 220  # Connection objects, names, values (measured: 186-220)
ENGINE_BYTES_PER_WEIGHT = 100  # the neuron loop's lists or the matrix engine's arrays, at their peak (55-95)
BYTES_PER_NEURON = 600
TRACE_BYTES_PER_WEIGHT_SAMPLE = 850  # the records of a traced step, per weight and sample (peak: 420-820)
PARSE_BYTES_PER_FILE_BYTE = 10  # a JSON network file of full-precision numbers, parsed into Python objects
# An exercise file: its text (bytes, then str) and, per number in it, the parsed value and the
# copies a run makes of the data (samples, the engine's rows). Measured peaks of a run of 600,000
# two-input samples: 62 bytes per file byte with one-digit numbers (186 per number), 37 with
# one-decimal numbers, 9 with full-precision floats; per number at most 190.
TEXT_BYTES_PER_FILE_BYTE = 3
BYTES_PER_NUMBER = 220
# What grows with the step count, per row kept or written (upper bounds of what was measured):
SUMMARY_ROW_BYTES = 1000  # a summary row kept for the table or the JSON document, and its rendering
SUMMARY_COLUMN_BYTES = 300  # … per column (measured: 1,340 bytes a row with 5 columns, 1,050 with 3)
HISTORY_BYTES_PER_VALUE = 48  # a history value: a Python float in a list, then a float64 (measured ~40)
CSV_BYTES_PER_NUMBER = 26  # a number written at full precision and its comma

_UNITS = {"": 1, "b": 1, "k": 1024, "kb": 1024, "m": 1024**2, "mb": 1024**2, "g": 1024**3, "gb": 1024**3,
          "t": 1024**4, "tb": 1024**4, "kib": 1024, "mib": 1024**2, "gib": 1024**3, "tib": 1024**4}
_LIMIT: ContextVar[int | None] = ContextVar("neurosim_max_memory", default=None)


def parse_size(text, field: str = "--max-memory") -> int:
    """'8G', '500 MB', '2GiB', 1073741824 → bytes (K, M, G, T are powers of 1024)."""
    if isinstance(text, int) and not isinstance(text, bool) and text > 0:
        return text
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*", str(text))
    unit = match.group(2).lower() if match else ""
    if not match or unit not in _UNITS or float(match.group(1)) <= 0:
        raise NeurosimError(f"{field}: expected a size such as 8G, 500M or 2GiB, got {text!r}")
    return int(float(match.group(1)) * _UNITS[unit])


def size_text(n: float) -> str:
    """Bytes as a short text: 3.2 TB, 512 MB, 2 GB (powers of 1024)."""
    for unit, scale in (("TB", 1024**4), ("GB", 1024**3), ("MB", 1024**2), ("kB", 1024)):
        if n >= scale:
            value = n / scale
            return f"{value:,.0f} {unit}" if value >= 100 else f"{value:.3g} {unit}"
    return f"{n:.0f} bytes"


@contextlib.contextmanager
def limit_in_force(limit: int | None) -> Iterator[None]:
    """Within the block, `limit` (if not None) is the limit, over any exercise's max_memory."""
    token = _LIMIT.set(limit)
    try:
        yield
    finally:
        _LIMIT.reset(token)


def current_limit(exercise: int | None = None) -> int:
    """The limit in force: --max-memory if given, else the exercise's max_memory, else DEFAULT_LIMIT."""
    return _LIMIT.get() or exercise or DEFAULT_LIMIT


def _weights(sizes: Sequence[int]) -> int:
    """The connections of a dense network of `sizes` (a network with shared weights says its own:
    core/architecture.LayerSizes)."""
    return getattr(sizes, "connections", None) or sum(a * b for a, b in zip(sizes, sizes[1:]))


def network_bytes(sizes: Sequence[int]) -> int:
    """A network's objects and the arrays of the engine that trains it."""
    return _weights(sizes) * (NETWORK_BYTES_PER_WEIGHT + ENGINE_BYTES_PER_WEIGHT) + sum(sizes) * BYTES_PER_NEURON


def trace_bytes(sizes: Sequence[int], samples: int) -> int:
    """The records of one traced step on `samples` samples."""
    return (_weights(sizes) * TRACE_BYTES_PER_WEIGHT_SAMPLE + sum(sizes) * BYTES_PER_NEURON) * samples


def _refuse(sentence: str, needed: int, limit: int, **fields) -> None:
    """Refuse in one line when `needed` bytes are above `limit`: `sentence` (one whole template with
    {size} and {limit}) said in the active language."""
    if needed > limit:
        raise NeurosimError(say(sentence, size=size_text(needed), limit=size_text(limit), **fields))


def check_network(sizes: Sequence[int], exercise_limit: int | None = None) -> None:
    """Refuse a network whose objects and engine would not fit, before anything is allocated."""
    _refuse(N_("network {shape} ({weights} weights) needs about {size}, above the memory limit of {limit}; "
               "raise it with --max-memory SIZE (or max_memory in [training]) if the machine has it"),
            network_bytes(sizes), current_limit(exercise_limit), shape="-".join(map(str, sizes)),
            weights=f"{_weights(sizes):,}")


# The refusal of check_traced_run, by (several traced steps kept, several samples a step).
TRACED = {
    (False, False): N_("a traced step of the {shape} network needs about {size}, above the memory limit of "
                       "{limit}; raise it with --max-memory SIZE (or max_memory in [training]) if the machine "
                       "has it"),
    (False, True): N_("a traced step of the {shape} network on {samples} samples needs about {size}, above the "
                      "memory limit of {limit}; raise it with --max-memory SIZE (or max_memory in [training]) if "
                      "the machine has it"),
    (True, False): N_("keeping {steps} traced steps of the {shape} network ({per_step} a step; trace fewer with "
                      "--trace, or stream them with --format jsonl) needs about {size}, above the memory limit of "
                      "{limit}; raise it with --max-memory SIZE (or max_memory in [training]) if the machine has it"),
    (True, True): N_("keeping {steps} traced steps of the {shape} network on {samples} samples ({per_step} a "
                     "step; trace fewer with --trace, or stream them with --format jsonl) needs about {size}, above "
                     "the memory limit of {limit}; raise it with --max-memory SIZE (or max_memory in [training]) "
                     "if the machine has it"),
}


def check_traced_run(sizes: Sequence[int], samples: int, kept_steps: int = 1,
                     exercise_limit: int | None = None) -> None:
    """Refuse a run that would hold the records of `kept_steps` traced steps on `samples` samples each."""
    per_step = trace_bytes(sizes, samples)
    _refuse(TRACED[kept_steps > 1, samples > 1], network_bytes(sizes) + kept_steps * per_step,
            current_limit(exercise_limit), shape="-".join(map(str, sizes)), samples=f"{samples:,}",
            steps=f"{kept_steps:,}", per_step=size_text(per_step))


def exercise_file_bytes(size: int, numbers: int) -> int:
    """What reading and running an exercise file of `size` bytes holding `numbers` numbers takes at
    most: size·TEXT_BYTES_PER_FILE_BYTE + numbers·BYTES_PER_NUMBER."""
    return size * TEXT_BYTES_PER_FILE_BYTE + numbers * BYTES_PER_NUMBER


def check_file(path, size: int, numbers: int | None = None) -> None:
    """Refuse to read a file whose parsed contents would not fit (before parsing it): size·
    PARSE_BYTES_PER_FILE_BYTE, or for a file of `numbers` numbers (an exercise file)
    size·TEXT_BYTES_PER_FILE_BYTE + numbers·BYTES_PER_NUMBER, an upper bound of what was measured."""
    needed = size * PARSE_BYTES_PER_FILE_BYTE if numbers is None else exercise_file_bytes(size, numbers)
    _refuse(N_("{path} ({file_size} to parse) needs about {size}, above the memory limit of {limit}; "
               "raise it with --max-memory SIZE (or max_memory in [training]) if the machine has it"),
            needed, current_limit(), path=path, file_size=size_text(size))


def check_growth(option: str, rows: int, row_bytes: int, fewer: str, exercise_limit: int | None = None) -> None:
    """Refuse what grows with the step count — summary rows kept for a table, a run's history, a file
    written row by row — when `rows` rows of `row_bytes` bytes each (rows·row_bytes) are beyond the
    limit, before the first row is made; the message names `option`, the option that makes it large,
    and `fewer` says how to make it smaller."""
    needed, limit = rows * row_bytes, current_limit(exercise_limit)
    if needed > limit:
        raise NeurosimError(say("{option}: {rows} rows need about {size}, above the memory limit of {limit}; "
                                "{fewer}, or raise the limit with --max-memory SIZE",
                                option=option, rows=f"{rows:,}", size=size_text(needed), limit=size_text(limit),
                                fewer=fewer))


def summary_row_bytes(columns: int) -> int:
    """A kept summary row of `columns` columns: SUMMARY_ROW_BYTES + columns·SUMMARY_COLUMN_BYTES."""
    return SUMMARY_ROW_BYTES + columns * SUMMARY_COLUMN_BYTES
