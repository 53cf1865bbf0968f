"""The learning rule as a user sees it: the trace header names the rule and its form, the step tables
and worked solutions write every rule quantity as formula = numbers = value, the matrix view shows
the rule's arrays, CSV/JSON and `check` take every quantity, and bad input is one line, exit 2."""

import json

import pytest

from neurosim.cli.main import main
from neurosim.views.mathtext import to_html, to_latex

RULES = ["sgd --weight-decay 0.1 --decay decoupled", "momentum --form before-lr --dampening 0.3",
         "momentum --form normalized", "momentum --form gradient-only", "nesterov", "quickprop --weight-decay 0.001",
         "rprop --variant irprop+", "adagrad --lr-decay 0.1", "rmsprop --centered --momentum 0.5",
         "adam --amsgrad --weight-decay 0.01", "adamw", "adam --eps-form uncorrected", "adam --no-bias-correction"]


def run(capsys, *args) -> tuple[int, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_momentum_tables_name_the_form_and_write_v_rows(capsys):
    code, out = run(capsys, "run", "mazur", "--rule", "momentum", "--momentum", "0.9", "--steps", "3")
    assert code == 0
    assert "learning rule momentum, form after-lr" in out
    assert "Learning rule, output layer" in out
    assert "v_w5        α·v_w5@2 - η·dE/dw5" in out  # step 3 refers to the buffer of step 2
    assert "w5+         w5 + Δw5" in out


def test_plain_sgd_tables_are_as_before(capsys):
    code, out = run(capsys, "run", "mazur")
    assert code == 0 and "Learning rule" not in out and "learning rule" not in out
    assert "p+ = p - 0.5·dE/dp" in out


def test_csv_has_the_change_for_plain_sgd_too(capsys):
    code, out = run(capsys, "run", "mazur", "--format", "csv")
    values = {row.split(",")[1]: float(row.split(",")[2]) for row in out.splitlines()[1:]}
    assert values["Δw5"] == -0.5 * values["dE/dw5"]
    assert values["w5+"] == pytest.approx(values["w5"] + values["Δw5"], abs=1e-16)
    assert values["Δb1"] == 0.0  # frozen


@pytest.mark.parametrize("rule", RULES)
def test_every_rule_in_every_view(capsys, rule):
    args = ["mazur", "--rule", *rule.split(), "--update-biases"]
    for fmt in ("markdown", "latex", "html"):
        code, out = run(capsys, "explain", *args, "--step", "3", "--format", fmt)
        assert code == 0 and "[U+" not in out, fmt
        assert "Learning rule" in out
    code, out = run(capsys, "run", *args, "--steps", "3", "--view", "matrix")
    assert code == 0 and "ΔW2 (learning rule)" in out and "W2+ = W2 + ΔW2" in out
    code, out = run(capsys, "run", *args, "--steps", "3", "--format", "json")
    document = json.loads(out)
    quantities = document["traces"][-1]["quantities"]
    assert "Δw5" in quantities and "Δb2" in quantities
    assert document["traces"][-1]["conventions"]["rule"]["name"] == rule.split()[0]


def test_rule_quantities_in_latex_and_html():
    assert to_latex("α·v_w5@1 - η·dE/dw5") == (
        r"\alpha \cdot v_{w_{5}}^{(1)} - \eta \cdot \frac{\partial E}{\partial w_{5}}")
    assert to_latex("-η·mhat_w5/(√vhat_w5 + ε)") == (
        r"-\eta \cdot \hat{m}_{w_{5}}/\left(\sqrt{\hat{v}_{w_{5}}} + \varepsilon \right)")
    assert to_latex("w5 + Δw5") == r"w_{5} + \Delta w_{5}"
    assert to_latex("β1·m_b_h1@0") == r"\beta_{1}\cdot m_{b_{h1}}^{(0)}"
    assert "<sub>w5</sub><sup>(1)</sup>" in to_html("v_w5@1")


def test_check_takes_rule_quantities_at_any_step(capsys):
    code, out = run(capsys, "check", "mazur_adam", "--expect", "m_w5@1=0.008216704", "--expect", "vhat_w5@2=0.0068",
                    "--expect", "Δw5@2=-0.0100006")
    assert code == 0, out
    code, out = run(capsys, "check", "mazur_adam", "--expect", "mhat_w9@2=0.1")
    assert code == 2 and "no quantity named 'mhat_w9'" in out


@pytest.mark.parametrize("args, words", [  # an option's error names the option as typed
    (["--rule", "adma"], "--rule: unknown rule 'adma' (did you mean 'adam'?)"),
    (["--rule", "momentum", "--betas", "0.9", "0.99"], "--betas: momentum takes no parameter 'betas'"),
    (["--momentum", "1"], "--momentum: must be in [0, 1), got 1"),
    (["--rule", "momentum", "--momentum", "1.2"], "--momentum: must be in [0, 1), got 1.2"),
    (["--rule", "adam", "--betas", "0.9", "1"], "--betas: β2 must be in [0, 1)"),
    (["--rule", "adam", "--eps=-1e-8"], "--eps: must not be negative"),
    (["--lr=-0.1"], "--lr: must be a positive finite number"),
    (["--learning-rate=-0.1"], "--learning-rate: must be a positive finite number"),
    (["--tolerance=-0.1"], "--tolerance: must not be negative"),
    (["--rule", "rprop", "--step-sizes", "50", "1e-6"], "--step-sizes: (step_min, step_max) in the wrong order"),
    (["--rule", "momentum", "--state", "v_w9=0.1"], "--state v_w9: no parameter named 'w9' (this 2-2-2 network has"),
    (["--rule", "adam", "--state", "t=-1"], "--state t: expected a whole number"),
    (["--rule", "momentum", "--no-bias-correction"], "--no-bias-correction: momentum takes no parameter"),
    (["--order", "sequential", "--mode", "batch-sum"], "--order: 'sequential' updates need mode 'online'"),
])
def test_bad_rule_input_is_one_line_and_exit_2(capsys, args, words):
    code, out = run(capsys, "run", "mazur", *args)
    assert code == 2
    assert out.strip().count("\n") == 0 and out.startswith("neurosim: error: ") and words in out, out


def test_bad_rule_in_an_exercise_file_names_file_and_line(tmp_path, capsys):
    path = tmp_path / "ex.toml"
    path.write_text('[network]\nlayers = [1, 1]\nweights = [0.5]\n[data]\ninputs = [[1.0]]\ntargets = [[0.0]]\n'
                    '[training]\n[training.rule]\nname = "momentum"\nbetas = [0.9, 0.99]\n')
    code, out = run(capsys, "run", str(path))
    assert code == 2 and "training.rule.betas: momentum takes no parameter 'betas'" in out and "(line 10)" in out
