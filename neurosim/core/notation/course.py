"""The names deep-learning courses give the neurons and weights of a network with shared weights
(the `course` notation, tables.py), worked out from the network's layers.

    recurrent   x_t, h_t, y_t (x_t[j] … when a step has several), the pre-activations a_t (hidden)
                and o_t (output), h_0; W_xh, W_hh, W_hy (W_hh[k][l]: from unit l at t-1 to unit k
                at t, the matrix as in h_t = f(W_xh·x_t + W_hh·h_(t-1) + b_h)), b_h, b_y; a Jordan
                layer (core/recurrent.py) reads y_(t-1) through W_yh (h_t = f(W_xh·x_t + W_yh·y_(t-1) +
                b_h), as W_hh is named: from y to h); the state unit that carries y_t to step t+1
                is s_t (= y_t; Jordan's "state units"), its net input os_t (= o_t), s_0 = y_0
    convolution the input X[r][c] (X[ch][r][c] with channels), the kernels K1[r][c], their biases
                b_K1, the feature maps Z1[r][c] (net) and Y1[r][c] (out), pooling P1[r][c],
                a dense hidden layer h<layer>[j] (net z<layer>[j]), the outputs y[j] (net o[j]), with
                W<layer>[j][i] and b<layer>[j]

Indices are 1-based. Returns (neuron → (net, out)), (weight → name), (bias → name).
"""

from __future__ import annotations

import itertools


def course_labels(network) -> tuple[dict[str, tuple[str, str]], dict[str, str], dict[str, str]]:
    if network.architecture.recurrent:
        return _recurrent(network)
    return _convolution(network)


def _index(*indices: int) -> str:
    return "".join(f"[{i}]" for i in indices)


def _recurrent(network):
    architecture = network.architecture
    n, hidden, m = architecture.input[0], architecture.layers[0].size, architecture.layers[1].size
    neurons: dict[str, tuple[str, str]] = {}
    for layer in network.layers:
        for neuron in layer.neurons:
            head, _, t = neuron.name.rpartition("_t")
            kind, j = head[0], int(head[1:])
            size = {"i": n, "h": hidden, "o": m, "s": m}[kind]
            idx = _index(j) if size > 1 else ""
            out = {"i": "x", "h": "h", "o": "y", "s": "s"}[kind]
            net = {"i": "x", "h": "a", "o": "o", "s": "os"}[kind]
            neurons[neuron.name] = (f"{net}_{t}{idx}", f"{out}_{t}{idx}")
    weights = {}
    for layer in network.layers[1:]:
        for neuron in layer.neurons:
            for c in neuron.incoming:
                if c.name in weights:
                    continue
                s, t = c.source.name, neuron.name
                s_j, t_j = int(s.rpartition("_t")[0][1:]), int(t.rpartition("_t")[0][1:])
                matrix = "W_xh" if s[0] == "i" else ("W_yh" if s[0] == "s" else "W_hh" if t[0] == "h" else "W_hy")
                rows, cols = {"W_xh": (hidden, n), "W_hh": (hidden, hidden), "W_yh": (hidden, m),
                              "W_hy": (m, hidden)}[matrix]
                weights[c.name] = matrix + (_index(t_j, s_j) if rows * cols > 1 else "")
    biases = {b.name: ("b_h" if b.name.startswith("b_h") else "b_y")
              + (_index(int(b.name[3:])) if (hidden if b.name.startswith("b_h") else m) > 1 else "")
              for b in network.biases}
    return neurons, weights, biases


def _positions(shape: tuple[int, ...]) -> list[tuple[int, ...]]:
    """(channel, position…) of every neuron of a block of `shape`, 1-based, in the neurons' order."""
    return [tuple(i + 1 for i in index) for index in itertools.product(*(range(n) for n in shape))]


def _convolution(network):
    neurons: dict[str, tuple[str, str]] = {}
    weights, biases = {}, {}
    input_layer = network.layers[0]
    shape = input_layer.shape
    for neuron, (ch, *where) in zip(input_layer.neurons, _positions(shape)):
        label = "X" + (_index(ch) if shape[0] > 1 else "") + _index(*where)
        neurons[neuron.name] = (label, label)
    specs = [spec for spec in network.architecture.layers if spec.kind != "flatten"]
    convs = sum(spec.kind.startswith("conv") for spec in specs)
    pools = sum(spec.kind.endswith("pool") for spec in specs)
    seen = {"conv": 0, "pool": 0}
    for layer, spec in zip(network.layers[1:], specs):
        below = network.layers[layer.index - 1]
        if spec.kind.startswith("conv") or spec.kind.endswith("pool"):
            group = "conv" if spec.kind.startswith("conv") else "pool"
            seen[group] += 1
            prefix = f"{seen[group]}_" if (convs if group == "conv" else pools) > 1 else ""
            net, out = ("Z", "Y") if group == "conv" else ("Zp", "P")
            for neuron, (m, *where) in zip(layer.neurons, _positions(layer.shape)):
                neurons[neuron.name] = (f"{net}{prefix}{m}{_index(*where)}", f"{out}{prefix}{m}{_index(*where)}")
            channels = below.shape[0] if below.shape else 1
            window = [tuple(i + 1 for i in e) for e in itertools.product(*(range(k) for k in spec.kernel))]
            kernel = [p for name, kind, p in layer.parameters if kind == "weight"]
            for k, weight in enumerate(kernel):
                m, rest = divmod(k, channels * len(window))
                ch, entry = divmod(rest, len(window))
                weights[weight.name] = f"K{prefix}{m + 1}" + (_index(ch + 1) if channels > 1 else "") + \
                    _index(*window[entry])
            for m, (name, _, _) in enumerate((p for p in layer.parameters if p[1] == "bias"), start=1):
                biases[name] = f"b_K{prefix}{m}"
            continue
        last = layer is network.layers[-1]
        for j, neuron in enumerate(layer.neurons, start=1):
            neurons[neuron.name] = (f"o{_index(j)}", f"y{_index(j)}") if last else (
                f"z{layer.index}{_index(j)}", f"h{layer.index}{_index(j)}")
            for i, c in enumerate(neuron.incoming, start=1):
                weights[c.name] = f"W{layer.index}{_index(j, i)}"
            if neuron.bias is not None:
                biases[neuron.bias.name] = f"b{layer.index}{_index(j)}"
    return neurons, weights, biases
