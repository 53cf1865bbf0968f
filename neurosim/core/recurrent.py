"""An Elman or a Jordan network unrolled through time, as neurons and connections (built into a SharedNetwork).

    h_t = f(W_xh·x_t + W_hh·h_(t-1) + b_h),   h_0 given or zero
    y_t = g(W_hy·h_t + b_y)                    at every step, or at the last one only

Unrolled over the T steps of a sequence, every time step has its own neurons (h1_t2: hidden unit 1
at t = 2; o1_t2, the output; i1_t2, the input; h1_t0, the initial state, an input of the unrolled
network) and every entry of W_xh, W_hh, W_hy is one `Weight` used once per time step
(core/shared.py), b_h and b_y one bias per unit used at every step. The backward pass of the
unrolled network is backpropagation through time: dE/dh_t = dE_(y_t)/dh_t + dE_(h_(t+1))/dh_t, the
second term carried back through W_hh, and dE/dW_hh = Σ_t delta_h(t)·h_(t-1), one share per step.

The weights are numbered as a dense layer's, in the network folded back (each hidden unit's
incoming weights from the inputs, then from the hidden units of the step before): for one input,
one hidden unit and one output, w1 = W_xh, w2 = W_hh, w3 = W_hy.

Layers of the unrolled network: the inputs (x of every step, then h_0), the hidden units of t = 1,
…, of t = T, then the outputs of every step. `prepare` (SharedNetwork) cuts the carry through W_hh
for truncated BPTT (`carry`): with bptt = k, dE/dh goes back through W_hh within blocks of k steps
counted back from the last one.

A Jordan layer (`feedback = "output"`) is fed the network's previous output,
not its own previous state (Jordan 1986; SNNS's Jordan networks):

    h_t = f(W_xh·x_t + W_yh·y_(t-1) + b_h),   y_0 given or zero
    y_t = g(W_hy·h_t + b_y)

Unrolled over T steps as the Elman network is: i1_t2, h1_t2, o1_t2 are the input,
hidden unit and output of step 2. What step t+1 reads of y_t is the output's *state unit* s_j_t
(Jordan's name for the units the output is copied into): s1_t0 is y_0, an input of the unrolled
network; s1_t1 … s1_t(T-1) are computed as the outputs are, from the same weights W_hy and biases b_y
(out_s1_t = out_o1_t exactly), in a layer of their own after the hidden units of step t, so that h_(t+1)
reads them. The output o1_t takes the loss, the state unit s1_t what h_(t+1) sends back, so

    dE/dy_t = dE/dout_o_t + dE/dout_s_t = dE_t/dy_t + Σ_k delta_h(t+1)k·W_yh[k]

and a shared weight's gradient is the sum of its shares at every use: dE/dW_yh = Σ_t
delta_h(t)·y_(t-1), dE/dW_hy = Σ_t (delta_o(t) + delta_s(t))·h_t. (A function computed twice from the
same parameters has the gradient of the function computed once: the chain rule sums the two paths.)
With a target at the last step only, the outputs of the earlier steps are still computed, as their
state units. The weights are numbered per hidden unit (its weights from the inputs, then from the
outputs of the step before), then W_hy: for 1-1-1, w1 = W_xh, w2 = W_yh, w3 = W_hy. Truncated BPTT
cuts the links s_t → h_(t+1) as the Elman network's h_t → h_(t+1) (recurrent.carry).
"""

from __future__ import annotations

import math

import attrs

from .activations import Activation
from .architecture import Architecture
from .layer import Layer
from .losses import Loss
from .neuron import Bias
from .shared import SparseNeuron, TiedConnection, Weight


@attrs.frozen
class Unrolled:
    """The parts every unrolled recurrent network starts from (values NaN until given): the inputs
    x_t of every step, the initial fed-back units (h_0, or a Jordan layer's y_0 as s_0), W_xh and the
    fed-back weights (W_hh or W_yh) per hidden unit, W_hy per output, the biases, and the hidden
    layer's parameters."""

    inputs: list
    initial: list
    w_xh: list
    w_back: list
    w_hy: list
    b_h: list
    b_y: list
    weights: list
    h_params: list


