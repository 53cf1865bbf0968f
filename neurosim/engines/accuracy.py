"""How many samples a classifier gets right (the classes its targets name: core/exercise.Spec.classes).
The class predicted is the largest output's (argmax), or with one output 1 when out ≥ 0.5 (halfway
between the targets). Computed on the matrix engine's forward pass (float64), SAMPLES_AT_ONCE rows at a time.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..core.conventions import Conventions
from ..core.network import Network
from .saturation import _layers

SAMPLES_AT_ONCE = 4096


def correct(network: Network, inputs: Sequence[Sequence[float]], classes: np.ndarray,
            conventions: Conventions | None = None) -> int:
    """How many of `inputs` the network puts in their class `classes` (Spec.classes)."""
    right = 0
    with np.errstate(all="ignore"):
        for start in range(0, len(inputs), SAMPLES_AT_ONCE):
            A = _layers(network, inputs[start:start + SAMPLES_AT_ONCE], conventions or Conventions())[-1][1]
            A = A.reshape(len(A), -1)
            predicted = (A[:, 0] >= 0.5).astype(int) if A.shape[1] == 1 else A.argmax(axis=1)
            right += int((predicted == classes[start:start + SAMPLES_AT_ONCE]).sum())
    return right
