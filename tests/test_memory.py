"""Refusing before allocating (core/memory.py): a network, a traced run or a file beyond the memory
limit is refused in one line (exit 2) before anything large is allocated; --max-memory and an
exercise's max_memory raise the limit; the estimates bound what the objects really take."""

import io
import json
import resource
import subprocess
import sys
import textwrap
import tracemalloc

import numpy as np
import pytest

from neurosim import Conventions, Network, build_network, trace_step
from neurosim.cli.main import main
from neurosim.core.memory import DEFAULT_LIMIT, limit_in_force, network_bytes, parse_size, trace_bytes
from neurosim.errors import NeurosimError

HUGE = textwrap.dedent("""\
    title = "10^10 weights"
    [network]
    layers = [2, 100000, 100000, 2]
    seed = 1
    [data]
    inputs = [[0.05, 0.10]]
    targets = [[0.01, 0.99]]
    """)

UNDER_A_LIMIT = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
from neurosim.cli.main import main
sys.exit(main(sys.argv[1:]))
"""


def medium(extra: str = "") -> str:
    """A 100-100-10 exercise: 11,000 weights, about 3.5 MB (one traced step about 9.5 MB)."""
    return HUGE.replace("[2, 100000, 100000, 2]", "[100, 100, 10]").replace(
        "inputs = [[0.05, 0.10]]", f"inputs = [{[0.5] * 100}]").replace(
        "targets = [[0.01, 0.99]]", f"targets = [{[0.0] * 9 + [1.0]}]").replace("[data]", extra + "[data]")


def run(argv):
    out = io.StringIO()
    return main(argv, out), out.getvalue()


def test_a_huge_network_is_refused_in_one_line_under_a_memory_limit(tmp_path):
    # In a child whose address space is capped at 1.5 GB: were the 10^10 weights allocated, it would
    # end in a MemoryError (or be killed), not in this one line.
    path = tmp_path / "huge.toml"
    path.write_text(HUGE)
    limit = 1536 * 1024**2
    result = subprocess.run([sys.executable, "-c", UNDER_A_LIMIT.format(limit=limit), "run", str(path)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == (f"neurosim: error: {path}: network 2-100000-100000-2 (10,000,400,000 weights) needs "
                             "about 2.91 TB, above the memory limit of 2 GB; raise it with --max-memory SIZE (or "
                             "max_memory in [training]) if the machine has it\n")


def test_max_memory_raises_and_lowers_the_limit(tmp_path):
    code, _ = run(["run", "mazur", "--max-memory", "1M"])
    assert code == 0  # 2-2-2: a few kB
    path = tmp_path / "wide.toml"
    path.write_text(medium())
    assert run(["run", str(path), "--max-memory", "2M"])[0] == 2  # 11,000 weights: about 3.5 MB
    assert run(["run", str(path), "--max-memory", "50M"])[0] == 0
    path.write_text(medium('[training]\nmax_memory = "2M"\n'))
    expected = r"network 100-100-10 \(11,000 weights\) needs about 3.48 MB, above the memory limit of 2 MB"
    with pytest.raises(NeurosimError, match=expected):
        from neurosim.files.exercise import load_spec
        load_spec(path)
    assert run(["run", str(path), "--max-memory", "50M"])[0] == 0  # the command line wins


def test_a_run_keeping_many_traced_steps_is_refused_unless_streamed(tmp_path, capsys):
    path = tmp_path / "wide.toml"
    path.write_text(medium())
    trace = ",".join(str(k) for k in range(1, 101))
    code, _ = run(["run", str(path), "--steps", "100", "--trace", trace, "--max-memory", "200M"])
    assert code == 2
    assert "keeping 99 traced steps of the 100-100-10 network" in capsys.readouterr().err
    code, out = run(["run", str(path), "--steps", "3", "--trace", "1,2,3", "--max-memory", "200M", "--format",
                     "jsonl"])
    assert code == 0 and out.count('"type": "trace"') == 3


def test_parse_size():
    assert parse_size("8G") == 8 * 1024**3 and parse_size("500 MB") == 500 * 1024**2
    assert parse_size("2GiB") == 2 * 1024**3 and parse_size("1.5k") == 1536 and parse_size(4096) == 4096
    for bad in ("", "12Q", "-1G", "0", "G"):
        with pytest.raises(NeurosimError, match="expected a size such as 8G"):
            parse_size(bad)
    assert DEFAULT_LIMIT == 2 * 1024**3


def test_network_files_are_checked_before_they_are_read(tmp_path):
    small = build_network([2, 2, 2], "sigmoid", rng=np.random.default_rng(1))
    path = tmp_path / "net.json"
    small.save(path)
    path.write_text(path.read_text() + " " * 300_000)  # 300 kB to parse: about 3 MB
    with limit_in_force(parse_size("1M")), pytest.raises(NeurosimError, match=r"net.json \(29\d kB to parse\)"):
        Network.load(path)
    assert Network.load(path).parameters() == small.parameters()
    data = json.loads(path.read_text())
    data["layers"] = [2, 100000, 100000, 2]
    path.write_text(json.dumps(data))
    with pytest.raises(NeurosimError, match=r"network 2-100000-100000-2 \(10,000,400,000 weights\) needs about"):
        Network.load(path)


@pytest.mark.parametrize("sizes", [[200, 100, 10], [30, 300, 3]])
def test_the_estimates_bound_what_a_network_and_a_traced_step_take(sizes):
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        network = build_network(sizes, "sigmoid", rng=np.random.default_rng(2))
        built = tracemalloc.get_traced_memory()[0] - before
        samples = [(tuple(np.random.default_rng(3).uniform(size=sizes[0])), (0.0,) * sizes[-1])] * 4
        tracemalloc.reset_peak()
        before = tracemalloc.get_traced_memory()[0]
        trace = trace_step(network, samples, Conventions(mode="batch-sum"))
        traced = tracemalloc.get_traced_memory()[1] - before
        del trace
    finally:
        tracemalloc.stop()
    assert built <= network_bytes(sizes) <= 4 * built
    assert traced <= trace_bytes(sizes, 4) <= 4 * traced


def test_resource_module_is_there():  # the refusal test above relies on RLIMIT_AS (Linux, macOS)
    assert hasattr(resource, "RLIMIT_AS")
