"""The step a person waits for, against micrograd (`python bench/traced_speed.py`; also rows of run_all.py):

(k) Mazur's traced step through the public `trace_step` (every value recorded) against micrograd's
    forward + backward + update of the same network (micrograd keeps a graph)       target ≤ 1.2
(l) a traced Adam step (the mazur_adam scenario) against micrograd's step plus an Adam update
    written the plain way                                                            target ≤ 1.2
(m) a traced and rendered Mazur step (`render_step`, the plain tables `neurosim run mazur` prints)
    against micrograd's step                                                         target ≤ 12

The reference is Andrej Karpathy's micrograd (github.com/karpathy/micrograd, engine.py and nn.py,
MIT licence), written out again below in its own shape (a `Value` per scalar with its `_backward`
closure and a topological sort at `backward`), with only what Mazur's network needs: +, ·, ** and
a logistic `sigmoid` op written the way micrograd writes `relu`. Its training step is the one of
micrograd's demo: forward, `zero_grad`, `backward`, `p.data -= lr·p.grad`.

Each ratio is measured alternately in one process: a round times a batch of our steps and then a
batch of the reference's (CPU time of this process, which other processes on a loaded machine move
less than the wall clock), and the ratio of each round is kept; the row shows the median of the
rounds' ratios and their spread (lowest–highest).
"""

from __future__ import annotations

import math
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from neurosim import render_step, scenarios, trace_step  # noqa: E402

ROUNDS = 15


class Value:
    """micrograd's Value: a scalar, its gradient and how to push the gradient to its children."""

    def __init__(self, data, _children=(), _op=""):
        self.data = data
        self.grad = 0
        self._backward = lambda: None
        self._prev = set(_children)
        self._op = _op

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += out.grad
            other.grad += out.grad
        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
        out._backward = _backward
        return out

    def __pow__(self, other):
        out = Value(self.data ** other, (self,), f"**{other}")

        def _backward():
            self.grad += (other * self.data ** (other - 1)) * out.grad
        out._backward = _backward
        return out

    def sigmoid(self):
        s = 1 / (1 + math.exp(-self.data))
        out = Value(s, (self,), "sigmoid")

        def _backward():
            self.grad += s * (1 - s) * out.grad
        out._backward = _backward
        return out

    def backward(self):
        topo, visited = [], set()

        def build_topo(v):
            if v not in visited:
                visited.add(v)
                for child in v._prev:
                    build_topo(child)
                topo.append(v)
        build_topo(self)
        self.grad = 1
        for v in reversed(topo):
            v._backward()

    def __neg__(self):
        return self * -1

    def __radd__(self, other):
        return self + other

    def __sub__(self, other):
        return self + (-other)

    def __rsub__(self, other):
        return other + (-self)

    def __rmul__(self, other):
        return self * other


class MicrogradMazur:
    """Mazur's 2-2-2 network as micrograd's nn.py builds an MLP: per neuron a list of weight Values
    and the layer's shared bias (frozen as in Mazur's post, so not among the parameters)."""

    def __init__(self, spec):
        params = spec.build_network().parameters()
        self.w = [Value(params[f"w{k}"]) for k in range(1, 9)]
        self.b1, self.b2 = Value(params["b1"]), Value(params["b2"])
        (self.x, self.t), = spec.samples

    def parameters(self):
        return self.w

    def zero_grad(self):
        for p in self.parameters():
            p.grad = 0

    def __call__(self, x):
        w = self.w
        h = [sum((wi * xi for wi, xi in zip(w[2 * j:2 * j + 2], x)), self.b1).sigmoid() for j in range(2)]
        return [sum((wi * hi for wi, hi in zip(w[4 + 2 * k:6 + 2 * k], h)), self.b2).sigmoid() for k in range(2)]

    def step(self, lr: float) -> None:
        """micrograd's training step: forward, zero_grad, backward, p.data -= lr·p.grad."""
        outs = self(self.x)
        loss = sum(0.5 * (t - o) ** 2 for t, o in zip(self.t, outs))
        self.zero_grad()
        loss.backward()
        for p in self.parameters():
            p.data -= lr * p.grad


class PlainAdam:
    """Adam written the plain way over micrograd's parameters (Kingma & Ba, Algorithm 1)."""

    def __init__(self, params, lr, betas=(0.9, 0.999), eps=1e-8):
        self.params, self.lr, self.betas, self.eps, self.t = params, lr, betas, eps, 0
        self.m, self.v = [0.0] * len(params), [0.0] * len(params)

    def step(self) -> None:
        self.t += 1
        b1, b2 = self.betas
        for k, p in enumerate(self.params):
            g = p.grad
            self.m[k] = b1 * self.m[k] + (1 - b1) * g
            self.v[k] = b2 * self.v[k] + (1 - b2) * g * g
            mhat, vhat = self.m[k] / (1 - b1 ** self.t), self.v[k] / (1 - b2 ** self.t)
            p.data -= self.lr * mhat / (math.sqrt(vhat) + self.eps)


