"""A bridge to PyTorch (the optional `torch` extra): the same network as a `torch.nn.Sequential`.

`to_torch(network)` builds `Sequential(Linear, activation, Linear, activation, …)` in float64 with the
same weights and biases. Connection w_k from source s to target j of a layer is `Linear.weight[j, s]`,
so the layer's weights in naming order (w1: i1→h1, w2: i2→h1, …) are `Linear.weight` read row by row.
A `linear` activation adds no module; the others map one to one:

    sigmoid → Sigmoid   tanh → Tanh   relu → ReLU   leaky_relu → LeakyReLU(0.01)
    softplus → Softplus  (torch switches to the identity above net = 20; neurosim does not, a
                          difference below 2e-9 there)
    softmax → Softmax(dim=-1)

Biases: PyTorch has one bias per neuron. A per-neuron neurosim bias (b_h1 …) is its neuron's entry of
`Linear.bias`. A shared bias (Mazur's b1, b2) becomes a bias vector with every entry equal to it: the
forward pass is the same, but the entries are separate parameters in PyTorch, so after backward
dE/db1 (shared) is the SUM of the vector's gradient entries, and an optimizer step would let the entries
drift apart. A network without biases gets `Linear(bias=False)`.

`from_torch(module)` reads a `Sequential` of `Linear` layers and the activations above (or `Identity`)
into a neurosim `Network` with per-neuron biases — never guessing that equal entries were meant to
be one shared bias — so any PyTorch model of this kind can be traced neuron by neuron.

`torch_loss(conventions)` returns a loss function `loss(outputs, targets)` (tensors of shape
(samples, outputs)) computed as neurosim computes E_total under those conventions: the per-sample
loss (half_sse ½Σ(t-o)², sse, mse, mae, bce, cce), summed over the samples (online, batch-sum) or
averaged (batch-mean). Its gradients equal neurosim's dE/dw.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..core.activations import LEAKY_SLOPE
from ..core.conventions import Conventions
from ..core.network import Network, build_network
from ..errors import NeurosimError

INSTALL_HINT = ("the PyTorch bridge needs torch, which is not installed: "
                "pip install '.[torch]' (see the README for the CPU-only wheel)")


def _torch():
    try:
        import torch
    except ImportError:
        raise NeurosimError(INSTALL_HINT) from None
    return torch


def _leaky_slope() -> float:
    return LEAKY_SLOPE


def _module_for(name: str, nn):
    if name == "linear":
        return None
    modules = {
        "sigmoid": nn.Sigmoid, "tanh": nn.Tanh, "relu": nn.ReLU, "softplus": nn.Softplus,
        "leaky_relu": lambda: nn.LeakyReLU(_leaky_slope()), "softmax": lambda: nn.Softmax(dim=-1),
    }
    if name not in modules:
        raise NeurosimError(f"activation '{name}' has no PyTorch module in the bridge")
    return modules[name]()


def to_torch(network: Network):
    """An equivalent `torch.nn.Sequential` (float64, same weights and biases; see the module notes); a
    network with shared weights: its conv, pooling or unrolled RNNCell module (torch_shared.py)."""
    torch = _torch()
    if getattr(network, "architecture", None) is not None:
        from .torch_shared import to_torch_shared
        return to_torch_shared(network)
    nn = torch.nn
    modules = []
    for layer in network.layers[1:]:
        n_in, n_out = len(layer.neurons[0].incoming), len(layer.neurons)
        has_bias = network.bias_mode != "none"
        linear = nn.Linear(n_in, n_out, bias=has_bias, dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(torch.tensor([[float(c.weight) for c in n.incoming] for n in layer.neurons],
                                             dtype=torch.float64))
            if has_bias:
                linear.bias.copy_(torch.tensor([float(n.bias.value) for n in layer.neurons], dtype=torch.float64))
        modules.append(linear)
        activation = _module_for(layer.activation.name, nn)
        if activation is not None:
            modules.append(activation)
    return nn.Sequential(*modules)


def _activation_name(module, nn) -> str | None:
    """neurosim's name for an activation module (None for Identity); errors for anything else."""
    if isinstance(module, nn.Identity):
        return None
    if isinstance(module, nn.Sigmoid):
        return "sigmoid"
    if isinstance(module, nn.Tanh):
        return "tanh"
    if isinstance(module, nn.ReLU):
        return "relu"
    if isinstance(module, nn.LeakyReLU):
        if module.negative_slope != _leaky_slope():
            raise NeurosimError(f"LeakyReLU(negative_slope={module.negative_slope}): neurosim's leaky_relu "
                                f"uses {_leaky_slope()}")
        return "leaky_relu"
    if isinstance(module, nn.Softplus):
        if module.beta != 1:
            raise NeurosimError(f"Softplus(beta={module.beta}): only beta=1 is supported")
        return "softplus"
    if isinstance(module, nn.Softmax):
        if module.dim not in (-1, 1):
            raise NeurosimError(f"Softmax(dim={module.dim}): only the last dimension (dim=-1) is supported")
        return "softmax"
    raise NeurosimError(f"{type(module).__name__}: not supported (use Linear and Sigmoid, Tanh, ReLU, "
                        "LeakyReLU, Softplus, Softmax or Identity)")


