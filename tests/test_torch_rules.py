"""Every learning rule PyTorch has, against `torch.optim` over 20 steps on random networks: SGD with
weight decay (on the biases too, or not), momentum (neurosim's after-lr and before-lr forms, with
dampening), Nesterov, Adagrad, RMSprop (plain, centered with momentum), Adam (AMSGrad too, and a
large ε), AdamW and Rprop (iRprop-). Every activation, loss and batch mode appears among the
setups; the parameters must agree to 1e-10 relative.

The torch side is a small module written here with one parameter per neurosim parameter (a shared
bias is one scalar), its loss torch_bridge.torch_loss (the loss as neurosim reduces it). Skipped
when torch is not installed (.ci/run installs the CPU wheel and runs this file)."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from neurosim.engines.runner import iterate_run, plan_for  # noqa: E402
from neurosim.engines.torch_bridge import samples_as_tensors, torch_loss  # noqa: E402
from neurosim.files.exercise import spec_from_dict  # noqa: E402

STEPS = 20
TORCH_ACTIVATIONS = {
    "sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu, "linear": lambda z: z,
    "leaky_relu": lambda z: torch.nn.functional.leaky_relu(z, 0.01), "softplus": torch.nn.functional.softplus,
    "softmax": lambda z: torch.softmax(z, dim=-1),
}
# (loss, mode, output activation or None for a random one, bias)
SETUPS = [("half_sse", "online", None, "shared"), ("sse", "batch-sum", None, "per-neuron"),
          ("mse", "batch-mean", None, "none"), ("mae", "online", "tanh", "per-neuron"),
          ("bce", "batch-mean", "sigmoid", "shared"), ("cce", "batch-sum", "softmax", "per-neuron")]
HIDDEN = ["sigmoid", "tanh", "relu", "leaky_relu", "linear", "softplus"]

# neurosim [training.rule] table, learning rate, torch optimizer factory(groups, lr)
RULES = {
    "sgd-decay": ({"name": "sgd", "weight_decay": 0.01}, 0.1,
                  lambda g, lr: torch.optim.SGD(g, lr=lr, weight_decay=0.01)),
    "sgd-decay-weights-only": ({"name": "sgd", "weight_decay": 0.01, "decay_biases": False}, 0.1,
                               lambda g, lr: torch.optim.SGD(g, lr=lr, weight_decay=0.01)),
    "momentum-after-lr": ({"name": "momentum", "momentum": 0.9}, 0.05,
                          lambda g, lr: torch.optim.SGD(g, lr=lr, momentum=0.9)),
    "momentum-before-lr": ({"name": "momentum", "momentum": 0.8, "form": "before-lr", "dampening": 0.3,
                            "weight_decay": 0.01}, 0.05,
                           lambda g, lr: torch.optim.SGD(g, lr=lr, momentum=0.8, dampening=0.3, weight_decay=0.01)),
    "nesterov": ({"name": "nesterov", "momentum": 0.8, "weight_decay": 0.01}, 0.05,
                 lambda g, lr: torch.optim.SGD(g, lr=lr, momentum=0.8, nesterov=True, weight_decay=0.01)),
    "adagrad": ({"name": "adagrad", "lr_decay": 0.01, "initial_accumulator": 0.1, "weight_decay": 0.01}, 0.1,
                lambda g, lr: torch.optim.Adagrad(g, lr=lr, lr_decay=0.01, initial_accumulator_value=0.1,
                                                  weight_decay=0.01)),
    "rmsprop": ({"name": "rmsprop", "alpha": 0.9}, 0.01, lambda g, lr: torch.optim.RMSprop(g, lr=lr, alpha=0.9)),
    "rmsprop-centered-momentum": ({"name": "rmsprop", "centered": True, "momentum": 0.5, "weight_decay": 0.01,
                                   "eps": 1e-6}, 0.01,
                                  lambda g, lr: torch.optim.RMSprop(g, lr=lr, centered=True, momentum=0.5,
                                                                    weight_decay=0.01, eps=1e-6)),
    "adam": ({"name": "adam"}, 0.01, lambda g, lr: torch.optim.Adam(g, lr=lr)),
    "adam-large-eps": ({"name": "adam", "eps": 1e-3, "betas": [0.8, 0.99]}, 0.01,
                       lambda g, lr: torch.optim.Adam(g, lr=lr, eps=1e-3, betas=(0.8, 0.99))),
    "amsgrad": ({"name": "adam", "amsgrad": True, "weight_decay": 0.01, "betas": [0.9, 0.9]}, 0.01,
                lambda g, lr: torch.optim.Adam(g, lr=lr, amsgrad=True, weight_decay=0.01, betas=(0.9, 0.9))),
    "adam-decoupled": ({"name": "adam", "weight_decay": 0.05, "decay": "decoupled"}, 0.01,
                       lambda g, lr: torch.optim.Adam(g, lr=lr, weight_decay=0.05, decoupled_weight_decay=True)),
    "adamw": ({"name": "adamw", "weight_decay": 0.05}, 0.01,
              lambda g, lr: torch.optim.AdamW(g, lr=lr, weight_decay=0.05)),
    "rprop": ({"name": "rprop", "etas": [0.4, 1.3], "step_sizes": [1e-5, 1.0], "initial_step": 0.02}, 0.5,
              lambda g, lr: torch.optim.Rprop(g, lr=0.02, etas=(0.4, 1.3), step_sizes=(1e-5, 1.0))),
}


def random_exercise(seed: int, setup, rule: dict, lr: float) -> dict:
    loss, mode, out_act, bias = setup
    rng = np.random.default_rng(seed)
    sizes = [int(rng.integers(1, 4))] + [int(rng.integers(2, 4)) for _ in range(int(rng.integers(1, 3)))]
    sizes.append(int(rng.integers(2, 4)))
    acts = [HIDDEN[(seed + k) % len(HIDDEN)] for k in range(len(sizes) - 2)]
    acts.append(out_act or HIDDEN[(seed + 3) % len(HIDDEN)])
    n = sum(a * b for a, b in zip(sizes, sizes[1:]))
    n_bias = {"shared": len(sizes) - 1, "per-neuron": sum(sizes[1:]), "none": 0}[bias]
    targets = rng.uniform(0.1, 0.9, size=(3, sizes[-1]))
    if loss == "cce":
        targets = targets / targets.sum(axis=1, keepdims=True)
    return {
        "network": {"layers": sizes, "activations": acts, "bias": bias,
                    "weights": rng.normal(0, 0.6, n).tolist(), "biases": rng.normal(0, 0.3, n_bias).tolist()},
        "data": {"inputs": rng.normal(0, 1, size=(3, sizes[0])).tolist(), "targets": targets.tolist()},
        "training": {"loss": loss, "mode": mode, "learning_rate": lr, "steps": STEPS, "update_biases": True,
                     "rule": rule},
        "report": {"trace_steps": [1, 7, STEPS]},  # traced and untraced steps carry the rule's state alike
    }


class TorchNet(torch.nn.Module):
    """The network with one torch parameter per neurosim parameter (a shared bias: one scalar)."""

    def __init__(self, network):
        super().__init__()
        self.acts, self.names = [], []
        self.W, self.B = torch.nn.ParameterList(), torch.nn.ParameterList()
        for layer in network.layers[1:]:
            rows = [[c.weight for c in n.incoming] for n in layer.neurons]
            self.W.append(torch.nn.Parameter(torch.tensor(rows, dtype=torch.float64)))
            self.names.append(([[c.name for c in n.incoming] for n in layer.neurons], None))
            if network.bias_mode == "shared":
                self.B.append(torch.nn.Parameter(torch.tensor(layer.neurons[0].bias.value, dtype=torch.float64)))
                self.names[-1] = (self.names[-1][0], [layer.neurons[0].bias.name])
            elif network.bias_mode == "per-neuron":
                self.B.append(torch.nn.Parameter(torch.tensor([n.bias.value for n in layer.neurons],
                                                              dtype=torch.float64)))
                self.names[-1] = (self.names[-1][0], [n.bias.name for n in layer.neurons])
            self.acts.append(TORCH_ACTIVATIONS[layer.activation.name])

    def forward(self, x):
        for k, act in enumerate(self.acts):
            x = x @ self.W[k].T + (self.B[k] if len(self.B) else 0.0)
            x = act(x)
        return x

    def values(self) -> dict:
        result = {}
        for k, (weights, biases) in enumerate(self.names):
            W = self.W[k].detach().numpy()
            for j, row in enumerate(weights):
                result.update((name, float(W[j, i])) for i, name in enumerate(row))
            if biases is not None:
                B = self.B[k].detach().numpy().reshape(-1)
                result.update((name, float(B[j])) for j, name in enumerate(biases))
        return result


def torch_run(spec, make_optimizer, lr: float, decay_biases: bool) -> dict:
    model = TorchNet(spec.build_network())
    groups = [{"params": list(model.W)}, {"params": list(model.B)}]
    if not decay_biases:
        groups[1]["weight_decay"] = 0.0
    optimizer = make_optimizer([g for g in groups if g["params"]], lr)
    loss_fn = torch_loss(spec.conventions)
    X, T = samples_as_tensors(spec.samples)
    for k in range(STEPS):
        rows = slice(k % len(X), k % len(X) + 1) if spec.conventions.mode == "online" else slice(None)
        optimizer.zero_grad()
        loss_fn(model(X[rows]), T[rows]).backward()
        optimizer.step()
    return model.values()


@pytest.mark.parametrize("setup", SETUPS, ids=[f"{s[0]}-{s[1]}" for s in SETUPS])
@pytest.mark.parametrize("name", sorted(RULES))
def test_twenty_steps_agree_with_torch_optim(name, setup):
    rule, lr, make_optimizer = RULES[name]
    spec = spec_from_dict(random_exercise(SETUPS.index(setup) * 7 + 3, setup, rule, lr))
    network = spec.build_network()
    for _ in iterate_run(spec, plan_for(spec), network):
        pass
    ours = network.parameters()
    theirs = torch_run(spec, make_optimizer, lr, rule.get("decay_biases", True))
    assert set(ours) == set(theirs)
    moved = [k for k in ours if abs(ours[k] - spec.build_network().parameters()[k]) > 1e-6]
    assert moved, "the parameters must move"
    for key, value in theirs.items():
        assert ours[key] == pytest.approx(value, rel=1e-10, abs=1e-13), key


def test_every_activation_loss_and_mode_is_covered():
    used = set()
    for setup in SETUPS:
        spec = spec_from_dict(random_exercise(SETUPS.index(setup) * 7 + 3, setup, {"name": "adam"}, 0.01))
        used |= set(spec.activations)
    assert used == set(TORCH_ACTIVATIONS)
    assert {s[0] for s in SETUPS} == {"half_sse", "sse", "mse", "mae", "bce", "cce"}
    assert {s[1] for s in SETUPS} == {"online", "batch-sum", "batch-mean"}


def test_done_when_momentum_on_mazur_gives_pytorchs_weights(capsys):
    """`neurosim run mazur --rule momentum --momentum 0.9 --steps 3` prints v_w5 rows and the weights
    torch.optim.SGD(momentum=0.9) gives (Mazur's biases frozen: not in the optimizer)."""
    from neurosim.cli.main import main
    from neurosim.scenarios import load_scenario

    assert main(["run", "mazur", "--rule", "momentum", "--momentum", "0.9", "--steps", "3", "--format", "csv"]) == 0
    rows = [line.split(",") for line in capsys.readouterr().out.splitlines()[1:]]
    values = {(int(r[0]), r[1]): float(r[2]) for r in rows}
    assert ("3", "v_w5") in {(r[0], r[1]) for r in rows}
    spec = load_scenario("mazur")
    model = TorchNet(spec.build_network())
    optimizer = torch.optim.SGD(list(model.W), lr=0.5, momentum=0.9)
    X, T = samples_as_tensors(spec.samples)
    for _ in range(3):
        optimizer.zero_grad()
        torch_loss(spec.conventions)(model(X), T).backward()
        optimizer.step()
    for name, value in model.values().items():
        if name.startswith("w"):
            assert values[(3, f"{name}+")] == pytest.approx(value, rel=1e-12), name
