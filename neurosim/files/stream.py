"""A run written to a file step by step, as it goes: a wide CSV table and JSON Lines.

Both writers take one row per step (or per epoch in batch modes) from `runner.iterate_run`'s
`on_step` callback and write it at once, so memory does not grow with the number of steps.

Wide CSV — the table a spreadsheet user builds by hand, one row per step:

    step,E_total,E_total+,w1,w2,…,b1,b2
    0,,0.298371109…,0.15,0.2,…            step 0: the initial parameters
    1,0.298371109…,0.291027774…,0.149780716…,…

`E_total` is the loss of the step's sample(s) before its update (blank for step 0), `E_total+`
the loss over all samples after it, and the parameter columns hold the values after the step.
Numbers are written at full precision (Python's shortest round-trip form).

JSON Lines (`neurosim run … --format jsonl`) — one JSON object per line, each with a "type":

    {"type": "run", "schema": "neurosim-jsonl", "version": 1, "title": …, "network": "2-2-2",
     "layers": [2, 2, 2], "activations": […], "bias": "shared", "conventions": {…},
     "samples": n, "steps": N, "parameters": {"w1": 0.15, …}}           first line: the setup
    {"type": "step", "step": k, "E_total": …, "E_total+": …, "parameters": {"w1": …, …}}
    {"type": "trace", "step": k, "quantities": {"net_h1": 0.3775, …}}   each traced step (the
                                                                 --trace steps), just before its "step" line
    {"type": "end", "steps_done": k, "complete": true|false}           last line (false: stopped early)

In batch modes a step is an epoch. `E_total` is the loss of the step's sample(s) before the update,
`E_total+` the loss over all samples after it, and `parameters` the values after the step. Quantity
names are those of DESIGN.md §4 (`StepTrace.quantities()`), values at full float64 precision.
"""

from __future__ import annotations

import json
from typing import TextIO

from ..core.exercise import Spec
from ..core.network import Network
from ..core.step import sample_loss
from ..core.trace import StepTrace
from .rules import rule_json, sharing_json

JSONL_SCHEMA = "neurosim-jsonl"
JSONL_VERSION = 1


class WideCsvWriter:
    """Writes step, E_total, E_total+ and every parameter, one row per step, as the run goes."""

    def __init__(self, handle: TextIO, spec: Spec, network: Network, every: int = 1):
        self.handle = handle
        self.spec = spec
        self.every = every
        self.samples = spec.samples
        import csv  # (start-up: only --wide-csv writes one)

        self.writer = csv.writer(handle, lineterminator="\n")
        self.writer.writerow(["step", "E_total", "E_total+", *network.parameter_names()])
        self._row(0, None, network)

    def _row(self, step: int, e_total: float | None, network: Network) -> None:
        after = sample_loss(network, self.samples, self.spec.conventions)
        values = [repr(float(v)) for v in network.parameters().values()]
        self.writer.writerow([step, "" if e_total is None else repr(float(e_total)), repr(float(after)), *values])

    def __call__(self, step: int, e_total: float, network: Network) -> None:
        if step % self.every == 0:
            self._row(step, e_total, network)


class JsonlWriter:
    """Writes the run as JSON Lines (schema above), one object per line, as the run goes."""

    def __init__(self, handle: TextIO, spec: Spec, network: Network, steps: int):
        self.handle = handle
        self.spec = spec
        self.steps_done = 0
        conv = spec.conventions
        self._write({
            "type": "run", "schema": JSONL_SCHEMA, "version": JSONL_VERSION, "title": spec.title,
            "network": network.shape_text(), "layers": list(network.sizes),
            "activations": list(network.activations), "bias": network.bias_mode,
            "conventions": {
                "loss": conv.loss, "learning_rate": conv.learning_rate, "update_biases": conv.update_biases,
                "order": conv.order, "mode": conv.mode, "dtype": conv.arithmetic.dtype,
                "round": conv.arithmetic.round_to, "rounding": conv.arithmetic.rounding_id, **rule_json(conv),
                **sharing_json(conv, spec.architecture.kinds if spec.architecture is not None else ()),
            },
            "samples": len(spec.samples), "steps": steps,
            "parameters": {k: float(v) for k, v in network.parameters().items()},
        })

    def _write(self, obj: dict) -> None:
        self.handle.write(json.dumps(obj) + "\n")

    def __call__(self, step: int, e_total: float, network: Network) -> None:
        self.steps_done = step
        self._write({"type": "step", "step": step, "E_total": float(e_total),
                     "E_total+": float(sample_loss(network, self.spec.samples, self.spec.conventions)),
                     "parameters": {k: float(v) for k, v in network.parameters().items()}})

    def trace(self, trace: StepTrace) -> None:
        self._write({"type": "trace", "step": trace.step, "quantities": step_json(trace)["quantities"]})

    def end(self, complete: bool) -> None:
        self._write({"type": "end", "steps_done": self.steps_done, "complete": complete})


def step_json(trace: StepTrace) -> dict:
    """A JSON-ready dict: the header, the conventions and every quantity at full precision."""
    conv = trace.conventions
    return {
        "step": trace.step,
        "title": trace.title,
        "network": trace.network_shape,
        "activations": list(trace.activations),
        "conventions": {
            "loss": conv.loss, "learning_rate": conv.learning_rate, "bias": trace.bias_mode,
            "update_biases": conv.update_biases, "order": conv.order, "mode": conv.mode,
            "dtype": conv.arithmetic.dtype, "round": conv.arithmetic.round_to,
            "rounding": conv.arithmetic.rounding_id, **rule_json(conv), **sharing_json(conv, trace.layer_kinds),
        },
        "quantities": {name: float(value) for name, value in trace.quantities().items()},
    }