def from_torch(module) -> Network:
    """A neurosim `Network` (per-neuron biases, or none) from a Sequential of Linear + activations."""
    torch = _torch()
    nn = torch.nn
    if isinstance(module, nn.Linear):
        module = nn.Sequential(module)
    if not isinstance(module, nn.Sequential):
        raise NeurosimError(f"from_torch: expected a torch.nn.Sequential, got {type(module).__name__}")
    linears, activations = [], []
    for index, child in enumerate(module):
        if isinstance(child, nn.Linear):
            if len(activations) < len(linears):
                activations.append("linear")  # two Linear layers in a row: nothing in between
            linears.append(child)
            continue
        name = _activation_name(child, nn)
        if name is None:
            continue
        if not linears:
            raise NeurosimError(f"from_torch: module {index} ({type(child).__name__}) comes before any Linear layer")
        if len(activations) == len(linears):
            raise NeurosimError(f"from_torch: module {index} ({type(child).__name__}) follows another activation")
        activations.append(name)
    if not linears:
        raise NeurosimError("from_torch: no Linear layer in the module")
    if len(activations) < len(linears):
        activations.append("linear")
    sizes = [linears[0].in_features]
    for k, linear in enumerate(linears):
        if linear.in_features != sizes[-1]:
            raise NeurosimError(f"from_torch: Linear layer {k + 1} takes {linear.in_features} inputs, "
                                f"the layer before gives {sizes[-1]}")
        sizes.append(linear.out_features)
    with_bias = [linear.bias is not None for linear in linears]
    if any(with_bias) and not all(with_bias):
        raise NeurosimError("from_torch: some Linear layers have a bias and some do not; neurosim needs "
                            "all or none (use bias=True and zero biases)")
    weights = [float(v) for linear in linears for v in linear.weight.detach().double().reshape(-1).tolist()]
    biases = None
    if all(with_bias):
        biases = [float(v) for linear in linears for v in linear.bias.detach().double().tolist()]
    return build_network(sizes, activations, weights=weights, biases=biases,
                         bias_mode="per-neuron" if biases is not None else "none")


def torch_loss(conventions: Conventions):
    """loss(outputs, targets) for (samples, outputs) tensors, reduced as neurosim reduces E_total."""
    torch = _torch()
    name = conventions.loss

    def per_sample(o, t):
        n = o.shape[-1]
        if name == "half_sse":
            return 0.5 * ((t - o) ** 2).sum(-1)
        if name == "sse":
            return ((t - o) ** 2).sum(-1)
        if name == "mse":
            return ((t - o) ** 2).sum(-1) / n
        if name == "mae":
            return (t - o).abs().sum(-1) / n
        if name == "bce":
            return -(t * torch.log(o) + (1 - t) * torch.log(1 - o)).sum(-1) / n
        if name == "cce":
            return -(t * torch.log(o)).sum(-1)
        raise NeurosimError(f"loss '{name}' has no PyTorch form in the bridge")

    def loss(outputs, targets):
        values = per_sample(outputs, targets)
        return values.mean() if conventions.mode == "batch-mean" else values.sum()

    return loss


def samples_as_tensors(samples: Sequence) -> tuple:
    """(inputs, targets) float64 tensors of shape (samples, n) from neurosim's [(inputs, targets), …]."""
    torch = _torch()
    return (torch.tensor([list(x) for x, _ in samples], dtype=torch.float64),
            torch.tensor([list(t) for _, t in samples], dtype=torch.float64))
