"""Seed 000 §2: the 2-3-1 forward pass with x = (1, 1), target 0, sigmoid hidden, linear output."""

SCENARIO = {
    "title": "Forward pass of a 2-3-1 network (seed 000 §2: sigmoid hidden, linear output)",
    "description": (
        "Seed 000 §2: inputs (1, 1), target 0, no biases; the hidden sums are 1.0, 1.3 and 0.8 "
        "(w1 = 0.8, w2 = 0.2 into h1; w3 = 0.4, w4 = 0.9 into h2; w5 = 0.3, w6 = 0.5 into h3 — the "
        "seed gives only the sums, these weights make them), output weights 0.3, 0.5, 0.9, linear "
        "output, squared-error loss. Exactly, ŷ = out_o1 = 1.2332121…; the seed writes 1.235 because it "
        "rounds the activations to two decimals first (0.73, 0.79, 0.69) and keeps the three decimals of "
        "0.73·0.3 + 0.79·0.5 + 0.69·0.9. With every quantity rounded to two decimals (round = 2, "
        "as the published table checks it) ŷ is written 1.24, which is the seed's 1.235 at two decimals. "
        "The step also trains once (learning rate 0.01) so you can follow the chain rule of seed 000 §8: "
        "dE/dw = -2(y - ŷ)·w_out·a(1-a)·x."
    ),
    "network": {
        "layers": [2, 3, 1],
        "activations": ["sigmoid", "linear"],
        "bias": "none",
        "weights": {"w1": 0.8, "w2": 0.2, "w3": 0.4, "w4": 0.9, "w5": 0.3, "w6": 0.5,
                    "w7": 0.3, "w8": 0.5, "w9": 0.9},
    },
    "data": {"inputs": [[1, 1]], "targets": [[0]]},
    "training": {"loss": "sse", "learning_rate": 0.01, "steps": 1, "mode": "online"},
    "published": [
        {"quantity": "net_h1", "value": "1", "source": "seed 000 §2: h11 = x1·w11 + x2·w21"},
        {"quantity": "net_h2", "value": "1.3", "source": "seed 000 §2"},
        {"quantity": "net_h3", "value": "0.8", "source": "seed 000 §2"},
        {"quantity": "out_h1", "value": "0.73", "round": 2, "source": "seed 000 §2: S(1.0)"},
        {"quantity": "out_h2", "value": "0.79", "round": 2, "source": "seed 000 §2"},
        {"quantity": "out_h3", "value": "0.69", "round": 2, "source": "seed 000 §2"},
        {"quantity": "out_o1", "value": "1.2332121", "source": "DESIGN.md §6: the exact ŷ"},
        {"quantity": "out_o1", "value": "1.235", "round": 2, "digits": 2,
         "source": "seed 000 §2: ŷ = 0.73·0.3 + 0.79·0.5 + 0.69·0.9, activations rounded to 2 decimals"},
    ],
}