def adam_step(model: MicrogradMazur, adam: PlainAdam) -> None:
    outs = model(model.x)
    loss = sum(0.5 * (t - o) ** 2 for t, o in zip(model.t, outs))
    model.zero_grad()
    loss.backward()
    adam.step()


def _agree(network, model, what: str) -> None:
    ours = network.parameters()
    for k, value in enumerate(model.w, start=1):
        assert abs(ours[f"w{k}"] - value.data) <= 1e-12, f"{what}: w{k} {ours[f'w{k}']} vs micrograd {value.data}"


def alternate(ours, reference, steps: int, rounds: int = ROUNDS) -> tuple[float, float, float, float, float]:
    """Time `steps` calls of ours() and of reference(), alternately, `rounds` times: (median ratio,
    lowest, highest, median seconds per step of ours, of the reference)."""
    ratios, t_ours, t_ref = [], [], []
    for _ in range(rounds):
        start = time.process_time()
        for _ in range(steps):
            ours()
        middle = time.process_time()
        for _ in range(steps):
            reference()
        end = time.process_time()
        t_ours.append((middle - start) / steps)
        t_ref.append((end - middle) / steps)
        ratios.append(t_ours[-1] / t_ref[-1])
    return statistics.median(ratios), min(ratios), max(ratios), statistics.median(t_ours), statistics.median(t_ref)


def bench_traced(steps: int = 200) -> tuple:
    """(k): trace_step on Mazur's network, step after step, against micrograd's step."""
    spec = scenarios.load_scenario("mazur")
    network, model = spec.build_network(), MicrogradMazur(spec)
    samples, conventions, lr = spec.samples, spec.conventions, spec.conventions.learning_rate
    trace_step(network, samples, conventions)
    model.step(lr)
    _agree(network, model, "mazur")
    return alternate(lambda: trace_step(network, samples, conventions), lambda: model.step(lr), steps)


def bench_traced_adam(steps: int = 200) -> tuple:
    """(l): traced Adam steps (the rule's state carried from step to step, as a run does) against
    micrograd's step and a plain Adam update."""
    spec = scenarios.load_scenario("mazur_adam")
    network, model = spec.build_network(), MicrogradMazur(spec)
    samples, conventions = spec.samples, spec.conventions
    rule = conventions.make_rule()
    adam = PlainAdam(model.parameters(), conventions.learning_rate)
    counter = [0]

    def ours():
        counter[0] += 1
        trace_step(network, samples, conventions, step=counter[0], rule=rule)
    for _ in range(3):
        ours()
        adam_step(model, adam)
    _agree(network, model, "mazur_adam")
    return alternate(ours, lambda: adam_step(model, adam), steps)


def bench_rendered(steps: int = 20) -> tuple:
    """(m): a traced step and its plain tables (what `neurosim run mazur` prints of it) against
    micrograd's step."""
    spec = scenarios.load_scenario("mazur")
    network, model = spec.build_network(), MicrogradMazur(spec)
    samples, conventions, lr = spec.samples, spec.conventions, spec.conventions.learning_rate

    def ten_reference_steps():
        for _ in range(10):
            model.step(lr)
    return alternate(lambda: render_step(trace_step(network, samples, conventions)), ten_reference_steps, steps)


def rows() -> list[tuple]:
    """(label, median ratio, lowest, highest, ours per step, reference per step, target)."""
    k = bench_traced()
    adam = bench_traced_adam()
    m = bench_rendered()
    m = (m[0] * 10, m[1] * 10, m[2] * 10, m[3], m[4] / 10)  # the reference ran 10 steps a call
    return [("(k) traced Mazur step (trace_step)", *k, "micrograd step", 1.2),
            ("(l) traced Adam step (mazur_adam)", *adam, "micrograd step + plain Adam", 1.2),
            ("(m) traced and rendered Mazur step (render_step, plain)", *m, "micrograd step", 12.0)]


def print_rows(result) -> None:
    print(f"{'alternating, median of ' + str(ROUNDS) + ' rounds':<58} {'ours (µs)':>9} {'reference':<28} "
          f"{'ref (µs)':>8} {'ratio':>6} {'spread':>11} {'target':>7}")
    for label, ratio, low, high, ours, ref, ref_label, target in result:
        verdict = "ok" if ratio <= target else "MISSED"
        print(f"{label:<58} {ours * 1e6:9.1f} {ref_label:<28} {ref * 1e6:8.1f} {ratio:6.2f} "
              f"{low:5.2f}–{high:<5.2f} ≤{target:<5g} {verdict}")


if __name__ == "__main__":
    print_rows(rows())
