"""Error summaries a source prints for a batch or an epoch: SAE, SSE and MSE over every output of
every sample of a step, before the update and after it (SAE+, SSE+, MSE+)."""

from __future__ import annotations

from .arithmetic import LOSS

ERROR_SUMMARIES = {  # name: what it is, over every output of every sample of the step
    "SAE": "Σ_s Σ_j |target - out|, the sum of absolute errors (perceptron code's \"total error\")",
    "SSE": "Σ_s Σ_j (target - out)², the sum of squared errors (Negnevitsky's epoch error)",
    "MSE": "(1/(S·n)) Σ_s Σ_j (target - out)², the mean squared error over the samples and outputs "
           "(np.mean((Y - A)**2); Heaton's MSE for one output)",
}


def error_summaries(trace) -> dict[str, float]:
    """SAE, SSE and MSE over the step's samples before the update, and SAE+, SSE+, MSE+ after it."""
    keep = trace.conventions.arithmetic.keep
    before = [(e.target, e.out) for s in trace.samples for e in s.errors]
    targets = [e.target for s in trace.samples for e in s.errors]
    after = [(t, o) for t, (_, o) in zip(targets, (p for outs in trace.outputs_after for p in outs))]
    result = {}
    for suffix, pairs in (("", before), ("+", after)):
        absolute, squared = 0.0, 0.0
        for t, o in pairs:
            absolute += abs(t - o)
            squared += (t - o) * (t - o)
        result[f"SAE{suffix}"] = keep(absolute, LOSS)
        result[f"SSE{suffix}"] = keep(squared, LOSS)
        result[f"MSE{suffix}"] = keep(squared / len(pairs), LOSS)
    return result
