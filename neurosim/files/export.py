"""Exercise files written out: a built-in scenario as TOML (`neurosim export`), and the commented
template a user starts from (`neurosim new`).

An exported file reads back (`load_spec`) to the same Spec, hence the same trace: the scenario's
dict is written key for key, floats with `repr` (see tomlwriter); only comments are added.
"""

from __future__ import annotations

from typing import Mapping

from .. import __version__
from .. import scenarios  # FIXME layering
from ..core.network import Network, neuron_names
from .exercise import spec_from_dict
from .tomlwriter import dumps

TRAINING_NOTES = {
    "loss": "half_sse (½Σ(t-o)², Mazur) | sse | mse | mae | bce | cce",
    "learning_rate": "η in w+ = w - η·dE/dw",
    "steps": "training steps (batch modes: epochs)",
    "mode": "online (one sample a step) | batch-sum | batch-mean",
    "order": "simultaneous (all gradients from the old weights) | sequential",
    "update_biases": "false freezes the biases (Mazur's blog)",
    "dtype": "float64 | float32",
    "round": "hand rounding: every quantity rounded half-up to this many decimals",
    "sampling": "online order of the samples: cycle | random",
}


def _connection_notes(network: Network, weights, biases) -> dict[tuple[str, ...], str]:
    notes: dict[tuple[str, ...], str] = {}
    if isinstance(weights, Mapping):
        for conn in network.connections:
            notes[("network", "weights", conn.name)] = f"{conn.source.name} → {conn.target.name}"
    if isinstance(biases, Mapping):
        users: dict[str, list[str]] = {}
        for neuron in network.neurons():
            if neuron.bias is not None:
                users.setdefault(neuron.bias.name, []).append(neuron.name)
        for name, neurons in users.items():
            notes[("network", "biases", name)] = ("bias of " if len(neurons) == 1 else "shared by ") + \
                ", ".join(neurons)
    return notes


def scenario_comments(data: Mapping) -> dict[tuple[str, ...], str]:
    """Comments for an exercise dict: what each weight connects, and the choices of each key."""
    spec = spec_from_dict(data)
    network = data.get("network", {})
    names = neuron_names(spec.layers)
    comments: dict[tuple[str, ...], str] = {
        ("network",): "Neurons: inputs " + ", ".join(names[0]) + "; "
                      + "; ".join(", ".join(layer) for layer in names[1:-1]) + ("; " if len(names) > 2 else "")
                      + "outputs " + ", ".join(names[-1]) + ".",
        ("network", "layers"): "inputs, hidden…, outputs",
        ("network", "activations"): "one per layer after the input",
        ("network", "bias"): "shared (one per layer) | per-neuron | none",
        ("network", "weights"): "Weights are numbered layer by layer, for each target neuron its incoming "
                                "connections in source order.",
        ("data",): "One list per sample.",
        ("training",): "The conventions the step is computed under.",
        ("published",): "Figures a source prints, as strings with the digits it prints, and the "
                        "[training] keys it computed them under.",
    }
    comments.update(_connection_notes(spec.build_network(), network.get("weights"), network.get("biases")))
    for key, note in TRAINING_NOTES.items():
        comments[("training", key)] = note
    return comments


def export_toml(name: str) -> str:
    """The built-in scenario `name` as an exercise file (TOML text)."""
    data = scenarios.scenario_dict(name)
    header = (f"Exercise file exported from the built-in scenario '{name}' by neurosim {__version__}.\n"
              f"Run it with `neurosim run FILE.toml`; `neurosim new FILE.toml` writes a template that "
              f"explains every key.")
    return dumps(data, scenario_comments(data), header=header)


TEMPLATE = '''\
# A neurosim exercise file: Matt Mazur's 2-2-2 network, ready to run as it is:
#
#     neurosim run exercise.toml        every intermediate value, stage by stage
#     neurosim explain exercise.toml    a worked solution (--format markdown | latex | html)
#
# Change the numbers to those of your exercise. The file is read as data (TOML), never executed.
# Names used everywhere: inputs i1, i2, …; hidden neurons h1, h2, … (with several hidden layers
# h1_1, h1_2, … for hidden layer 1, h2_1, … for hidden layer 2); outputs o1, o2, ….

title = "My backpropagation exercise"
description = "Mazur's example: one online step, biases frozen."

[network]
layers = [2, 2, 2]                      # neurons per layer: inputs, hidden…, outputs
activations = ["sigmoid", "sigmoid"]    # one per layer after the input, or one name for all:
                                        # sigmoid | tanh | relu | leaky_relu | linear | softplus | softmax
bias = "shared"                         # shared: one bias per layer (b1 for the hidden layer, b2 for
                                        #   the output layer), as in Mazur's code
                                        # per-neuron: b_h1, b_h2, …, b_o1, … | none
# seed = 1                              # draw any weight or bias not given below (uniform on [0, 1))

# Weights are numbered layer by layer; for each target neuron, its incoming connections in source
# order. You may also write them as a list in that order: weights = [0.15, 0.20, …].
[network.weights]
w1 = 0.15   # i1 → h1
w2 = 0.20   # i2 → h1
w3 = 0.25   # i1 → h2
w4 = 0.30   # i2 → h2
w5 = 0.40   # h1 → o1
w6 = 0.45   # h2 → o1
w7 = 0.50   # h1 → o2
w8 = 0.55   # h2 → o2

[network.biases]
b1 = 0.35   # shared by h1, h2
b2 = 0.60   # shared by o1, o2

[data]
inputs = [[0.05, 0.10]]                 # one list per sample: i1, i2
targets = [[0.01, 0.99]]                # one list per sample: target_o1, target_o2

[training]
loss = "half_sse"           # half_sse: E = Σ ½(target - out)² (Mazur) | sse | mse | mae | bce | cce
learning_rate = 0.5         # η in w+ = w - η·dE/dw
steps = 1                   # training steps (in batch modes: epochs)
mode = "online"             # online: one sample a step | batch-sum | batch-mean
order = "simultaneous"      # simultaneous: every gradient from the old weights (Mazur's w1 section)
                            # sequential: a layer's new weights are used by the layer below
update_biases = false       # false: biases stay as they are (Mazur's blog)
dtype = "float64"           # float64 | float32 (to match a program that uses float32)
# round = 4                 # hand rounding: every quantity written down rounded half-up to 4 decimals
#                           # and carried on rounded, as with a calculator

[report]
trace_steps = [1]           # the steps shown in full by `neurosim run`

# Your own answers, checked digit by digit with `neurosim check exercise.toml`. Quantity names contain
# "/", "+" and "@", so put them in quotes; write each value as a string, with the digits you wrote
# (trailing zeros count): "0.3775" is checked to 4 decimals. "w5+" is w5 after the update; append
# @k for step k ("E_total+@1"). Remove the # signs to use these lines:
#
# [expect]
# net_h1 = "0.3775"
# out_h1 = "0.593269992"
# E_total = "0.298371109"
# "dE/dout_o1" = "0.74136507"
# "dout_o1/dnet_o1" = "0.186815602"
# "dnet_o1/dw5" = "0.593269992"
# "dE/dw5" = "0.082167041"
# "w5+" = "0.35891648"
# "dE/dout_h1" = "0.036350306"
# "dE/dw1" = "0.000438568"
# "w1+" = "0.149780716"
'''


def new_template() -> str:
    """The commented template that `neurosim new` writes (Mazur's network; runs as it is)."""
    return TEMPLATE