def unrolled(architecture: Architecture, fed_back: int, prefix: str) -> Unrolled:
    """The inputs and parameters of an unrolled network whose hidden layer is fed back `fed_back`
    units named `prefix`1_t0 … at step 1 (Elman: the hidden units h; Jordan: the state units s)."""
    recurrent, output = architecture.layers
    n, hidden, m, steps = architecture.input[0], recurrent.size, output.size, architecture.steps
    inputs = [SparseNeuron(f"i{j}_t{t}", None) for t in range(1, steps + 1) for j in range(1, n + 1)]
    initial = [SparseNeuron(f"{prefix}{k}_t0", None) for k in range(1, fed_back + 1)]
    number = 0
    w_xh, w_back = [], []
    for _ in range(hidden):
        w_xh.append([Weight(f"w{number + j}", math.nan) for j in range(1, n + 1)])
        w_back.append([Weight(f"w{number + n + k}", math.nan) for k in range(1, fed_back + 1)])
        number += n + fed_back
    w_hy = [[Weight(f"w{number + j * hidden + k}", math.nan) for k in range(1, hidden + 1)] for j in range(m)]
    b_h = [Bias(f"b_h{k}", math.nan) for k in range(1, hidden + 1)] if recurrent.bias else []
    b_y = [Bias(f"b_o{j}", math.nan) for j in range(1, m + 1)] if output.bias else []
    weights = [w for row in zip(w_xh, w_back) for part in row for w in part] + [w for row in w_hy for w in row]
    h_params = [(w.name, "weight", w) for row in zip(w_xh, w_back) for part in row for w in part] + \
        [(b.name, "bias", b) for b in b_h]
    return Unrolled(inputs, initial, w_xh, w_back, w_hy, b_h, b_y, weights, h_params)


def assemble_recurrent(architecture: Architecture, acts: list[Activation], layer_class) -> dict:
    """The layers, connections and parameters of the unrolled network, Elman or Jordan (values NaN
    until given): the keyword arguments of a SharedNetwork, with `links`, the connections that carry
    the state from each step to the next (W_hh; a Jordan layer's W_yh from the state units)."""
    recurrent, output = architecture.layers
    n, hidden, m, steps = architecture.input[0], recurrent.size, output.size, architecture.steps
    jordan = architecture.jordan
    prefix = "s" if jordan else "h"  # what step t+1 reads of step t: its state units s_t, or h_t
    u = unrolled(architecture, m if jordan else hidden, prefix)
    all_inputs = u.inputs + u.initial
    layers: list[Layer] = [layer_class(0, "input", all_inputs, None, kind="input", shape=(len(all_inputs),))]
    y_params = [(w.name, "weight", w) for row in u.w_hy for w in row] + [(b.name, "bias", b) for b in u.b_y]
    position, below, below_place = len(all_inputs), u.initial, len(u.inputs)
    links: list[list[TiedConnection]] = []
    hidden_layers: list[tuple[list[SparseNeuron], int]] = []
    for t in range(1, steps + 1):
        neurons = hidden_units(t, u, acts[0], below, below_place)
        links.append([c for neuron in neurons for c in neuron.incoming[n:]])
        layers.append(layer_class(len(layers), f"t{t}", neurons, acts[0], kind="recurrent", shape=(hidden,),
                                  parameters=u.h_params))
        hidden_layers.append((neurons, position))
        if not jordan:
            below, below_place = neurons, position
        position += hidden
        if jordan and t < steps:  # the state units: y_t as step t+1 reads it
            below, below_place = output_units("s", t, hidden_layers[-1], acts[1], u.w_hy, u.b_y), position
            layers.append(layer_class(len(layers), f"s{t}", below, acts[1], kind="recurrent", shape=(m,),
                                      parameters=y_params))
            position += m
    outputs = [o for t in ([steps] if architecture.last_target_only else range(1, steps + 1))
               for o in output_units("o", t, hidden_layers[t - 1], acts[1], u.w_hy, u.b_y)]
    layers.append(layer_class(len(layers), "output", outputs, acts[1], kind="dense", shape=(len(outputs),),
                              parameters=y_params))
    for neurons, _ in hidden_layers:  # dE/dh_t: what y_t sends back first, then the carry to step t+1
        for neuron in neurons:
            neuron.outgoing.sort(key=lambda c: c.target.name.startswith(prefix))
    connections = [c for layer in layers[1:] for neuron in layer.neurons for c in neuron.incoming]
    return {"layers": layers, "connections": connections, "biases": u.b_h + u.b_y, "weight_params": u.weights,
            "links": links}


