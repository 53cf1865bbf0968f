"""The NumPy engine of networks with shared weights (engines/shared_engine.py, recurrent_engine.py)
against the objects' step: the parameters after 30 steps equal to 1e-12 relative, E_total of every
step to 1e-12 (or 1e-15 absolute near 0), on random conv, pooling and recurrent networks; and a run
takes it for its untraced steps."""

import numpy as np
import pytest

from neurosim import Conventions
from neurosim.core.step import untraced_step
from neurosim.engines.shared_engine import shared_engine_fits, shared_trainer

from .shared_cases import conv1d_case, conv2d_case, recurrent_case

CASES = [(conv1d_case, None), (conv1d_case, "maxpool"), (conv2d_case, "avgpool"), (conv2d_case, "maxpool"),
         (recurrent_case, None)]


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize(("case", "pool"), CASES)
def test_the_numpy_engine_is_the_objects_step(case, pool, seed):
    network, samples = case(seed) if pool is None else case(seed, pool)
    extra = {"bptt": 2} if case is recurrent_case and seed % 3 == 1 else {}
    extra.update({"time_loss": "mean"} if case is recurrent_case and seed % 3 == 2 else {})
    conventions = Conventions(learning_rate=0.05, mode="batch-mean" if len(samples) > 1 else "online",
                              kernel="convolution" if seed % 2 else "cross-correlation", **extra)
    objects, engine = network.copy(), network.copy()
    assert shared_engine_fits(conventions, engine)
    trainer = shared_trainer(engine, conventions)
    X, T = np.array([x for x, _ in samples]), np.array([t for _, t in samples])
    for _ in range(30):
        expected = untraced_step(objects, samples, conventions)
        assert trainer.step(X, T) == pytest.approx(expected, rel=1e-12, abs=1e-15)
    trainer.store_into(engine)
    ours, theirs = objects.parameters(), engine.parameters()
    for name, value in ours.items():
        assert theirs[name] == pytest.approx(value, rel=1e-12, abs=1e-15), name
