"""How long `neurosim check` takes to diagnose (timings are measured here, never asserted in tests).

    python bench/check_speed.py

Worst case: a value that no candidate explains, so every applicable catalog entry is tried alone
and every pair of entries that change different things is tried too.
"""

import time

from neurosim.check.checker import check_values, expected_from_options
from neurosim.check.diagnose import diagnose
from neurosim.files.exercise import spec_from_dict
from neurosim.scenarios import scenario_dict

PUBLISHED = [f"{p['quantity']}={p['value']}" for p in scenario_dict("mazur")["published"] if "@" not in p["quantity"]]


def timed(label, spec, options, repeat=3):
    expected = expected_from_options(options)
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        check_values(spec, expected)
        diagnosis = diagnose(spec, expected)
        best = min(best, time.perf_counter() - start)
    found = ", ".join(e.ids for e in diagnosis.explanations) or "none"
    print(f"{label:58s} {diagnosis.applicable:3d} entries {diagnosis.tried:4d} candidates "
          f"{best * 1000:7.0f} ms   explained by: {found}")


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


if __name__ == "__main__":
    main()
