"""A Jordan network unrolled through time: the recurrent layer is fed the network's previous output,
not its own previous state (Jordan 1986; SNNS's Jordan networks):

    h_t = f(W_xh·x_t + W_yh·y_(t-1) + b_h),   y_0 given or zero
    y_t = g(W_hy·h_t + b_y)

Unrolled over T steps as the Elman network is (core/recurrent.py): i1_t2, h1_t2, o1_t2 are the input,
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

from .activations import Activation
from .architecture import Architecture
from .layer import Layer
from .recurrent import hidden_units, output_units, unrolled
from .shared import SparseNeuron, TiedConnection


def assemble_jordan(architecture: Architecture, acts: list[Activation], layer_class) -> dict:
    """The layers, connections and parameters of the unrolled Jordan network (values NaN until
    given): the keyword arguments of a SharedNetwork, with `links`, the W_yh connections of each step."""
    recurrent, output = architecture.layers
    n, hidden, m, steps = architecture.input[0], recurrent.size, output.size, architecture.steps
    u = unrolled(architecture, m, "s")
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
        position += hidden
        if t < steps:  # the state units: y_t as step t+1 reads it
            below, below_place = output_units("s", t, hidden_layers[-1], acts[1], u.w_hy, u.b_y), position
            layers.append(layer_class(len(layers), f"s{t}", below, acts[1], kind="recurrent", shape=(m,),
                                      parameters=y_params))
            position += m
    outputs = [o for t in ([steps] if architecture.last_target_only else range(1, steps + 1))
               for o in output_units("o", t, hidden_layers[t - 1], acts[1], u.w_hy, u.b_y)]
    layers.append(layer_class(len(layers), "output", outputs, acts[1], kind="dense", shape=(len(outputs),),
                              parameters=y_params))
    for neurons, _ in hidden_layers:  # dE/dh_t: what y_t sends back first, then its state unit
        for neuron in neurons:
            neuron.outgoing.sort(key=lambda c: c.target.name.startswith("s"))
    connections = [c for layer in layers[1:] for neuron in layer.neurons for c in neuron.incoming]
    return {"layers": layers, "connections": connections, "biases": u.b_h + u.b_y, "weight_params": u.weights,
            "links": links}
