"""How long `neurosim check` takes to diagnose (timings are measured here, never asserted in tests).

    python bench/check_speed.py

Every row runs the whole diagnosis `check` runs (judge, follow-through, the local search at each
slip of its own, the catalog: check/pipeline.py). Worst case for the catalog: a value that no
candidate explains, so every applicable entry is tried alone and every pair of entries that change
different things is tried too. Targets (issue 17):
  - Mazur's step with all 23 values written, one slip planted, checked and explained: ≤ 3× the time
    of `neurosim run mazur` (both in this process, alternately, the median of several rounds);
  - one step of a 784-64-10 network with 1,000 written values, one slip planted: ≤ 30 s;
  - the 4-sample batch exercise checked at step 100,000: ≤ 20× one untraced run (the follow-through
    works on the checked step, not on every step before it).
"""

import contextlib
import io
import statistics
import time

import numpy as np

from neurosim.check.judge import check_values
from neurosim.check.parse import expected_from_options
from neurosim.check.pipeline import diagnose_check
from neurosim.cli import main as cli
from neurosim.engines.runner import RunPlan, iterate_run
from neurosim.files.exercise import spec_from_dict
from neurosim.scenarios import scenario_dict
from neurosim.views.explain import trace_for

PUBLISHED = [f"{p['quantity']}={p['value']}" for p in scenario_dict("mazur")["published"] if "@" not in p["quantity"]]


def diagnosis_time(spec, options):
    """(seconds for the check and its whole diagnosis, the findings)."""
    start = time.perf_counter()
    result = check_values(spec, expected_from_options(options))
    findings = diagnose_check(spec, result)
    return time.perf_counter() - start, findings


def report(label, seconds, findings, extra=""):
    catalog = findings.catalog
    found = ", ".join(e.ids for e in catalog.explanations) if catalog else ""
    local = ", ".join(e.id for k in findings.roots for e in findings.values[k].explanations[:1])
    entries = f"{catalog.applicable:3d} entries {catalog.tried:4d} run" if catalog else " " * 20
    print(f"{label:58s} {entries} {seconds * 1000:8.0f} ms{extra}   first slips: {local or 'none'}; "
          f"catalog: {found or 'none'}")


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
    seconds, findings = diagnosis_time(spec, [f"E_total@{steps}=0.123", f"w1+@{steps}=1.5"])
    report(f"XOR 4-sample batch, {steps:,} steps, two unexplainable", seconds, findings,
           f"  = {seconds / reference:4.1f}× one untraced run ({reference:.1f} s; target ≤ 20×)")


def wide_step(sizes=(784, 64, 10), count=1000):
    """One online step of a 784-64-10 sigmoid network: 1,000 values written (every 60th quantity of
    the step, 9 decimals), delta_h1 worked without its activation derivative and what follows carried on."""
    rng = np.random.default_rng(7)
    spec = spec_from_dict({
        "network": {"layers": list(sizes), "bias": "per-neuron", "seed": 1, "init": "normal"},
        "data": {"inputs": [np.round(rng.random(sizes[0]), 2).tolist()], "targets": [[0.0] * (sizes[-1] - 1) + [1.0]]},
        "training": {"learning_rate": 0.1}})
    q = trace_for(spec).quantities()
    names = [n for n in q if not n.startswith(("SSE", "SAE", "MSE"))]
    chosen = names[::max(1, len(names) // count)][:count - 2]
    slip = float(q["dE/dout_h1"])  # delta_h1 = dE/dout_h1, dout/dnet left out
    options = [f"{n}={float(q[n]):.9f}" for n in chosen if n not in ("delta_h1", "dE/dw1")]
    options += [f"delta_h1={slip:.9f}", f"dE/dw1={slip * float(q['dnet_h1/dw1']):.9f}"]
    seconds, findings = diagnosis_time(spec, options)
    report(f"{'-'.join(map(str, sizes))}, one step, {len(options):,} values, one slip", seconds, findings,
           "  (target ≤ 30 s)")


def quiet_run(name: str) -> None:
    with contextlib.redirect_stdout(io.StringIO()):
        cli(["run", name])


def against_run(spec, options, rounds=7):
    """The check with its diagnosis against `neurosim run mazur`, alternately in this process."""
    checks, runs = [], []
    for _ in range(rounds):
        checks.append(diagnosis_time(spec, options)[0])
        start = time.perf_counter()
        quiet_run("mazur")
        runs.append(time.perf_counter() - start)
    ratios = [c / r for c, r in zip(checks, runs)]
    print(f"{'  = the check / neurosim run mazur':58s} median {statistics.median(ratios):.2f}× "
          f"(rounds {min(ratios):.2f}–{max(ratios):.2f}×; check {statistics.median(checks) * 1000:.0f} ms, "
          f"run {statistics.median(runs) * 1000:.0f} ms; target ≤ 3×)")


def mazur_slip():
    """Mazur's 23 published values of the step, net_o1 worked with out_h1 twice and what follows
    from it carried on (out_o1, E_o1, E_total, dE/dout_o1 …)."""
    import math

    sig = lambda x: 1 / (1 + math.exp(-x))  # noqa: E731
    net = 0.4 * 0.593269992 + 0.45 * 0.593269992 + 0.6
    out = sig(net)
    changed = {"net_o1": net, "out_o1": out, "E_o1": 0.5 * (0.01 - out) ** 2, "dE/dout_o1": out - 0.01,
               "dout_o1/dnet_o1": out * (1 - out)}
    values = []
    for p in PUBLISHED:
        name, value = p.split("=")
        values.append(f"{name}={changed[name]:.9f}" if name in changed else p)
    return values


def main():
    mazur = scenario_dict("mazur")
    spec = spec_from_dict(mazur)
    options = mazur_slip()
    timed("Mazur, 23 published values, out_h1 twice in net_o1", spec, options)
    against_run(spec, options)
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
