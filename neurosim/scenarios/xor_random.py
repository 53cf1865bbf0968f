"""Seed 001's second example: Mazur's code on XOR with 5 hidden neurons and a random sample each step."""

SCENARIO = {
    "title": "XOR with Mazur's code: 2-5-1 sigmoid, a random sample each step, 10,000 steps (seed 001)",
    "description": (
        "The commented-out example at the end of seed 001: NeuralNetwork(2, 5, 1) on XOR (00→0, 01→1, "
        "10→1, 11→0), weights and the two shared layer biases random on [0, 1) (random.random(); here "
        "numpy.random.default_rng(1)), biases never updated (Mazur's code has no bias update), "
        "E = ½Σ(target - out)², learning rate 0.5, one sample per step chosen at random (random.choice; "
        "here default_rng(training.seed)), 10,000 steps. The seed prints calculate_total_error after each "
        "step: the half-squared errors of all four samples summed, which is the summary's E_total+ column. "
        "Its figures depend on the unseeded random draws, so none are checked here."
    ),
    "network": {
        "layers": [2, 5, 1],
        "activations": "sigmoid",
        "bias": "shared",
        "init": "uniform",
        "seed": 1,
    },
    "data": {"inputs": [[0, 0], [0, 1], [1, 0], [1, 1]], "targets": [[0], [1], [1], [0]]},
    "training": {"loss": "half_sse", "learning_rate": 0.5, "steps": 10000, "mode": "online",
                 "update_biases": False, "sampling": "random", "seed": 1},
}
