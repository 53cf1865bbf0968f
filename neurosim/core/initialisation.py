"""Initial weights and biases not given by the exercise, drawn from a seeded Generator in naming
order (`init` under [network]):

    uniform          U[0, 1) for weights and biases (Mazur's code: random.random())
    normal           N(0, 1) for weights and biases (the NumPy seeds: np.random.randn)
    xavier_uniform   W ~ U(-a, a), a = √(6/(fan_in + fan_out))   PyTorch nn.init.xavier_uniform_ (gain 1)
    xavier_normal    W ~ N(0, σ²), σ = √(2/(fan_in + fan_out))   nn.init.xavier_normal_ (Glorot & Bengio 2010)
    kaiming_uniform  W ~ U(-b, b), b = √(6/fan_in)               nn.init.kaiming_uniform_ (He et al. 2015;
    kaiming_normal   W ~ N(0, σ²), σ = √(2/fan_in)                 a = 0, mode fan_in, ReLU gain √2)

With the Xavier and Kaiming (He) schemes, scaled to each layer's fan-in so that a wide layer does
not start saturated, the biases start at 0 (as `nn.init.zeros_`). fan_in is the number of neurons
of the layer below, fan_out the layer's own.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

INIT_METHODS = ("uniform", "normal", "xavier_uniform", "xavier_normal", "kaiming_uniform", "kaiming_normal")
SCALED = INIT_METHODS[2:]  # the per-layer schemes of PyTorch's nn.init (biases 0)


def draw_initial(rng: np.random.Generator, init: str, sizes: Sequence[int], n_weights: int,
                 n_biases: int) -> tuple[list[float], list[float]]:
    """(weights, biases) drawn in naming order: each layer's weights, neuron by neuron, then the biases."""
    if init not in SCALED:
        draw = rng.random if init == "uniform" else rng.standard_normal
        return [float(v) for v in draw(n_weights)], [float(v) for v in draw(n_biases)]
    weights: list[float] = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        fans = fan_in + fan_out if init.startswith("xavier") else fan_in
        if init.endswith("uniform"):
            bound = float(np.sqrt(6.0 / fans))
            values = rng.uniform(-bound, bound, fan_in * fan_out)
        else:
            values = rng.normal(0.0, float(np.sqrt(2.0 / fans)), fan_in * fan_out)
        weights += [float(v) for v in values]
    return weights, [0.0] * n_biases
