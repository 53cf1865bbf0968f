"""The notations, each one table of rules (rules.py): mazur (neurosim's own names), hkp, nielsen, matrix,
and course (a network with shared weights: course.py).

Sources:
  hkp      Han, Kamber & Pei, Data Mining: Concepts and Techniques, 3rd ed. (2012), §9.2.3 and
           Example 9.1: units numbered 1..n across the network, inputs first; I_j = Σ_i w_ij·O_i + θ_j,
           O_j = 1/(1+e^(-I_j)), Err_j = O_j(1-O_j)(T_j-O_j) at an output, O_j(1-O_j)·Σ_k Err_k·w_jk in
           a hidden unit (Err = -dE/dI: minus our delta), Δw_ij = (l)·Err_j·O_i, w_ij = w_ij + Δw_ij,
           θ_j = θ_j + (l)·Err_j; w_ij is the weight from unit i to unit j.
  nielsen  Nielsen, Neural Networks and Deep Learning, ch. 2: layers l = 1..L (the inputs are layer
           1), z^l_j, a^l_j, δ^l_j = ∂C/∂z^l_j, w^l_jk from neuron k of layer l-1 to neuron j of
           layer l, b^l_j, ∂C/∂w^l_jk, ∂C/∂b^l_j, C the cost.
  matrix   NumPy course code in the row layout of `--view matrix` (CS231n's two-layer net): X,
           W1[i][j] from neuron i to neuron j, b1[j], hidden h1[j] (pre-activation z1[j]), output
           nets scores[k] and outputs probs[k], and d<name> for the gradient of the loss with
           respect to <name> (dscores, dW1, db1, dh1, dX); indices 0-based, a batch sample a row.
"""

from __future__ import annotations

from ...messages import N_
from .rules import Notation

_SHARED_ALIASES = {"change": ("Delta_{p}",)}

# how neurosim numbers its weights, in the worked solutions' and sheets' conventions; each notation says its own way
NUMBERED = N_("numbered layer by layer, for each neuron its incoming connections in order")

MAZUR = Notation(
    name="mazur", title=N_("neurosim's own names (Mazur's blog post), the default"),
    source="Matt Mazur, A Step by Step Backpropagation Example (2015); the README's names (section 10)",
    summary=N_("net_h1, out_h1, E_total, dE/dout_o1, dout_o1/dnet_o1, delta_o1 = dE/dnet_o1, w5 (w1: i1→h1, "
            "w2: i2→h1, …), b1 or b_h1, dE/dw5, Δw5, η"),
    names={
        "neuron": "{n}", "net": "net_{n}", "out": "out_{n}", "out.input": "{n}", "target": "target_{n}",
        "error": "E_{n}", "dE_dout": "dE/dout_{n}", "dE_dnet": "dE/dnet_{n}", "dout_dnet": "dout_{n}/dnet_{n}",
        "delta": "delta_{n}", "raw_error": "e_{n}", "exp": "e^{net}", "exp_sum": "Σe^net",
        "contribution": "dE_{Y.n}/dout_{n}", "weight": "{name}", "bias": "{name}", "shared_bias": "{name}",
        "gradient": "dE/d{p}", "change": "Δ{p}", "dnet_dp": "dnet_{Y.n}/d{p}", "loss": "E_total",
        "report": "E_report", "summary": "{name}", "rule_state": "{prefix}_{p}",
    },
    aliases=_SHARED_ALIASES,
)

