"""Networks with shared weights, measured against plain NumPy in the same process:
`python bench/shared_speed.py`.

(a) one untraced training step of a 1x28x28 input, 8 kernels 3x3 (relu), 2x2 max pool, dense 10
    (sigmoid), ½SSE, online: the engine neurosim's runner picks (engines/shared_engine.py) against
    the same step written in plain NumPy (im2col by stride tricks)                       target ≤ 2
(b) a 20-step Elman sequence, 1-8-1 (tanh, linear output), a target at every step, untraced
    (engines/recurrent_engine.py) against the same BPTT loop in plain NumPy                target ≤ 2
(c) the traced step of each as `neurosim run` prints it by default: its size             target < 200 kB

Every engine result is checked against its reference before it is timed; every timing is the best
of several repeats (the machine is shared); BLAS on one thread.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import io  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
from numpy.lib.stride_tricks import sliding_window_view  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from neurosim.cli.main import main  # noqa: E402
from neurosim.engines.shared_engine import shared_trainer  # noqa: E402
from neurosim.files.exercise import spec_from_dict  # noqa: E402

REPEATS = 7


def best_of(function, repeats: int = REPEATS, inner: int = 20) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(inner):
            function()
        times.append((time.perf_counter() - start) / inner)
    return min(times)


CONV = {
    "title": "1x28x28, 8 kernels 3x3, 2x2 max pool, dense 10",
    "network": {"input": [1, 28, 28], "seed": 1, "init": "normal", "layer": [
        {"kind": "conv2d", "kernels": 8, "kernel": 3, "activation": "relu"},
        {"kind": "maxpool", "kernel": 2}, {"kind": "flatten"},
        {"kind": "dense", "size": 10, "activation": "sigmoid"}]},
    "training": {"learning_rate": 0.01},
}
ELMAN = {
    "title": "Elman 1-8-1, 20 steps",
    "network": {"input": 1, "seed": 1, "init": "normal", "layer": [
        {"kind": "recurrent", "size": 8, "activation": "tanh"},
        {"kind": "dense", "size": 1, "activation": "linear"}]},
    "training": {"learning_rate": 0.01},
}


def conv_reference(K, bk, W, b, x, t, lr):
    """One online step of the conv network in plain NumPy; returns (E, K+, bk+, W+, b+)."""
    cols = sliding_window_view(x[0], (3, 3)).reshape(26 * 26, 9)  # (p, f)
    Z1 = cols @ K.reshape(8, 9).T + bk  # (p, m)
    A1 = np.maximum(Z1, 0)
    windows = A1.T.reshape(8, 13, 2, 13, 2).transpose(0, 1, 3, 2, 4).reshape(8, 13, 13, 4)
    won = windows.argmax(axis=3)  # the first largest of each window
    P = np.take_along_axis(windows, won[..., None], axis=3)[..., 0]
    flat = P.reshape(-1)
    Z2 = W @ flat + b
    A2 = 1 / (1 + np.exp(-Z2))
    E = 0.5 * np.sum((t - A2) ** 2)
    d2 = -(t - A2) * A2 * (1 - A2)
    dW, db = np.outer(d2, flat), d2
    dP = (W.T @ d2).reshape(8, 13, 13)
    dwindows = np.zeros((8, 13, 13, 4))
    np.put_along_axis(dwindows, won[..., None], dP[..., None], axis=3)
    dA1 = dwindows.reshape(8, 13, 13, 2, 2).transpose(0, 1, 3, 2, 4).reshape(8, 26 * 26).T
    dZ1 = dA1 * (Z1 > 0)
    dK = (dZ1.T @ cols).reshape(K.shape)
    return E, K - lr * dK, bk - lr * dZ1.sum(0), W - lr * dW, b - lr * db


def bench_conv() -> tuple[float, float]:
    rng = np.random.default_rng(5)
    x, t = rng.random((1, 28, 28)), rng.random(10)
    spec = spec_from_dict({**CONV, "data": {"inputs": [x.tolist()], "targets": [t.tolist()]}})
    network = spec.build_network()
    p = network.parameters()
    K = np.array([p[f"k{m}_{r}{c}"] for m in range(1, 9) for r in range(1, 4) for c in range(1, 4)]).reshape(8, 3, 3)
    bk = np.array([p[f"b_k{m}"] for m in range(1, 9)])
    W = np.array([p[f"w{k}"] for k in range(1, 13521)]).reshape(10, 1352)
    b = np.array([p[f"b_o{j}"] for j in range(1, 11)])
    trainer = shared_trainer(network, spec.conventions)
    X, T = np.array(spec.inputs), np.array(spec.targets)
    e_ref, K2, *_ = conv_reference(K, bk, W, b, x, t, 0.01)
    e_ours = trainer.step(X, T)
    assert abs(e_ref - e_ours) <= 1e-12 * abs(e_ref), (e_ref, e_ours)
    trainer.store_into(network)
    assert np.allclose(K2.reshape(-1), [network.parameters()[f"k{m}_{r}{c}"] for m in range(1, 9) for r in
                                        range(1, 4) for c in range(1, 4)], rtol=1e-12, atol=1e-15)
    ours = best_of(lambda: trainer.step(X, T))
    theirs = best_of(lambda: conv_reference(K, bk, W, b, x, t, 0.01))
    return ours, theirs


def elman_reference(Wxh, Whh, Why, bh, by, x, y, lr):
    """One online BPTT step of the Elman network in plain NumPy (½SSE at every step)."""
    h, hs = np.zeros(8), [np.zeros(8)]
    for xt in x:
        h = np.tanh(Wxh[:, 0] * xt + Whh @ h + bh)
        hs.append(h)
    out = np.array([Why[0] @ hs[t + 1] + by[0] for t in range(20)])
    E = 0.5 * np.sum((y - out) ** 2)
    dout = out - y
    dWxh, dWhh, dWhy, dbh, dby = (np.zeros_like(Wxh), np.zeros_like(Whh), np.zeros_like(Why), np.zeros_like(bh),
                                  np.zeros_like(by))
    carry = np.zeros(8)
    for t in range(19, -1, -1):
        dWhy[0] += dout[t] * hs[t + 1]
        dby[0] += dout[t]
        dz = (dout[t] * Why[0] + carry) * (1 - hs[t + 1] ** 2)
        dWxh[:, 0] += dz * x[t]
        dWhh += np.outer(dz, hs[t])
        dbh += dz
        carry = Whh.T @ dz
    return E, Wxh - lr * dWxh, Whh - lr * dWhh, Why - lr * dWhy, bh - lr * dbh, by - lr * dby


def bench_elman() -> tuple[float, float]:
    rng = np.random.default_rng(6)
    x, y = rng.normal(size=20), rng.normal(size=20)
    spec = spec_from_dict({**ELMAN, "data": {"inputs": [x.tolist()], "targets": [y.tolist()]}})
    network = spec.build_network()
    p = network.parameters()
    w = [p[f"w{k}"] for k in range(1, 8 * 9 + 9)]
    Wxh = np.array([w[k * 9] for k in range(8)]).reshape(8, 1)
    Whh = np.array([w[k * 9 + 1:k * 9 + 9] for k in range(8)])
    Why = np.array(w[72:80]).reshape(1, 8)
    bh, by = np.array([p[f"b_h{k}"] for k in range(1, 9)]), np.array([p["b_o1"]])
    trainer = shared_trainer(network, spec.conventions)
    X, T = np.array(spec.inputs), np.array(spec.targets)
    e_ref, _, Whh2, *_ = elman_reference(Wxh, Whh, Why, bh, by, x, y, 0.01)
    e_ours = trainer.step(X, T)
    assert abs(e_ref - e_ours) <= 1e-12 * abs(e_ref), (e_ref, e_ours)
    trainer.store_into(network)
    assert np.allclose(Whh2[0, 0], network.parameters()["w2"], rtol=1e-12)
    ours = best_of(lambda: trainer.step(X, T))
    theirs = best_of(lambda: elman_reference(Wxh, Whh, Why, bh, by, x, y, 0.01))
    return ours, theirs


def traced_size(exercise: dict, data: dict, path: Path) -> int:
    """Bytes `neurosim run FILE` prints for the traced step, by default."""
    lines = [f'title = "{exercise["title"]}"', "[network]"]
    network = exercise["network"]
    lines += [f"{k} = {v!r}".replace("'", '"') for k, v in network.items() if k != "layer"]
    for layer in network["layer"]:
        lines += ["[[network.layer]]"] + [f"{k} = {v!r}".replace("'", '"') for k, v in layer.items()]
    lines += ["[data]", f"inputs = {data['inputs']!r}", f"targets = {data['targets']!r}", "[training]",
              f"learning_rate = {exercise['training']['learning_rate']}"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = io.StringIO()
    assert main(["run", str(path)], out) == 0
    return len(out.getvalue().encode("utf-8"))


def main_bench() -> None:
    ours, theirs = bench_conv()
    print(f"(a) conv 1x28x28 → 8@3x3 → maxpool 2x2 → dense 10, one untraced step: {ours * 1e3:.3f} ms, "
          f"plain NumPy {theirs * 1e3:.3f} ms, ratio {ours / theirs:.2f} (target ≤ 2)")
    ours, theirs = bench_elman()
    print(f"(b) Elman 1-8-1, 20 steps, one untraced BPTT step: {ours * 1e3:.3f} ms, plain NumPy "
          f"{theirs * 1e3:.3f} ms, ratio {ours / theirs:.2f} (target ≤ 2)")
    import tempfile
    rng = np.random.default_rng(7)
    with tempfile.TemporaryDirectory() as directory:
        conv = traced_size(CONV, {"inputs": [rng.random((28, 28)).round(2).tolist()],
                                  "targets": [rng.random(10).round(2).tolist()]}, Path(directory) / "conv.toml")
        elman = traced_size(ELMAN, {"inputs": [rng.normal(size=20).round(2).tolist()],
                                    "targets": [rng.normal(size=20).round(2).tolist()]}, Path(directory) / "rnn.toml")
    print(f"(c) traced step as printed by default: conv {conv / 1024:.0f} kB, Elman {elman / 1024:.0f} kB "
          "(target < 200 kB each)")


if __name__ == "__main__":
    main_bench()
