"""The command line as a user meets it: output, exit codes, one-line errors without tracebacks."""

import subprocess
import sys

import pytest

from neurosim.cli import main


def run_cli(*args):
    result = subprocess.run([sys.executable, "-m", "neurosim", *args], capture_output=True, text=True)
    return result.returncode, result.stdout, result.stderr


def test_run_mazur_shows_the_published_updates():
    code, out, err = run_cli("run", "mazur")
    assert code == 0, err
    for value in ("0.35891648", "0.149780716", "0.298371109", "0.082167041",
                  "0.74136507·0.186815602·0.593269992", "0.036350306·0.241300709·0.05"):
        assert value in out
    assert "DIFFERS" not in out


def test_list_names_mazur(capsys):
    assert main(["list"]) == 0
    assert "mazur" in capsys.readouterr().out


def test_digits_changes_precision(capsys):
    assert main(["run", "mazur", "--digits", "4"]) == 0
    out = capsys.readouterr().out
    tables = out[out.index("Forward pass"):out.index("Published figures")]
    assert " 0.3589\n" in tables and "0.35891648" not in tables


def test_long_run_prints_a_summary_and_the_last_trace(capsys):
    assert main(["run", "mazur", "--steps", "10000", "--order", "sequential"]) == 0
    out = capsys.readouterr().out
    assert "Training summary" in out and "step 10000" in out
    published = out.split("Published figures")[1]
    assert "needs --steps" not in published and "DIFFERS" not in published


@pytest.mark.parametrize("fmt", ["github", "latex", "html", "csv", "json"])
def test_every_format_renders(fmt, capsys):
    assert main(["run", "mazur", "--format", fmt]) == 0
    # tables round to 9 decimals; csv and json carry full precision
    assert ("0.358916479" if fmt in ("csv", "json") else "0.35891648") in capsys.readouterr().out


@pytest.mark.parametrize("args, words", [
    (["run", "mazurr"], "unknown scenario 'mazurr' (did you mean 'mazur'?)"),
    (["run", "mazur", "--lr", "-1"], "--lr: must be a positive finite number"),
    (["run", "mazur", "--lr", "0"], "--lr: must be a positive finite number"),
    (["run", "mazur", "--loss", "hinge"], "--loss: unknown name 'hinge'"),
    (["run", "mazur", "--steps", "0"], "--steps: must be at least 1"),
    (["run", "mazur", "--steps", "x"], "argument --steps: invalid int value"),
    (["run", "mazur", "--format", "pdf"], "argument --format: unknown format 'pdf'"),
    (["rnu", "mazur"], "invalid choice: 'rnu'"),
    (["run", "missing.toml"], "missing.toml: no such file"),
])
def test_bad_input_is_one_line_and_exit_2(args, words):
    code, out, err = run_cli(*args)
    assert code == 2
    assert words in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


