"""What a notebook shows: short reprs, HTML tables; the notebook-style example runs."""

import runpy
from pathlib import Path

from neurosim import trace_step

from .conftest import MAZUR_SAMPLE


def test_step_trace_repr_is_one_short_line(mazur_network, mazur_conventions):
    trace = trace_step(mazur_network, MAZUR_SAMPLE, mazur_conventions)
    text = repr(trace)
    assert "\n" not in text and len(text) < 200
    assert "E_total=0.298371109" in text and "8 of 10 parameters updated" in text


def test_step_trace_html_is_the_stage_tables(mazur_network, mazur_conventions):
    html = trace_step(mazur_network, MAZUR_SAMPLE, mazur_conventions)._repr_html_()
    assert html.count("<table>") >= 6
    assert "0.35891648" in html and "Gradients and updates" in html


def test_network_repr_and_html(mazur_network):
    assert repr(mazur_network) == "Network(2-2-2, sigmoid/sigmoid, 8 weights, 2 shared biases)"
    html = mazur_network._repr_html_()
    assert html.count("<table>") == 2
    assert "<td>w5" in html and "h1 → o1" in html and "bias of h1, h2" in html


def test_notebook_example_runs(capsys):
    script = Path(__file__).resolve().parent.parent / "scenarios" / "notebook_example.py"
    runpy.run_path(str(script), run_name="__main__")
    out = capsys.readouterr().out
    assert "0.35891648" in out
