"""Seed 000 §4–5: the 2-3-1 forward pass with float32 weights, in the Y=XW+B and Y=WX+B layouts."""

SCENARIO = {
    "title": "Forward pass with NumPy broadcasting, Y = XW + B and Y = WX + B (seed 000 §4–5)",
    "description": (
        "Seed 000 §4–5: x = (1, 1), y = 0; hidden weights w1..w6 = -0.0053, 0.3793 (into h1), -0.5820, "
        "-0.5204 (h2), -0.2723, 0.1896 (h3); hidden biases -0.0140, 0.5607, -0.0628; output weights "
        "0.1528, -0.1745, -0.1135 and bias -0.5516; sigmoid hidden, linear output, loss "
        "mean((pred_out - y)²). The seed stores its weights as np.float32 but x = np.array([[1, 1]]) is an "
        "int64 array, so NumPy computes every product and sum in float64: the arithmetic here is "
        "'float32-params' (float32 weights, float64 arithmetic), which prints the seed's "
        "pred_out = -0.57840305 and MSE = 0.33455008989960927 exactly. Pure float32 (--dtype float32, "
        "x as float32 too) gives -0.57840306; float64 weights (--dtype float64) give MSE 0.3345501085845244. "
        "The extra table shows every matrix with its shape in both layouts, and why the bias of "
        "Y = WX + B must be a column (3, 1)."
    ),
    "network": {
        "layers": [2, 3, 1],
        "activations": ["sigmoid", "linear"],
        "bias": "per-neuron",
        "weights": {"w1": -0.0053, "w2": 0.3793, "w3": -0.5820, "w4": -0.5204, "w5": -0.2723, "w6": 0.1896,
                    "w7": 0.1528, "w8": -0.1745, "w9": -0.1135},
        "biases": {"b_h1": -0.0140, "b_h2": 0.5607, "b_h3": -0.0628, "b_o1": -0.5516},
    },
    "data": {"inputs": [[1, 1]], "targets": [[0]]},
    "training": {"loss": "mse", "learning_rate": 0.01, "steps": 1, "mode": "online", "dtype": "float32-params"},
    "report": {"extra": ["layouts"]},
    "published": [
        {"quantity": "net_h1", "value": "0.36", "source": "seed 000 §4: tmp = np.dot(x, W[0]) + W[1]"},
        {"quantity": "net_h2", "value": "-0.54170001", "source": "seed 000 §4 (float32 weights)"},
        {"quantity": "net_h3", "value": "-0.1455", "source": "seed 000 §4"},
        {"quantity": "out_o1", "value": "-0.57840305", "source": "seed 000 §5: print(pred_out)"},
        {"quantity": "E_total", "value": "0.33455008989960927", "source": "seed 000 §5: mean_squared_error"},
        {"quantity": "E_total", "value": "0.3345501085845244", "dtype": "float64",
         "source": "DESIGN.md §6: the same weights in float64"},
    ],
}