HKP = Notation(
    name="hkp", title=N_("Han, Kamber & Pei, Data Mining: Concepts and Techniques (3rd ed., §9.2.3)"),
    source="Han, Kamber & Pei, Data Mining: Concepts and Techniques, 3rd ed. (2012), §9.2.3, Example 9.1",
    summary=N_("units 1..n across the network (inputs first); I6 net input, O6 output (inputs x1 or O1), T6 "
            "target, Err6 = -delta (O6·(1-O6)·(T6-O6)), w46 from unit 4 to unit 6, theta6 (θ6) the bias, "
            "l the learning rate; w46+ = w46 + l·Err6·O4"),
    names={
        "neuron": "{u}", "net": "I{u}", "out": "O{u}", "out.input": "x{u}", "target": "T{u}", "error": "E{u}",
        "raw_error": "e{u}", "exp": "e^{net}", "exp_sum": "Σe^I",
        "dE_dout": "dE/d{out}", "dE_dnet": "dE/d{net}", "dout_dnet": "d{out}/d{net}", "delta": "Err{u}",
        "contribution": "{Y_delta}·{w}", "weight": "w{pair_u}", "bias": "theta{t.u}", "shared_bias": "b{m}",
        "gradient": "dE/d{p}", "change": "Δ{p}", "dnet_dp": "d{Y_net}/d{p}", "loss": "E",
        "report": "E_report", "summary": "{name}", "rule_state": "{prefix}_{p}",
    },
    aliases={**_SHARED_ALIASES, "out.input": ("O{u}",), "bias": ("θ{t.u}",),
             "contribution": ("{Y_delta}*{w}",)},
    signs={"delta": -1, "contribution": -1},
    formulas={
        "delta.output": "{f'}·{-dE/dout}",
        "delta.hidden": "{f'}·({sum})",
        "contribution": "{Y_delta}·{w}",
        "gradient.weight": "-{t_delta}·{s_out}", "gradient.bias": "-{t_delta}",
        "update.weight": "{p} + {lr}·{t_delta}·{s_out}", "update.bias": "{p} + {lr}·{t_delta}",
        "change.weight": "{lr}·{t_delta}·{s_out}", "change.bias": "{lr}·{t_delta}",
    },
    phrases=((N_("deltas (delta = dE/dnet)"), N_("errors Err (Err = -dE/dI)")),
             (N_("delta = dE/dnet"), N_("Err = -dE/dI")), (NUMBERED, N_("numbered by unit: units 1..n across the "
                                                                      "network, inputs first; w_ij goes from unit i to "
                                                                      "unit j"))),
    symbols={"learning_rate": "l"},
    generic={"out": "O", "net": "I", "target": "T"},
)

NIELSEN = Notation(
    name="nielsen", title=N_("Nielsen, Neural Networks and Deep Learning (ch. 2)"),
    source="Michael Nielsen, Neural Networks and Deep Learning (2015), chapter 2",
    summary=N_("layers l = 1..L (inputs: layer 1); z^l_j, a^l_j (inputs a^1_k or x_k), delta^l_j = dC/dz^l_j "
            "(δ^l_j), w^l_jk to neuron j of layer l from neuron k of layer l-1, b^l_j, dC/dw^l_jk, "
            "dC/db^l_j, C the cost, y_j the target"),
    names={
        "neuron": "({l},{j})", "net": "z^{l}_{j}", "out": "a^{l}_{j}", "target": "y_{j}", "error": "C_{j}",
        "raw_error": "e_{j}", "exp": "e^{net}", "exp_sum": "Σe^z",
        "dE_dout": "dC/d{out}", "dE_dnet": "dC/d{net}", "dout_dnet": "d{out}/d{net}", "delta": "delta^{l}_{j}",
        "contribution": "{w}·{Y_delta}", "weight": "w^{t.l}_{pair_j}", "bias": "b^{t.l}_{t.j}",
        "shared_bias": "b^{l}", "gradient": "dC/d{p}", "change": "Δ{p}", "dnet_dp": "d{Y_net}/d{p}",
        "loss": "C", "report": "E_report", "summary": "{name}", "rule_state": "{prefix}_{p}",
    },
    aliases={**_SHARED_ALIASES, "out.input": ("x_{j}",), "delta": ("δ^{l}_{j}",), "gradient": ("∂C/∂{p}",),
             "dE_dout": ("∂C/∂{out}",), "contribution": ("{w}*{Y_delta}",)},
    phrases=((NUMBERED, N_("named by layer: w^l_jk goes to neuron j of layer l from neuron k of layer l-1")),
             (N_("delta = dE/dnet"), N_("delta = dC/dz")), (N_("dE/dp"), N_("dC/dp")), (N_("dE/dw"), N_("dC/dw")),
             (N_("dE/db"), N_("dC/db")), (N_("dE/dnet"), N_("dC/dz")),
             (N_("dE/dout"), N_("dC/da")), (N_("dout/dnet"), N_("da/dz"))),
    generic={"out": "a", "net": "z", "target": "y", "E": "C"},
)

