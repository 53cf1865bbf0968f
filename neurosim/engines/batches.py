"""The samples each step trains on, as slices (start, stop) of the data, made when a step is read.

Online: the next sample (or one drawn at random from a seeded generator); batch modes: all samples,
or the next `batch_size` of them. Nothing is planned up front, so a run of 10^9 steps holds no list
of 10^9 slices (memory does not grow with the step count).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np

from ..core.exercise import Spec


def step_batches(spec: Spec, steps: int) -> StepBatches:
    """The samples of every step as a slice (start, stop) of the data: online, the next sample
    (or one drawn at random, seeded); batch modes, all samples, or the next `batch_size` of them
    (the last mini-batch of an epoch may be shorter). Made when read (`StepBatches`): a run of 10^9
    steps holds no list of 10^9 slices."""
    return StepBatches(spec, steps)


class StepBatches(Sequence):
    """The (start, stop) slices of steps 1..`steps`, computed when read, so that memory does not grow
    with the step count. Indexing and slicing as a list (a slice is a view, read again when iterated
    again); random sampling draws in step order from the seeded generator, as a list made up front
    would, and starts over only when a step before the last one drawn is asked for again."""

    def __init__(self, spec: Spec, steps: int, _range: range | None = None, _draws: _Draws | None = None):
        self._n = len(spec.inputs)
        self._mode, self._batch_size = spec.conventions.mode, spec.batch_size
        architecture = spec.architecture
        per_step = spec.conventions.time_update == "per_step" and architecture is not None and architecture.recurrent
        self._per_sequence = architecture.steps if per_step else 1
        self._range = _range if _range is not None else range(steps)
        self._spec = spec
        self._draws = _draws if _draws is not None else (
            _Draws(spec.sampling_seed, self._n) if self._mode == "online" and spec.sampling == "random" else None)

    def __len__(self) -> int:
        return len(self._range)

    @property
    def largest(self) -> int:
        """The most samples a step takes."""
        if self._mode == "online" or not len(self._range):
            return min(1, len(self._range))
        return self._n if self._batch_size is None else min(self._batch_size, self._n)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return StepBatches(self._spec, 0, self._range[index], self._draws)
        return self._batch(self._range[index])

    def __iter__(self) -> Iterator[tuple[int, int]]:
        if self._draws is not None and len(self._range):
            self._draws.mark(self._range[0])
        return (self._batch(k) for k in self._range)

    def __eq__(self, other) -> bool:
        return list(self) == list(other) if isinstance(other, (list, tuple, StepBatches)) else NotImplemented

    def _batch(self, k: int) -> tuple[int, int]:
        """The slice of step k + 1."""
        n = self._n
        if self._mode == "online":
            k //= self._per_sequence  # real-time BPTT: a sequence's time steps, one run step each
            i = self._draws.at(k) if self._draws is not None else k % n
            return (i, i + 1)
        if self._batch_size is None:
            return (0, n)
        epochs = -(-n // self._batch_size)
        start = (k % epochs) * self._batch_size
        return (start, min(start + self._batch_size, n))


class _Draws:
    """The seeded sample indices of random online sampling, drawn one at a time in step order (the
    generator's sequence, as drawing them all up front gives), with one saved point to go back to."""

    def __init__(self, seed: int, n: int):
        self.seed, self.n = seed, n
        self._restart()
        self._mark: tuple[int, dict] | None = None

    def _restart(self) -> None:
        self.rng = np.random.default_rng(self.seed)
        self.next_index, self.last = 0, None

    def mark(self, k: int) -> None:
        """Keep the generator's state before step index k (a view about to be read from there)."""
        self.at(k - 1) if k > 0 else self._restart()
        self._mark = (k, self.rng.bit_generator.state, self.last)

    def at(self, k: int) -> int:
        """The sample drawn for step index k."""
        if k < self.next_index - 1:
            if self._mark is not None and self._mark[0] <= k:
                self.next_index, state, self.last = self._mark
                self.rng.bit_generator.state = state
            else:
                self._restart()
        while self.next_index <= k:
            self.last = int(self.rng.integers(self.n))
            self.next_index += 1
        return self.last
