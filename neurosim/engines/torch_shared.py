"""The PyTorch bridge for networks with shared weights (core/shared_network.py): the same network
as torch modules, float64, taking and giving flat rows as neurosim's samples are.

    conv1d / conv2d   nn.Conv1d / nn.Conv2d (stride, padding; weight[m, ch, …] = k{m}_{ch}_{…}; a
                      true convolution passes the kernel turned by 180°, since torch cross-correlates)
    maxpool / avgpool nn.MaxPool1d/2d, nn.AvgPool1d/2d (window, stride)
    flatten, dense    nn.Flatten, nn.Linear (weight[j, s] = the weight from source s to unit j)
    recurrent         nn.RNNCell (tanh or relu) unrolled over the T steps, h_0 from the input row's
                      tail, the dense layer above applied at every step (or the last one); truncated
                      BPTT after k steps detaches h every k steps counted back from the last;
                      a Jordan layer (the output fed back): nn.Linear modules, torch_jordan.py

`to_torch_shared(network)` returns the module; `module.parameter_names` says which neurosim
parameter each torch parameter entry is (so a test can compare every gradient).
"""

from __future__ import annotations

from ..core.activations import LEAKY_SLOPE
from ..core.architecture import POOLS, SPATIAL
from ..errors import NeurosimError


def _module_for(name: str, nn):
    """The torch module of an activation (None for linear), as torch_bridge.py maps them."""
    modules = {"sigmoid": nn.Sigmoid, "tanh": nn.Tanh, "relu": nn.ReLU, "softplus": nn.Softplus,
               "leaky_relu": lambda: nn.LeakyReLU(LEAKY_SLOPE), "softmax": lambda: nn.Softmax(dim=-1)}
    if name == "linear":
        return None
    if name not in modules:
        raise NeurosimError(f"activation '{name}' has no PyTorch module in the bridge")
    return modules[name]()


def to_torch_shared(network):
    """An equivalent torch module of `network` (see the module notes)."""
    import torch
    nn = torch.nn
    architecture = network.architecture
    if architecture.jordan:
        from .torch_jordan import jordan_module
        return jordan_module(network, torch, _matrix_names(network), _module_for)
    if architecture.recurrent:
        return _recurrent(network, torch)
    shapes = architecture.shapes()
    modules = [nn.Unflatten(1, shapes[0])]
    layers = iter(network.layers[1:])
    for spec, shape_in in zip(architecture.layers, shapes):
        if spec.kind == "flatten":
            modules.append(nn.Flatten())
            continue
        layer = next(layers)
        dims = len(shape_in) - 1
        if spec.kind in SPATIAL:
            conv = (nn.Conv1d if dims == 1 else nn.Conv2d)(shape_in[0], spec.size, spec.kernel, stride=spec.stride,
                                                          padding=spec.padding, bias=spec.bias, dtype=torch.float64)
            values = [p.weight for _, kind, p in layer.parameters if kind == "weight"]
            kernel = torch.tensor(values, dtype=torch.float64).reshape(conv.weight.shape)
            if network.flipped:
                kernel = torch.flip(kernel, dims=list(range(2, 2 + dims)))
            with torch.no_grad():
                conv.weight.copy_(kernel)
                if spec.bias:
                    conv.bias.copy_(torch.tensor([p.value for _, kind, p in layer.parameters if kind == "bias"],
                                                 dtype=torch.float64))
            modules.append(conv)
        elif spec.kind in POOLS:
            pool = {("maxpool", 1): nn.MaxPool1d, ("maxpool", 2): nn.MaxPool2d, ("avgpool", 1): nn.AvgPool1d,
                    ("avgpool", 2): nn.AvgPool2d}[spec.kind, dims]
            modules.append(pool(spec.kernel, stride=spec.stride))
            continue
        else:
            if len(shape_in) > 1:
                raise NeurosimError("the PyTorch bridge needs a flatten layer before a dense layer")
            modules.append(_linear(layer, spec.bias, torch))
        activation = _module_for(layer.activation.name, nn)
        if activation is not None:
            modules.append(activation)
    if len(shapes[-1]) > 1:  # a feature map as the output: a row per sample, as neurosim's outputs
        modules.append(nn.Flatten())
    return nn.Sequential(*modules)


def _linear(layer, bias: bool, torch):
    """nn.Linear with the layer's weights (row j: unit j's incoming weights in source order)."""
    n_in, n_out = len(layer.neurons[0].incoming), len(layer.neurons)
    linear = torch.nn.Linear(n_in, n_out, bias=bias, dtype=torch.float64)
    with torch.no_grad():
        linear.weight.copy_(torch.tensor([[c.weight for c in n.incoming] for n in layer.neurons], dtype=torch.float64))
        if bias:
            linear.bias.copy_(torch.tensor([n.bias.value for n in layer.neurons], dtype=torch.float64))
    return linear