BAD_FILES = {
    "weights": ('[network]\nlayers = [2, 2, 2]\n[network.weights]\nw1 = 0.1\nw9 = 0.2\n'
                '[data]\ninputs = [[0.05, 0.1]]\ntargets = [[0.01, 0.99]]\n', "weights: no parameter named 'w9'"),
    "count": ('[network]\nlayers = [2, 2, 2]\nweights = [0.1, 0.2]\n'
              '[data]\ninputs = [[0.05, 0.1]]\ntargets = [[0.01, 0.99]]\n', "weights: expected 8 values"),
    "activation": ('[network]\nlayers = [2, 2, 2]\nactivations = "sigmod"\nseed = 1\n'
                   '[data]\ninputs = [[0.05, 0.1]]\ntargets = [[0.01, 0.99]]\n', "activation: unknown name 'sigmod'"),
    "sizes": ('[network]\nlayers = [2, 2, 2]\nseed = 1\n'
              '[data]\ninputs = [[0.05, 0.1, 0.3]]\ntargets = [[0.01, 0.99]]\n', "data.inputs[1]: has 3 values"),
    "nan": ('[network]\nlayers = [2, 2, 2]\nseed = 1\n'
            '[data]\ninputs = [[nan, 0.1]]\ntargets = [[0.01, 0.99]]\n', "data.inputs[1]: nan is not a finite number"),
    "toml": ('[network\nlayers = [2, 2, 2]\n', "not valid TOML"),
    "typo": ('[network]\nlayers = [2, 2, 2]\nseed = 1\n[data]\ninputs = [[0.05, 0.1]]\ntargets = [[0.01, 0.99]]\n'
             '[training]\nlearning_rat = 0.5\n', "training.learning_rat: unknown key (did you mean 'learning_rate'?)"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_exercise_files(tmp_path, name):
    text, words = BAD_FILES[name]
    path = tmp_path / f"{name}.toml"
    path.write_text(text)
    code, out, err = run_cli("run", str(path))
    assert code == 2, (out, err)
    assert words in err and str(path) in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_exercise_file_runs_like_a_scenario(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text('title = "mine"\n[network]\nlayers = [2, 2, 2]\n'
                    'weights = [0.15, 0.2, 0.25, 0.3, 0.4, 0.45, 0.5, 0.55]\n'
                    '[network.biases]\nb1 = 0.35\nb2 = 0.6\n[data]\ninputs = [[0.05, 0.1]]\ntargets = [[0.01, 0.99]]\n'
                    '[training]\nupdate_biases = false\n')
    code, out, err = run_cli("run", str(path))
    assert code == 0, err
    assert "0.35891648" in out and "0.149780716" in out


def test_divergence_names_step_and_quantity(tmp_path):
    path = tmp_path / "diverge.toml"
    path.write_text('[network]\nlayers = [1, 2, 1]\nactivations = ["linear", "linear"]\nseed = 3\n'
                    '[data]\ninputs = [[3.0]]\ntargets = [[1.0]]\n'
                    '[training]\nloss = "sse"\nlearning_rate = 10.0\nsteps = 400\n')
    code, out, err = run_cli("run", str(path))
    assert code == 1
    assert "training stopped at step" in err and "is not a finite number" in err
    assert "Forward pass" in out  # what was printed before stays intact
    assert "Traceback" not in err


def test_scenario_script_runs_from_a_checkout():
    from pathlib import Path
    script = Path(__file__).resolve().parent.parent / "scenarios" / "mazur.py"
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, cwd="/")
    assert result.returncode == 0, result.stderr
    assert "0.149780716" in result.stdout


def test_check_without_values_checks_the_published_figures(capsys, tmp_path):
    """`neurosim check mazur` (no values of the user's): Mazur's 27 published figures, the
    10,000-step ones included, each agree (exit 0); a figure changed by one unit in its last digit
    is named as differing (exit 1); in Chinese the verdicts are Chinese."""
    assert main(["check", "mazur"]) == 0
    out = capsys.readouterr().out
    assert "All 27 published figures agree." in out and "0.000035085" in out and "0.291027924" in out
    assert main(["check", "mazur", "--lang", "zh"]) == 0
    out = capsys.readouterr().out
    assert "全部 27 个已发表的数值都一致" in out and "一致" in out.split("\n")[3]
    main(["export", "mazur"])
    exported = capsys.readouterr().out
    assert 'value = "0.35891648"' in exported
    path = tmp_path / "wrong.toml"
    path.write_text(exported.replace('value = "0.35891648"', 'value = "0.35891649"'), encoding="utf-8")
    assert main(["check", str(path)]) == 1
    out = capsys.readouterr().out
    assert "26 of 27 published figures agree; they differ in: w5+." in out and "DIFFERS" in out
    path.write_text(exported.split("[[published]]")[0], encoding="utf-8")
    assert main(["check", str(path)]) == 2
    assert "nothing to check" in capsys.readouterr().err


def test_a_mistyped_command_or_choice_gets_a_did_you_mean():
    code, _, err = run_cli("chek", "mazur")
    assert code == 2
    assert err.startswith("neurosim: error: argument COMMAND: invalid choice: 'chek' "
                          "(did you mean 'check'? choose from")
    code, _, err = run_cli("run", "mazur", "--format", "xyz")  # nothing near: the choices only
    assert code == 2 and "unknown format 'xyz' (choose from plain, markdown, latex, html, csv, json, jsonl" in err
