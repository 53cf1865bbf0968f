"""Seed 002: a 2-4-1 XOR network, tanh hidden, sigmoid output, no biases, in matrix form."""

# The seed's last program prints its starting weights (to 8 decimals) and then the loss of every epoch.
_EPOCH_LOSS = (  # epoch as the seed numbers it (from 0), loss printed
    (0, "0.2626848822777315"), (1, "0.2617718762536867"), (2, "0.26088392734894394"),
    (10, "0.254586667680614"), (22, "0.24727375045160443"), (2530, "0.06501192393214884"),
    (4861, "0.06354582830595129"), (4885, "0.0635393503995383"),
)

SCENARIO = {
    "title": "XOR with tanh hidden and sigmoid output: 2-4-1, no biases, 5,000 epochs (seed 002)",
    "description": (
        "Seed 002's final program: XOR (00→0, 01→1, 10→1, 11→0), W1 (2×4) into tanh hidden neurons, "
        "W2 (4×1) into a sigmoid output, no biases, the starting weights the seed prints ('Before:'), "
        "5,000 epochs at learning rate 0.1, all four samples per step. Its backward pass "
        "delta2 = (a2 - Y)·σ'(z2), dW2 = a1ᵀ·delta2, delta1 = delta2·W2ᵀ·(1 - tanh²(z1)), dW1 = Xᵀ·delta1 "
        "is the gradient of Σ over samples of ½(a2 - Y)², summed over the batch: that is the trace's loss. "
        "The seed prints np.mean((a2 - Y)²) of the forward pass before each update: E_report, checked "
        "below at 9 decimals, because the seed prints its starting weights to 8 decimals only "
        "(seed epoch k is our epoch k+1). The seed's first draft calls np.sigmoid, which NumPy does not "
        "have, and uses delta2 = a2 - Y without σ'(z2); its single step at learning rate 0.02 "
        "(In [50]–[56]) mixes values from an earlier forward pass (the printed W1, W2 after the step "
        "follow from the printed a1, a2 only to about 5e-5), so it is not reproduced; "
        "`neurosim run xor_tanh --steps 1 --lr 0.02` shows such a step in full."
    ),
    "network": {
        "layers": [2, 4, 1],
        "activations": ["tanh", "sigmoid"],
        "bias": "none",
        # W1[i][j] (input i → hidden j) is w(2j + i + 1): h1 gets w1, w2; h2 gets w3, w4; …
        "weights": [1.45917368, 0.24337333, 0.8124977, -1.58436856, -0.21178796, -1.58103183,
                    -0.24443374, 0.62320021,
                    1.03504538, -0.23389856, 0.23391025, -0.65441071],
    },
    "data": {"inputs": [[0, 0], [0, 1], [1, 0], [1, 1]], "targets": [[0], [1], [1], [0]]},
    "training": {"loss": "half_sse", "learning_rate": 0.1, "steps": 5000, "mode": "batch-sum"},
    "report": {"loss": "mse", "loss_samples": "mean", "trace_steps": [1, 5000]},
    "published": [
        {"quantity": f"E_report@{epoch + 1}", "value": value, "digits": 9,
         "source": f"seed 002: 'Epoch: {epoch} Loss:'"}
        for epoch, value in _EPOCH_LOSS
    ],
}