def torch_gradients(network, module) -> dict[str, float]:
    """dE/dp of every neurosim parameter from the torch module's .grad (after backward): the
    module's weights (its parameters of two or more dimensions) in order are neurosim's weights in
    naming order, its bias vectors neurosim's biases."""
    if hasattr(module, "neurosim_gradients"):  # the unrolled RNNCell
        return module.neurosim_gradients()
    weights = [float(v) for p in module.parameters() if p.dim() > 1 for v in _grad_in_order(p, network)]
    biases = [float(v) for p in module.parameters() if p.dim() == 1 for v in p.grad.tolist()]
    result = dict(zip((p.name for p in network.weight_params), weights))
    result.update(zip((b.name for b in network.biases), biases))
    return result


def _grad_in_order(parameter, network):
    grad = parameter.grad
    if network.flipped and grad.dim() > 2:
        import torch
        grad = torch.flip(grad, dims=list(range(2, grad.dim())))
    return grad.reshape(-1).tolist()


def _matrix_names(network) -> tuple[list, list, list]:
    """The names of W_xh, W_hh (a Jordan layer: W_yh) and W_hy row by row (row k: unit k's incoming
    weights)."""
    architecture = network.architecture
    n, hidden, m = architecture.input[0], architecture.layers[0].size, architecture.layers[1].size
    w_names = [p.name for p in network.weight_params]
    per_unit = n + architecture.fed_back  # W_hh, or a Jordan layer's W_yh (hidden × outputs)
    return ([w_names[k * per_unit:k * per_unit + n] for k in range(hidden)],
            [w_names[k * per_unit + n:(k + 1) * per_unit] for k in range(hidden)],
            [w_names[hidden * per_unit + j * hidden:hidden * per_unit + (j + 1) * hidden] for j in range(m)])


def _recurrent(network, torch):
    """nn.RNNCell unrolled over the T steps, h_0 the input row's tail, nn.Linear at every step (or the
    last one) with the output activation."""
    architecture = network.architecture
    recurrent, output = architecture.layers
    if recurrent.activation not in ("tanh", "relu"):
        raise NeurosimError("the PyTorch bridge: nn.RNNCell computes tanh or relu, not "
                            f"{recurrent.activation}")
    n, hidden, steps = architecture.input[0], recurrent.size, architecture.steps
    value = network.parameters()
    f64 = torch.float64

    def rows(names):
        return torch.tensor([[value[name] for name in row] for row in names], dtype=f64)

    xh, hh, hy = _matrix_names(network)

    class Unrolled(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.cell = torch.nn.RNNCell(n, hidden, bias=recurrent.bias, nonlinearity=recurrent.activation, dtype=f64)
            self.out = torch.nn.Linear(hidden, output.size, bias=output.bias, dtype=f64)
            self.g = _module_for(output.activation, torch.nn)
            with torch.no_grad():
                self.cell.weight_ih.copy_(rows(xh))
                self.cell.weight_hh.copy_(rows(hh))
                self.out.weight.copy_(rows(hy))
                if recurrent.bias:
                    self.cell.bias_ih.copy_(torch.tensor([value[f"b_h{k}"] for k in range(1, hidden + 1)], dtype=f64))
                    self.cell.bias_hh.zero_()
                if output.bias:
                    self.out.bias.copy_(torch.tensor([value[f"b_o{j}"] for j in range(1, output.size + 1)], dtype=f64))

        def forward(self, rows_in):
            h = rows_in[:, n * steps:]
            outputs = []
            for t in range(steps):
                if network.bptt and (steps - t) % network.bptt == 0:
                    h = h.detach()  # truncated BPTT: no dE/dh back through W_hh from here
                h = self.cell(rows_in[:, t * n:(t + 1) * n], h)
                if not architecture.last_target_only or t == steps - 1:
                    y = self.out(h)
                    outputs.append(y if self.g is None else self.g(y))
            return torch.cat(outputs, dim=1)

        def neurosim_gradients(self):
            grads = {}
            for names, grad in ((xh, self.cell.weight_ih.grad), (hh, self.cell.weight_hh.grad),
                                (hy, self.out.weight.grad)):
                for row, values in zip(names, grad.tolist()):
                    grads.update(zip(row, values))
            if recurrent.bias:
                grads.update((f"b_h{k + 1}", v) for k, v in enumerate(self.cell.bias_ih.grad.tolist()))
            if output.bias:
                grads.update((f"b_o{j + 1}", v) for j, v in enumerate(self.out.bias.grad.tolist()))
            return grads

    return Unrolled()
