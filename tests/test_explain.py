"""Worked solutions (`neurosim explain`): content, order, hand rounding, and well-formed output."""

import html
import re
import shutil
import subprocess
from html.parser import HTMLParser

import pytest

from neurosim import scenarios
from neurosim.cli import main
from neurosim.files.exercise import spec_from_dict, with_training
from neurosim.views.explain import EXPLAIN_FORMATS, explain_document
from neurosim.views.mathtext import to_html, to_latex

MAZUR = scenarios.load_scenario("mazur")

# A deeper network with every awkward case: two hidden layers, per-neuron biases that are updated,
# softmax output, a batch step, names with underscores, and a title full of LaTeX/HTML specials.
AWKWARD = {
    "title": "Deep & <odd> title_with $ % # { } ~ ^ \\ chars — ½·Σ → 中",
    "description": "escaping: & < > \" ' $ % # _ { } ~ ^ \\ --steps",
    "network": {"layers": [3, 3, 2, 2], "activations": ["tanh", "leaky_relu", "softmax"],
                "bias": "per-neuron", "seed": 3},
    "data": {"inputs": [[0.1, 0.2, -0.3], [0.5, -0.3, 2.0]], "targets": [[1, 0], [0, 1]]},
    "training": {"loss": "cce", "mode": "batch-mean", "learning_rate": 0.1, "update_biases": True},
}


def body(document: str) -> str:
    """The document after the scenario's own description (which quotes published numbers)."""
    return document[document.index("Conventions"):]


def math_blocks(markdown: str) -> list[str]:
    return re.findall(r"```math\n(.*?)\n```", markdown, re.S)


def block_with(markdown: str, lhs: str) -> str:
    return next(b for b in math_blocks(markdown) if lhs in b)


def test_mazur_w5_and_w1_updates_with_their_factors():
    md = explain_document(MAZUR, "markdown")
    w5 = block_with(md, r"w_{5}^{+}")
    # Mazur's published factors and results (DESIGN.md §6), in the order the post writes them
    assert r"\frac{\partial \mathit{net}_{o1}}{\partial w_{5}} &= \mathit{out}_{h1} = 0.593269992" in w5
    assert r"0.74136507\cdot 0.186815602\cdot 0.593269992" in w5
    assert "&= 0.082167041" in w5
    assert r"w_{5}^{+} &= w_{5} - \eta \cdot \frac{\partial E}{\partial w_{5}} = 0.4 - 0.5\cdot 0.082167041 " \
           r"= 0.35891648" in w5
    w1 = block_with(md, r"w_{1}^{+}")
    assert r"0.036350306\cdot 0.241300709\cdot 0.05" in w1 and "&= 0.000438568" in w1
    assert "= 0.15 - 0.5\\cdot 0.000438568 = 0.149780716" in w1
    h1 = block_with(md, r"\delta_{h1}")  # dE/dout_h1 as the sum of what o1 and o2 send back
    assert r"\delta_{o1}\cdot w_{5} = 0.138498562\cdot 0.4 = 0.055399425" in h1
    assert r"0.055399425 + \left(-0.019049118\right)" in h1 and "0.036350306" in h1


def test_mazur_html_reads_like_the_post():
    page = explain_document(MAZUR, "html")
    text = html.unescape(re.sub(r"<[^>]+>", "", page))
    assert "w5+ = w5 − η·∂E/∂w5 = 0.4 − 0.5·0.082167041 = 0.35891648" in text
    assert "∂E/∂w1 = ∂E/∂outh1·∂outh1/∂neth1·∂neth1/∂w1 = 0.036350306·0.241300709·0.05 = 0.000438568" in text
    assert "E_total" not in text and "Etotal = Eo1 + Eo2 = 0.274811083 + 0.023560026 = 0.298371109" in text


def test_sections_follow_mazurs_order():
    md = body(explain_document(MAZUR, "markdown"))
    marks = ["Conventions", "## Given", "The forward pass", "The total error",
             "The backward pass: output layer", r"w_{5}^{+}", "The backward pass: hidden layer", r"w_{1}^{+}",
             "After the update", "0.291027774"]
    positions = [md.index(m) for m in marks]
    assert positions == sorted(positions)


def test_deeper_networks_explain_every_hidden_layer_top_down():
    md = explain_document(spec_from_dict(AWKWARD), "markdown")
    marks = ["backward pass: output layer", "backward pass: hidden layer 2", "backward pass: hidden layer 1"]
    positions = [md.index(m) for m in marks]
    assert positions == sorted(positions)
    assert "Sample 2" in md and r"\sum_{s}" in md  # a batch step: per-sample values, summed gradients
    # softmax with cce: the delta in its combined form, out - target (core/combined.py)
    assert (r"\delta_{o1} &= \sum_{k}  \frac{\partial E}{\partial \mathit{out}_{k}}\cdot \frac{\partial "
            r"\mathit{out}_{k}}{\partial \mathit{net}_{o1}} = \mathit{out}_{o1} - \mathit{target}_{o1}") in md
    # with another loss the Jacobian column is written out
    md = explain_document(spec_from_dict({**AWKWARD, "training": {**AWKWARD["training"], "loss": "mse"}}))
    assert r"\frac{\partial \mathit{out}_{o2}}{\partial \mathit{net}_{o1}} &= -\mathit{out}_{o2}" in md


