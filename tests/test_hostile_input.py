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


@pytest.mark.parametrize("argv, said", [
    (["run", "mazur", "--only", "nosuch"], "--only nosuch: no quantity of step 1 has that name (names as the "
                                           "tables write them: net_h1, out_h1, net_h2, out_h2 …)"),
    (["explain", "mazur", "--only", "nosuch"], "--only nosuch: no quantity of step 1 has that name (names as the "
                                               "tables write them: net_h1, out_h1, net_h2, out_h2 …)"),
    (["gradcheck", "mazur", "--only", "nosuch"], "--only nosuch: no parameter has that name (names as the table "
                                                 "writes them: w5, w6, w7, w8 …)"),
    (["run", "mazur", "--format", "csv", "--only", "w5"],
     "--only: picks rows of the tables; --format csv writes every quantity"),
    (["run", "mazur", "--trace", "5", "--steps", "3"], "--trace: step 5 is after the last step, 3 (set --steps)"),
    (["gradcheck", "mazur", "--steps", "1000"], "--steps: gradcheck checks the gradients of the first step, at the "
                                                "parameters as given; it trains no steps"),
    (["run", "mazur", "--save", ""], "--save: an empty name; give a file or folder name"),
    (["run", "mazur", "--wide-csv="], "--wide-csv: an empty name; give a file or folder name"),
    (["sheet", ""], "NAME|PATH: an empty name; give a file or folder name"),
    (["page", "mazur", "-o", ""], "-o: an empty name; give a file or folder name"),
])
def test_an_option_that_would_do_nothing_is_refused_in_one_line(tmp_path, monkeypatch, capsys, argv, said):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ex.toml").write_text(_mazur())  # what `sheet ''` read: the current folder
    assert run(argv)[0] == 2
    assert capsys.readouterr().err == f"neurosim: error: {said}\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ex.toml"]


def test_an_exercise_that_runs_no_steps_is_refused_by_run(tmp_path, capsys):
    path = tmp_path / "none.toml"
    path.write_text(_mazur().replace("\nsteps = 1 ", "\nsteps = 0 "))
    assert "steps = 0" in path.read_text()
    assert run(["run", str(path)])[0] == 2
    assert capsys.readouterr().err == "neurosim: error: training.steps: the exercise runs no steps, there is " \
                                      "nothing to run (--steps N)\n"


def test_variants_of_a_folder_says_it_is_a_folder(tmp_path, capsys):
    assert run(["variants", str(tmp_path), "-o", str(tmp_path / "out")])[0] == 2
    assert capsys.readouterr().err == f"neurosim: error: {tmp_path}: is a directory; give an exercise file " \
                                      f"(.toml) or a scenario name\n"


def _mazur() -> str:
    out = io.StringIO()
    main(["export", "mazur"], out)
    return out.getvalue()


@pytest.mark.parametrize("package, command", [("numpy", "run mazur"), ("attrs", "run mazur")])
def test_a_missing_dependency_is_one_line_naming_it(package, command):
    """A Python without numpy or attrs (dependencies) gets one line and exit 2, not a traceback.
    (`run mazur` no longer loads tabulate: its tables are laid out by views/text_table.py.)"""
    import subprocess
    import sys

    code = (f"import sys; sys.modules['{package}'] = None; sys.argv = ['neurosim', *{command.split()!r}]; "
            "from neurosim.__main__ import main; raise SystemExit(main())")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and f"'{package}'" in done.stderr and "pip install" in done.stderr


def test_check_markdown_escapes_what_the_user_wrote(tmp_path):
    """A | or <script> in an exercise's title reached check --format markdown's table raw: the |
    split the heading's table, the tag would run where the Markdown is shown as HTML."""
    path = tmp_path / "mine.toml"
    path.write_text(_mazur().replace('title = "', 'title = "a|b <script>x</script> ', 1))
    code, out = run(["check", str(path), "--expect", "w5+=0.3589", "--format", "markdown"])
    assert code == 0
    assert "<script>" not in out and r"\<script\>" in out and r"a\|b" in out
    rows = [line for line in out.splitlines() if line.startswith("| w5+")]
    assert len(rows) == 1 and rows[0].count("|") - rows[0].count(r"\|") == 7  # six cells


@pytest.mark.parametrize("argv", [["run", "mazur"], ["explain", "mazur"], ["gradcheck", "mazur"]])
def test_an_only_pattern_that_matches_nothing_is_named_beside_one_that_matches(capsys, argv):
    """--only w5,nosuch showed w5 and said nothing about nosuch (refusing is for when none match)."""
    code, out = run([*argv, "--only", "w5,nosuch,zz*"])
    err = capsys.readouterr().err
    assert code == 0 and "w5" in out
    assert err.count("\n") == 1 and "--only nosuch, zz* match nothing" in err


def test_finite_differences_of_a_one_epoch_run_show_that_epoch(capsys):
    """run numeric_gd --steps 1 raised IndexError: its loss table asked for epoch 2 of 1."""
    code, out = run(["run", "numeric_gd", "--steps", "1"])
    assert code == 0
    table = out.split("Loss before each update")[1].splitlines()
    assert [line.split()[0] for line in table[3:] if line.strip()][:2] == ["1", "after"]
