import os

import pytest
from hypothesis import settings

from neurosim import Conventions, build_network
from neurosim.messages import set_language

# Hypothesis: in CI (CI set, as .ci/run does) every run draws the same examples and keeps no example
# database, so a commit that changed nothing cannot fail; locally it explores freely.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.register_profile("dev", print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture(autouse=True)
def english(monkeypatch):
    """Every test starts in English, whatever NEUROSIM_LANG this machine has (test_translations.py
    asks for Chinese where it wants it)."""
    monkeypatch.delenv("NEUROSIM_LANG", raising=False)
    set_language("en")


MAZUR_PARAMETERS = {"w1": 0.15, "w2": 0.20, "w3": 0.25, "w4": 0.30, "w5": 0.40, "w6": 0.45,
                    "w7": 0.50, "w8": 0.55, "b1": 0.35, "b2": 0.60}
MAZUR_SAMPLE = [((0.05, 0.10), (0.01, 0.99))]


@pytest.fixture
def mazur_network():
    return build_network([2, 2, 2], "sigmoid", MAZUR_PARAMETERS)


@pytest.fixture
def mazur_conventions():
    return Conventions(loss="half_sse", learning_rate=0.5, update_biases=False)
