"""Seed 000 §7: gradient descent with finite-difference gradients beside the chain rule."""

from .broadcast_forward import SCENARIO as _FORWARD

SCENARIO = {
    "title": "Gradient descent with finite differences beside the chain rule (seed 000 §7)",
    "description": (
        "Seed 000 §7 trains the 2-3-1 network of seed 000 §5 (float32 weights, int64 x, so float64 "
        "arithmetic; loss mean((pred_out - y)²)) by changing each weight and bias by h = 0.0001 in turn, "
        "taking (E(p + h) - E(p))/h as its gradient, and updating all of them at once with learning rate "
        "0.01, for 100 epochs. The trace is the same descent with the chain-rule gradients; the extra "
        "tables set the finite-difference gradient of every parameter beside the chain-rule one "
        "(they differ by about h·E''/2, plus the float32 rounding of p + h) and the two descents side by "
        "side. The seed plots the loss and prints no numbers."
    ),
    "network": _FORWARD["network"],
    "data": _FORWARD["data"],
    "training": {"loss": "mse", "learning_rate": 0.01, "steps": 100, "mode": "online",
                 "dtype": "float32-params"},
    "report": {"extra": ["finite_differences"]},
    "published": [
        {"quantity": "out_o1", "value": "-0.57840305", "source": "seed 000 §5: pred_out before training"},
        {"quantity": "E_total", "value": "0.33455008989960927", "source": "seed 000 §5: the loss before training"},
    ],
}
