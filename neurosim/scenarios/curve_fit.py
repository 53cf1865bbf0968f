"""Seed 003: a 1-10-1 sigmoid network with biases fitting y = x² + noise on 100 points."""

import numpy as np

_DATA_SEED = 3  # numpy.random.default_rng(3) draws the noise; the seed's np.random.normal is unseeded
_X = np.linspace(-1, 1, 100)
_Y = np.square(_X) + np.random.default_rng(_DATA_SEED).normal(0, 0.1, size=_X.shape)

SCENARIO = {
    "title": "Curve fitting y = x² + noise: 1-10-1 sigmoid with biases, batch sum, 1,000 epochs (seed 003)",
    "description": (
        "Seed 003: 100 points x = linspace(-1, 1, 100), y = x² + N(0, 0.1) noise (drawn from "
        "numpy.random.default_rng(3) and written into the data), 10 sigmoid hidden neurons and a "
        "sigmoid output, each with its own bias starting at 0, weights standard normal (here "
        "default_rng(3) too), learning rate 0.1, 1,000 epochs, all 100 samples per step. Its backward pass "
        "dz2 = (a2 - y)·σ'(z2), dw2 = a1ᵀ·dz2, db2 = Σ dz2 … is the gradient of Σ over samples of "
        "½(y - a2)², summed over the batch: the trace's loss. The seed prints loss = "
        "np.mean((y - a2)²/2), the same terms averaged (E_report): 100 times smaller than the loss it "
        "descends. The traces show the tables of the first 2 of the 100 samples; every gradient sums all 100."
    ),
    "network": {
        "layers": [1, 10, 1],
        "activations": "sigmoid",
        "bias": "per-neuron",
        "init": "normal",
        "seed": _DATA_SEED,
        "biases": {**{f"b_h{k}": 0.0 for k in range(1, 11)}, "b_o1": 0.0},
    },
    "data": {"inputs": [[float(x)] for x in _X], "targets": [[float(y)] for y in _Y]},
    "training": {"loss": "half_sse", "learning_rate": 0.1, "steps": 1000, "mode": "batch-sum"},
    "report": {"loss": "half_sse", "loss_samples": "mean", "samples": 2},
}
