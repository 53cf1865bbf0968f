"""The local search beyond Mazur's plain step (issue 17): a softmax + cross-entropy output, the
Han/Kamber/Pei notation, an Adam step — each with a slip planted as a person makes it, worked here
in plain Python — and the machine-readable verdicts (`check --format json|csv`)."""

from __future__ import annotations

import csv
import io
import json
import math

import pytest

from neurosim.check.judge import check_values
from neurosim.check.parse import expected_from_options
from neurosim.check.pipeline import FOLLOWS, RIGHT, WRONG, diagnose_check
from neurosim.cli import main
from neurosim.files.exercise import spec_from_dict
from neurosim.scenarios import load_scenario

from .test_notations import han_file


def findings_of(spec, values: dict[str, str]):
    findings = diagnose_check(spec, check_values(spec, expected_from_options([f"{k}={v}" for k, v in values.items()])))
    return findings, {v.row.expected.quantity: v for v in findings.values}


# a 2 → 3 softmax layer with cross-entropy (tests/published/visem_labs_softmax_ce.toml's network)
SOFTMAX = {"title": "softmax + cross-entropy", "network": {"layers": [2, 3], "activations": "softmax", "bias": "none",
           "weights": [0.2, -0.5, -0.3, 0.7, 0.5, -0.2]},
           "data": {"inputs": [[1.0, 2.0]], "targets": [[0, 1, 0]]}, "training": {"loss": "cce", "learning_rate": 0.1}}


def test_softmax_exponentials_rounded_before_dividing():
    nets = [0.2 - 1.0, -0.3 + 1.4, 0.5 - 0.4]
    exps = [round(math.exp(n), 3) for n in nets]  # the exponentials written to 3 decimals, then divided
    outs = [e / sum(exps) for e in exps]
    values = {"net_o1": "-0.8", "net_o2": "1.1", "net_o3": "0.1", "out_o1": f"{outs[0]:.6f}",
              "out_o2": f"{outs[1]:.6f}", "delta_o1": f"{outs[0]:.6f}", "dE/dw2": f"{2 * outs[0]:.6f}"}
    findings, by = findings_of(spec_from_dict(SOFTMAX), values)
    root = by["out_o1"]
    assert findings.first is root
    assert root.explanations[0].id == "rounded:e^,3"
    assert by["delta_o1"].verdict == FOLLOWS and by["dE/dw2"].verdict == FOLLOWS


def test_softmax_exponentials_can_be_written_and_checked():
    nets = [-0.8, 1.1, 0.1]
    exps = [math.exp(n) for n in nets]
    values = {"e^net_o1": f"{exps[0]:.6f}", "Σe^net": f"{sum(exps):.6f}", "e_o2": f"{exps[1] / sum(exps) - 1:.6f}"}
    findings, by = findings_of(spec_from_dict(SOFTMAX), values)
    assert all(v.verdict == RIGHT for v in by.values())


def test_a_slip_in_the_books_names(tmp_path):
    """Han, Kamber & Pei's Example 9.1 with O4 taken as O5 in Err4: named in the book's notation."""
    o4, o5, o6 = 0.3318122278318339, 0.52497918747894, 0.47388889882398544
    err6 = o6 * (1 - o6) * (1 - o6)
    err4 = o5 * (1 - o5) * err6 * -0.3  # O5 where O4 belongs (w46 = -0.3)
    from neurosim.files.exercise import load_spec

    spec = load_spec(han_file(tmp_path, Err4=f"{err4:.7f}"))
    findings = diagnose_check(spec, check_values(spec))
    by = {v.row.expected.quantity: v for v in findings.values}
    root = by["Err4"]
    assert root.verdict == WRONG and root.explanations
    from neurosim.check.report import Writer, explanation_sentence
    from neurosim.core.notation import name_map

    sentence = explanation_sentence(Writer(findings, name_map(spec), findings.student), root.explanations[0])
    assert sentence in ("O5 in place of O4", "dO5/dI5 in place of dO4/dI4"), sentence  # O5(1-O5) for O4(1-O4)
    assert abs(o4 - 0.332) < 1e-3  # the book's O4


ADAM = load_scenario("mazur_adam")


