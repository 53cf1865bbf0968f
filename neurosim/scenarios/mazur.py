"""Matt Mazur's "A Step by Step Backpropagation Example" (seed 001): the 2-2-2 logistic network."""

SCENARIO = {
    "title": "Mazur's step-by-step backpropagation example (2-2-2 sigmoid, ½SSE)",
    "description": (
        "Matt Mazur's worked example (seed 001): inputs 0.05, 0.10; targets 0.01, 0.99; "
        "w1..w8 = 0.15 … 0.55; shared biases b1 = 0.35, b2 = 0.60, frozen as in the blog; "
        "logistic activation, E = ½Σ(target - out)², learning rate 0.5, one sample per step. "
        "The step's values (w5+ = 0.35891648, w1+ = 0.149780716, …) use the simultaneous update: every "
        "gradient from the pre-update weights, as the blog's w1 section says. The seed's 'error after "
        "the first round' 0.291027924 and its 10,000-step figures (0.000035085; outputs 0.015912196, "
        "0.984065734) are what the SEQUENTIAL update gives (w5..w8 updated before the hidden deltas are "
        "computed); the simultaneous update gives 0.291027774 and 0.000035102. Run with --steps 10000 "
        "to compare them all."
    ),
    "network": {
        "layers": [2, 2, 2],
        "activations": ["sigmoid", "sigmoid"],
        "bias": "shared",
        "weights": {"w1": 0.15, "w2": 0.20, "w3": 0.25, "w4": 0.30,
                    "w5": 0.40, "w6": 0.45, "w7": 0.50, "w8": 0.55},
        "biases": {"b1": 0.35, "b2": 0.60},
    },
    "data": {"inputs": [[0.05, 0.10]], "targets": [[0.01, 0.99]]},
    "training": {
        "loss": "half_sse",
        "learning_rate": 0.5,
        "steps": 1,
        "mode": "online",
        "order": "simultaneous",
        "update_biases": False,
    },
    "published": [
        {"quantity": q, "value": v, "source": "seed 001 (Mazur), step 1"}
        for q, v in (
            ("net_h1", "0.3775"), ("out_h1", "0.593269992"), ("out_h2", "0.596884378"),
            ("net_o1", "1.105905967"), ("out_o1", "0.75136507"), ("out_o2", "0.772928465"),
            ("E_o1", "0.274811083"), ("E_o2", "0.023560026"), ("E_total", "0.298371109"),
            ("dE/dout_o1", "0.74136507"), ("dout_o1/dnet_o1", "0.186815602"), ("dE/dw5", "0.082167041"),
            ("w5+", "0.35891648"), ("w6+", "0.408666186"), ("w7+", "0.511301270"), ("w8+", "0.561370121"),
            ("dE/dout_h1", "0.036350306"), ("dout_h1/dnet_h1", "0.241300709"), ("dE/dw1", "0.000438568"),
            ("w1+", "0.149780716"), ("w2+", "0.19956143"), ("w3+", "0.24975114"), ("w4+", "0.29950229"),
        )
    ] + [
        {"quantity": q, "value": v, "order": "sequential",
         "source": "seed 001: " + what}
        for q, v, what in (
            ("E_total+@1", "0.291027924", "error after the first round"),
            ("E_total+@10000", "0.000035085", "error after 10,000 rounds"),
            ("out_o1+@10000", "0.015912196", "output o1 after 10,000 rounds"),
            ("out_o2+@10000", "0.984065734", "output o2 after 10,000 rounds"),
        )
    ],
}