def test_round_changes_the_numbers_shown():
    exact = body(explain_document(MAZUR, "markdown"))
    rounded = body(explain_document(with_training(MAZUR, round=2), "markdown"))
    assert "0.35891648" in exact and "0.35891648" not in rounded
    assert r"= 0.4 - 0.5\cdot 0.08 = 0.36" in block_with(rounded, r"w_{5}^{+}")
    assert "rounded half-up to 2 decimals" in rounded
    assert "0.3775" not in rounded and "= 0.38" in block_with(rounded, r"\mathit{net}_{h1} &=")


def test_step_n_starts_from_the_updated_weights():
    md = explain_document(MAZUR, "markdown", step=2)
    assert "step 2" in md.splitlines()[0]
    assert "| 0.35891648 |" in md  # w5 at the start of step 2 is w5+ of step 1


# -- every scenario, every format -------------------------------------------------------------------
class _Balance(HTMLParser):
    VOID = {"meta", "br", "hr", "img", "link", "input"}

    def __init__(self):
        super().__init__()
        self.stack, self.errors = [], []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(tag)


def check_html(page: str) -> None:
    assert page.startswith("<!DOCTYPE html>")
    parser = _Balance()
    parser.feed(page)
    parser.close()
    assert parser.errors == [] and parser.stack == []
    assert "<script" not in page  # standalone: nothing loaded from elsewhere (a source's address as text is fine)
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//|url\(\s*["']?\s*(https?:)?//""", page)


SPECS = [pytest.param(scenarios.load_scenario(name), id=name) for name in scenarios.NAMES] + [
    pytest.param(spec_from_dict(AWKWARD), id="awkward")]


@pytest.mark.parametrize("spec", SPECS)
def test_every_format_renders_for_every_scenario(spec):
    md, tex, page = (explain_document(spec, f) for f in EXPLAIN_FORMATS)
    assert md.startswith("# Worked solution") and md.count("```") % 2 == 0
    assert tex.isascii() and tex.startswith(r"\documentclass") and tex.rstrip().endswith(r"\end{document}")
    assert tex.count(r"\begin{") == tex.count(r"\end{")
    check_html(page)


def test_html_escapes_the_title():
    page = explain_document(spec_from_dict(AWKWARD), "html")
    assert "<odd>" not in page and "&lt;odd&gt;" in page


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is not installed")
@pytest.mark.parametrize("spec", SPECS)
def test_latex_compiles(spec, tmp_path):
    (tmp_path / "solution.tex").write_text(explain_document(spec, "latex"), encoding="utf-8")
    result = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "solution.tex"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-2000:]
    assert (tmp_path / "solution.pdf").stat().st_size > 0
    log = (tmp_path / "solution.log").read_text(errors="replace")
    assert "Missing character" not in log


# -- the formula translation ---------------------------------------------------------------------
@pytest.mark.parametrize("text, latex", [
    ("dE/dout_o1", r"\frac{\partial E}{\partial \mathit{out}_{o1}}"),
    ("dE_o1/dout_h1", r"\frac{\partial E_{o1}}{\partial \mathit{out}_{h1}}"),
    ("1/(1+e^(-net_h1))", r"\frac{1}{1+e^{-\mathit{net}_{h1}}}"),
    ("½(0.01-0.75)²", r"\tfrac{1}{2}\left(0.01-0.75\right)^{2}"),
    ("w5+", "w_{5}^{+}"),
    ("out_h1_2", r"\mathit{out}_{h1\_2}"),
    ("3.1e-12", r"3.1\times 10^{-12}"),
    ("ln(1+e^44.502903803)", r"\ln\left(1+e^{44.502903803}\right)"),  # bce's loss from net, with its number
    ("ln(1+e^z^3_1) - y_1·z^3_1", r"\ln\left(1+e^{z^{3}_{1}}\right) - y_{1}\cdot z^{3}_{1}"),  # …, in nielsen's names
])
def test_formula_text_to_latex(text, latex):
    assert to_latex(text) == latex


def test_formula_text_to_html_escapes():
    assert to_html("net_h1>0 & x<y") == "<i>net</i><sub>h1</sub>&gt;0 &amp; x&lt;y"


# -- the command ---------------------------------------------------------------------------------
def test_explain_cli_writes_a_file(tmp_path, capsys):
    target = tmp_path / "mazur.tex"
    assert main(["explain", "mazur", "--format", "latex", "-o", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == explain_document(MAZUR, "latex")
    assert main(["explain", "mazur", "--round", "2"]) == 0
    assert "0.36" in capsys.readouterr().out


@pytest.mark.parametrize("args, words", [
    (["explain", "mazur", "--step", "0"], "--step: must be at least 1"),
    (["explain", "mazur", "--round", "-1"], "--round: must be between 0 and 15"),
    (["explain", "mazur", "--steps", "3"], "--steps: explain writes out one step"),
    (["explain", "nothing.toml"], "nothing.toml: no such file"),
    (["explain", "mazur", "-o", "/nonexistent-dir/x.md"], "does not exist"),
])
def test_explain_errors_are_one_line_exit_2(args, words, capsys):
    assert main(args) == 2
    err = capsys.readouterr().err
    assert words in err and err.count("\n") == 1


def test_explain_unknown_format_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["explain", "mazur", "--format", "pdf"])
    assert exit_info.value.code == 2 and "unknown format 'pdf' (choose from markdown, latex" in capsys.readouterr().err


def test_cli_offers_exactly_the_formats_explain_renders():
    from neurosim.cli import write as cli_write
    from neurosim.views import explain
    assert cli_write.EXPLAIN_FORMATS == explain.EXPLAIN_FORMATS