def adam_step_one(parameter: str):
    """dE/dw, m, v of Adam's first step for one of Mazur's weights (β1 0.9, β2 0.999, η 0.01)."""
    from neurosim.check.judge import quantities_at

    g = quantities_at(ADAM, [1])[1][f"dE/d{parameter}"]
    return g, 0.1 * g, 0.001 * g * g


def test_adam_bias_correction_forgotten_for_one_weight():
    g, m, v = adam_step_one("w5")
    change = -0.01 * m / (math.sqrt(v) + 1e-8)  # m and v where mhat and vhat belong
    values = {"dE/dw5@1": f"{g:.9f}", "m_w5@1": f"{m:.9f}", "Δw5@1": f"{change:.9f}", "w5+@1": f"{0.4 + change:.9f}"}
    findings, by = findings_of(ADAM, values)
    assert by["Δw5@1"].explanations[0].id == "rule:no-bias-correction,w5"
    assert by["w5+@1"].verdict == FOLLOWS


def test_adam_timestep_off_by_one():
    g, m, v = adam_step_one("w6")
    values = {"m_w6@1": f"{m:.9f}", "mhat_w6@1": f"{m / (1 - 0.9 ** 2):.9f}"}
    findings, by = findings_of(ADAM, values)
    ids = [e.id for e in by["mhat_w6@1"].explanations]
    assert ids[0] in ("constant:t=2", "rule:timestep-plus-one,w6") and "constant:t=2" in ids


def test_json_keys_and_csv_rows(capsys):
    """The documented keys of `check --format json` (README), and one CSV row per value."""
    args = ["check", "mazur", "--expect", "net_o1=1.104279", "--expect", "out_o1=0.751061",
            "--expect", "w5+=0.35891648"]
    assert main([*args, "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"title", "conventions", "notation", "steps", "values", "summary"}
    assert set(data["values"][0]) == {"name", "quantity", "step", "sample", "written", "computed", "verdict", "detail",
                                      "decimals_agreeing", "root", "follows_from", "first_wrong_line", "explanations",
                                      "weak_explanations", "catalog"}
    net, out, w5 = data["values"]
    assert (net["verdict"], net["root"], net["first_wrong_line"]) == ("wrong", True, True)
    assert (out["verdict"], out["follows_from"]) == ("follows", ["net_o1"])
    assert w5["verdict"] == "right"
    e = net["explanations"][0]
    assert set(e) == {"id", "kind", "sentence", "at", "formula", "right_formula", "value", "digits", "chance",
                      "strength", "also"}
    assert e["id"] == "operand:out_h2>out_h1" and e["strength"] == "strong"
    assert e["formula"].startswith("net_o1 = w5·out_h1 + w6·out_h1 + b2 = ")
    summary = data["summary"]
    assert summary["first_wrong_line"] == {"name": "net_o1", "step": 1, "stage": "forward pass"}
    assert (summary["right"], summary["wrong"], summary["follows"], summary["following_first"]) == (1, 1, 1, 1)
    assert main([*args, "--format", "csv"]) == 1
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    header = rows[0]
    assert header[:7] == ["name", "quantity", "step", "sample", "written", "computed", "verdict"]
    assert [r[0] for r in rows[1:4]] == ["net_o1", "out_o1", "w5+"] and rows[4] == []


@pytest.mark.parametrize("option, words", [
    (["--expect", "w5+=0.3", "--expect", "w5+=0.4"], "--expect: w5+ is given twice"),
])
def test_bad_input_is_one_line(option, words, capsys):
    assert main(["check", "mazur", *option, "--format", "json"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and words in err


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def test_a_check_that_takes_more_than_two_seconds_shows_a_progress_line():
    from neurosim.cli.progress import StageProgress

    now = [0.0]
    terminal = _Terminal()
    progress = StageProgress(terminal, clock=lambda: now[0])
    progress("the catalog's conventions and mistakes", 3, 40)
    assert terminal.getvalue() == ""  # nothing in the first two seconds
    now[0] = 2.5
    progress("the catalog's conventions and mistakes", 12, 40)
    assert "the catalog's conventions and mistakes: 12 of 40  2s elapsed" in terminal.getvalue()
    progress.clear()
    assert terminal.getvalue().endswith("\r\x1b[K")
    quiet = io.StringIO()  # not a terminal: never drawn
    StageProgress(quiet, delay=0)("x", 1, 2)
    assert quiet.getvalue() == ""