def hidden_units(t: int, u: Unrolled, act: Activation, below: list, below_place: int) -> list[SparseNeuron]:
    """The hidden units h1_t … of step t: h_t = f(W_xh·x_t + W_back·below + b_h), `below` being what
    is fed back (h_(t-1), or a Jordan layer's state units s_(t-1)) at position `below_place`."""
    n = len(u.w_xh[0]) if u.w_xh else 0
    neurons = []
    for k, (row_x, row_back) in enumerate(zip(u.w_xh, u.w_back)):
        neuron = SparseNeuron(f"h{k + 1}_t{t}", act, u.b_h[k] if u.b_h else None)
        for j, weight in enumerate(row_x):
            join(TiedConnection(u.inputs[(t - 1) * n + j], neuron, weight), (t - 1) * n + j)
        for l, weight in enumerate(row_back):
            join(TiedConnection(below[l], neuron, weight), below_place + l)
        neurons.append(neuron)
    return neurons


def output_units(prefix: str, t: int, hidden_layer, act: Activation, w_hy, b_y) -> list[SparseNeuron]:
    """The outputs o1_t … of step t (or a Jordan layer's state units s1_t …): y_t = g(W_hy·h_t + b_y)."""
    neurons, place = hidden_layer
    units = []
    for j, row in enumerate(w_hy):
        neuron = SparseNeuron(f"{prefix}{j + 1}_t{t}", act, b_y[j] if b_y else None)
        for k, weight in enumerate(row):
            join(TiedConnection(neurons[k], neuron, weight), place + k)
        units.append(neuron)
    return units


def carry(links: list[list[TiedConnection]], steps: int, bptt: int) -> None:
    """Truncated BPTT after `bptt` = k steps (0: full): dE/dh is carried back through W_hh within
    blocks of k steps counted back from the last step, as detaching h every k steps does — the
    connections h_t → h_(t+1) with (T - t) divisible by k carry nothing back (they are taken out of
    their sources' outgoing connections and still compute the forward pass). With a target at the
    last step only, dE/dh reaches back k steps: h_T, …, h_(T-k+1)."""
    for t, connections in enumerate(links):  # links[t]: the connections h_t → h_(t+1) (h_0 → h_1 first)
        keep = not bptt or (steps - t) % bptt != 0
        for connection in connections:
            outgoing = connection.source.outgoing
            present = any(c is connection for c in outgoing)
            if keep and not present:
                outgoing.append(connection)
            elif not keep and present:
                outgoing.remove(connection)


def join(connection: TiedConnection, place: int) -> None:
    """Connect source → target; the target reads the source at `place` in the list of every output."""
    connection.source.outgoing.append(connection)
    connection.target.incoming.append(connection)
    connection.target.positions.append(place)


def output_names(architecture: Architecture) -> list[str]:
    """The unrolled network's outputs: o1_t1 … (every step) or o1_tT … (the last one only)."""
    output = architecture.layers[-1]
    times = [architecture.steps] if architecture.last_target_only else range(1, architecture.steps + 1)
    return [f"o{j}_t{t}" for t in times for j in range(1, output.size + 1)]



def over_time(loss: Loss, steps: int, per_step: int, mean: bool) -> Loss:
    """The loss of a sequence with `steps` (T) time steps of `per_step` outputs each: each step's
    outputs make one sample's loss as usual (a mean form divides by `per_step`), summed over the
    steps, or averaged over them (`mean`: each term and its derivative divided by T)."""
    if steps <= 1:
        return loss
    scale = steps if mean else 1
    term, derivative = loss.term, loss.derivative
    body = loss.formula.split("=", 1)[1].strip()

    def text(template: str) -> str:
        template = template.replace("{n}", str(per_step))
        return f"({template})/{steps}" if mean else template
    return attrs.evolve(loss, formula=(f"E_total = (1/{steps})·Σ_t " if mean else "E_total = Σ_t ") + body,
                        term_formula=text(loss.term_formula), derivative_formula=text(loss.derivative_formula),
                        term=lambda t, o, n: term(t, o, per_step) / scale,
                        derivative=lambda t, o, n: derivative(t, o, per_step) / scale)
