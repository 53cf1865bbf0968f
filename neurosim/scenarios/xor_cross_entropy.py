"""Seed 004: a 2-4-1 sigmoid XOR class trained on binary cross-entropy, gradients averaged."""

SCENARIO = {
    "title": "XOR with binary cross-entropy: 2-4-1 sigmoid, batch mean, 1,000 epochs (seed 004)",
    "description": (
        "Seed 004's NeuralNet: XOR (00→0, 01→1, 10→1, 11→0), 2-4-1 sigmoid with per-neuron biases "
        "starting at 0, weights standard normal (np.random.randn; here numpy.random.default_rng(4)), "
        "loss -mean(Y·ln ŷ + (1-Y)·ln(1-ŷ)) — the cost the seed prints every 10 epochs — with the "
        "gradients averaged over the 4 samples, learning rate 0.1, 1,000 epochs. For a sigmoid output "
        "this makes delta_o1 = ŷ - target. What the seed's code does instead: its output derivative "
        "-(t - ŷ)/m is that of ½·squared error, not of cross-entropy; it divides by m = 4 twice (in dy "
        "and again in dw2, db2); its hidden layer uses sigmoid_derivative(z1) = z1(1 - z1), the derivative "
        "formula meant for the activation a1, applied to z1; and update() subtracts from "
        "self.__dict__['dw1'] … — gradient names that are not attributes, so it raises KeyError on the "
        "first update (had they existed, the weights would never change). This scenario trains what the "
        "text describes: cross-entropy, averaged gradients, biases updated."
    ),
    "network": {
        "layers": [2, 4, 1],
        "activations": "sigmoid",
        "bias": "per-neuron",
        "init": "normal",
        "seed": 4,
        "biases": {"b_h1": 0.0, "b_h2": 0.0, "b_h3": 0.0, "b_h4": 0.0, "b_o1": 0.0},
    },
    "data": {"inputs": [[0, 0], [0, 1], [1, 0], [1, 1]], "targets": [[0], [1], [1], [0]]},
    "training": {"loss": "bce", "learning_rate": 0.1, "steps": 1000, "mode": "batch-mean"},
}
