import os
from pathlib import Path

import pytest
from hypothesis import settings

from neurosim import Conventions, build_network
from neurosim.messages import set_language

# Hypothesis: in CI (CI set, as .ci/run does) every run draws the same examples and keeps no example
# database, so a commit that changed nothing cannot fail; locally it explores freely.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.register_profile("dev", print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config):
    """The whole suite (`pytest`, the README's command) runs on every core when pytest-xdist is
    installed (the test extra has it): -n auto unless -n was given, a test file or test was named,
    or --pdb/--collect-only asks for one process. Tests go to whichever worker is free, except that
    the tests of one `xdist_group` mark run on one worker (they share an expensive module fixture).
    Without the plugin (or with -p no:xdist) it runs in one process as before, so setup.cfg's
    addopts holds no -n that would then be refused."""
    if not config.pluginmanager.hasplugin("xdist") or hasattr(config, "workerinput"):
        return
    whole = all(Path(arg).is_dir() for arg in config.args)
    if (whole and config.getoption("numprocesses", None) is None and not config.getoption("usepdb")
            and not config.getoption("collectonly")):
        config.option.numprocesses = "auto"
        if config.getoption("dist") == "no":  # tests as workers free up; a marked group on one worker
            config.option.dist = "loadgroup"


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
