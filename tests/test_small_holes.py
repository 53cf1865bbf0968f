"""Small holes of issue 11: non-finite hand values refused, published figures under a changed mode,
the step heading wrapped to the width."""

import io

import pytest

from neurosim.cli.main import main
from neurosim.core.written import parse_written
from neurosim.errors import NeurosimError
from neurosim.views.tables import render_heading, wrap_text


def run(argv):
    out = io.StringIO()
    return main(argv, out), out.getvalue()


@pytest.mark.parametrize("value", ["1e999", "-1e400", "inf", "nan", "Infinity"])
def test_a_non_finite_expected_value_is_refused(value, capsys):
    code, _ = run(["check", "mazur", "--expect", f"w5+={value}"])
    assert code == 2
    assert capsys.readouterr().err == f"neurosim: error: --expect w5+: '{value}' is not a finite number\n"


def test_the_largest_float_is_still_a_value():
    assert parse_written("1e308").value == 10 ** 308
    with pytest.raises(NeurosimError, match="not a finite number"):
        parse_written("1.8e308")  # past float range (1.797e308)


def test_a_batch_mode_run_keeps_the_published_figures_of_a_sequential_source(capsys):
    # mazur.toml's 10,000-step figures carry order = "sequential", which needs mode online.
    code, out = run(["run", "mazur", "--mode", "batch-sum"])
    assert code == 0, capsys.readouterr().err
    assert "Published figures, each computed under the convention its source used and judged at its precision " \
           "(not under this run's mode = batch-sum)" in out
    assert "needs" in out and "--steps" in out  # the entries of step 10,000 say what they need


def test_the_heading_is_wrapped_to_the_width():
    text = ("A title — step 1: 2-2-2 network (sigmoid/sigmoid); loss half_sse (E_total = Σ ½(target - out)²); "
            "learning rate 0.5; shared biases, frozen; simultaneous update; online; float64")
    lines = wrap_text(text, 60)
    assert all(len(line) <= 60 for line in lines) and " ".join(lines) == text
    assert all(line.endswith(";") for line in lines[:-1])  # broken between conventions, not inside one
    heading = render_heading(text, "plain", 100).splitlines()
    assert max(len(line) for line in heading) <= 100 and set(heading[-1]) == {"="}
    code, out = run(["run", "mazur"])
    assert max(len(line) for line in out.split("Forward pass")[0].splitlines()) <= 100


def test_the_summary_and_published_tables_fit_100_columns():
    code, out = run(["run", "mazur", "--steps", "10000", "--order", "sequential"])
    blocks = {b.splitlines()[0].split(" (")[0]: b for b in out.split("\n\n") if b.strip()}
    for title in ("Training summary", "Published figures, each computed under the convention its source used and "
                                      "judged at its precision"):
        assert max(len(line) for line in blocks[title].splitlines()[1:]) <= 100, blocks[title]
    assert "E_total: the step's samples, before the update; E_total+: all samples, after it." in out
    published = blocks["Published figures, each computed under the convention its source used and judged at its "
                       "precision"]
    assert "seed 001 (Mazur), step 1" in published  # short sources stay on one line
