"""Memory that does not grow with the step count (issue: hostile input): the slices of each step's
samples are made when read, and what does grow with the steps (summary rows kept for the table, a
wide CSV, a run's history) is refused in one line, naming the option, before step 1."""

import io
import subprocess
import sys
import tracemalloc

import attrs
import pytest

from neurosim.cli.main import main
from neurosim.core.memory import exercise_file_bytes
from neurosim.engines.history import record_run
from neurosim.engines.runner import RunPlan, iterate_run, step_batches
from neurosim.errors import NeurosimError
from neurosim.scenarios import load_scenario


def run(argv):
    out = io.StringIO()
    return main(argv, out), out.getvalue()


def _peak(action) -> int:
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_the_first_record_of_a_ten_million_step_run_costs_no_list_of_ten_million_slices():
    # Before: step_batches built every step's (start, stop) before step 1 — about 900 MB here.
    spec = load_scenario("mazur")
    peak = _peak(lambda: next(iterate_run(spec, RunPlan(10**7, frozenset({1}), 10**6))))
    assert peak < 20 * 1024**2


def test_step_slices_are_made_when_read_and_equal_a_list_made_up_front():
    spec = load_scenario("xor_tanh")
    spec = attrs.evolve(spec, sampling="random", sampling_seed=7,
                        conventions=attrs.evolve(spec.conventions, mode="online"))
    batches = step_batches(spec, 10**18)  # no memory to speak of
    assert len(batches) == 10**18
    n = len(spec.inputs)
    import numpy as np
    rng = np.random.default_rng(7)
    up_front = [(i, i + 1) for i in (int(rng.integers(n)) for _ in range(300))]
    assert list(batches[:300]) == up_front
    assert [batches[k] for k in (250, 3, 299, 0)] == [up_front[k] for k in (250, 3, 299, 0)]
    view = batches[100:200]
    assert list(view) == up_front[100:200] and list(view) == up_front[100:200]  # read twice


def test_rows_kept_for_every_step_are_refused_before_step_1_naming_the_option(capsys):
    code, out = run(["run", "mazur", "--steps", "10000000", "--every", "1", "--max-memory", "300M"])
    assert code == 2 and out == ""
    assert capsys.readouterr().err.startswith("neurosim: error: --every 1: 10,000,002 rows need about ")
    code, _ = run(["run", "mazur", "--steps", "10000000", "--every", "1", "--format", "jsonl",
                   "--wide-csv", "w.csv", "--max-memory", "300M"])
    assert code == 2 and "--wide-csv: 10,000,002 rows need about" in capsys.readouterr().err


def test_steps_of_the_largest_integer_are_not_planned_up_front(tmp_path, capsys):
    path = tmp_path / "big.toml"
    export = io.StringIO()
    main(["export", "mazur"], export)
    path.write_text(export.getvalue().replace("\nsteps = 1 ", "\nsteps = 9223372036854775807 ")
                    + "\n[report]\nevery = 1\n")
    assert run(["run", str(path)])[0] == 2
    assert "report.every 1: 9,223,372,036,854,775,809 rows need about" in capsys.readouterr().err


def test_a_history_too_large_is_refused_before_step_1():
    spec = attrs.evolve(load_scenario("mazur"), layers=(2, 3000, 2))
    with pytest.raises(NeurosimError, match=r"--kind loss: 5,002 rows need about"):
        record_run(spec, 10**6, what="--kind loss")


GIVEN_WEIGHTS = """[network]
layers = [2, 10000000, 2]
seed = 1
[network.weights]
w1 = 0.15
w2 = 0.2
w3 = 0.25
w4 = 0.3
w5 = 0.4
w6 = 0.45
w7 = 0.5
w8 = 0.55
[data]
inputs = [[0.05, 0.10]]
targets = [[0.01, 0.99]]
"""

UNDER_A_LIMIT = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
from neurosim.cli.main import main
sys.exit(main(sys.argv[1:]))
"""


def test_named_weights_of_a_network_too_large_are_refused_before_they_are_read(tmp_path):
    # Before: the names of 40,000,000 weights were made first (45 s, 4 GB), then "needs 17.5 GB".
    path = tmp_path / "wide.toml"
    path.write_text(GIVEN_WEIGHTS)
    limit = 1024 * 1024**2
    result = subprocess.run([sys.executable, "-c", UNDER_A_LIMIT.format(limit=limit), "run", str(path)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2, result.stderr[-300:]
    assert result.stderr == (f"neurosim: error: {path}: network 2-10000000-2 (40,000,000 weights) needs about "
                             "17.5 GB, above the memory limit of 2 GB; raise it with --max-memory SIZE (or "
                             "max_memory in [training]) if the machine has it\n")


# The child's own peak (VmHWM starts anew at exec; ru_maxrss would carry the parent's peak over).
PEAK = """
import sys
from neurosim.cli.main import main
main(sys.argv[1:])
status = open("/proc/self/status").read()
print(int(status.split("VmHWM:")[1].split()[0]) * 1024)
"""


def _peak_of(argv) -> int:
    result = subprocess.run([sys.executable, "-c", PEAK, *argv], capture_output=True, text=True, timeout=300)
    return int(result.stdout.strip().splitlines()[-1])


def test_the_estimate_of_an_exercise_file_bounds_what_reading_and_running_it_takes(tmp_path):
    # One-digit numbers cost the most per byte of the file (measured: 62 bytes a byte; the old
    # estimate said 10). The growth over a run of a small exercise must stay under the estimate.
    path = tmp_path / "digits.toml"
    rows = ",".join(f"[{k % 2},{(k // 2) % 2}]" for k in range(60_000))
    path.write_text(f"[network]\nlayers = [2, 2, 2]\nseed = 1\n[data]\ninputs = [{rows}]\ntargets = [{rows}]\n")
    text = path.read_bytes()
    numbers = text.count(b",") + text.count(b"]") + text.count(b"\n")
    estimate = exercise_file_bytes(len(text), numbers)
    growth = _peak_of(["run", str(path), "--format", "csv"]) - _peak_of(["run", "mazur", "--format", "csv"])
    assert 0 < growth <= estimate