MATRIX = Notation(
    name="matrix", title=N_("NumPy course code, row layout (CS231n's two-layer net; as --view matrix)"),
    source="CS231n assignment 1, two_layer_net (Stanford); the row layout Y = X·W + B of --view matrix",
    summary=N_("X[i], W1[i][j] from neuron i to neuron j, b1[j] (shared: b1), z1[j] and h1[j] (hidden net and "
            "output), scores[k] and probs[k] (output net and output), y[k], loss; dscores[k], dh1[j], dz1[j], "
            "dW1[i][j], db1[j], dX[i] the gradients; 0-based, a batch sample is a row: h1[s][j]"),
    names={
        "neuron": "{out}", "net": "z{m}[{j0}]", "net.output": "scores[{j0}]", "out.input": "X[{j0}]",
        "out": "h{m}[{j0}]", "out.output": "probs[{j0}]", "target": "y[{j0}]", "error": "losses[{j0}]",
        "raw_error": "e[{j0}]", "exp": "exp_scores[{j0}]", "exp_sum": "sum_exp_scores",
        "dE_dout": "d{out}", "dE_dnet": "d{net}", "dout_dnet": "d{out}/d{net}", "delta": "d{net}",
        "contribution": "{Y_delta}·{w}", "weight": "W{t.m}[{s.j0}][{t.j0}]", "bias": "b{t.m}[{t.j0}]",
        "shared_bias": "b{m}", "gradient": "d{p}", "change": "Δ{p}", "dnet_dp": "d{Y_net}/d{p}",
        "loss": "loss", "report": "E_report", "summary": "{name}", "rule_state": "{prefix}_{p}",
    },
    aliases={**_SHARED_ALIASES, "contribution": ("{Y_delta}*{w}",)},
    phrases=((NUMBERED, N_("indexed as in the matrices: W1[i][j] goes from neuron i of a layer to neuron j of the "
                           "next, 0-based")),
             (N_("delta = dE/dnet"), N_("d<net> = dloss/d<net>")), (N_("dE/dp"), N_("dloss/dp"))),
    symbols={"learning_rate": "lr"},
    samples="row",
)

COURSE = Notation(
    name="course", title=N_("the names deep-learning courses use for convolutions and recurrent networks"),
    source="Dive into Deep Learning (Zhang, Lipton, Li & Smola), ch. 7 and 9; CS231n; Karpathy's min-char-rnn "
           "(W_xh, W_hh, W_hy)",
    summary=N_("recurrent: x_t, h_t, y_t (h_2[1] with several units), pre-activations a_t and o_t, h_0, W_xh, "
               "W_hh, W_hy, b_h, b_y (Jordan, the output fed back: W_yh, state units s_t = y_t, s_0); "
               "convolution: input X[r][c], kernels K1[r][c] and b_K1, feature maps "
               "Z1[r][c] (net) and Y1[r][c] (out), pooling P1[r][c], dense h<layer>[j], outputs y[j], "
               "W<layer>[j][i] (a dense network: x[j], h1[j], y[j], W1[j][i], b1[j]); dE/dW_hh, dE/dK1[1][1]; "
               "1-based"),
    names={
        "neuron": "{out_label}", "net": "{net_label}", "out": "{out_label}", "out.input": "{out_label}",
        "target": "target_{out_label}", "error": "E_{out_label}", "dE_dout": "dE/d{out}", "dE_dnet": "dE/d{net}",
        "dout_dnet": "d{out}/d{net}", "delta": "delta_{net_label}", "raw_error": "e_{out_label}",
        "exp": "e^{net}", "exp_sum": "Σe^a",
        "contribution": "dE_{Y.out_label}/d{out}", "weight": "{label}", "bias": "{label}", "shared_bias": "{label}",
        "gradient": "dE/d{p}", "change": "Δ{p}", "dnet_dp": "d{Y_net}/d{p}", "loss": "E_total",
        "report": "E_report", "summary": "{name}", "rule_state": "{prefix}_{p}",
    },
    aliases={**_SHARED_ALIASES, "delta": ("δ_{net_label}",)},
    generic={"out": "h", "net": "a"},
)

NOTATIONS: dict[str, Notation] = {n.name: n for n in (MAZUR, HKP, NIELSEN, MATRIX, COURSE)}
SHARED_NOTATIONS = ("mazur", "course")  # the notations that name a network with shared weights
