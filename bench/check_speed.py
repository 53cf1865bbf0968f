"""How long `neurosim check` takes to diagnose (timings are measured here, never asserted in tests).

    python bench/check_speed.py

Worst case: a value that no candidate explains, so every applicable catalog entry is tried alone
and every pair of entries that change different things is tried too (the diagnosis skips those
that cannot change the value in question). The long rows report the diagnosis as a ratio to one
untraced run of the same steps, measured in this process; targets: the 4-sample batch exercise
checked at step 100,000 within 20×, one step of a 784-64-10 network within 30 s.
"""

import time

import numpy as np

from neurosim.check.catalog import diagnose
from neurosim.check.judge import check_values
from neurosim.check.parse import expected_from_options
from neurosim.engines.runner import RunPlan, iterate_run
from neurosim.files.exercise import spec_from_dict
from neurosim.scenarios import scenario_dict
from neurosim.views.explain import trace_for

PUBLISHED = [f"{p['quantity']}={p['value']}" for p in scenario_dict("mazur")["published"] if "@" not in p["quantity"]]


def diagnosis_time(spec, options):
    """(seconds for the check and its diagnosis, the diagnosis)."""
    start = time.perf_counter()
    result = check_values(spec, expected_from_options(options))
    diagnosis = diagnose(spec, result.internal)
    return time.perf_counter() - start, diagnosis


def report(label, seconds, diagnosis, extra=""):
    found = ", ".join(e.ids for e in diagnosis.explanations) or "none"
    print(f"{label:58s} {diagnosis.applicable:3d} entries {diagnosis.tried:4d} run {diagnosis.skipped:4d} skipped "
          f"{seconds * 1000:8.0f} ms{extra}   explained by: {found}")


def timed(label, spec, options, repeat=3):
    best = min((diagnosis_time(spec, options) for _ in range(repeat)), key=lambda r: r[0])
    report(label, *best)


def untraced_run(spec, steps):
    start = time.perf_counter()
    for _ in iterate_run(spec, RunPlan(steps, frozenset(), steps + 1)):
        pass
    return time.perf_counter() - start


def long_batch(steps=100_000):
    """XOR, 4 samples a step (batch-sum), checked at step 100,000: E_total and w1+ that nothing explains."""
    spec = spec_from_dict({
        "title": "XOR, 4-sample batch", "network": {"layers": [2, 2, 1], "bias": "per-neuron", "seed": 3},
        "data": {"inputs": [[0, 0], [0, 1], [1, 0], [1, 1]], "targets": [[0], [1], [1], [0]]},
        "training": {"mode": "batch-sum", "learning_rate": 0.5, "steps": steps}})
    reference = untraced_run(spec, steps)
    seconds, diagnosis = diagnosis_time(spec, [f"E_total@{steps}=0.123", f"w1+@{steps}=1.5"])
    report(f"XOR 4-sample batch, {steps:,} steps, two unexplainable", seconds, diagnosis,
           f"  = {seconds / reference:4.1f}× one untraced run ({reference:.1f} s; target ≤ 20×)")


def wide_step(sizes=(784, 64, 10)):
    """One online step of a 784-64-10 sigmoid network: six values right, w1+ unexplainable."""
    rng = np.random.default_rng(7)
    spec = spec_from_dict({
        "network": {"layers": list(sizes), "bias": "per-neuron", "seed": 1, "init": "normal"},
        "data": {"inputs": [np.round(rng.random(sizes[0]), 2).tolist()], "targets": [[0.0] * (sizes[-1] - 1) + [1.0]]},
        "training": {"learning_rate": 0.1}})
    q = trace_for(spec).quantities()
    names = ["out_o1", "E_total", "delta_o1", f"dE/dw{sizes[0] * sizes[1] + 1}", "dE/dout_h1", "dE/dw1"]
    seconds, diagnosis = diagnosis_time(spec, [f"{n}={float(q[n]):.9f}" for n in names] + ["w1+=0.12345"])
    report(f"{'-'.join(map(str, sizes))}, one step, w1+ unexplainable", seconds, diagnosis, "  (target ≤ 30 s)")


def main():
    mazur = scenario_dict("mazur")
    spec = spec_from_dict(mazur)
    timed("Mazur, 23 published values, one unexplainable", spec, PUBLISHED[:-1] + ["w4+=0.25"])
    hidden = ("dE/dout_h1", "dE/dw1", "w1+", "w2+", "w3+", "w4+")
    timed("Mazur, 23 values, the hidden layer through w5+..w8+", spec,
          [p for p in PUBLISHED if p.split("=")[0] not in hidden] +
          ["dE/dout_h1=0.0302297", "dE/dw1=0.0003647", "w1+=0.1498176", "w2+=0.1996353", "w3+=0.2497882",
           "w4+=0.2995764"])
    batch = dict(mazur, published=[], training=dict(mazur["training"], mode="batch-sum", update_biases=True),
                 data={"inputs": [[0.05, 0.10], [0.9, 0.3]], "targets": [[0.01, 0.99], [0.8, 0.2]]})
    timed("Mazur data + a 2nd sample, batch-sum, one unexplainable", spec_from_dict(batch),
          ["E_total=0.3", "w5+=0.1", "w1+=0.15"])
    long = dict(mazur, published=[], training=dict(mazur["training"], steps=100))
    timed("Mazur, 100 steps, w5+@100 unexplainable", spec_from_dict(long), ["w5+@100=0.1"], repeat=1)
    han = {"notation": "hkp", "network": {"layers": [3, 2, 1], "bias": "per-neuron",
                                          "weights": [0.2, 0.4, -0.5, -0.3, 0.1, 0.2, -0.3, -0.2],
                                          "biases": [-0.4, 0.2, 0.1]},
           "data": {"inputs": [[1, 0, 1]], "targets": [[1]]}, "training": {"learning_rate": 0.9}}
    timed("Han/Kamber/Pei 9.1 (hkp), Err6 = 0.1311 from O6 = 0.474", spec_from_dict(han),
          ["O6=0.474", "Err6=0.1311", "Err5=-0.0065", "Err4=-0.0087", "w46+=-0.261", "theta6+=0.218"])
    long_batch()
    wide_step()


if __name__ == "__main__":
    main()
