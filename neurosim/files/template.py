"""The commented exercise-file template a user starts from (`neurosim new`): Mazur's network, ready
to run as it is, with every key explained and an `[expect]` table to uncomment.

The built-in scenarios are exercise files too (neurosim/scenarios/NAME.toml); `neurosim export NAME`
copies one of those (neurosim.scenarios.export_text).
"""

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
# notation = "hkp"                      # write and read every value in your textbook's names:
                                        # mazur (these, the default) | hkp (Han/Kamber/Pei: I6, O6,
                                        # Err6, w46, theta6) | nielsen (z^l_j, a^l_j, delta^l_j,
                                        # w^l_jk) | matrix (W1[i][j], h1[j], dscores[k]);
                                        # `neurosim notations` shows them all

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
# rounding = "round-written-3"  # or another habit: round-K, round-written-K (only net, out, errors and
#                           # new weights rounded), round-forward-K (only the outputs), chop-K (truncated)
# max_memory = "8G"         # the memory a large network may use (default 2G; checked before building it)
#
# A learning rule other than plain gradient descent (w+ = w - η·dE/dw), with its parameters:
# [training.rule]
# name = "momentum"         # sgd | momentum | nesterov | quickprop | rprop | adagrad | rmsprop | adam | adamw
# momentum = 0.9            # α
# form = "after-lr"         # after-lr (Rumelhart et al.) | before-lr (PyTorch) | normalized | gradient-only
# [training.rule.state]     # state before step 1, e.g. "the previous weight change was 0.08":
# v_w5 = 0.08

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
# "Δw5" = "-0.04108352"                 # the weight change -η·dE/dw5 (also "Delta_w5")
# "dE/dout_i1" = "0.003804267"          # the gradient with respect to an input (dL/dx)
#
# # Your own names for quantities, if you like (your name = a name in the file's notation):
# [names]
# "my_dw5" = "Δw5"
'''


def new_template() -> str:
    """The commented template that `neurosim new` writes (Mazur's network; runs as it is)."""
    return TEMPLATE
