"""Input a new user or a hostile one gives (issue: hostile input): a Ctrl-C is never swallowed,
huge values are not written as 300-digit integers, one student's name in two Unicode spellings is
one student, an unknown bias mode is named before the biases it would name."""

import io
import os
import re
import signal
import subprocess
import sys
import textwrap
import unicodedata
from pathlib import Path

import pytest

import neurosim.cli.run as run_module
from neurosim.cli.main import main
from neurosim.files.answers import parse_answers
from neurosim.views.numbers import fmt

ROOT = Path(__file__).resolve().parent.parent


def run(argv):
    out = io.StringIO()
    return main(argv, out), out.getvalue()


def test_a_ctrl_c_while_the_commands_load_is_exit_130_and_one_line():
    # KeyboardInterrupt raised where importing numpy would be interrupted: before any command runs
    program = textwrap.dedent("""
        import sys

        class Interrupt:
            def find_spec(self, name, path=None, target=None):
                if name == "numpy":
                    raise KeyboardInterrupt
                return None

        sys.meta_path.insert(0, Interrupt())
        sys.argv = ["neurosim", "list"]
        from neurosim.__main__ import main  # the console script's entry point
        sys.exit(main())
    """)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, env=env, cwd=ROOT)
    assert (result.returncode, result.stderr) == (130, "neurosim: interrupted\n")


def test_a_ctrl_c_after_the_last_step_is_not_swallowed(monkeypatch, capsys):
    shown = run_module.published_table

    def ctrl_c_while_printing(*args, **kwargs):
        signal.raise_signal(signal.SIGINT)  # as a terminal sends it, while the last tables are printed
        return shown(*args, **kwargs)

    monkeypatch.setattr(run_module, "published_table", ctrl_c_while_printing)
    code, out = run(["run", "mazur"])
    assert code == 130 and "w5" in out
    assert capsys.readouterr().err == "neurosim: interrupted after step 1 of 1 (shown above: the run so far)\n"


def test_huge_values_are_written_in_scientific_notation():
    code, out = run(["run", "mazur", "--lr", "1e308"])
    assert code == 0
    assert not re.search(r"\d{20}", out)
    assert "(η = 1e+308)" in out
    # w5+ = 0.4 - 1e308 * 0.082167041 (dE/dw5 as Mazur publishes it)
    assert re.search(r"^w5 .* -8\.21670406e\+306$", out, re.M)
    assert fmt(123456789012345678.0) == "1.23456789e+17" and fmt(-1e16, 3) == "-1e+16"
    assert fmt(9999999999999998.0) == "9999999999999998"  # float64 still holds every digit


def test_nfc_and_nfd_spellings_of_one_name_are_one_student():
    composed = "Zoë Müller"
    decomposed = unicodedata.normalize("NFD", composed)
    assert composed != decomposed
    answers = parse_answers(f"student,variant,w5+\n{composed},v01,0.35891648\n{decomposed},v01,0.4\n")
    assert [row.student for row in answers.rows] == [composed]
    assert [(p.row, p.column) for p in answers.problems] == [(3, 1)]


@pytest.mark.parametrize("mode, said", [
    ("global", "network.bias: unknown value 'global' (choose from shared, per-neuron, none)"),
    ("per_neuron", "network.bias: unknown value 'per_neuron' (did you mean 'per-neuron'?)"),
])
def test_an_unknown_bias_mode_is_named_not_the_biases(tmp_path, capsys, mode, said):
    path = tmp_path / "net.toml"
    path.write_text(textwrap.dedent(f"""
        [network]
        layers = [2, 2, 2]
        bias = "{mode}"
        weights = [0.15, 0.2, 0.25, 0.3, 0.4, 0.45, 0.5, 0.55]
        biases = {{b1 = 0.35, b2 = 0.6}}
        [data]
        inputs = [[0.05, 0.1]]
        targets = [[0.01, 0.99]]
    """))
    assert run(["run", str(path)])[0] == 2
    assert capsys.readouterr().err == f"neurosim: error: {path}: {said} (line 4)\n"
