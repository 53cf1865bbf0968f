"""Which checked values a catalog entry can change: the stages of one training step, in the order
they are computed, and the stage each quantity belongs to.

A mistake that first changes the step at stage S (a learning rate: the update; a sign: the output
layer's backward pass) leaves every value of an earlier stage of the first step as it was, so it
cannot explain a wrong value there; the diagnosis does not run it for that (diagnose.py). Values
of a later step depend on every earlier update, so anything can change them.
"""

from __future__ import annotations

from ..core.notation.quantity import parse
from ..messages import N_

FORWARD, LOSS, OUTPUT_BACKWARD, HIDDEN_BACKWARD, GRADIENT, UPDATE, AFTER = range(7)
STAGES = ("forward", "loss", "output-backward", "hidden-backward", "gradient", "update", "after")
STAGE_TITLES = (N_("forward pass"), N_("errors"), N_("output layer's deltas"), N_("hidden layers' deltas"),
                N_("gradients"), N_("updates"), N_("after the update"))

_BY_KIND = {"net": FORWARD, "out": FORWARD, "input": FORWARD, "param": FORWARD, "error": LOSS, "loss": LOSS,
            "report": LOSS, "summary": LOSS, "contribution": HIDDEN_BACKWARD, "dnet_dp": GRADIENT,
            "gradient": GRADIENT, "change": UPDATE, "rule_state": UPDATE}
_BACKWARD = ("dE_dout", "dE_dnet", "dout_dnet", "delta")


def quantity_stage(name: str, step: int, outputs: tuple[str, ...]) -> int:
    """The stage of the first step at which `name` (neurosim's name) is computed; AFTER (anything
    may change it) for a value of a later step, or one that is not a known name. `outputs` are
    the names of the output neurons (o1, o2 …)."""
    q = parse(name)
    if q is None or step > 1:
        return AFTER
    if q.plus:
        return UPDATE if q.kind == "param" else AFTER
    if q.kind in _BACKWARD:
        return OUTPUT_BACKWARD if q.subject in outputs else HIDDEN_BACKWARD
    return _BY_KIND.get(q.kind, FORWARD)
