"""Random networks with shared weights (conv1d, conv2d, pooling, recurrent) for the tests, and the
central finite differences every gradient is checked against (engine-independent)."""

import numpy as np

from neurosim.core.architecture import Architecture, LayerSpec
from neurosim.core.conventions import Conventions
from neurosim.core.shared_network import build_shared
from neurosim.core.step import sample_loss

SMOOTH = ("sigmoid", "tanh", "linear", "softplus")


def conv1d_case(seed: int, pool: str | None = None):
    """A random conv1d network (channels, kernels, kernel size, stride, padding), an optional pool,
    then a dense output layer; one sample."""
    rng = np.random.default_rng(seed)
    channels, kernels, k = (int(rng.integers(1, 3)), int(rng.integers(1, 3)), int(rng.integers(1, 4)))
    stride, padding = int(rng.integers(1, 3)), int(rng.integers(0, 2))
    length = int(rng.integers(k + 2, k + 7))
    layers = [LayerSpec("conv1d", kernels, (k,), (stride,), (padding,), str(rng.choice(SMOOTH)))]
    out = (length + 2 * padding - k) // stride + 1
    if pool is not None:
        window = 2 if out % 2 == 0 and out >= 2 else 1
        layers.append(LayerSpec(pool, kernel=(window,), stride=(window,), activation="linear", bias=False))
    layers += [LayerSpec("flatten"), LayerSpec("dense", int(rng.integers(1, 3)), activation=str(rng.choice(SMOOTH)))]
    architecture = Architecture((channels, length), tuple(layers))
    return _with_sample(architecture, rng)


def conv2d_case(seed: int, pool: str | None = None):
    """A random conv2d network, an optional 2x2 pool, then a dense output layer; one sample."""
    rng = np.random.default_rng(seed)
    channels, kernels = int(rng.integers(1, 3)), int(rng.integers(1, 3))
    k = (int(rng.integers(1, 4)), int(rng.integers(1, 4)))
    stride, padding = (int(rng.integers(1, 3)), int(rng.integers(1, 3))), (int(rng.integers(0, 2)),) * 2
    size = tuple(int(rng.integers(kk + 1, kk + 6)) for kk in k)
    out = tuple((n + 2 * p - kk) // s + 1 for n, p, kk, s in zip(size, padding, k, stride))
    layers = [LayerSpec("conv2d", kernels, k, stride, padding, str(rng.choice(SMOOTH)))]
    if pool is not None:
        window = tuple(2 if o % 2 == 0 else 1 for o in out)
        layers.append(LayerSpec(pool, kernel=window, stride=window, activation="linear", bias=False))
    layers += [LayerSpec("flatten"), LayerSpec("dense", int(rng.integers(1, 3)), activation=str(rng.choice(SMOOTH)))]
    return _with_sample(Architecture((channels, *size), tuple(layers)), rng)


def recurrent_case(seed: int, activation: str = "tanh"):
    """A random Elman network (inputs, hidden units, outputs, 2-5 time steps, targets at every step
    or at the last one, h_0 given or zero) and one or two sequences."""
    rng = np.random.default_rng(seed)
    n, hidden, m, steps = (int(rng.integers(1, 3)), int(rng.integers(1, 4)), int(rng.integers(1, 3)),
                           int(rng.integers(2, 6)))
    h0 = tuple(rng.normal(size=hidden)) if seed % 2 else None
    bias = bool(seed % 3)
    architecture = Architecture((n,), (LayerSpec("recurrent", hidden, activation=activation, bias=bias),
                                       LayerSpec("dense", m, activation=str(rng.choice(SMOOTH)), bias=bias)),
                                steps=steps, last_target_only=seed % 4 == 3, h0=h0)
    network = build_shared(architecture, [activation, architecture.layers[1].activation], rng=rng, init="normal")
    network.set_parameters({name: 0.6 * v for name, v in network.parameters().items()})  # no blow-up over T steps
    outputs = m if architecture.last_target_only else m * steps
    samples = [(tuple(rng.normal(size=n * steps)) + (h0 or (0.0,) * hidden), tuple(rng.uniform(0.1, 0.9, outputs)))
               for _ in range(1 + seed % 2)]
    return network, samples


def _with_sample(architecture, rng):
    acts = [layer.activation for layer in architecture.layers if layer.kind != "flatten"]
    network = build_shared(architecture, acts, rng=rng, init="normal")
    n_in, n_out = network.sizes[0], network.sizes[-1]
    sample = (tuple(rng.normal(size=n_in)), tuple(rng.uniform(0.1, 0.9, size=n_out)))
    return network, [sample]


def finite_difference(network, samples, conventions: Conventions, name: str, h: float = 1e-3) -> float:
    """Central differences with one Richardson step (error O(h⁴)): (4·D(h/2) - D(h))/3."""
    def central(step):
        value = network.parameters()[name]
        plus, minus = network.copy(), network.copy()
        plus.set_parameters({name: value + step})
        minus.set_parameters({name: value - step})
        return (sample_loss(plus, samples, conventions) - sample_loss(minus, samples, conventions)) / (2 * step)
    return (4 * central(h / 2) - central(h)) / 3
