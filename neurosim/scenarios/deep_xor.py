"""Seed 000 §8: the 2-4-4-4-1 sigmoid XOR network without biases and its looped delta recursion."""

SCENARIO = {
    "title": "Deep XOR: 2-4-4-4-1 sigmoid network, no biases, delta recursion layer by layer (seed 000 §8)",
    "description": (
        "Seed 000 §8: XOR (inputs 00, 01, 10, 11; targets 0, 1, 1, 0), three hidden layers of 4 sigmoid "
        "neurons and a sigmoid output, no biases, weights uniform on [0, 1) (np.random.rand; here drawn "
        "from numpy.random.default_rng(7)), learning rate 0.1, 100 epochs, all four samples per step. "
        "Its update weights += 0.1·outputs.T·delta with delta = (targets - out)·out(1-out) is gradient "
        "descent on E = Σ over samples of ½(target - out)², gradients summed over the batch — the trace "
        "shows that loss; the seed prints np.mean((targets - out)²), shown as E_report. Each hidden "
        "layer's deltas come from the layer above: delta_h = (Σ_k delta_k·w_hk)·out_h(1-out_h). The seed's "
        "first (unrolled) program does this right. Its looped rewrite back_propagation updates weights[i] "
        "with outputs[i].T for i ≥ 1 — the layer's own output instead of its input outputs[i-1] (the shapes "
        "happen to fit, and broadcasting hides it at the output layer), and back_propagation0 fails on "
        "its first update; this scenario does what both mean."
    ),
    "network": {
        "layers": [2, 4, 4, 4, 1],
        "activations": "sigmoid",
        "bias": "none",
        "init": "uniform",
        "seed": 7,
    },
    "data": {"inputs": [[0, 0], [0, 1], [1, 0], [1, 1]], "targets": [[0], [1], [1], [0]]},
    "training": {"loss": "half_sse", "learning_rate": 0.1, "steps": 100, "mode": "batch-sum"},
    "report": {"loss": "mse", "loss_samples": "mean"},
}
