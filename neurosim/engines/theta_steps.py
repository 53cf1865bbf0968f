"""What the untraced shared-weight engines (shared_engine.py, recurrent_engine.py) have in common:
all parameters in one vector θ (`names` in order), steps over row slices, and θ written back into the
network's objects. A subclass gives `step(X, T) -> E_total`, `theta` and `names`."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np


class ThetaSteps:
    """Untraced steps on θ and its way back into the objects."""

    theta: np.ndarray
    names: Sequence[str]

    def step(self, X: np.ndarray, T: np.ndarray) -> float:  # pragma: no cover - each engine's own
        raise NotImplementedError

    def run(self, X: np.ndarray, T: np.ndarray, batches: Sequence[tuple[int, int]]) -> float | None:
        """Untraced steps on the row slices X[a:b]; E_total of the last, or None once a value is not
        finite (the caller re-runs them on the objects, which name where)."""
        e_total = math.nan
        with np.errstate(all="ignore"):
            for a, b in batches:
                e_total = self.step(X[a:b], T[a:b])
                if not math.isfinite(e_total):
                    return None
        return e_total if bool(np.isfinite(self.theta).all()) else None

    def snapshot(self) -> np.ndarray:
        return self.theta

    def store_into(self, network, snapshot: np.ndarray | None = None) -> None:
        """Write θ (or a snapshot of it) into the network's objects."""
        theta = self.theta if snapshot is None else snapshot
        network.set_parameters({name: float(v) for name, v in zip(self.names, theta)})
