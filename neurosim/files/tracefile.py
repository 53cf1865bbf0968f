"""A full trace of a long run, streamed to a JSON Lines file (one line per step, constant memory).

Line 1 describes the run: shape, activations, conventions, and the initial W and B of every layer.
Every following line is one step, computed by the matrix engine:
    {"step": k, "rows": [a, b], "E_total": …,
     "layers": [{"Z": …, "A": …, "dZ": …}, …]}     (first layer first; one row per sample)
`rows` are the data rows X[a:b] the step used. What the line leaves out follows from it exactly as
the engine computes it: dW = A_belowᵀ·dZ and dB = Σ_rows dZ (a shared bias: Σ of every entry),
divided by m in batch-mean; W+ = W - η·dW, B+ = B - η·dB (B+ = B when biases are frozen), or
with a learning rule (the header's "rule") W+ = W + ΔW by the rule's formulas and its state, which
starts from the header's rule state and is carried from line to line.
The file is written to a temporary name and renamed when complete.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

from ..core.exercise import Spec
from ..engines.matrix import MatrixTrainer
from ..engines.runner import step_batches
from ..messages import speaking
from .rules import rule_json


def record_run(spec: Spec, path: str | Path, steps: int | None = None) -> Path:
    """Train `spec` for `steps` steps (default: its own), writing every step's matrices to `path`."""
    path = Path(path)
    steps = spec.steps if steps is None else steps
    network = spec.build_network()
    trainer = MatrixTrainer(network, spec.conventions)
    X = trainer.array(spec.inputs)
    T = trainer.array(spec.targets)
    conv = spec.conventions
    header = {
        "title": spec.title, "layers": list(spec.layers), "activations": list(spec.activations),
        "bias": spec.bias, "conventions": _in_english(conv.describe, spec.bias), "learning_rate": conv.learning_rate,
        **rule_json(conv),
        "W": [W.tolist() for W in trainer.W], "B": [None if B is None else B.tolist() for B in trainer.B],
    }
    temporary = path.with_name(f".{path.name}.partial")
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    with open(temporary, "w", encoding="utf-8") as file, np.errstate(all="ignore"):
        file.write(dumps(header) + "\n")
        for step, (a, b) in enumerate(step_batches(spec, steps), start=1):
            records: list = []
            e_total = trainer._step(X[a:b], T[a:b], records)
            records.pop()  # the per-sample losses
            layers = [{"Z": r.Z.tolist(), "A": r.A.tolist(), "dZ": r.dZ.tolist()} for r in reversed(records)]
            file.write(dumps({"step": step, "rows": [a, b], "E_total": float(e_total), "layers": layers}) + "\n")
    os.replace(temporary, path)
    return path


def _in_english(describe, *args) -> str:
    """A description kept in a data file: in English, whatever the output's language."""
    with speaking("en"):
        return describe(*args)
